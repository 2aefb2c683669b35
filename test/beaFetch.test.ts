import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { beaRows } from '../src/fetch/beaFetch.js';
import { cli, cliAsync, tempDir, listenOnLoopback } from './helpers.js';

type R = Record<string, unknown>;
const KEY = 'secret-bea-user-id-1234';

/** Every file under a folder, with its contents. */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [[p, readFileSync(p, 'latin1')] as [string, string]];
  });
}

// Values served (US$ million) by indicator, area and year.
const VALUES: Record<string, Record<string, number>> = {
  ExpServ: { AllCountries: 900000, China: 56000 },
  ImpServ: { AllCountries: 600000, China: 19000 },
};

describe('BEA ITA answers', () => {
  test("rows become the measures of BEA's tables in US$ million (UNIT_MULT applied, commas removed, suppressed cells kept empty)", () => {
    const text = JSON.stringify({
      BEAAPI: {
        Results: {
          Data: [
            {
              Indicator: 'ExpServ',
              AreaOrCountry: 'China',
              Frequency: 'A',
              Year: '2019',
              TimePeriod: '2019',
              DataValue: '56,135',
              CL_UNIT: 'USD',
              UNIT_MULT: '6',
            },
            {
              Indicator: 'ImpServ',
              AreaOrCountry: 'China',
              Frequency: 'QSA',
              Year: '2019',
              TimePeriod: '2019Q1',
              DataValue: '4,750,000',
              CL_UNIT: 'USD',
              UNIT_MULT: '3',
            },
            {
              Indicator: 'ImpServ',
              AreaOrCountry: 'China',
              Frequency: 'A',
              Year: '2019',
              TimePeriod: '2019',
              DataValue: '(D)',
              CL_UNIT: 'USD',
              UNIT_MULT: '6',
            },
          ],
        },
      },
    });
    assert.deepEqual(beaRows(text, 'call'), [
      ['Exports of Services', 'China', '2019', '56135'],
      ['Imports of Services', 'China', '2019Q1', '4750'],
      ['Imports of Services', 'China', '2019', '(D)'],
    ]);
  });

  test('an API error or a changed layout stops naming the call', () => {
    assert.throws(
      () =>
        beaRows(
          JSON.stringify({
            BEAAPI: {
              Results: { Error: { APIErrorCode: '3', APIErrorDescription: 'The UserID provided is not valid.' } },
            },
          }),
          'call',
        ),
      /call: BEA answered an error 3: The UserID provided is not valid/,
    );
    assert.throws(
      () =>
        beaRows(
          JSON.stringify({
            BEAAPI: {
              Results: { Data: [{ Indicator: 'ExpServ', AreaOrCountry: 'China', TimePeriod: '2019', UNIT_MULT: '6' }] },
            },
          }),
          'call',
        ),
      /call, row 1: field 'DataValue'/,
    );
  });
});

// A stand-in for the BEA data API on loopback: checks the key and the parameters, answers 429 once.
describe('fetch bea: the data API, the key kept out of logs, cache and store', () => {
  let server: Server;
  let api = '';
  let calls = 0;
  before(async () => {
    server = createServer((req, res) => {
      calls++;
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      res.setHeader('content-type', 'application/json');
      if (calls === 1) {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end('{}');
        return;
      }
      if (q.get('UserID') !== KEY) {
        res.end(
          JSON.stringify({
            BEAAPI: {
              Results: { Error: { APIErrorCode: '3', APIErrorDescription: 'The UserID provided is not valid.' } },
            },
          }),
        );
        return;
      }
      assert.equal(q.get('DatasetName'), 'ITA');
      const indicator = q.get('Indicator') ?? '';
      const area = q.get('AreaOrCountry') ?? '';
      const Data = [2018, 2019, 2020].map((y, k) => ({
        Indicator: indicator,
        AreaOrCountry: area,
        Frequency: 'A',
        Year: String(y),
        TimePeriod: String(y),
        DataValue: (VALUES[indicator][area] + 1000 * k).toLocaleString('en-US'),
        CL_UNIT: 'USD',
        UNIT_MULT: '6',
      }));
      res.end(JSON.stringify({ BEAAPI: { Request: {}, Results: { Data } } }));
    });
    api = `${await listenOnLoopback(server)}/api/data`;
  });
  after(() => server.close());

  test("four calls (after one 429), imported as series; China's share of US services exports equals the values served", async () => {
    const db = join(tempDir(), 'store.duckdb');
    assert.equal(cli(db, 'doctor').status, 0); // creates the store with the shipped country codes
    const cache = tempDir();
    const env = { ...process.env, DECOUPLE_CACHE: cache, DECOUPLE_BEA_API: api, DECOUPLE_QUIET: '1', BEA_KEY: KEY };
    const dry = await cliAsync(db, env, 'fetch', 'bea', '--indicator', 'ExpServ,ImpServ', '--dry-run');
    assert.match(dry.stdout, /would make 4 calls .*Indicator=ExpServ&AreaOrCountry=AllCountries&Frequency=A&Year=ALL/);
    const bad = await cliAsync(db, { ...env, BEA_KEY: 'wrong' }, 'fetch', 'bea', '--indicator', 'ExpServ,ImpServ');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /BEA answered an error 3: The UserID provided is not valid.*nothing was imported/);
    const env2 = { ...env, DECOUPLE_CACHE: tempDir() };
    const ok = await cliAsync(db, env2, '--format', 'json', 'fetch', 'bea', '--indicator', 'ExpServ,ImpServ');
    assert.equal(ok.status, 0, ok.stderr);
    const [out] = JSON.parse(ok.stdout) as R[];
    assert.equal(out.rows, 12);
    assert.match(String(out.notes), /world totals \(partner WLD\) are BEA's AllCountries/);
    const share = (
      JSON.parse(
        cli(
          db,
          '--format',
          'json',
          'compute',
          'bilateral-share',
          '--reporter',
          'USA',
          '--partner',
          'CHN',
          '--flow',
          'export',
          '--channel',
          'services',
        ).stdout,
      ) as R[]
    ).filter((r) => String(r.basis).startsWith('computed'));
    assert.deepEqual(
      share.map((r) => r.year),
      [2018, 2019, 2020],
    );
    assert.ok(Math.abs(Number(share[1].share_pct) - (100 * 57000) / 901000) < 1e-3, String(share[1].share_pct));
    // The key is nowhere: not in the output, the store's datasets, or the cache (names and contents).
    for (const text of [dry.stdout, dry.stderr, ok.stdout, ok.stderr, bad.stderr]) assert.ok(!text.includes(KEY));
    assert.ok(!cli(db, '--format', 'json', 'query', 'SELECT * FROM datasets').stdout.includes(KEY));
    for (const [path, content] of [...filesUnder(cache), ...filesUnder(env2.DECOUPLE_CACHE)])
      assert.ok(!path.includes(KEY) && !content.includes(KEY), path);
  });
});
