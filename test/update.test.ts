import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { cli, cliAsync, listenOnLoopback, tempDir } from './helpers.js';

type R = Record<string, unknown>;

// Stand-in servers for the IMF portal (SDMX-CSV) and the Federal Register API, whose answers change between runs.
const HEAD =
  'STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE,UNIT_MULT';
const row = (t: string, v: string, partner = 'USA') =>
  `dataflow,IMF.STA:IMTS(1.0.0),I,CHN,XG_FOB_USD,${partner},A,${t},${v},6`;
// China's exports to the world (G001), the same in every round.
const WORLD = [row('2022', '3500000', 'G001'), row('2023', '3400000', 'G001')];
const doc = (n: string, date: string, title: string) => ({
  document_number: n,
  publication_date: date,
  type: 'Rule',
  title,
  abstract: `${title}.`,
  html_url: `https://www.federalregister.gov/documents/${n}`,
  agencies: [{ name: 'Industry and Security Bureau' }],
});

describe('decouple update and decouple changes: what is new since the last run', () => {
  let server: Server;
  let base = '';
  let round = 1;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/imf/')) {
        res.setHeader('content-type', 'application/vnd.sdmx.data+csv');
        // Round 2 revises 2023 and adds 2024; round 3 answers as round 2.
        const rows =
          round === 1
            ? [...WORLD, row('2022', '500000'), row('2023', '480000')]
            : [
                ...WORLD,
                row('2024', '3500000', 'G001'),
                row('2022', '500000'),
                row('2023', '490000.5'),
                row('2024', '520000'),
              ];
        res.end([HEAD, ...rows].join('\n'));
        return;
      }
      if (req.url?.startsWith('/fr') && round === 4) {
        res.statusCode = 404;
        res.end('gone');
        return;
      }
      if (req.url?.startsWith('/fr')) {
        const results = [doc('2099-00001', '2099-01-02', 'Additions to the Entity List')];
        if (round > 1) results.push(doc('2099-00002', '2099-02-03', 'Revisions to the Entity List'));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ count: results.length, total_pages: 1, results }));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    base = await listenOnLoopback(server);
  });
  after(() => server.close());

  test('two updates against changing answers: a revision and a new document, then nothing new', async () => {
    const db = join(tempDir(), 'store.duckdb');
    const env = {
      ...process.env,
      DECOUPLE_IMF_API: `${base}/imf`,
      DECOUPLE_FEDERAL_REGISTER_API: `${base}/fr`,
      DECOUPLE_CACHE: tempDir(),
    };
    const run = async (...args: string[]) => {
      const r = await cliAsync(db, env, ...args);
      assert.equal(r.status, 0, r.stderr);
      return r;
    };
    await run('fetch', 'dots', '--reporter', 'CHN', '--partner', 'USA');
    await run('fetch', 'federal-register', '--term', 'entity list', '--from', '2099-01-01');
    const planned = JSON.parse((await run('--format', 'json', 'update', '--dry-run')).stdout) as R[];
    assert.deepEqual(
      planned.map((p) => p.fetch),
      [
        'decouple fetch dots --reporter CHN --partner USA',
        'decouple fetch federal-register --term entity list --from 2099-01-01',
      ],
    );

    round = 2;
    const first = JSON.parse((await run('--format', 'json', 'update')).stdout) as R[];
    const rev = first.find((c) => c.command === 'dots')!;
    assert.equal(rev.change, 'revision');
    assert.deepEqual([rev.compared, rev.moved, rev.added, rev.dropped], [4, 1, 2, 0]);
    assert.equal(rev.max_abs_change, 10000.5e6);
    assert.match(String(rev.largest), /^2023 CHN→USA TOTAL: 480000000000(\.0)? → 490000500000(\.0)?$/);
    const docs = first.find((c) => c.command === 'federal-register')!;
    assert.equal(docs.change, 'new documents');
    assert.equal(docs.added, 1);
    // The revised dataset replaced the old one: one DOTS dataset, with the new values.
    const flows = JSON.parse(
      cli(
        db,
        '--format',
        'json',
        'query',
        `SELECT year, CAST(value_usd AS DOUBLE) AS v FROM flows WHERE importer = 'USA' ORDER BY year`,
      ).stdout,
    ) as R[];
    assert.deepEqual(flows, [
      { year: 2022, v: 500000e6 },
      { year: 2023, v: 490000.5e6 },
      { year: 2024, v: 520000e6 },
    ]);

    // Changes, with the new document drafted as a registry entry that `measures check` accepts.
    const drafts = join(tempDir(), 'drafts.yaml');
    const ch = await run('--format', 'json', 'changes', '--drafts', drafts);
    assert.match(ch.stderr, /new Federal Register document 2099-00002 \(2099-02-03\): Revisions to the Entity List/);
    const draft = parse(readFileSync(drafts, 'utf-8')) as { measures: R[] };
    assert.deepEqual(
      draft.measures.map((m) => [m.id, m.announced, m.instrument]),
      [['draft-fr-2099-00002', '2099-02-03', 'entity-listing']],
    );
    const check = cli(db, 'measures', 'check', drafts);
    assert.equal(check.status, 0, check.stderr);

    // A threshold the user set: the US share of China's exports above 14.5%, crossed in 2024 (14.41% in 2023).
    const watch = join(tempDir(), 'watch.yaml');
    writeFileSync(
      watch,
      'watch:\n  - name: US share of exports\n    indicator: bilateral-share\n    params: {reporter: CHN, partner: USA, flow: export}\n    above: 14.5\n',
    );
    const w = await run('--format', 'json', 'changes', '--watch', watch);
    const item = (JSON.parse(w.stdout) as { watch: R[] }).watch[0];
    assert.deepEqual([item.period, item.previous_period, item.status], ['2024', '2023', 'crossed']);
    assert.ok(Math.abs(Number(item.value) - (100 * 520000) / 3500000) < 1e-9);
    assert.ok(Math.abs(Number(item.previous_value) - (100 * 490000.5) / 3400000) < 1e-9);
    assert.match(w.stderr, /US share of exports: share_pct 14\.857\d* in 2024 is above 14\.5/);

    // A second update with the same answers adds nothing.
    round = 3;
    const second = JSON.parse((await run('--format', 'json', 'update')).stdout) as R[];
    assert.deepEqual(
      second.map((c) => c.change),
      ['unchanged', 'unchanged'],
    );
    const count = JSON.parse(
      cli(db, '--format', 'json', 'query', `SELECT count(*) AS n FROM datasets WHERE source = 'dots'`).stdout,
    ) as R[];
    assert.equal(count[0].n, 1);

    // One source failing stops nothing else: recorded as failed with the reason, exit 1, the store as it was.
    round = 4;
    const failing = await cliAsync(db, env, '--format', 'json', 'update');
    assert.equal(failing.status, 1);
    const third = JSON.parse(failing.stdout) as R[];
    assert.deepEqual(
      third.map((c) => [c.command, c.change]),
      [
        ['dots', 'unchanged'],
        ['federal-register', 'failed'],
      ],
    );
    assert.match(String(third[1].note), /404/);
    assert.match(failing.stderr, /1 of 2 fetches failed; the others were applied/);
    const docs2 = JSON.parse(
      cli(db, '--format', 'json', 'query', `SELECT count(*) AS n FROM fr_documents`).stdout,
    ) as R[];
    assert.equal(docs2[0].n, 2);
  });

  test('with nothing fetched, update and changes say what to do and exit 1', () => {
    const db = join(tempDir(), 'store.duckdb');
    const u = cli(db, 'update');
    assert.equal(u.status, 1);
    assert.match(u.stderr, /no fetch is recorded in this store/);
    const c = cli(db, 'changes');
    assert.equal(c.status, 1);
    assert.match(c.stderr, /no update has run in this store/);
  });
});
