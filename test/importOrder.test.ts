import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findIndicator } from '../src/indicators/registry.js';
import { parseIndicatorParams } from '../src/indicators/paramSchema.js';
import { ensureBuiltins } from '../src/measures/builtins.js';
import { buildReport } from '../src/report/reportModel.js';
import { reportHtml, reportMarkdown } from '../src/report/renderReport.js';
import { formatRows } from '../src/report/tableOutput.js';
import { Store } from '../src/store/store.js';
import { parseIso3 } from '../src/core/index.js';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

type R = Record<string, unknown>;

/** The flow and series files of ../shared/data that answer the trade tables, by importer. */
const FILES: Array<[string, string[]]> = [
  ['dots', ['imf-dots/dots_bilateral_2000_2020_long.csv.gz', 'imf-dots/DOTS_40.xlsx', 'imf-dots/DOTS_208.xlsx']],
  ['bea', ['bea/us_trading_per_country.xlsx']],
  ['comtrade', ['comtrade-us/comtrade_usa_partner_hs_2015_2025.csv.gz']],
  [
    'census',
    [
      'census/census_us_imports_hs2_by_country_monthly_2013-01_2021-06.csv.gz',
      'census-hs10-2024/census_us_imports_hs10_by_country_2024.csv.gz',
      'census-hs10-2024/census_us_imports_hs2_by_country_2024.csv.gz',
    ],
  ],
  // China-reported exports of three HS6 lines to 39 partners: must not displace the US product data.
  ['csv', ['china-exports-critical-minerals-comtrade/deep_dive_hs6_monthly.csv.gz']],
];

/** Options an importer needs besides its files. */
const OPTIONS: Record<string, string[]> = {
  csv: ['--map', join(ROOT, 'docs', 'mappings', 'china-critical-minerals-hs6.yaml')],
};

/** Indicators whose answers must not depend on the order in which the files were imported (library calls). */
const INDICATOR_CALLS: Array<[string, Record<string, string>]> = [
  ['bilateral-share', { reporter: 'USA', partner: 'CHN', flow: 'import' }],
  ['bilateral-share', { reporter: 'USA', partner: 'CHN', flow: 'export' }],
  ['bilateral-share', { reporter: 'CHN', partner: 'USA', flow: 'total' }],
  ['bilateral-share', { reporter: 'USA', partner: 'CHN', flow: 'import', group: 'bec-stage' }],
  ['bilateral-share', { reporter: 'CHN', partner: 'USA', flow: 'export', group: 'manufacturing' }],
  ['bilateral-share', { reporter: 'USA', partner: 'CHN', flow: 'export', channel: 'services' }],
  ['partner-rank', { reporter: 'USA', partner: 'CHN', flow: 'import' }],
  ['partner-hhi', { reporter: 'CHN', flow: 'export' }],
  ['import-dependence', { reporter: 'USA', partner: 'CHN' }],
  ['diversion', { reporter: 'USA', partner: 'CHN', from: '2017', to: '2024' }],
  ['mirror-gap', { reporter: 'CHN', partner: 'USA' }],
  ['decoupling-index', { reporter: 'CHN', partner: 'USA' }],
  ['grubel-lloyd', { reporter: 'USA', partner: 'CHN' }],
  ['trade-intensity', { reporter: 'CHN', partner: 'USA' }],
  ['rca', { reporter: 'CHN' }],
  ['connectors', { reporter: 'USA', partner: 'CHN' }],
];

/** Commands of other families, run as commands (once each per store). */
const COMMANDS: string[][] = [
  ['risk', '--importer', 'USA', '--supplier', 'CHN'],
  ['mirror', '--reporter', 'CHN', '--partner', 'USA'],
  ['sources', '--for', 'USA:CHN:import'],
  ['event-study', '--measure', 'chn-gallium-germanium-controls', '--importer', 'USA'],
];

