import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliJson, NEEDS_SHARED, setupFromShared, SHARED, tempDir } from './helpers.js';

type Row = Record<string, unknown>;

const MFN_HEADER =
  'hts8|brief_description|quantity_1_code|mfn_text_rate|mfn_rate_type_code|mfn_ad_val_rate|mfn_specific_rate|mfn_other_rate|begin_effect_date|end_effective_date';

/** A USITC tariff database text file (pipe-delimited, unquoted) with the given rows. */
function mfnFile(dir: string, year: number, rows: string[]): string {
  const path = join(dir, `tariff_database_${year}.txt`);
  writeFileSync(path, [MFN_HEADER, ...rows].join('\n') + '\n');
  return path;
}

function stack(db: string, lines: string, date: string): Row[] {
  return cliJson(db, 'tariff', '--importer', 'USA', '--exporter', 'CHN', '--lines', lines, '--date', date);
}

/** The average-tariff command of the US on China, before its options. */
const US_ON_CHINA = ['compute', 'average-tariff', '--reporter', 'USA', '--partner', 'CHN'];

/** Imports US imports from a CSV (header and rows given) through a mapping with the given columns and vintage. */
function importUsImports(db: string, dir: string, name: string, rows: string[], columns: string, vintage: string) {
  const weights = join(dir, name);
  writeFileSync(weights, rows.join('\n') + '\n');
  const mapping = join(dir, `${name}.yaml`);
  writeFileSync(
    mapping,
    [
      'kind: flows',
      'reporter: USA',
      'countries: iso3',
      'flow: import',
      `columns: { ${columns} }`,
      `classification: ${vintage}`,
      'currency: USD',
    ].join('\n') + '\n',
  );
  const w = cli(db, 'import', 'csv', weights, '--map', mapping);
  assert.equal(w.status, 0, w.stderr);
}

