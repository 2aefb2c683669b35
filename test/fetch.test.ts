import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { download, mirrorPath, retryAfterMs } from '../src/files/download.js';
import { federalRegisterUrl } from '../src/fetch/sources.js';
import { cli, cliJson, listenOnLoopback, NEEDS_SHARED, ROOT, setupFromShared, tempDir } from './helpers.js';

const BODY = Buffer.from('x'.repeat(10_000) + 'END\n');

describe('downloads survive real networks (a local server plays the network)', () => {
  let server: Server;
  let base = '';
  const hits: Record<string, number> = {};
  const script: Record<string, Array<(res: import('node:http').ServerResponse, range?: string) => void>> = {};
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits[path] = (hits[path] ?? 0) + 1;
      const steps = script[path] ?? [];
      const step = steps.length > 1 ? steps.shift()! : steps[0];
      if (!step) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      step(res, req.headers.range);
    });
    base = await listenOnLoopback(server);
  });
  after(() => server.close());

  const ok = (res: import('node:http').ServerResponse, range?: string) => {
    const start = range ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    res.statusCode = range ? 206 : 200;
    res.setHeader('content-length', String(BODY.length - start));
    res.setHeader('last-modified', 'Mon, 01 Jan 2024 00:00:00 GMT');
    res.end(BODY.subarray(start));
  };

  test('503 and 429 (with Retry-After) are retried; the copy is then served from the cache', async () => {
    const cacheDir = tempDir();
    script['/flaky.csv'] = [
      (res) => {
        res.statusCode = 503;
        res.end();
      },
      (res) => {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end();
      },
      ok,
    ];
    const got = await download(`${base}/flaky.csv`, { cacheDir, backoffMs: 1 });
    assert.equal(got.from, 'network');
    assert.equal(hits['/flaky.csv'], 3);
    assert.deepEqual(readFileSync(got.path), BODY);
    assert.equal(got.sha256, createHash('sha256').update(BODY).digest('hex'));
    assert.equal(got.lastModified, 'Mon, 01 Jan 2024 00:00:00 GMT');
    const again = await download(`${base}/flaky.csv`, { cacheDir, backoffMs: 1 });
    assert.equal(again.from, 'cache');
    assert.equal(hits['/flaky.csv'], 3);
  });

  test('a half-finished download resumes with an HTTP range', async () => {
    const cacheDir = tempDir();
    const url = `${base}/big.csv`;
    const dir = join(cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 16));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'big.csv.part'), BODY.subarray(0, 4000));
    let asked = '';
    script['/big.csv'] = [
      (res, range) => {
        asked = range ?? '';
        ok(res, range);
      },
    ];
    const got = await download(url, { cacheDir, backoffMs: 1 });
    assert.equal(asked, 'bytes=4000-');
    assert.deepEqual(readFileSync(got.path), BODY);
  });

  test('a missing file fails at once, naming the URL; a server that keeps failing is given up with advice', async () => {
    await assert.rejects(
      download(`${base}/nothing.csv`, { cacheDir: tempDir(), backoffMs: 1 }),
      /nothing\.csv: HTTP 404/,
    );
    assert.equal(hits['/nothing.csv'], 1);
    script['/down.csv'] = [
      (res) => {
        res.statusCode = 502;
        res.end();
      },
    ];
    await assert.rejects(
      download(`${base}/down.csv`, { cacheDir: tempDir(), backoffMs: 1, retries: 2 }),
      /gave up after 3 tries \(HTTP 502\); run the command again to resume/,
    );
  });

  test('Retry-After in seconds or as a date', () => {
    assert.equal(retryAfterMs('7'), 7000);
    assert.equal(retryAfterMs('Mon, 01 Jan 2024 00:00:10 GMT', Date.parse('Mon, 01 Jan 2024 00:00:00 GMT')), 10_000);
    assert.equal(retryAfterMs(null), undefined);
  });
});

describe('fetch from a local mirror', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const mirror = join(dir, 'mirror');
  before(() => {
    setupFromShared(db);
  });

  test('fetch screening-list and federal-register read the mirror and import', () => {
    const csl = mirrorPath(
      mirror,
      'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv',
    );
    mkdirSync(dirname(csl), { recursive: true });
    copyFileSync(join(ROOT, 'test', 'fixtures', 'screening', 'csl_2023-01-01.csv'), csl);
    let r = cli(db, 'fetch', 'screening-list', '--mirror', mirror, '--snapshot', '2023-01-01');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(cliJson(db, 'screening', '--country', 'CHN', '--list', 'EL')[0].entries, 2);

    const page1 = federalRegisterUrl('entity list', '2022-01-01', undefined, 1);
    const page2 = federalRegisterUrl('entity list', '2022-01-01', undefined, 2);
    const fixture = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'screening', 'federal-register-entity-list.json'), 'utf-8'),
    );
    for (const [url, results, next] of [
      [page1, fixture.results.slice(0, 2), page2],
      [page2, fixture.results.slice(2), null],
    ] as const) {
      const p = mirrorPath(mirror, url);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, JSON.stringify({ count: 3, results, next_page_url: next }));
    }
    r = cli(db, 'fetch', 'federal-register', '--term', 'entity list', '--from', '2022-01-01', '--mirror', mirror);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /page 2: \d+ bytes from the mirror/);
    assert.equal(cliJson(db, 'query', 'SELECT count(*) AS n FROM fr_documents')[0].n, 3);
    r = cli(db, 'fetch', 'federal-register', '--term', 'tariff', '--from', '2022-01-01', '--mirror', mirror);
    assert.match(r.stderr, /is not in the mirror: expected .*documents\.json__/);
  });
});