function buildStore(order: string[]): string {
  const db = join(tempDir(), 'store.duckdb');
  setupFromShared(db);
  for (const importer of order) {
    const files = FILES.find(([name]) => name === importer)![1];
    const r = cli(db, 'import', importer, ...files.map((f) => join(SHARED, f)), ...(OPTIONS[importer] ?? []));
    assert.equal(r.status, 0, r.stderr);
  }
  return db;
}

describe('the same files give the same answers in any order of import', { skip: NEEDS_SHARED }, () => {
  let first: string;
  let second: string;
  before(() => {
    first = buildStore(['dots', 'bea', 'comtrade', 'census', 'csv']);
    second = buildStore(['csv', 'census', 'comtrade', 'bea', 'dots']);
  });

  for (const args of COMMANDS) {
    test(args.join(' '), () => {
      const a = cli(first, '--format', 'json', ...args);
      const b = cli(second, '--format', 'json', ...args);
      assert.equal(a.status, b.status);
      assert.equal(a.stderr, b.stderr, 'the same notes');
      assert.equal(a.stdout, b.stdout);
    });
  }

  test('US imports from China: every basis labelled, and the shares the literature reports', () => {
    const sources = cliJson<R>(first, 'sources', '--for', 'USA:CHN:import', '--years', '2024');
    const value = (valuation: RegExp) =>
      Number(sources.find((r) => valuation.test(String(r.valuation)))?.partner_value_usd) / 1e9;
    assert.ok(Math.abs(value(/general imports/) - 438.9) < 0.05, 'general imports, customs value (Census headline)');
    assert.ok(Math.abs(value(/imports for consumption/) - 429.4) < 0.05, 'imports for consumption');
    const shares = cliJson<R>(
      first,
      'compute',
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--years',
      '2017-2024',
    );
    const share = (y: number) => Number(shares.find((r) => r.year === y)?.share_pct);
    // Alfaro and Chor (2023): 21.6% in 2017, 16.5% in 2022.
    assert.ok(Math.abs(share(2017) - 21.6) < 0.1, `2017: ${share(2017)}`);
    assert.ok(Math.abs(share(2022) - 16.5) < 0.1, `2022: ${share(2022)}`);
    assert.equal(shares.find((r) => r.year === 2021)?.series_break, true, 'Census to BEA is a break');
    // The Census HS10 file: members only, the EU's row standing for the members it lists no further (Slovakia once).
    const ids = cliJson<R>(
      first,
      'query',
      `SELECT dataset_id FROM datasets WHERE file_name = 'census_us_imports_hs10_by_country_2024.csv.gz'`,
    );
    const hs10 = cliJson<R>(
      first,
      'compute',
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--years',
      '2024',
      '--dataset',
      String(ids[0].dataset_id),
    );
    assert.ok(Math.abs(Number(hs10[0].share_pct) - 13.35) < 0.1, `2024 from the HS10 file: ${hs10[0].share_pct}`);
  });

  test('no share from a partial basis: China-side product shares and world measures are not computable on US-reported data', () => {
    const bec = cli(
      first,
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
      '--group',
      'bec-stage',
    );
    assert.equal(bec.status, 0, bec.stderr);
    const rows = JSON.parse(bec.stdout) as R[];
    assert.ok(
      rows.length > 0 && rows.every((r) => r.share_pct === null),
      "no share of China's exports from the US side alone",
    );
    assert.match(bec.stderr, /not computable: .*of CHN's exports to the world \(1 partner\)/);
    const rca = cli(first, '--format', 'json', 'compute', 'rca', '--reporter', 'CHN');
    assert.notEqual(rca.status, 0);
    assert.match(rca.stderr, /not computable: world trade by product is not loaded/);
  });

  // In this process (the library, not the command line): the stores are opened here once, after the commands
  // above, which need them unlocked.
  describe('indicators and the report, called as a library', () => {
    let stores: [Store, Store];
    before(async () => {
      stores = [await Store.open(first), await Store.open(second)];
      for (const store of stores) await ensureBuiltins(store);
    });
    after(() => stores?.forEach((s) => s.close()));

    for (const [id, raw] of INDICATOR_CALLS) {
      test(`${id} ${Object.entries(raw)
        .map(([k, v]) => `--${k} ${v}`)
        .join(' ')}`, async () => {
        const answer = async (store: Store) => {
          try {
            const { rows, notes } = await findIndicator(id).compute(store, parseIndicatorParams(raw));
            return `${formatRows(rows, 'json')}\n${notes.join('\n')}`;
          } catch (err) {
            return `error: ${(err as Error).message}`;
          }
        };
        const [a, b] = [await answer(stores[0]), await answer(stores[1])];
        // Byte for byte: sums over flows are exact (decimals), so no digit depends on the order of the rows.
        assert.equal(a, b);
      });
    }

    test('diversion across two publishers is not computable, and a source missing from a year is not a zero', async () => {
      const { rows, notes } = await findIndicator('diversion').compute(
        stores[0],
        parseIndicatorParams({ reporter: 'USA', partner: 'CHN', from: '2017', to: '2024' }),
      );
      const china = rows.find((r) => r.source === 'CHN')!;
      // 2017 from UN Comtrade (CIF, three partners), 2024 from the Census HS10 file: both values, no change.
      assert.ok(Number(china.value_from_usd) > 5e11 && Number(china.value_to_usd) > 4e11, JSON.stringify(china));
      assert.equal(china.change_usd, null);
      assert.equal(china.gain_where_source_fell_usd, null);
      assert.ok(
        notes.some((n) => /^not computable: the changes from 2017 to 2024, since 2017 comes from comtrade/.test(n)),
      );
      const canada = rows.find((r) => r.source === 'CAN')!;
      assert.equal(canada.value_from_usd, null, 'Canada is not in the 2017 Comtrade file');
      assert.ok(Number(canada.value_to_usd) > 0);
      assert.ok(notes.some((n) => /^not in the 2017 data: imports from CAN, /.test(n)));
      assert.ok(notes.some((n) => /^ASEAN in 2017: 1 of its \d+ members is in the data \(VNM\)/.test(n)));
      // Within one publisher (UN Comtrade, 2015 and 2025) the changes are given.
      const same = await findIndicator('diversion').compute(
        stores[0],
        parseIndicatorParams({ reporter: 'USA', partner: 'CHN', from: '2015', to: '2025' }),
      );
      const c = same.rows.find((r) => r.source === 'CHN')!;
      assert.equal(Number(c.change_usd), Number(c.value_to_usd) - Number(c.value_from_usd));
      assert.ok(!same.notes.some((n) => /changes from 2015 to 2025/.test(n)));
    });

    test('a yearly table drawn from two publishers says which years come from which', async () => {
      const { rows, notes } = await findIndicator('bilateral-share').compute(
        stores[0],
        parseIndicatorParams({ reporter: 'CHN', partner: 'USA', flow: 'export', group: 'manufacturing' }),
      );
      assert.ok(rows.some((r) => r.year === 2024) && rows.some((r) => r.year === 2023));
      assert.ok(
        notes.includes(
          'series break: 2015–2023, 2025 from comtrade; 2024 from census (the datasets column names the files): compare years within one source',
        ),
        notes.join('\n'),
      );
    });

    test('the report (JSON, Markdown, HTML; zh and en) is the same byte for byte', async () => {
      for (const lang of ['zh', 'en'] as const) {
        const files = async (store: Store) => {
          const m = await buildReport(store, {
            reporter: parseIso3('CHN', 'reporter'),
            partner: parseIso3('USA', 'partner'),
            lang,
          });
          return { json: JSON.stringify(m, null, 2), md: reportMarkdown(m), html: await reportHtml(m) };
        };
        const [a, b] = [await files(stores[0]), await files(stores[1])];
        for (const ext of ['json', 'md', 'html'] as const)
          assert.ok(a[ext] === b[ext], `report-CHN-USA-${lang}.${ext} differs between the two import orders`);
      }
    });
  });
});
