import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CallBudget, planComtradeCalls, runComtradeCalls, type ComtradeRequest } from '../src/fetch/comtradeFetch.js';
import { Store } from '../src/store/store.js';
import { cli, cliAsync, listenOnLoopback, NEEDS_SHARED, setupFromShared, tempDir } from './helpers.js';

// A stand-in for the UN Comtrade API v1 on loopback: the same path, parameters and response shape
// ({"count": n, "data": [...]} with the API's camelCase fields), answers cut off at LIMIT records.
const PARTNERS = ['156', '484', '704', '276', '392', '410', '124', '251', '826', '699'];
const PRODUCTS = Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(2, '0'));
const LIMIT = 100;

function record(reporter: string, period: string, flow: string, partner: string, cmd: string): Record<string, unknown> {
  const value =
    (Number(reporter) * 7 + Number(period) * 3 + Number(partner) * 11 + Number(cmd) * 13 + (flow === 'M' ? 5 : 0)) *
    1000;
  return {
    typeCode: 'C',
    freqCode: 'A',
    refPeriodId: Number(`${period}0101`),
    refYear: Number(period),
    period,
    reporterCode: Number(reporter),
    flowCode: flow,
    partnerCode: Number(partner),
    partner2Code: 0,
    classificationCode: 'H5',
    cmdCode: cmd,
    customsCode: 'C00',
    motCode: 0,
    primaryValue: value,
    cifvalue: flow === 'M' ? value : null,
    fobvalue: flow === 'X' ? value : null,
    qty: null,
    netWgt: null,
  };
}

function answer(query: URLSearchParams, limit: number): { count: number; data: unknown[] } {
  const partners = query.get('partnerCode')?.split(',') ?? PARTNERS;
  const data: unknown[] = [];
  for (const period of query.get('period')!.split(','))
    for (const flow of query.get('flowCode')!.split(','))
      for (const p of partners.filter((x) => PARTNERS.includes(x)))
        for (const cmd of PRODUCTS) data.push(record(query.get('reporterCode')!, period, flow, p, cmd));
  const cut = data.slice(0, limit);
  return { count: cut.length, data: cut };
}

describe('Comtrade fetch: record limit, call budget and resume (a local server plays the API)', () => {
  let server: Server;
  let api = '';
  const hits = new Map<string, number>();
  let largest = 0;
  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith('/data/v1/get/C/A/HS')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      hits.set(url.search, (hits.get(url.search) ?? 0) + 1);
      const body = answer(url.searchParams, LIMIT);
      largest = Math.max(largest, body.count);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    api = `${await listenOnLoopback(server)}/data/v1/get/C`;
  });
  after(() => server.close());

  test('an answer that reaches the limit is split by partners until every call stays under it', async () => {
    const request: ComtradeRequest = {
      reporters: ['842'],
      partners: 'all',
      years: [2020, 2020],
      hs: 2,
      flows: ['M'],
      monthly: false,
      maxRows: LIMIT,
      api,
    };
    // An estimate of 10 products per partner (the server has 30) plans calls that come back cut off.
    const calls = planComtradeCalls(request, { reporters: ['842'], partners: PARTNERS, allPartners: true }, 10);
    assert.equal(calls.length, 1, 'ten partners × ten products fit one call by the estimate');
    const result = await runComtradeCalls(calls, request, PARTNERS, new CallBudget(500, tempDir()), {
      cacheDir: tempDir(),
    });
    assert.equal(result.complete, true);
    assert.ok(result.splits > 0);
    assert.equal(result.records, PARTNERS.length * PRODUCTS.length, 'every record arrives exactly once');
  });

  test(
    'decouple fetch comtrade: a budget stop imports nothing; the next run resumes from the cache; the result equals one large response',
    { skip: NEEDS_SHARED },
    async () => {
      const cache = tempDir();
      const db = join(tempDir(), 'store.duckdb');
      setupFromShared(db);
      const env = { ...process.env, DECOUPLE_CACHE: cache, DECOUPLE_COMTRADE_API: api, DECOUPLE_QUIET: '1' };
      // Asynchronous: the server answering the calls lives in this process.
      const run = (...a: string[]) => cliAsync(db, env, ...a);
      const args = [
        'fetch',
        'comtrade',
        '--reporter',
        'USA',
        '--partner',
        'CHN,MEX,VNM,DEU,JPN',
        '--years',
        '2019-2020',
        '--hs',
        '2',
        '--flow',
        'M',
        '--max-rows',
        String(LIMIT),
        '--key',
        'not-a-real-key',
      ];
      const dry = await run(...args, '--dry-run');
      assert.match(dry.stdout, /would make 10 calls/);
      hits.clear();
      const first = await run(...args, '--budget', '4');
      assert.equal(first.status, 1);
      assert.match(first.stderr, /daily budget of 4 calls is used: 6 of 10 calls left .* nothing was imported/);
      assert.doesNotMatch(first.stderr + first.stdout, /not-a-real-key/, 'the key is never printed');
      assert.equal(
        [...hits.values()].reduce((a, b) => a + b, 0),
        4,
      );
      const before = await run('--format', 'json', 'datasets');
      assert.ok(!/comtrade/.test(before.stdout), 'nothing half-imported');
      const second = await run('--format', 'json', ...args, '--budget', '20');
      assert.equal(second.status, 0, second.stderr);
      assert.match(
        second.stderr,
        /10 calls \(6 downloaded, 4 from the cache or mirror, 0 split at the record limit\): 300 records/,
      );
      assert.ok(
        [...hits.values()].every((n) => n === 1),
        'no call was downloaded twice',
      );
      assert.ok(largest <= LIMIT);

      // The same data as one large response, imported into a second store: the flows are identical.
      const whole = answer(
        new URLSearchParams({
          reporterCode: '842',
          period: '2019,2020',
          flowCode: 'M',
          partnerCode: '156,484,704,276,392',
        }),
        10_000,
      );
      const file = join(tempDir(), 'whole.json');
      writeFileSync(file, JSON.stringify(whole));
      const db2 = join(tempDir(), 'store2.duckdb');
      setupFromShared(db2);
      assert.equal(cli(db2, 'import', 'comtrade', file).status, 0);
      const flows = async (path: string) => {
        const s = await Store.open(path, { readOnly: true });
        try {
          return await s.all(
            `SELECT year, exporter, importer, product, value_usd FROM flows WHERE dataset_id IN (SELECT dataset_id FROM datasets WHERE source = 'comtrade') ORDER BY ALL`,
          );
        } finally {
          s.close();
        }
      };
      const [a, b] = await Promise.all([flows(db), flows(db2)]);
      assert.equal(a.length, 300);
      assert.deepEqual(a, b);
    },
  );
});