describe('the US tariff stack from synthetic line lists', () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    const mfn = [2018, 2025].map((y) =>
      mfnFile(dir, y, [
        `85171300|Smartphones|NO|Free|0|0|0|0|01/01/${y} 00:00:00|12/31/${y} 00:00:00`,
        `87038000|Motor vehicles, electric, 6" wheels|NO|2.5%|7|0.025|0|0|01/01/${y} 00:00:00|12/31/${y} 00:00:00`,
        `85076000|Lithium-ion batteries|NO|3.4%|7|0.034|0|0|01/01/${y} 00:00:00|12/31/${y} 00:00:00`,
        `17011205|Beet sugar|KG|cents/kg less|K|9999.999999|9999.999999|0|01/01/${y} 00:00:00|12/31/${y} 00:00:00`,
      ]),
    );
    const codes = join(dir, 'ch99_codes.csv');
    writeFileSync(
      codes,
      [
        'ch99_heading,additional_duty_pct,hts_code_as_listed,hts8,code_digits,active_in_source',
        '9903.88.01,25,8703.80.00,87038000,8,yes',
        '9903.91.03,100,8703.80.00,87038000,8,yes',
        '9903.88.15,7.5,8507.60.00,85076000,8,yes',
        '9903.88.69,0,8507.60.00.20,85076000,10,yes',
        '9903.91.01,25,8507.60.00.10,85076000,10,yes',
      ].join('\n') + '\n',
    );
    const scopes = join(dir, 'exceptions.csv');
    writeFileSync(
      scopes,
      [
        'hs_8digit;rate_type;import_origin;exception_type;effective_date;end_date;source',
        '85171300;ieepa_baseline_rate;ALL;semiconductor;2025-04-05;;IEEPA Semiconductor',
        '87038000;s232_auto_rate;ALL;product_scope;2025-04-03;;Section 232 Auto',
        '85171300;s122_baseline_rate;ALL;annex2;2026-02-24;;Section 122 Annex II',
        '73170000;s232_steel_rate;ALL;product_scope_derivative;2025-08-18;;Section 232 Steel Derivative',
        '0000NA;ieepa_baseline_rate;ALL;pharma;2025-04-05;;Pharmaceutical Agreement',
      ].join('\r\n') + '\n',
    );
    const r = cli(db, 'import', 'tariffs', ...mfn, codes, scopes);
    assert.equal(r.status, 0, r.stderr);
    importUsImports(
      db,
      dir,
      'us_imports_2024.csv',
      [
        'year,partner,hts10,value',
        '2024,CHN,8517130000,100',
        '2024,CHN,8703800000,50',
        '2024,CHN,8507600010,50',
        '2024,CHN,8507600020,30',
        '2025,CHN,8517130000,300',
      ],
      'year: year, partner: partner, product: hts10, value: value',
      'HS2022',
    );
  });

  test('smartphones on 2025-06-01: MFN 0, Section 301 0, IEEPA 20%, reciprocal exempt, total 20%', () => {
    const [s] = stack(db, '8517.13.00.00', '2025-06-01');
    assert.deepEqual(
      [s.mfn_pct, s.section301_pct, s.ieepa_fentanyl_pct, s.ieepa_reciprocal_pct, s.total_pct],
      [0, 0, 20, 0, 20],
    );
    assert.equal(s.reciprocal_exempt, true);
    assert.equal(s.exempt_scope, 'IEEPA Semiconductor');
    // Before the carve-out's start and the IEEPA duties: MFN only (2018 schedule).
    assert.equal(stack(db, '8517130000', '2018-06-01')[0].total_pct, 0);
  });

  test('the four-year review raises electric cars to 100% (not 25% + 100%), and Section 232 exempts them from the reciprocal tariff', () => {
    assert.equal(stack(db, '87038000', '2024-09-26')[0].section301_pct, 25);
    const [ev] = stack(db, '87038000', '2024-09-27');
    assert.equal(ev.section301_pct, 100);
    assert.equal(ev.section301_list, 'review-31d');
    assert.equal(ev.total_pct, 102.5);
    const [later] = stack(db, '87038000', '2025-06-01');
    assert.deepEqual([later.section232_pct, later.ieepa_reciprocal_pct, later.total_pct], [25, 0, 2.5 + 100 + 25 + 20]);
  });

  test('Section 122 (2026): 10% on goods neither exempt nor under Section 232, after the IEEPA duties ended, for 150 days', () => {
    const on = (line: string, date: string) => stack(db, line, date)[0];
    const phone = on('85171300', '2026-03-02');
    assert.deepEqual(
      [phone.ieepa_fentanyl_pct, phone.section122_exempt, phone.section122_pct, phone.total_pct],
      [0, true, 0, 0],
    );
    // Cars pay Section 232, so no surcharge: 2.5 + 100 + 25.
    assert.deepEqual([on('87038000', '2026-03-02').section122_pct, on('87038000', '2026-03-02').total_pct], [0, 127.5]);
    // Batteries (review 25%): 3.4 + 25 + 10 while the surcharge runs, 3.4 + 25 after 23 July 2026.
    assert.equal(on('8507600010', '2026-02-23').total_pct, 28.4);
    assert.equal(on('8507600010', '2026-03-02').total_pct, 38.4);
    assert.equal(on('8507600010', '2026-07-24').total_pct, 28.4);
  });

  test('a Section 232 derivative shows the rate on its metal content and adds nothing to the total', () => {
    const before = stack(db, '73170000', '2025-08-17')[0];
    const after = stack(db, '73170000', '2025-09-01')[0];
    assert.deepEqual([before.section232_derivative_pct, after.section232_derivative_pct], [0, 50]);
    assert.equal(after.section232_pct, 0);
  });

  test('an exclusion in force lifts lists 1–4A from the line it names, not the review rates', () => {
    assert.equal(stack(db, '8507600020', '2024-06-14')[0].section301_pct, 7.5);
    const [excluded] = stack(db, '8507600020', '2024-06-15');
    assert.equal(excluded.section301_pct, 0);
    assert.equal(excluded.excluded, true);
    // The HTS10 not named by the exclusion keeps list 4A, then takes the review's 25%.
    assert.equal(stack(db, '8507600090', '2024-06-15')[0].section301_pct, 7.5);
    assert.equal(stack(db, '8507600010', '2024-09-27')[0].section301_pct, 25);
  });

  test('a rate stated in words has no MFN number', () => {
    const [sugar] = stack(db, '17011205', '2025-06-01');
    assert.equal(sugar.mfn_pct, null);
    assert.equal(sugar.total_pct, null);
  });

  test('average-tariff weights each line by its imports and names the layers', () => {
    const rows = cliJson(db, ...US_ON_CHINA, '--years', '2025', '--weights', '2024');
    const june = [...rows].reverse().find((r) => String(r.date) <= '2025-06-01')!;
    assert.equal(june.date, '2025-05-14');
    // Smartphones 20; cars 2.5 + 100 + 25 + 20; EV batteries 3.4 + 25 + 20 + 10 (reciprocal, 10% from 14 May); the
    // excluded battery line 3.4 + 0 + 20 + 10.
    const expected = (100 * 20 + 50 * 147.5 + 50 * 58.4 + 30 * 33.4) / 230;
    assert.ok(Math.abs(Number(june.average_pct) - expected) < 1e-9, `${june.average_pct} vs ${expected}`);
    assert.ok(Math.abs(Number(june.ieepa_reciprocal_pct) - (80 * 10) / 230) < 1e-9);
    assert.equal(june.covered_pct, 100);
    assert.equal(june.weights_year, 2024);
    const start = rows[0];
    assert.equal(start.date, '2025-01-01');
    assert.ok(Math.abs(Number(start.average_pct) - (50 * 102.5 + 50 * 28.4 + 30 * 3.4) / 230) < 1e-9);
  });

  test('average-tariff at a coarser level sums the weights to it and states the gap to the finest level', () => {
    const args = ['--reporter', 'USA', '--partner', 'CHN', '--years', '2025', '--weights', '2024', '--level', '6'];
    const out = cli(db, '--format', 'json', 'compute', 'average-tariff', ...args);
    assert.equal(out.status, 0, out.stderr);
    const rows = JSON.parse(out.stdout) as Row[];
    const june = [...rows].reverse().find((x) => String(x.date) <= '2025-06-01')!;
    // HS6 850760 weighs 80 and has one HTS8 line (8507.60.00), on which the HTS10 listing of the review counts for
    // the whole line and the HTS10 exclusion does not: 58.4.
    const expected = (100 * 20 + 50 * 147.5 + 80 * 58.4) / 230;
    assert.ok(Math.abs(Number(june.average_pct) - expected) < 1e-9, `${june.average_pct} vs ${expected}`);
    const fine = (100 * 20 + 50 * 147.5 + 50 * 58.4 + 30 * 33.4) / 230;
    const last = rows[rows.length - 1];
    assert.match(out.stderr, new RegExp(`at HS6 the average on ${last.date} is [\\d.]+%; at HS10, the finest level`));
    assert.ok(Math.abs(expected - fine) > 1, 'the two levels differ here');
    const refused = cli(db, 'compute', 'average-tariff', ...args.slice(0, -1), '4');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /average-tariff takes --level 6, 8 or 10/);
  });

  test('average-tariff between two dates (--from, --to) starts on the first and ends within the last', () => {
    const args = [
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--weights',
      '2024',
      '--from',
      '2025-04-01',
      '--to',
      '2025-05-31',
    ];
    const rows = cliJson(db, 'compute', 'average-tariff', ...args);
    assert.equal(rows[0].date, '2025-04-01');
    assert.ok(rows.every((r) => String(r.date) <= '2025-05-31'));
    assert.ok(rows.some((r) => r.date === '2025-05-14'));
    const bad = cli(db, 'compute', 'average-tariff', ...args.slice(0, -1), '2025-05');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--to takes a year \(YYYY\) or a date \(YYYY-MM-DD\), not '2025-05'/);
  });

  test("average-tariff with current weights takes each date's own year", () => {
    const rows = cliJson(db, ...US_ON_CHINA, '--years', '2024-2025', '--weights', 'current');
    for (const row of rows) assert.equal(row.weights_year, Number(String(row.date).slice(0, 4)), String(row.date));
    // In 2025 only smartphones were imported: MFN 0 + IEEPA 20, the reciprocal tariff exempt.
    const june = [...rows].reverse().find((x) => String(x.date) <= '2025-06-01')!;
    assert.equal(june.average_pct, 20);
    const y2024 = [...rows].reverse().find((x) => String(x.date) <= '2024-12-31')!;
    assert.ok(Math.abs(Number(y2024.average_pct) - (50 * 102.5 + 50 * 28.4 + 30 * 3.4) / 230) < 1e-9);
  });

  test('bad MFN files are refused naming the file, line and field, and nothing is stored', () => {
    const before = cliJson(db, 'query', 'SELECT count(*) AS n FROM mfn_rates')[0].n;
    const bad = mfnFile(dir, 2019, [
      '85171300|Smartphones|NO|Free|0|0|0|0|01/01/2019 00:00:00|12/31/2019 00:00:00',
      '87038000|Cars|NO|2.5%|7|two|0|0|01/01/2019 00:00:00|12/31/2019 00:00:00',
    ]);
    const r = cli(db, 'import', 'tariffs', bad);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /tariff_database_2019\.txt, line 3, field 'mfn_ad_val_rate': 'two' is not a rate/);
    assert.equal(cliJson(db, 'query', 'SELECT count(*) AS n FROM mfn_rates')[0].n, before);
  });

  test('a file of total rates offered as additional duties, or the reverse, is refused', () => {
    const rates = join(dir, 'us_tariffs.csv');
    writeFileSync(rates, 'time_of_tariff,hs6,tariff\n2018-01-01,850760,3.4\n2018-09-24,850760,13.4\n');
    const args = ['import', 'tariffs', rates, '--importer', 'USA', '--exporter', 'CHN', '--rate-kind'];
    let r = cli(db, ...args, 'additional');
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /line 2, field 'tariff': an additional duty of 3\.4% on 850760 on 2018-01-01, before USA's first tariff action on CHN \(2018-02-07\).*--rate-kind total/,
    );
    writeFileSync(rates, 'time_of_tariff,hs6,tariff\n2018-01-01,850760,0\n2018-09-24,850760,10\n');
    r = cli(db, ...args, 'total');
    assert.match(r.stderr, /every rate on the first date \(2018-01-01\) is zero.*--rate-kind additional/);
  });
});

