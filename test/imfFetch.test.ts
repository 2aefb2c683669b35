import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imtsUrl } from '../src/fetch/imfFetch.js';
import { cli, cliAsync, tempDir, listenOnLoopback } from './helpers.js';

type R = Record<string, unknown>;

// Hand-built SDMX-CSV answers in the layout of the IMF portal (invented values, for the format).
const HEAD =
  'STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE,UNIT_MULT';
const row = (rep: string, ind: string, par: string, f: string, t: string, v: string) =>
  `dataflow,IMF.STA:IMTS(1.0.0),I,${rep},${ind},${par},${f},${t},${v},6`;
const ANNUAL = [
  HEAD,
  row('CHN', 'XG_FOB_USD', 'USA', 'A', '2019', '400000.5'),
  row('CHN', 'XG_FOB_USD', 'G001', 'A', '2019', '2500000'),
  row('CHN', 'XG_FOB_USD', 'USA', 'A', '2020', '450000'),
  row('CHN', 'XG_FOB_USD', 'G001', 'A', '2020', '2600000'),
  row('CHN', 'MG_CIF_USD', 'USA', 'A', '2019', '120000'),
  row('CHN', 'MG_CIF_USD', 'G001', 'A', '2019', ''),
].join('\n');

describe('IMF IMTS query', () => {
  test('the key is reporters.indicators.partners.frequency', () => {
    assert.equal(
      imtsUrl(['chn', 'USA'], ['G001', 'USA'], 'M', 'https://x/sdmx/3.0'),
      'https://x/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/CHN+USA.XG_FOB_USD+MG_CIF_USD.G001+USA.M',
    );
  });
});

describe('IMTS SDMX-CSV answers: imported as DOTS flows (import dots), and fetched (fetch dots)', () => {
  let server: Server;
  let api = '';
  let calls = 0;
  let accept = '';
  before(async () => {
    server = createServer((req, res) => {
      calls++;
      accept = String(req.headers.accept ?? '');
      if (calls === 1) {
        res.statusCode = 503;
        res.end('busy');
        return;
      }
      res.setHeader('content-type', 'application/vnd.sdmx.data+csv');
      res.end(
        req.url?.endsWith('.M')
          ? [
              HEAD,
              row('CHN', 'XG_FOB_USD', 'USA', 'M', '2020-M01', '30000'),
              row('CHN', 'XG_FOB_USD', 'USA', 'M', '2020-M02', '25000.25'),
            ].join('\n')
          : ANNUAL,
      );
    });
    api = `${await listenOnLoopback(server)}/external/sdmx/3.0`;
  });
  after(() => server.close());

  test("a local SDMX-CSV file: China's exports to the US as a share of its exports to the world (G001); a suppressed cell left out", () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const file = join(dir, 'imts.csv');
    writeFileSync(file, ANNUAL + '\n');
    const r = cli(db, '--format', 'json', 'import', 'dots', file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as R[])[0].rows, 5);
    const share = (
      JSON.parse(
        cli(
          db,
          '--format',
          'json',
          'compute',
          'bilateral-share',
          '--reporter',
          'CHN',
          '--partner',
          'USA',
          '--flow',
          'export',
          '--years',
          '2019-2020',
        ).stdout,
      ) as R[]
    ).filter((x) => String(x.basis).startsWith('computed'));
    assert.deepEqual(
      share.map((x) => x.year),
      [2019, 2020],
    );
    assert.ok(Math.abs(Number(share[0].share_pct) - (100 * 400000.5) / 2500000) < 1e-3);
    assert.equal(share[0].partner_value_usd, 400000.5e6);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [HEAD, row('CHN', 'TXG_FOB_USD', 'USA', 'A', '2019', '1')].join('\n'));
    const e = cli(db, 'import', 'dots', bad);
    assert.equal(e.status, 1);
    assert.match(
      e.stderr,
      /bad\.csv, line 2, field 'INDICATOR': indicator 'TXG_FOB_USD' is not goods exports FOB or imports CIF/,
    );
  });

  test('fetch dots: SDMX-CSV asked for, a 503 retried, monthly flows imported with their months', async () => {
    const db = join(tempDir(), 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const env = { ...process.env, DECOUPLE_CACHE: tempDir(), DECOUPLE_IMF_API: api, DECOUPLE_QUIET: '1' };
    const dry = await cliAsync(
      db,
      env,
      'fetch',
      'dots',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--monthly',
      '--dry-run',
    );
    assert.match(dry.stdout, /IMF\.STA\/IMTS\/\+\/CHN\.XG_FOB_USD\+MG_CIF_USD\.USA\.M/);
    const r = await cliAsync(
      db,
      env,
      '--format',
      'json',
      'fetch',
      'dots',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--monthly',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(calls, 2);
    assert.match(accept, /application\/vnd\.sdmx\.data\+csv/);
    const flows = JSON.parse(
      cli(
        db,
        '--format',
        'json',
        'query',
        "SELECT month, value_usd FROM flows WHERE exporter = 'CHN' AND importer = 'USA' ORDER BY month",
      ).stdout,
    ) as R[];
    assert.deepEqual(
      flows.map((f) => [f.month, f.value_usd]),
      [
        [1, 30000e6],
        [2, 25000.25e6],
      ],
    );
  });
});
