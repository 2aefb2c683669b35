import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, SHARED, NEEDS_SHARED, cli, cliJson, setupFromShared, tempDir } from './helpers.js';

// Paper table 1 (US share of China's exports) and table 2 (BEA services), as shipped in data/seed-figures.
function seed(file: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(join(ROOT, 'data', 'seed-figures', file), 'utf-8')
    .trim()
    .split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('real data from ../shared/data', { skip: NEEDS_SHARED }, () => {
  const db = join(tempDir(), 'store.duckdb');
  before(() => {
    setupFromShared(db);
  });

  test('DOTS: the US share of China exports 2012-2020 equals paper table 1 within 0.2 pp; mirror shows the import-side gap', () => {
    const r = cli(
      db,
      'import',
      'dots',
      join(SHARED, 'imf-dots/dots_bilateral_2000_2020_long.csv.gz'),
      join(SHARED, 'imf-dots/DOTS_40.xlsx'),
      join(SHARED, 'imf-dots/DOTS_208.xlsx'),
    );
    assert.equal(r.status, 0, r.stderr);
    const rows = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--flow',
      'export',
      '--years',
      '2012-2020',
    );
    const paper = seed('t1_china_us_goods.csv');
    assert.equal(rows.length, 9);
    for (const row of rows) {
      assert.match(String(row.basis), /^computed/);
      const p = paper.find((x) => Number(x.year) === row.year)!;
      const diff = Math.abs(Number(row.share_pct) - Number(p.share_of_china_exports_pct));
      assert.ok(diff <= 0.2, `${row.year}: ${row.share_pct} vs paper ${p.share_of_china_exports_pct}`);
    }
    const imp = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--flow',
      'import',
      '--years',
      '2012',
    );
    assert.ok(Math.abs(Number(imp[0].share_pct) - 7.08) < 0.01, `import side 2012: ${imp[0].share_pct}`);
    const mirror = cliJson(db, 'mirror', '--reporter', 'CHN', '--partner', 'USA', '--years', '2012-2020');
    const m2012 = mirror.find((m) => m.year === 2012 && m.flow === 'USA→CHN')!;
    assert.ok(Number(m2012.exporter_report_usd) > 0 && Number(m2012.importer_report_usd) > 0);
    assert.equal(Number(m2012.gap_usd), Number(m2012.importer_report_usd) - Number(m2012.exporter_report_usd));
    // A second import of the same files adds nothing and says so.
    const again = cliJson(db, 'import', 'dots', join(SHARED, 'imf-dots/DOTS_40.xlsx'));
    assert.equal(again[0].status, 'already imported');
  });

  test('mirror gaps are explained only by causes the data support, and the others are named as not measurable', () => {
    const r = cli(db, 'mirror', '--reporter', 'CHN', '--partner', 'USA', '--years', '2012-2020');
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /USA→CHN: the importer's report differs from the exporter's by \+[\d.]+% to \+[\d.]+%\. CHN's report is CIF/,
    );
    assert.match(
      r.stderr,
      /Hong Kong's trade with USA is loaded \(\d+ years\) but not split into re-exports by origin, so this part cannot be measured/,
    );
    assert.match(r.stderr, /without shipment dates, cannot measure/);
  });

  test('the EU as reporter: shares on the extra-EU basis, with the membership its DOTS rows follow (EU27 in every year)', () => {
    const rows = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'EUN',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--years',
      '2015-2020',
    );
    assert.equal(rows.length, 6);
    for (const r of rows)
      assert.match(
        String(r.basis),
        /less trade with the 27 members \(extra-EU; members (today|in the year, as today)\)/,
      );
    // Eurostat, "China-EU - international trade in goods statistics" (Statistics Explained, data extracted March 2021):
    // in 2020 China was the largest partner for EU imports of goods (22.4%) and the third for EU exports (10.5%).
    // On the total basis (intra-EU trade included) the import share would be 8.5%.
    const y2020 = rows.find((r) => r.year === 2020)!;
    assert.ok(Math.abs(Number(y2020.share_pct) - 22.4) < 0.1, `2020 imports: ${y2020.share_pct}`);
    const exports = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'EUN',
      '--partner',
      'CHN',
      '--flow',
      'export',
      '--years',
      '2020',
    );
    assert.ok(Math.abs(Number(exports[0].share_pct) - 10.5) < 0.1, `2020 exports: ${exports[0].share_pct}`);
  });

  test('WITS Trade Summary: world totals and stages of processing as printed; the shares computed from DOTS do not change', () => {
    const before = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--flow',
      'import',
      '--years',
      '2012-2019',
    );
    const r = cli(
      db,
      'import',
      'wits-summary',
      join(SHARED, 'wits-trade-summary/en_CHN_AllYears_WITS_Trade_Summary.CSV'),
      join(SHARED, 'wits-trade-summary/en_HKG_AllYears_WITS_Trade_Summary.CSV'),
    );
    assert.equal(r.status, 0, r.stderr);
    const rows = cliJson<{ indicator: string; country: string; year: number; value: number }>(
      db,
      'query',
      `SELECT indicator, country, year, value FROM series WHERE dataset_id IN (SELECT dataset_id FROM datasets WHERE source = 'wits') AND partner = 'WLD' AND year IN (2015, 2019) ORDER BY ALL`,
    );
    const value = (indicator: string, year: number, country = 'CHN') =>
      rows.find((x) => x.indicator === indicator && x.year === year && x.country === country)?.value;
    // en_CHN_AllYears_WITS_Trade_Summary.CSV: "Exports (in US$ Mil)" 2019 2,498,569.87; "Intermediate goods,
    // Import(US$ Mil)" 2015 395,537.41.
    assert.equal(value('goods_export', 2019), 2498569.87e6);
    assert.equal(value('goods_import:wits-stage:intermediate', 2015), 395537.41e6);
    assert.ok(value('goods_export', 2019, 'HKG')! > 0, 'Hong Kong, China is mapped to HKG');
    assert.deepEqual(
      cliJson(
        db,
        'compute',
        'bilateral-share',
        '--reporter',
        'CHN',
        '--partner',
        'USA',
        '--flow',
        'import',
        '--years',
        '2012-2019',
      ),
      before,
    );
  });

  test('BEA: US services exports to China and China share match paper table 2 within 0.2 pp', () => {
    const r = cli(db, 'import', 'bea', join(SHARED, 'bea/us_trading_per_country.xlsx'));
    assert.equal(r.status, 0, r.stderr);
    const rows = cliJson(
      db,
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
      '--years',
      '2012-2023',
    );
    const paper = seed('t2_us_china_services.csv');
    assert.equal(rows.length, 12);
    for (const row of rows) {
      const p = paper.find((x) => Number(x.year) === row.year)!;
      assert.ok(
        Math.abs(Number(row.share_pct) - Number(p.share_of_us_services_exports_pct)) <= 0.2,
        `${row.year} share`,
      );
      assert.ok(
        Math.abs(Number(row.partner_value_usd) / 1e8 - Number(p.us_exports_to_china_100m_usd)) < 1,
        `${row.year} value`,
      );
    }
  });

  test('Comtrade and Census: totals by year equal the HS2 sums; US imports from China in 2024 are 429.4 bn', () => {
    let r = cli(db, 'import', 'comtrade', join(SHARED, 'comtrade-us/comtrade_usa_partner_hs_2015_2025.csv.gz'));
    assert.equal(r.status, 0, r.stderr);
    r = cli(
      db,
      'import',
      'census',
      join(SHARED, 'census/census_us_imports_hs2_by_country_monthly_2013-01_2021-06.csv.gz'),
      join(SHARED, 'census-hs10-2024/census_us_imports_hs10_by_country_2024.csv.gz'),
      join(SHARED, 'census-hs10-2024/census_us_imports_hs2_by_country_2024.csv.gz'),
    );
    assert.equal(r.status, 0, r.stderr);
    const comtrade = cliJson(
      db,
      'query',
      `SELECT year, sum(value_usd) FILTER (WHERE product_level = 0) AS total, sum(value_usd) FILTER (WHERE product_level = 2) AS hs2
      FROM flows JOIN datasets USING (dataset_id) WHERE source = 'comtrade' AND exporter = 'CHN' GROUP BY year ORDER BY year`,
    );
    assert.equal(comtrade.length, 11);
    for (const c of comtrade)
      assert.ok(Math.abs(Number(c.total) - Number(c.hs2)) / Number(c.total) < 1e-6, `comtrade ${c.year}`);
    // Census HS10 (50 partners and the EU bloc) against the HS2 file for the same partners: the EU bloc is an
    // aggregate, never added to its members.
    const china = cliJson(
      db,
      'query',
      `SELECT d.file_name, sum(value_usd) / 1e9 AS bn FROM flows f JOIN datasets d USING (dataset_id)
      WHERE d.source = 'census' AND f.year = 2024 AND f.exporter = 'CHN' GROUP BY d.file_name ORDER BY 1`,
    );
    assert.equal(china.length, 2);
    for (const c of china) assert.equal(Number(c.bn).toFixed(1), '429.4', String(c.file_name));
    const world = cliJson(
      db,
      'query',
      `SELECT sum(value_usd) / 1e9 AS bn FROM flows f JOIN datasets d USING (dataset_id) JOIN countries c ON c.iso3 = f.exporter
      WHERE d.file_name = 'census_us_imports_hs2_by_country_2024.csv.gz' AND NOT c.is_aggregate`,
    );
    assert.equal(Number(world[0].bn).toFixed(1), '3251.2');
    const monthly = cliJson(
      db,
      'query',
      `SELECT year, sum(value_usd) FILTER (WHERE exporter = 'WLD') AS world, sum(value_usd) FILTER (WHERE exporter = 'CHN') AS china
      FROM flows JOIN datasets USING (dataset_id) WHERE file_name LIKE 'census_us_imports_hs2_by_country_monthly%' AND year = 2018 GROUP BY year`,
    );
    assert.equal((Number(monthly[0].china) / 1e9).toFixed(1), '543.3');
  });

  test("DOTS: ASEAN overtakes the US among China's trading partners in 2019 and is first in 2020 (China as reporter)", () => {
    const rows = cliJson(
      db,
      'compute',
      'partner-rank',
      '--reporter',
      'CHN',
      '--flow',
      'total',
      '--years',
      '2018-2020',
      '--sources',
      'group:ASEAN,group:EU',
      '--top',
      '3',
      '--dataset',
      datasetOf('DOTS_40.xlsx'),
    );
    const rank = (y: number, p: string) => rows.find((r) => r.year === y && r.partner === p)?.rank;
    assert.ok(Number(rank(2018, 'USA')) < Number(rank(2018, 'ASEAN')), '2018: the US ahead of ASEAN');
    assert.ok(Number(rank(2019, 'ASEAN')) < Number(rank(2019, 'USA')), '2019: ASEAN ahead of the US');
    assert.equal(rank(2020, 'ASEAN'), 1);
    // Summary sentence numbers: the US share of China's exports, 2018 peak to 2020.
    const sum = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--years',
      '2012-2020',
      '--summary',
    );
    assert.equal(sum[0].peak_year, 2018);
  });

  test('decoupling index on trade data alone: one dimension is no index, and the notes say which are missing', () => {
    const r = cli(db, 'compute', 'decoupling-index', '--reporter', 'CHN', '--partner', 'USA');
    assert.equal(r.stdout.trim(), '', 'no rows');
    const out = r.stdout + r.stderr;
    assert.match(out, /not computable: fewer than two dimensions with at least three common years \(have 1 dimension/);
    assert.match(out, /real GDP growth correlation: no data, left out/);
    assert.match(out, /share of international students in the US: no data, left out/);
  });

  test("Census monthly: China's share of US imports in HS chapter 85, month by month, traces to the rows of the file", () => {
    const rows = cliJson(
      db,
      'compute',
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--group',
      'hs-chapter:85',
      '--monthly',
      '--years',
      '2018-2019',
      '--dataset',
      datasetOf('census_us_imports_hs2_by_country_monthly_2013-01_2021-06.csv.gz'),
    );
    assert.equal(rows.length, 24);
    const raw = cliJson(
      db,
      'query',
      `SELECT sum(value_usd) FILTER (WHERE exporter = 'CHN') AS china, sum(value_usd) FILTER (WHERE exporter = 'WLD') AS world
      FROM flows JOIN datasets USING (dataset_id) WHERE file_name LIKE 'census_us_imports_hs2_by_country_monthly%' AND year = 2019 AND month = 5 AND product = '85'`,
    )[0];
    const may = rows.find((r) => r.year === 2019 && r.month === 5)!;
    assert.equal(may.world_basis, 'reported world total');
    assert.ok(Math.abs(Number(may.share_pct) - (100 * Number(raw.china)) / Number(raw.world)) < 1e-3);
  });

  test("China's product shares by BEC stage stay not computable on US reports, and WITS's stage totals are not taken for their denominator", () => {
    const r = cli(
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
      'import',
      '--group',
      'bec-stage',
      '--years',
      '2015-2019',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as Array<Record<string, unknown>>).every((x) => x.share_pct === null));
    assert.match(
      r.stderr,
      /CHN's world totals by stage of processing are loaded \(WITS Trade Summary\) but rest on WITS's own product correspondence/,
    );
  });

  test('Comtrade (US reporter, three sources): diversion 2017 → 2023 in values; shares not computable from three sources', () => {
    const r = cli(
      db,
      '--format',
      'json',
      'compute',
      'diversion',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--from',
      '2017',
      '--to',
      '2023',
      '--sources',
      'MEX,VNM',
      '--level',
      '4',
      '--dataset',
      datasetOf('comtrade_usa_partner_hs_2015_2025.csv.gz'),
    );
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    assert.deepEqual(
      rows.map((x) => x.source),
      ['CHN', 'MEX', 'VNM'],
    );
    // Three sources are not all of US imports: no share is printed, and the note says why and what to import.
    assert.ok(rows.every((x) => x.share_from_pct === null && x.share_to_pct === null && x.share_change_pp === null));
    assert.match(
      r.stderr,
      /not computable: 2017: the product data hold \d+\.\d% of USA's imports from the world \(3 partners\).*values and changes in US\$ are given; shares are not/,
    );
    const raw = cliJson(
      db,
      'query',
      `SELECT sum(value_usd) AS v FROM flows JOIN datasets USING (dataset_id)
      WHERE file_name LIKE 'comtrade_usa%' AND year = 2023 AND exporter = 'CHN' AND importer = 'USA' AND product_level = 4`,
    )[0];
    assert.ok(Math.abs(Number(rows[0].value_to_usd) - Number(raw.v)) < 1);
    assert.ok(Number(rows[0].change_usd) < 0, 'US imports from China fell');
    // At HS6 the 2023 codes (HS2022) are converted to 2017's HS2017; totals and shares do not move.
    const six = cli(
      db,
      '--format',
      'json',
      'compute',
      'diversion',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--from',
      '2017',
      '--to',
      '2023',
      '--sources',
      'MEX,VNM',
      '--dataset',
      datasetOf('comtrade_usa_partner_hs_2015_2025.csv.gz'),
    );
    assert.equal(six.status, 0, six.stderr);
    assert.match(six.stderr, /2023's HS2022 codes converted to HS2017 with the HS conversion table/);
    const rows6 = JSON.parse(six.stdout) as Array<Record<string, number | string>>;
    const china6 = rows6.find((x) => x.source === 'CHN')!;
    const six2023 = cliJson(
      db,
      'query',
      `SELECT sum(value_usd) AS v FROM flows JOIN datasets USING (dataset_id)
      WHERE file_name LIKE 'comtrade_usa%' AND year = 2023 AND exporter = 'CHN' AND importer = 'USA' AND product_level = 6`,
    )[0];
    assert.ok(Math.abs(Number(china6.value_to_usd) - Number(six2023.v)) < 1, 'conversion keeps the total');
  });

  function datasetOf(file: string): string {
    const d = cliJson(db, 'query', `SELECT max(dataset_id) AS id FROM datasets WHERE file_name = '${file}'`)[0];
    return String(d.id);
  }
});