describe('specific MFN rates as ad valorem equivalents', () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    const mfn = mfnFile(dir, 2018, [
      '24012005|Tobacco|KG|$5.48/kg|1|0|5.48|0|01/01/2018 00:00:00|12/31/2018 00:00:00',
      '85171200|Telephones|NO|Free|0|0|0|0|01/01/2018 00:00:00|12/31/2018 00:00:00',
      '91089050|Watch movements|NO|$2.16 each|1|0|2.16|0|01/01/2018 00:00:00|12/31/2018 00:00:00',
    ]);
    assert.equal(cli(db, 'import', 'tariffs', mfn).status, 0);
    importUsImports(
      db,
      dir,
      'us_imports_2017.csv',
      [
        'year,partner,hs6,value,kg,unit',
        '2017,CHN,240120,1000,100,kg',
        '2017,CHN,851712,3000,30,kg',
        '2017,CHN,910890,1000,50,kg',
      ],
      'year: year, partner: partner, product: hs6, value: value, quantity: kg, quantity_unit: unit',
      'HS2017',
    );
  });

  test('a rate per kg becomes rate × kg ÷ value of its HS6; a rate per item without item counts stays at its ad valorem part', () => {
    const out = cli(
      db,
      '--format',
      'json',
      'compute',
      'average-tariff',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--years',
      '2018',
    );
    assert.equal(out.status, 0, out.stderr);
    const [first] = JSON.parse(out.stdout) as Row[];
    // Tobacco: US$5.48/kg at US$10/kg is 54.8%; telephones free; watch movements per item, quantities in kg only: 0.
    const expected = (1000 * 54.8) / 5000;
    assert.ok(Math.abs(Number(first.average_pct) - expected) < 1e-9, `${first.average_pct} vs ${expected}`);
    assert.ok(Math.abs(Number(first.mfn_specific_ave_pct) - expected) < 1e-9);
    assert.match(
      out.stderr,
      /lines with specific or compound rates carry 40\.00% of the weights, 20\.00% converted, 20\.00% at their ad valorem part only/,
    );
  });
});

