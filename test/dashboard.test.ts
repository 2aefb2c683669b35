import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Store } from '../src/store/store.js';
import { ensureBuiltins } from '../src/measures/builtins.js';
import { dashboardServer } from '../src/serve/dashboardServer.js';
import { INDICATORS, findIndicator } from '../src/indicators/registry.js';
import { parseIndicatorParams } from '../src/indicators/paramSchema.js';
import { cli, cliAsync, HAS_SHARED, listenOnLoopback, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const NEEDS_CHROMIUM = existsSync(CHROMIUM)
  ? false
  : 'needs Debian chromium at /usr/bin/chromium (.ci/run installs it)';

describe('dashboard and API', () => {
  const db = join(tempDir(), 'store.duckdb');
  let store: Store;
  let server: Server;
  let base = '';
  let tokenServer: Server;
  let tokenBase = '';

  before(async () => {
    // The embedded data, plus China's DOTS workbook when ../shared is there (computed tables).
    if (HAS_SHARED) {
      setupFromShared(db);
      assert.equal(cli(db, 'import', 'dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx')).status, 0);
    }
    store = await Store.open(db);
    await ensureBuiltins(store);
    server = dashboardServer(store);
    base = await listenOnLoopback(server);
    tokenServer = dashboardServer(store, { token: 's3cret' });
    tokenBase = await listenOnLoopback(tokenServer);
  });

  after(() => {
    server?.close();
    tokenServer?.close();
    store?.close();
  });

  test('the API answers from the registry and refuses what it does not know, with 4xx and a message', async () => {
    const list = (await (await fetch(`${base}/api/indicators`)).json()) as { id: string }[];
    assert.deepEqual(
      list.map((i) => i.id),
      INDICATORS.map((i) => i.id),
    );
    const unknown = await fetch(
      `${base}/api/compute/bilateral-share?reporter=CHN&partner=USA&sql=DROP%20TABLE%20flows`,
    );
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: string }).error, /unknown parameter 'sql'/);
    const badIso = await fetch(`${base}/api/compute/bilateral-share?reporter=CH'N&partner=USA`);
    assert.equal(badIso.status, 400);
    assert.match(((await badIso.json()) as { error: string }).error, /alpha-3/);
    assert.equal((await fetch(`${base}/api/compute/nope`)).status, 404);
    assert.equal((await fetch(`${base}/api/indicators`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${base}/api/compute/bilateral-share?flow=sideways`)).status, 400);
    assert.equal((await fetch(`${base}/api/compute/bilateral-share?${'x'.repeat(5000)}=1`)).status, 414);
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(
      doc.paths['/api/compute/{id}'].get.parameters[0].schema.enum,
      INDICATORS.map((i) => i.id),
    );
  });

  test('a token is required when set (in the Authorization header only), and measures export as CSV and Excel', async () => {
    assert.equal((await fetch(`${tokenBase}/api/datasets`)).status, 401);
    assert.equal(
      (await fetch(`${tokenBase}/api/datasets`, { headers: { authorization: 'Bearer s3cret' } })).status,
      200,
    );
    assert.equal(
      (await fetch(`${tokenBase}/api/datasets?token=s3cret`)).status,
      401,
      'the token is accepted in the Authorization header only',
    );
    const csv = await fetch(`${base}/api/measures?lang=zh&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="measures.csv"/);
    const text = await csv.text();
    assert.ok(text.split('\n').length > 100, 'the shipped registry has over 100 measures');
    for (const line of text.split('\n').slice(1))
      assert.ok(!/(^|,)[=+@]/.test(line), `no cell starts a formula: ${line.slice(0, 80)}`);
    const xlsx = await fetch(`${base}/api/measures?format=xlsx`);
    assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
      'PK',
    );
  });

  test('the overview: a card per headline finding, its latest value a cell of the report table, its series unbroken', async () => {
    const [o, r] = await Promise.all(
      ['/api/overview?lang=en', '/api/report?lang=en'].map(async (p) => {
        const res = await fetch(`${base}${p}`);
        assert.equal(res.status, 200, p);
        return res.json();
      }),
    );
    const summary = r.sections.find((s: { id: string }) => s.id === 'summary');
    assert.equal(o.cards.length, summary.findings.length);
    const tables = new Map(
      r.sections.flatMap((s: { tables: Array<{ id: string }> }) => s.tables).map((t: { id: string }) => [t.id, t]),
    );
    let withSeries = 0;
    for (const c of o.cards) {
      const t = tables.get(c.table) as { rows: Array<Record<string, unknown>> } | undefined;
      assert.ok(t, `card ${c.table} rests on a report table`);
      if (!c.points.length) continue;
      withSeries++;
      const last = c.points[c.points.length - 1];
      const period = (row: Record<string, unknown>) => String(row.year ?? row.academic_year ?? row.date);
      const row = t.rows.find((x) => period(x) === last.period);
      assert.ok(row, `${c.table}: the latest period ${last.period} is a row of the table`);
      assert.ok(Object.values(row).includes(last.value), `${c.table}: ${last.value} is a cell of that row`);
      // One series: the points never cross a series break after the first.
      const breaks = c.points
        .slice(1)
        .filter((p: { period: string }) => t.rows.find((x) => period(x) === p.period)?.series_break === true);
      assert.deepEqual(breaks, [], `${c.table}: no series break inside the sparkline`);
    }
    assert.ok(withSeries >= 1, 'at least one card draws a series');
  });

  test(
    'requests are computed side by side on sessions of their own: concurrent answers equal one-at-a-time answers',
    { skip: HAS_SHARED ? false : 'needs ../shared/data' },
    async () => {
      const paths = [
        ...[2000, 2004, 2008, 2012].map((y) => `/api/compute/bilateral-share?reporter=CHN&partner=USA&years=${y}-2020`),
        ...[1995, 2005, 2015].map((y) => `/api/compute/partner-hhi?reporter=CHN&years=${y}-2020`),
        '/api/compute/partner-rank?reporter=CHN&years=2010-2020',
        '/api/report?lang=en',
      ];
      const pooled = dashboardServer(store, { sessions: 3 });
      const single = dashboardServer(store, { sessions: 1 });
      try {
        const [pooledBase, singleBase] = [await listenOnLoopback(pooled), await listenOnLoopback(single)];
        const oneAtATime: string[] = [];
        for (const p of paths) oneAtATime.push(await (await fetch(`${singleBase}${p}`)).text());
        // Twice over, in parallel, so that flow bases of different requests are built at the same time.
        const together = await Promise.all(
          [...paths, ...paths].map(async (p) => {
            const res = await fetch(`${pooledBase}${p}`);
            assert.equal(res.status, 200, p);
            return res.text();
          }),
        );
        for (const [i, p] of paths.entries()) {
          assert.equal(together[i], oneAtATime[i], `${p}: the concurrent answer differs from the one-at-a-time answer`);
          assert.equal(together[i + paths.length], oneAtATime[i], `${p} (second copy)`);
        }
      } finally {
        pooled.close();
        single.close();
      }
    },
  );

  test(
    'a server that opens the store itself releases it when idle: an import runs between requests, and the answers follow it',
    { skip: HAS_SHARED ? false : 'needs ../shared/data' },
    async () => {
      const own = join(tempDir(), 'served.duckdb');
      assert.equal(cli(own, 'setup', '--from', SHARED, '--pack', 'countries').status, 0);
      const served = dashboardServer({ open: () => Store.open(own, { readOnly: true }), releaseAfterMs: 150 });
      try {
        const at = await listenOnLoopback(served);
        const count = async () =>
          ((await (await fetch(`${at}/api/datasets`)).json()) as { rows: unknown[] }).rows.length;
        const before = await count();
        await new Promise((r) => setTimeout(r, 400));
        // Run without blocking this process: a blocked server would let its keep-alive sockets expire under the client.
        const imported = await cliAsync(own, {}, 'import', 'dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx'));
        assert.equal(imported.status, 0, imported.stderr);
        assert.equal(await count(), before + 1, 'the cached answer from before the import is not served');
      } finally {
        served.close();
      }
    },
  );

  test(
    'computed indicators equal the library computation (the one decouple compute runs), and repeat identically from the cache',
    { skip: HAS_SHARED ? false : 'needs ../shared/data' },
    async () => {
      const url = `${base}/api/compute/bilateral-share?reporter=CHN&partner=USA&years=2012-2020`;
      const a = (await (await fetch(url)).json()) as { rows: { year: number; share_pct: number }[] };
      // The same computation as `decouple compute` (the store is open here, so through the library).
      const direct = await findIndicator('bilateral-share').compute(
        store,
        parseIndicatorParams({ reporter: 'CHN', partner: 'USA', years: '2012-2020' }),
      );
      assert.equal(a.rows.length, 9);
      assert.deepEqual(
        a.rows.map((r) => [r.year, r.share_pct]),
        direct.rows.map((r) => [r.year, r.share_pct]),
      );
      const b = await (await fetch(url)).json();
      assert.deepEqual(b, a);
    },
  );

  test('decouple serve prints its address, answers and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'decouple.js'), '--db', join(tempDir(), 's.duckdb'), 'serve', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Dashboard: (http:\/\/\S+?)\//.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const page = await fetch(`${address}/`);
    assert.match(await page.text(), /脱钩与去风险监测/);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  });

  test(
    'in Chromium: the dashboard loads without console errors, switches language, recomputes on a new selection, downloads a table and renders',
    { skip: NEEDS_CHROMIUM },
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        const ready = (p: string) =>
          page.waitForSelector(`main[data-ready="true"][data-page="${p}"]`, { timeout: 60_000 });
        await page.goto(`${base}/`);
        await ready('overview');
        assert.match(await page.title(), /脱钩与去风险监测/);
        assert.ok((await page.locator('.card h3').count()) >= 3, 'the overview shows a card per headline finding');
        await page.goto(`${base}/#/report`);
        await ready('report');
        assert.ok((await page.locator('section h2').count()) >= 3, 'the report sections are shown');
        await page.click('#lang');
        await ready('report');
        assert.match(await page.title(), /Decoupling Monitor/);
        assert.match(await page.locator('nav').innerText(), /Indicators/);

        await page.goto(`${base}/#/indicators`);
        await ready('indicators');
        await page.waitForSelector('#result[data-indicator="bilateral-share"]');
        if (HAS_SHARED) {
          // Partner concentration needs trade by partner (DOTS here); on the embedded data alone it has none.
          await page.selectOption('select[name=indicator]', 'partner-hhi');
          await page.waitForSelector('#result[data-indicator="partner-hhi"]');
          assert.match(
            await page.locator('#result').innerText(),
            /hhi/,
            'the partner concentration table replaced the share table',
          );
          await page.selectOption('select[name=indicator]', 'bilateral-share');
          await page.waitForSelector('#result[data-indicator="bilateral-share"] #download-csv');
          const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
          const file = await download.path();
          const csv = readFileSync(file, 'utf-8');
          assert.match(csv, /year,reporter,partner,flow/);
          assert.ok((await page.locator('#result svg').count()) >= 1, 'the chart is drawn');
        }
        const shot = await page.screenshot();
        // Not blank: decode the screenshot in the page and count distinct colours.
        const colours = (await page.evaluate(`(async () => {
        const img = new Image();
        img.src = 'data:image/png;base64,${shot.toString('base64')}';
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(0, 0, img.width, img.height).data;
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      })()`)) as number;
        assert.ok(colours > 20, `the screenshot has ${colours} colours`);
        await page.goto(`${base}/#/measures`);
        await ready('measures');
        // Paged: 50 rows at a time, the count of all rows said, the next page a click away.
        assert.equal(await page.locator('table tbody tr').count(), 50);
        const status = (await page.locator('.page-status').first().textContent()) ?? '';
        const total = Number(/of (\d+)|共(\d+)行/.exec(status)?.slice(1).find(Boolean));
        assert.ok(total > 100, status);
        await page.locator('.pager button').nth(1).click();
        assert.match((await page.locator('.page-status').first().textContent()) ?? '', /51–100/);
        assert.deepEqual(errors, [], `console errors: ${errors.join('; ')}`);
      } finally {
        await browser.close();
      }
    },
  );

  test(
    "in Chromium: the README's report (HTML, Chinese) opens with its charts and tables and no console errors",
    { skip: NEEDS_CHROMIUM },
    async () => {
      const out = tempDir();
      const fresh = join(tempDir(), 'fresh.duckdb');
      const r = cli(fresh, 'report', '--lang', 'zh', '--out', out, '--formats', 'html');
      assert.equal(r.status, 0, r.stderr);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`file://${join(out, 'report-CHN-USA-zh.html')}`);
        assert.match(await page.title(), /[\u4e00-\u9fff]/, 'a Chinese title');
        assert.ok((await page.locator('svg').count()) >= 1, 'charts are inline SVG');
        assert.ok((await page.locator('table').count()) >= 3, 'tables are shown');
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    },
  );
});
