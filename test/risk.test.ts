import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

const BACI = join(ROOT, 'test', 'fixtures', 'baci');

function riskRows(db: string, ...args: string[]): { rows: Array<Record<string, unknown>>; stderr: string } {
  const r = cli(db, '--format', 'json', 'risk', ...args);
  if (r.status !== 0) throw new Error(r.stderr);
  return { rows: JSON.parse(r.stdout), stderr: r.stderr };
}

/** Full precision: the outputs carry the computed value, compared with the hand computation. */
const close = (actual: unknown, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(Number(actual) - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

describe('risk list on a BACI-format fixture (hand computations)', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const config = join(dir, 'risk.yaml');
  const write = (years: number, wShare: number, wHhi: number) =>
    writeFileSync(
      config,
      `version: 1
weights: {supplier_share: ${wShare}, supplier_value: 0, import_hhi: ${wHhi}, world_export_hhi: 0, allied_share: 0, low_substitutability: 0, import_export_ratio: 0}
thresholds: {critical: 0.55, high: 0.45, watch: 0.3}
dependence_test: {hhi: 0.4, years_needed: ${years}}
meaningful_exporter_pct: 1
min_supplier_imports_usd: 0
`,
    );
  before(() => {
    setupFromShared(db); // country codes for BACI's numeric codes
    const r = cli(
      db,
      'import',
      'baci',
      join(BACI, 'BACI_HS17_Y2017_V000001.csv'),
      join(BACI, 'BACI_HS17_Y2022_V000001.csv'),
    );
    assert.equal(r.status, 0, r.stderr);
  });

  test('shares, HHIs, world concentration, allied shares, the dependence test, scores and ranks', () => {
    write(2, 0.5, 0.5);
    const { rows, stderr } = riskRows(
      db,
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2022',
      '--allies',
      'VNM',
      '--config',
      config,
    );
    assert.deepEqual(
      rows.map((r) => r.hs6),
      ['851712', '854231', '940161'],
    );
    const phones = rows[0];
    // US imports of 851712 in 2022: CHN 80, VNM 40, MEX 5 (thousand US$).
    assert.equal(phones.supplier_share_pct, 64);
    assert.equal(phones.supplier_imports_usd, 80000);
    close(phones.import_hhi, 0.64 ** 2 + 0.32 ** 2 + 0.04 ** 2);
    assert.equal(phones.allied_share_pct, 96); // (80 + 40) / 125
    // World exports: CHN 130 (to USA 80, DEU 50), VNM 40, MEX 5.
    close(phones.world_export_hhi, (130 ** 2 + 40 ** 2 + 5 ** 2) / 175 ** 2);
    close(phones.supplier_world_export_share_pct, (100 * 130) / 175);
    close(phones.outside_world_export_share_pct, (100 * 5) / 175); // MEX 5 / 175
    assert.equal(phones.outside_exporters, 1);
    close(phones.score, 0.5 * 0.64 + 0.5 * (0.64 ** 2 + 0.32 ** 2 + 0.04 ** 2));
    assert.equal(phones.category, 'critical');
    assert.equal(phones.dependence_test, 'not dependent'); // passes in 2022 only: 1 of the 2 years needed
    const chips = rows[1];
    close(chips.score, 0.5 * 0.4 + 0.5 * (0.4 ** 2 + 0.6 ** 2));
    assert.equal(chips.own_exports_usd, 60000); // USA → CHN 40 + MEX 20
    close(chips.import_export_ratio, 25 / 60);
    // CHN 20, VNM 15, MEX 20 of 55.
    close(rows[2].score, 0.5 * (20 / 55) + 0.5 * ((20 ** 2 + 15 ** 2 + 20 ** 2) / 55 ** 2));
    assert.match(stderr, /settings: year 2022; allies: VNM; weights used: supplier_share 0\.5, import_hhi 0\.5/);
    assert.match(
      String(phones.why),
      /CHN supplies 64% of USA's imports \(US\$0\.1 m\); sources are highly concentrated \(HHI 0\.51\)/,
    );
  });

  test('thresholds and weights from the config change the list', () => {
    write(1, 1, 0);
    const { rows } = riskRows(db, '--importer', 'USA', '--supplier', 'CHN', '--year', '2022', '--config', config);
    assert.deepEqual(
      rows.map((r) => [r.hs6, r.category]),
      [
        ['851712', 'critical'],
        ['854231', 'watch'],
        ['940161', 'watch'],
      ],
    );
    rows.forEach((r, i) => close(r.score, [0.64, 0.4, 20 / 55][i]));
    assert.equal(rows[0].dependence_test, 'dependent'); // one year is now enough
    assert.equal(rows[1].dependence_test, 'not dependent'); // the US exports more 854231 than it imports
    writeFileSync(
      config,
      'version: 1\nweights: {supplier_share: 0, supplier_value: 0, import_hhi: 0, world_export_hhi: 0, allied_share: 0, low_substitutability: 0, import_export_ratio: 0}\n',
    );
    const bad = cli(db, 'risk', '--importer', 'USA', '--supplier', 'CHN', '--config', config);
    assert.match(bad.stderr, /risk\.yaml, line 2: entry weights: at least one weight must be above zero/);
  });

  test("tariff exposure by hand: groups from the partner's tariffs, other sources in the same groups, index and shares", () => {
    const lists = join(dir, 'lists.csv');
    writeFileSync(lists, 'hts8,tranche\n85423100,16b\n94016100,200b\n');
    assert.equal(cli(db, 'import', 'tariffs', lists).status, 0);
    const own = cli(
      db,
      '--format',
      'json',
      'compute',
      'tariff-exposure',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--years',
      '2022',
      '--on',
      '2020-01-01',
    );
    const rows = JSON.parse(own.stdout) as Array<Record<string, unknown>>;
    // 2022: CHN 854231 10 + 940161 20 at 25% (of all sources: 25 + 55); 851712 80 untariffed (of 125).
    assert.deepEqual(
      rows.map((r) => [r.group, r.partner_imports_usd]),
      [
        ['25%', 30000],
        ['none', 80000],
      ],
    );
    [
      [(100 * 30) / 110, 37.5],
      [(100 * 80) / 110, 64],
    ].forEach(([share, partner], i) => {
      close(rows[i].share_of_partner_imports_pct, share);
      close(rows[i].partner_share_pct, partner);
    });
    const cmp = JSON.parse(
      cli(
        db,
        '--format',
        'json',
        'compute',
        'tariff-exposure',
        '--reporter',
        'USA',
        '--partner',
        'CHN',
        '--sources',
        'VNM,MEX',
        '--on',
        '2020-01-01',
      ).stdout,
    ) as Array<Record<string, unknown>>;
    const at = (y: number, g: string, e: string) => cmp.find((r) => r.year === y && r.group === g && r.partner === e)!;
    // 25% group: 2017 CHN 50, VNM 5, MEX 10 → 2022 CHN 30, VNM 15, MEX 20.
    assert.equal(at(2022, '25%', 'CHN').index_first_year, 60);
    assert.equal(at(2022, '25%', 'VNM').index_first_year, 300);
    close(at(2022, '25%', 'MEX').share_among_sources_pct, (100 * 20) / 65);
    assert.equal(at(2022, 'none', 'VNM').index_first_year, 400);
    close(at(2017, 'none', 'CHN').share_among_sources_pct, (100 * 100) / 115);
  });

  test('Chinese explanations', () => {
    write(2, 0.5, 0.5);
    const { rows } = riskRows(
      db,
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2022',
      '--config',
      config,
      '--lang',
      'zh',
      '--top',
      '1',
    );
    assert.match(String(rows[0].why), /^CHN占USA该产品进口的64%/);
  });
});

describe('risk list on real data', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    setupFromShared(db);
    for (const args of [
      ['census', join(SHARED, 'census-hs10-2024', 'census_us_imports_hs10_by_country_2024.csv.gz')],
      // BEA reports the US world total that checks the HS10 file's partner sum (97.3% of it).
      ['bea', join(SHARED, 'bea', 'us_trading_per_country.xlsx')],
      ['tariffs', join(SHARED, 'tariffs', 'section301_hts8_lists.csv')],
      ['comtrade', join(SHARED, 'comtrade-us', 'comtrade_usa_partner_hs_2015_2025.csv.gz')],
    ]) {
      const r = cli(db, 'import', ...args);
      assert.equal(r.status, 0, r.stderr);
    }
  });

  test('US dependence on China in 2024 (Census HS10): shares, HHI, duties, tariffs; world columns marked not computable', () => {
    const { rows, stderr } = riskRows(
      db,
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2024',
      '--top',
      '300',
      '--allies',
      'HKG',
    );
    const byCode = new Map(rows.map((r) => [r.hs6, r]));
    for (const code of ['950450', '950300', '851713', '850760', '847130'])
      assert.ok(byCode.has(code), `${code} in the top 300`);
    const phones = byCode.get('851713')!;
    assert.ok(Number(phones.supplier_share_pct) > 50 && Number(phones.import_hhi) > 0.4);
    assert.equal(phones.world_export_hhi, null);
    assert.equal(phones.dependence_test, 'not computable');
    assert.ok(rows.some((r) => Number(r.tariff_pct) === 25) && rows.some((r) => Number(r.duty_paid_pct) > 0));
    assert.match(stderr, /world exports cannot be computed from this data/);
    assert.match(stderr, /the EU is one source/);
    const inter = riskRows(
      db,
      '--importer',
      'USA',
      '--supplier',
      'CHN',
      '--year',
      '2024',
      '--top',
      '20',
      '--group',
      'bec-stage:intermediate',
    );
    assert.equal(inter.rows.length, 20);
    assert.ok(inter.rows.filter((r) => r.stage === 'intermediate').length >= 15);
    assert.match(inter.stderr, /only products of bec-stage:intermediate/);
  });

  test('the reverse direction on Comtrade (US reporter only) is mirror-based and not rated', () => {
    const { rows, stderr } = riskRows(db, '--importer', 'CHN', '--supplier', 'USA', '--year', '2023', '--top', '5');
    assert.equal(rows[0].basis, "mirror (partners' exports)");
    assert.ok(rows.every((r) => r.category === 'not rated' && r.supplier_share_pct === null));
    assert.match(stderr, /mirror-based/);
    assert.match(
      stderr,
      /not computable: 2023: the product data hold CHN's imports with 1 partner and no loaded source reports CHN's imports from the world/,
    );
  });

  test('the BEC stage is the stage holding most of a code; a code the UN table spreads without a majority is mixed', () => {
    const { rows } = riskRows(db, '--importer', 'CHN', '--supplier', 'USA', '--year', '2023', '--top', '40');
    const stage = Object.fromEntries(rows.map((r) => [r.hs6, r.stage]));
    // HS2022 854231 maps n:n to BEC 21, 22, 41, 42, 61, 62, 63 and 7: three intermediate, three consumption codes.
    assert.equal(stage['854231'], 'mixed');
    // 120190 (soya beans, other) maps to BEC 111 alone: food mainly for industry, intermediate.
    assert.equal(stage['120190'], 'intermediate');
  });
});
