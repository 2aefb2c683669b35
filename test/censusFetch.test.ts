import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli, cliAsync, listenOnLoopback, NEEDS_SHARED, setupFromShared, tempDir } from './helpers.js';

// A stand-in for the Census international trade API on loopback: the same path, parameters and
// JSON table (header first); December answers 204 (no data); `broken` renames a column.
describe(
  'fetch census: month by month, checked, imported once (a local server plays the API)',
  { skip: NEEDS_SHARED },
  () => {
    let server: Server;
    let api = '';
    let broken = false;
    let served = 0;
    before(async () => {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const time = url.searchParams.get('time') ?? '';
        const country = url.searchParams.get('CTY_CODE') ?? '5700';
        if (time.endsWith('-12')) {
          res.statusCode = 204;
          res.end();
          return;
        }
        const month = Number(time.slice(5, 7));
        const header = [
          'CTY_CODE',
          'CTY_NAME',
          'I_COMMODITY',
          broken ? 'CON_VALUE' : 'CON_VAL_MO',
          'CAL_DUT_MO',
          'time',
          'COMM_LVL',
        ];
        const rows = ['85', '94', '95'].map((hs, k) => {
          const value = 1_000_000 * month + 1000 * k;
          served += value;
          return [country, 'CHINA', hs, String(value), String(value / 10), time, 'HS2'];
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify([header, ...rows]));
      });
      api = `${await listenOnLoopback(server)}/data/timeseries/intltrade/imports/hs`;
    });
    after(() => server.close());

    test('twelve monthly calls, an empty December counted, the totals equal what was served; a changed header stops with nothing imported', async () => {
      const db = join(tempDir(), 'store.duckdb');
      setupFromShared(db);
      const env = { ...process.env, DECOUPLE_CACHE: tempDir(), DECOUPLE_CENSUS_API: api, DECOUPLE_QUIET: '1' };
      broken = true;
      const bad = await cliAsync(db, env, 'fetch', 'census', '--years', '2024-2024', '--hs', '2', '--country', 'CHN');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /the header changed: no CON_VAL_MO .* nothing was imported/);
      broken = false;
      served = 0;
      const env2 = { ...env, DECOUPLE_CACHE: tempDir() };
      const dry = await cliAsync(
        db,
        env2,
        'fetch',
        'census',
        '--years',
        '2024-2024',
        '--hs',
        '2',
        '--country',
        'CHN',
        '--dry-run',
      );
      assert.match(dry.stdout, /would make 12 calls .*CTY_CODE=5700/);
      const ok = await cliAsync(
        db,
        env2,
        '--format',
        'json',
        'fetch',
        'census',
        '--years',
        '2024-2024',
        '--hs',
        '2',
        '--country',
        'CHN',
      );
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stderr, /12 calls \(12 downloaded.*\): 33 rows, 1 months without data/);
      const [sum] = JSON.parse(
        cli(
          db,
          '--format',
          'json',
          'query',
          "SELECT sum(value_usd) AS v, count(*) AS n, count(DISTINCT month) AS months FROM flows WHERE dataset_id IN (SELECT dataset_id FROM datasets WHERE source = 'census')",
        ).stdout,
      ) as { v: number; n: number; months: number }[];
      assert.equal(sum.v, served);
      assert.equal(sum.months, 11);
    });
  },
);
