import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

const HAS_R = spawnSync('Rscript', ['--version'], { encoding: 'utf-8' }).status === 0;
const NEEDS_R = HAS_R ? false : 'needs Rscript (Debian r-base-core; .ci/run installs it)';

/** Returns ref_area → year → value for one WEO concept, read from the raw long CSV (not through the store). */
function weoConcept(concept: string): Map<string, Map<number, { value: number; last: number }>> {
  const text = gunzipSync(readFileSync(join(SHARED, 'imf-weo-2025-10', 'weo_2025_10_long.csv.gz'))).toString('utf8');
  const out = new Map<string, Map<number, { value: number; last: number }>>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.split(',').map((x) => x.replace(/^"|"$/g, ''));
    if (f[1] !== concept || f[8] === '') continue;
    if (!out.has(f[0])) out.set(f[0], new Map());
    out.get(f[0])!.set(Number(f[7]), { value: Number(f[8]), last: Number(f[6].slice(0, 4)) });
  }
  return out;
}

describe('people, research, finance and the decoupling index on the real series', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    setupFromShared(db);
    const imports: string[][] = [
      [
        'open-doors',
        join(SHARED, 'open-doors-intl-students', 'open_doors_students_by_place_of_origin_with_regions_2002_2022.csv'),
      ],
      ['tic-mfh', join(SHARED, 'us-treasury-tic-mfh', 'tic_mfh_holdings_2000_2025_long.csv')],
      ['weo', join(SHARED, 'imf-weo-2025-10', 'weo_2025_10_long.csv.gz')],
      [
        'ncses',
        join(SHARED, 'ncses-sei-tables', 'tables', '10004'),
        join(SHARED, 'ncses-sei-tables', 'tables', '4906'),
        join(SHARED, 'ncses-sei-tables', 'tables', '9597'),
      ],
      ['equity-indices', join(SHARED, 'stock-indices-daily', 'yahoo_index_daily_2010_2025.csv.gz')],
      ['dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx'), join(SHARED, 'imf-dots', 'DOTS_208.xlsx')],
    ];
    for (const [source, ...files] of imports) {
      const r = cli(db, 'import', source, ...files);
      assert.equal(r.status, 0, `${source}: ${r.stderr}`);
    }
  });

  test("China's students in the US and their share of all international students (IIE Open Doors)", () => {
    const rows = cliJson(db, 'compute', 'students', '--reporter', 'CHN', '--partner', 'USA');
    const year = (y: string) => rows.find((r) => r.academic_year === y)!;
    assert.equal(year('2019/20').students, 372532);
    assert.equal(year('2022/23').students, 289526);
    // The total is the sum over every place of origin in the file: 1,075,494 (IIE publishes 1,075,496).
    assert.equal(year('2019/20').all_international_students, 1075494);
    assert.ok(Math.abs(Number(year('2019/20').share_pct) - (100 * 372532) / 1075494) < 1e-9);
  });

  test('co-authorship, from the latest edition only; Treasury holdings at end-2013', () => {
    const co = cliJson(db, 'compute', 'coauthorship', '--reporter', 'USA', '--partner', 'CHN');
    assert.equal(co.find((r) => r.year === 2019)!.us_intl_articles_with_partner_pct, 27.11);
    // The 2022 edition (4906) has 2020 at 26.28; the 2024 edition (10004) stops at 2021 with odd years: 2020 is not
    // spliced in.
    assert.equal(
      co.find((r) => r.year === 2020),
      undefined,
    );
    // A nested NCSES table (doctorates by economy, then field): the economy's row, footnote marks dropped.
    const doc = cliJson(
      db,
      'query',
      "SELECT indicator, value FROM series WHERE indicator LIKE 'us_doctorates_temporary_visa%' AND country = 'CHN' AND period = '2022' ORDER BY indicator",
    );
    assert.deepEqual(
      doc.map((x) => [x.indicator, x.value]),
      [
        ['us_doctorates_temporary_visa', 6664],
        ['us_doctorates_temporary_visa:non-science-and-engineering', 633],
        ['us_doctorates_temporary_visa:science-and-engineering', 6031],
      ],
    );
    const r = cli(db, 'compute', 'coauthorship', '--reporter', 'USA', '--partner', 'CHN');
    assert.match(r.stdout + r.stderr, /also loaded and not spliced in: ncses-sei \(NCSES table 4906/);
    const th = cliJson(
      db,
      'compute',
      'treasury-holdings',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--years',
      '2013-2013',
    );
    assert.equal(th[0].period, '2013-12');
    assert.equal(th[0].holdings_usd, 1270.1e9);
    assert.ok(Math.abs(Number(th[0].share_pct) - (100 * 1270.1) / 5792.6) < 1e-9);
    // June 2011, a benchmark month: the new series (XII, 1,307.0) is kept, flagged.
    const june = cliJson(
      db,
      'compute',
      'treasury-holdings',
      '--reporter',
      'CHN',
      '--partner',
      'USA',
      '--years',
      '2011-2011',
      '--monthly',
    );
    const j = june.find((x) => x.period === '2011-06')!;
    assert.equal(j.holdings_usd, 1307e9);
    assert.equal(j.series_break, true);
  });

  test("China's GDP relative to the US's, and the 5-year correlation of GDP growth, against the raw WEO file", () => {
    const gdp = weoConcept('NGDPD');
    const rel = cliJson(db, 'compute', 'relative-gdp', '--reporter', 'CHN', '--partner', 'USA', '--years', '1980-2030');
    for (const y of [1980, 2001, 2024, 2030]) {
      const row = rel.find((r) => r.year === y)!;
      const want = (100 * gdp.get('CHN')!.get(y)!.value) / gdp.get('USA')!.get(y)!.value;
      assert.ok(Math.abs(Number(row.relative_gdp_pct) - want) < 1e-9, `${y}: ${row.relative_gdp_pct} vs ${want}`);
      assert.equal(row.projection, y > 2024);
    }
    const g = weoConcept('NGDP_RPCH');
    const years = [2015, 2016, 2017, 2018, 2019];
    const x = years.map((y) => g.get('CHN')!.get(y)!.value);
    const yv = years.map((y) => g.get('USA')!.get(y)!.value);
    const mean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
    const [mx, my] = [mean(x), mean(yv)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    years.forEach((_, i) => {
      sxy += (x[i] - mx) * (yv[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (yv[i] - my) ** 2;
    });
    const cc = cliJson(db, 'compute', 'cycle-correlation', '--reporter', 'CHN', '--partner', 'USA');
    const row = cc.find((r) => r.year === 2019)!;
    assert.ok(Math.abs(Number(row.gdp_growth_corr) - sxy / Math.sqrt(sxx * syy)) < 1e-9);
    assert.ok(typeof row.equity_return_corr === 'number');
    assert.equal(row.equity_months, 36);
  });

  test(
    'the decoupling index and its principal-component weights match R (scale, cor, eigen) to 1e-9',
    { skip: NEEDS_R },
    () => {
      const r = cli(db, 'compute', 'decoupling-index', '--reporter', 'CHN', '--partner', 'USA');
      assert.equal(r.status, 0, r.stderr);
      const rows = cliJson(db, 'compute', 'decoupling-index', '--reporter', 'CHN', '--partner', 'USA');
      assert.ok(rows.length >= 5, JSON.stringify(rows));
      const dims = Object.keys(rows[0])
        .filter((k) => k.endsWith('_z'))
        .map((k) => k.slice(0, -2));
      assert.ok(dims.includes('trade_intensity') && dims.includes('treasury_share') && dims.includes('students_share'));
      const csv = join(dir, 'dims.csv');
      writeFileSync(
        csv,
        [['year', ...dims].join(','), ...rows.map((x) => [x.year, ...dims.map((d) => x[d])].join(','))].join('\n') +
          '\n',
      );
      const out = spawnSync('Rscript', [join(ROOT, 'test', 'r', 'decoupling_index.R'), csv], { encoding: 'utf-8' });
      assert.equal(out.status, 0, out.stderr);
      const ref = JSON.parse(out.stdout) as {
        index_equal: number[];
        index_pca: number[];
        weights: number[];
        explained: number;
      };
      rows.forEach((x, t) => {
        assert.ok(Math.abs(Number(x.index_equal) - ref.index_equal[t]) < 1e-9, `${x.year} equal`);
        assert.ok(Math.abs(Number(x.index_pca) - ref.index_pca[t]) < 1e-9, `${x.year} pca`);
      });
      // The printed weights and explained share are R's, to their printed 4 and 2 decimals.
      const text = r.stdout + r.stderr;
      dims.forEach((d, i) => assert.ok(text.includes(`${d} ${Math.round(ref.weights[i] * 1e4) / 1e4} (loading`), d));
      assert.ok(text.includes(`explains ${Math.round(ref.explained * 1e4) / 100}% of the variance`));
      assert.match(
        text,
        /share of US international articles with a co-author from CHN left out: with it only \d+ years/,
      );
      // Trade intensity traces to both sides' bilateral-share rows: 100 × (T_ab + T_ba) / (T_a + T_b).
      const side = (a: string, b: string) =>
        cliJson(db, 'compute', 'bilateral-share', '--reporter', a, '--partner', b, '--flow', 'total').find(
          (x) => x.year === 2015,
        )!;
      const [c, u] = [side('CHN', 'USA'), side('USA', 'CHN')];
      const want =
        (100 * (Number(c.partner_value_usd) + Number(u.partner_value_usd))) /
        (Number(c.world_value_usd) + Number(u.world_value_usd));
      assert.ok(Math.abs(Number(rows.find((x) => x.year === 2015)!.trade_intensity) - want) < 1e-9);
    },
  );
});

describe(
  'importers of people, finance and research series refuse bad input and store nothing',
  { skip: NEEDS_SHARED },
  () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    before(() => {
      assert.equal(cli(db, 'setup', '--from', SHARED, '--pack', 'countries').status, 0);
    });
    const count = () => Number(cliJson(db, 'query', 'SELECT count(*) AS n FROM series')[0].n);

    test('an academic year that does not start in start_year', () => {
      const before = count();
      const f = join(dir, 'open_doors.csv');
      writeFileSync(
        f,
        'place_of_origin,open_doors_region,academic_year,start_year,students\nChina,ASIA,2019/20,2019,372532\nIndia,ASIA,2019/21,2019,193124\n',
      );
      const r = cli(db, 'import', 'open-doors', f);
      assert.notEqual(r.status, 0);
      assert.match(
        r.stderr,
        /open_doors\.csv, line 3, field 'academic_year': the academic year '2019\/21' is not YYYY\/YY/,
      );
      assert.equal(count(), before);
    });

    test('a TIC holder twice in one month without two series labels; an unknown FRED series', () => {
      const before = count();
      const f = join(dir, 'tic.csv');
      writeFileSync(
        f,
        'country,year,month,period,series_note,holdings_usd_bn\nJapan,2020,1,2020-01,,1200\n"China, Mainland",2020,1,2020-01,,1070\n"China, Mainland",2020,1,2020-01,,1071\n',
      );
      let r = cli(db, 'import', 'tic-mfh', f);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /tic\.csv, line 4, field 'series_note': China, Mainland 2020-01 appears twice/);
      const g = join(dir, 'GDPC1_vintage_2025-07-27.csv');
      writeFileSync(g, 'realtime_start,realtime_end,date,value\n2025-07-27,2025-07-27,2020-01-01,1\n');
      r = cli(db, 'import', 'fred', g);
      assert.match(r.stderr, /unknown FRED series 'GDPC1' \(known: INDPRO, SPASTT01USM661N\)/);
      assert.equal(count(), before);
    });

    test('a TIC benchmark month keeps the new series with the old value in its note', () => {
      const f = join(dir, 'tic_break.csv');
      writeFileSync(
        f,
        [
          'country,year,month,period,series_note,holdings_usd_bn',
          '"China, Mainland",2011,6,2011-06,Series 16/ XII,1307',
          '"China, Mainland",2011,6,2011-06,Series XI,1165.5',
          'Grand Total,2011,6,2011-06,Series 16/ XII,4690',
          'Grand Total,2011,6,2011-06,Series XI,4499',
          'For. Official,2011,6,2011-06,,3000',
        ].join('\n') + '\n',
      );
      const r = cli(db, 'import', 'tic-mfh', f);
      assert.equal(r.status, 0, r.stderr);
      const rows = cliJson(
        db,
        'query',
        "SELECT country, value, flag, note FROM series WHERE indicator = 'us_treasury_holdings' ORDER BY country",
      );
      assert.deepEqual(
        rows.map((x) => [x.country, x.value, x.flag]),
        [
          ['CHN', 1307e9, 'b'],
          ['WLD', 4690e9, 'b'],
        ],
      );
      assert.match(String(rows[0].note), /Series 16\/ XII begins; Series XI ends at US\$ 1165.5 bn/);
    });
  },
);
