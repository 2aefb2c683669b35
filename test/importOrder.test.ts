import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
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

/** Commands whose answers must not depend on the order in which the files were imported. */
const COMMANDS: string[][] = [
  ['compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--flow', 'import'],
  ['compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--flow', 'export'],
  ['compute', 'bilateral-share', '--reporter', 'CHN', '--partner', 'USA', '--flow', 'total'],
  ['compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--flow', 'import', '--group', 'bec-stage'],
  [
    'compute',
    'bilateral-share',
    '--reporter',
    'CHN',
    '--partner',
    'USA',
    '--flow',
    'export',
    '--group',
    'manufacturing',
  ],
  ['compute', 'bilateral-share', '--reporter', 'USA', '--partner', 'CHN', '--flow', 'export', '--channel', 'services'],
  ['compute', 'partner-rank', '--reporter', 'USA', '--partner', 'CHN', '--flow', 'import'],
  ['compute', 'partner-hhi', '--reporter', 'CHN', '--flow', 'export'],
  ['compute', 'import-dependence', '--reporter', 'USA', '--partner', 'CHN'],
  ['compute', 'diversion', '--reporter', 'USA', '--partner', 'CHN', '--from', '2017', '--to', '2024'],
  ['compute', 'mirror-gap', '--reporter', 'CHN', '--partner', 'USA'],
  ['compute', 'decoupling-index', '--reporter', 'CHN', '--partner', 'USA'],
  ['compute', 'grubel-lloyd', '--reporter', 'USA', '--partner', 'CHN'],
  ['compute', 'trade-intensity', '--reporter', 'CHN', '--partner', 'USA'],
  ['compute', 'rca', '--reporter', 'CHN'],
  ['compute', 'connectors', '--reporter', 'USA', '--partner', 'CHN'],
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
      // Byte for byte: sums over flows are exact (decimals), so no digit depends on the order of the rows.
      assert.equal(a.stdout, b.stdout);
    });
  }

  test('the report (JSON, Markdown, HTML; zh and en) is the same byte for byte', () => {
    const out = (db: string) => {
      const dir = tempDir();
      for (const lang of ['zh', 'en'])
        assert.equal(cli(db, 'report', '--lang', lang, '--out', dir, '--formats', 'json,md,html').status, 0);
      return dir;
    };
    const [a, b] = [out(first), out(second)];
    for (const lang of ['zh', 'en']) {
      for (const ext of ['json', 'md', 'html']) {
        const name = `report-CHN-USA-${lang}.${ext}`;
        assert.ok(
          readFileSync(join(a, name)).equals(readFileSync(join(b, name))),
          `${name} differs between the two import orders`,
        );
      }
    }
  });

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
});