describe("Bown's per-action HS6 file", () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const file = (name: string, rows: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, rows.join('\n') + '\n');
    return path;
  };
  const count = () => cliJson(db, 'query', "SELECT count(*) AS n FROM tariff_lines WHERE list = 'bown-hs6'")[0].n;

  test("changes by action are cumulated by measure into dated additional duties, at the registry's dates", () => {
    const f = file('TrumpTariffs-CHN-hs6.csv', [
      'hs06,TT201_1st,TT301_a,TT301_c,TT301_d,TT301_e,TT301_f',
      '850760,0,25,0,0,0,0',
      '940171,0,0,10,15,0,0',
      '851713,0,0,0,0,15,-7.5',
      '854140,30,0,,0,0,0',
    ]);
    const r = cli(db, 'import', 'tariffs', f);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 empty cells \(first at line 5\) read as no change/);
    const rows = cliJson(
      db,
      'query',
      `SELECT line, measure_id, strftime(from_date, '%Y-%m-%d') AS f, strftime(to_date, '%Y-%m-%d') AS t, rate_pct
       FROM tariff_lines WHERE list = 'bown-hs6' ORDER BY line, from_date`,
    );
    assert.deepEqual(
      rows.map((x) => [x.line, x.measure_id, x.f, x.t, x.rate_pct]),
      [
        ['850760', 'us-301-list1', '2018-07-06', null, 25],
        ['851713', 'us-301-list4', '2019-09-01', '2020-02-14', 15],
        ['851713', 'us-301-list4', '2020-02-14', null, 7.5],
        ['854140', 'us-201-washers-solar', '2018-02-07', null, 30],
        ['940171', 'us-301-list3', '2018-09-24', '2019-05-10', 10],
        ['940171', 'us-301-list3', '2019-05-10', null, 25],
      ],
    );
  });

  test('a change that takes a duty below zero, an unknown action or --rate-kind total is refused, and nothing is stored', () => {
    const before = count();
    let r = cli(db, 'import', 'tariffs', file('neg.csv', ['hs06,TT301_c,TT301_d', '940171,0,0', '940179,0,-15']));
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /neg\.csv, line 3, field 'TT301_d': the changes of us-301-list3 on HS6 940179 add up to -15 pp/,
    );
    r = cli(db, 'import', 'tariffs', file('odd.csv', ['hs06,TT301_a,TT301_z', '940171,0,0']));
    assert.match(r.stderr, /odd\.csv, line 1, field 'TT301_z': action column TT301_z not known/);
    r = cli(db, 'import', 'tariffs', file('code.csv', ['hs06,TT301_a', '94017,25']));
    assert.match(r.stderr, /code\.csv, line 2, field 'hs06': '94017' is not a 6-digit HS code/);
    r = cli(db, 'import', 'tariffs', file('kind.csv', ['hs06,TT301_a', '940171,25']), '--rate-kind', 'total');
    assert.match(r.stderr, /--rate-kind total does not fit it/);
    assert.equal(count(), before);
  });
});

describe('the US tariff stack on the official lines', { skip: NEEDS_SHARED }, () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    setupFromShared(db);
    const r = cli(
      db,
      'import',
      'tariffs',
      join(SHARED, 'usitc-tariff-database', 'usitc_tariff_database_2017__tariff_database_2017.csv.gz'),
      join(SHARED, 'usitc-tariff-database', 'usitc_tariff_database_2024__tariff_database_202405.csv.gz'),
      join(SHARED, 'usitc-tariff-database', 'usitc_tariff_database_2025__tariff_database_2025_06062025.csv.gz'),
      join(SHARED, 'hts-hero-china-ch99-lists', 'china_ch99_heading_hts_codes.csv.gz'),
      join(SHARED, 'gta-us-tariff-barrier-estimates', 'exceptions.csv.gz'),
      join(SHARED, 'tariffs', 'section301_hts8_lists.csv'),
    );
    assert.equal(r.status, 0, r.stderr);
    const c = cli(
      db,
      'import',
      'census',
      join(SHARED, 'census-hs10-2024', 'census_us_imports_hs10_by_country_2024.csv.gz'),
    );
    assert.equal(c.status, 0, c.stderr);
    const w = cli(db, 'import', 'comtrade', join(SHARED, 'comtrade-us', 'comtrade_usa_partner_hs_2015_2025.csv.gz'));
    assert.equal(w.status, 0, w.stderr);
    const b = cli(db, 'import', 'tariffs', join(SHARED, 'tariffs', 'bown_TrumpTariffs-CHN-hs6.csv'));
    assert.equal(b.status, 0, b.stderr);
  });

  test("Section 301 from the lines agrees with Bown's per-action HS6 file within 0.5 pp at every date to 2020, on 2017 weights", () => {
    const rows = cliJson(db, ...US_ON_CHINA, '--years', '2018-2020', '--weights', '2017');
    const l3 = rows.find((r) => r.date === '2019-05-10')!;
    assert.ok(Number(l3.section301_pct) > 10, 'list 3 at 25% weighs in');
    for (const r of rows) {
      const gap = Math.abs(Number(r.section301_pct) - Number(r.bown_hs6_section301_pct));
      assert.ok(
        gap < 0.5,
        `${r.date}: ${r.section301_pct} from the lines, ${r.bown_hs6_section301_pct} from Bown's HS6 file`,
      );
    }
  });

  test('smartphones from China on 2025-06-01 pay 20% (IEEPA), each layer with its source; electric cars 100% Section 301', () => {
    const [phone] = stack(db, '85171300', '2025-06-01');
    assert.deepEqual(
      [phone.mfn_pct, phone.section301_pct, phone.ieepa_fentanyl_pct, phone.ieepa_reciprocal_pct, phone.total_pct],
      [0, 0, 20, 0, 20],
    );
    assert.ok(phone.exempt_scope, 'the exemption is named');
    const [ev] = stack(db, '87038000', '2024-09-27');
    assert.equal(ev.section301_pct, 100);
    assert.equal(ev.mfn_pct, 2.5);
  });

  test('products of U.S. note 20(g) (heading 9903.88.04) carry list 3 rates: routers and switches 10%, then 25%', () => {
    assert.deepEqual(
      ['2018-09-24', '2019-05-10']
        .map((d) => stack(db, '85176200', d)[0])
        .map((r) => [r.section301_pct, r.section301_list]),
      [
        [10, '200b-20g'],
        [25, '200b-20g'],
      ],
    );
  });

  test('Section 301 coverage of 2024 imports from China on 2024-06-30 equals a direct computation from the lines and the Census file', () => {
    const rows = cliJson(db, ...US_ON_CHINA, '--years', '2024', '--weights', '2024');
    const row = [...rows].reverse().find((r) => String(r.date) <= '2024-06-30')!;
    // Direct: the share of the value of HTS10 lines named (at 8 or 10 digits; Bown's HS6 averages are not lines) by a
    // Section 301 list in force and
    // not by an exclusion in force; no IEEPA or 232 line on China's goods that day adds coverage.
    const [direct] = cliJson(
      db,
      'query',
      `WITH w AS (SELECT product, sum(value_usd) AS v FROM flows WHERE importer = 'USA' AND exporter = 'CHN' AND year = 2024 AND product_level = 10 GROUP BY product),
       on301 AS (SELECT DISTINCT w.product FROM w JOIN tariff_lines t ON starts_with(w.product, t.line)
                 WHERE t.measure_id LIKE 'us-301-%' AND t.digits >= 8 AND t.rate_pct > 0 AND t.from_date <= DATE '2024-06-30' AND (t.to_date IS NULL OR t.to_date > DATE '2024-06-30')),
       excl AS (SELECT DISTINCT w.product FROM w JOIN tariff_exclusions e ON starts_with(w.product, e.line)
                WHERE e.from_date <= DATE '2024-06-30' AND (e.to_date IS NULL OR e.to_date > DATE '2024-06-30') AND e.measure_id = 'us-301-exclusions'),
       s232 AS (SELECT DISTINCT w.product FROM w JOIN tariff_lines t ON starts_with(w.product, t.line)
                WHERE t.measure_id LIKE 'us-232-%' AND t.digits >= 8 AND t.from_date <= DATE '2024-06-30' AND (t.to_date IS NULL OR t.to_date > DATE '2024-06-30'))
       SELECT 100 * sum(v) FILTER (WHERE product IN (SELECT product FROM on301 EXCEPT SELECT product FROM excl) OR product IN (SELECT product FROM s232)) / sum(v) AS pct FROM w`,
    );
    assert.ok(Math.abs(Number(row.covered_pct) - Number(direct.pct)) < 1e-9, `${row.covered_pct} vs ${direct.pct}`);
  });
});

test('the USITC tariff database in its xlsx layout gives the same MFN rates as its text layout', async () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  const rows = [
    ['01011000', 'Horses, purebred breeding', 'NO', 'Free', '0', 0, 0, 0, '2025-01-01', '2025-12-31'],
    ['17011205', 'Beet sugar', 'KG', '3.6606 cents/kg', '1', 0, 0.036606, 0, '2025-01-01', '2025-12-31'],
    ['87038000', 'Electric vehicles', 'NO', '2.5%', '7', 0.025, 0, 0, '2025-01-01', '2025-12-31'],
  ];
  const header = MFN_HEADER.split('|');
  writeFileSync(join(dir, 'tariff_database_2025.txt'), [MFN_HEADER, ...rows.map((r) => r.join('|'))].join('\n') + '\n');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('tariff_database_2025');
  ws.addRow([...header, 'footnote_comment']);
  // A spreadsheet stores the HTS8 code as a number (its leading zero gone) and drops trailing empty cells.
  for (const r of rows) ws.addRow([Number(r[0]), ...r.slice(1)]);
  await wb.xlsx.writeFile(join(dir, 'tariff_database_2025.xlsx'));
  const r = cli(db, 'import', 'tariffs', join(dir, 'tariff_database_2025.txt'), join(dir, 'tariff_database_2025.xlsx'));
  assert.equal(r.status, 0, r.stderr);
  const differ = cliJson(
    db,
    'query',
    `SELECT count(*) AS n FROM (
       (SELECT * EXCLUDE (dataset_id) FROM mfn_rates WHERE dataset_id = (SELECT min(dataset_id) FROM mfn_rates)
        EXCEPT SELECT * EXCLUDE (dataset_id) FROM mfn_rates WHERE dataset_id = (SELECT max(dataset_id) FROM mfn_rates))
       UNION ALL
       (SELECT * EXCLUDE (dataset_id) FROM mfn_rates WHERE dataset_id = (SELECT max(dataset_id) FROM mfn_rates)
        EXCEPT SELECT * EXCLUDE (dataset_id) FROM mfn_rates WHERE dataset_id = (SELECT min(dataset_id) FROM mfn_rates)))`,
  );
  assert.equal(differ[0].n, 0);
  const lines = cliJson(db, 'query', `SELECT count(DISTINCT line) AS n, min(line) AS first FROM mfn_rates`);
  assert.deepEqual([lines[0].n, lines[0].first], [3, '01011000']);
});
