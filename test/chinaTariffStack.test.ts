import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliJson, NEEDS_SHARED, setupFromShared, SHARED, tempDir } from './helpers.js';

type Row = Record<string, unknown>;

const near = (a: unknown, b: number, tol = 1e-9) => Math.abs(Number(a) - b) < tol;

function averageTariff(db: string): Row[] {
  return cliJson(db, 'compute', 'average-tariff', '--reporter', 'CHN', '--partner', 'USA', '--years', '2018-2025');
}

describe("China's tariff on US goods: total rates to 2019, the registry's later actions stacked on them", () => {
  const dir = tempDir();
  const db = join(dir, 'store.duckdb');
  before(() => {
    // Soybeans: 3% MFN, +25 on 2018-07-06, +5 (the 75b first batch) on 2019-09-01; cars: 15% MFN, +25; wood: 0% MFN,
    // +10 on 2019-06-01.
    const rates = join(dir, 'china_rates.csv');
    writeFileSync(
      rates,
      [
        'time_of_tariff,hs6,tariff',
        ...[
          ['2018-01-01', 3, 15, 0],
          ['2018-07-06', 28, 40, 0],
          ['2019-06-01', 28, 40, 10],
          ['2019-09-01', 33, 40, 10],
        ].flatMap(([d, soy, car, wood]) => [`${d},120190,${soy}`, `${d},870323,${car}`, `${d},440710,${wood}`]),
      ].join('\n') + '\n',
    );
    let r = cli(db, 'import', 'tariffs', rates, '--importer', 'CHN', '--exporter', 'USA', '--rate-kind', 'total');
    assert.equal(r.status, 0, r.stderr);
    const list = join(dir, 'china-10-percent.csv');
    writeFileSync(list, '1,12019000,Soybeans\n2,2071100,Whole chickens\n');
    r = cli(db, 'import', 'tariffs', list, '--list', 'chn-2025-03-10pct');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /1 codes of 7 digits read as 8-digit lines with their leading zero restored/);
    const weights = join(dir, 'us_exports_2017.csv');
    writeFileSync(
      weights,
      ['year,partner,hs6,value', '2017,CHN,120190,100', '2017,CHN,870323,50', '2017,CHN,440710,50'].join('\n') + '\n',
    );
    const mapping = join(dir, 'mapping.yaml');
    writeFileSync(
      mapping,
      [
        'kind: flows',
        'reporter: USA',
        'countries: iso3',
        'flow: export',
        'columns: { year: year, partner: partner, product: hs6, value: value }',
        'classification: HS2012',
        'currency: USD',
      ].join('\n') + '\n',
    );
    r = cli(db, 'import', 'csv', weights, '--map', mapping);
    assert.equal(r.status, 0, r.stderr);
  });

  test('the 2020 halving, the 2025 lists and the all-goods duty stack on the last rates of the file', () => {
    const rows = averageTariff(db);
    const on = (d: string) => rows.find((r) => r.date === d)!;
    assert.deepEqual(
      rows.map((r) => r.date),
      [
        '2018-01-01',
        '2018-07-06',
        '2019-06-01',
        '2019-09-01',
        '2020-02-14',
        '2025-03-10',
        '2025-04-10',
        '2025-04-12',
        '2025-05-14',
        '2025-11-10',
      ],
    );
    assert.ok(near(on('2018-01-01').average_pct, (100 * 3 + 50 * 15 + 50 * 0) / 200));
    // The halving takes half of the 5 points soybeans gained on 2019-09-01; the others gained nothing that day.
    assert.ok(near(on('2020-02-14').average_pct, (100 * 30.5 + 50 * 40 + 50 * 10) / 200));
    assert.ok(near(on('2020-02-14').rate_cuts_pct, (100 * -2.5) / 200));
    assert.match(String(on('2020-02-14').actions), /chn-retaliation-75b-2019/);
    // 10 March 2025: soybeans +10 (their 8-digit line is on the 10% list).
    assert.ok(near(on('2025-03-10').later_lines_pct, (100 * 10) / 200));
    assert.ok(near(on('2025-04-12').later_all_goods_pct, 125));
    assert.ok(near(on('2025-05-14').average_pct, (100 * 50.5 + 50 * 50 + 50 * 20) / 200));
    assert.equal(on('2025-05-14').covered_pct, 100);
    // 10 November 2025: the March lists end, the 10% on all goods stays.
    assert.ok(near(on('2025-11-10').average_pct, (100 * 40.5 + 50 * 50 + 50 * 20) / 200));
  });

  test('what is derived, what is an upper bound and what is left out is said', () => {
    const r = cli(db, 'compute', 'average-tariff', '--reporter', 'CHN', '--partner', 'USA', '--years', '2018-2025');
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(
      out,
      /rate_cuts_pct \(derived\): from 2020-02-14 the duties of chn-retaliation-75b-2019 are multiplied by 0.5/,
    );
    assert.match(out, /later_lines_pct: chn-tariffs-2025-03, 2 lines of 8 digits; an HS6 counts at the highest rate/);
    assert.match(out, /chn-tariffs-2025-02 \(from 2025-02-10\) has no line list in the registry or the data: left out/);
  });

  test('a bad numbered list is refused naming the file, line and field, and nothing is stored', () => {
    const count = () => cliJson(db, 'query', "SELECT count(*) AS n FROM tariff_lines WHERE importer = 'CHN'")[0].n;
    const before = count();
    const bad = join(dir, 'china-15-percent.csv');
    writeFileSync(bad, '1,2071100,Whole chickens\n2,20712,Frozen chickens\n');
    let r = cli(db, 'import', 'tariffs', bad, '--list', 'chn-2025-03-15pct');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /china-15-percent\.csv, line 2, field 'code': '20712' is not an 8-digit tariff line/);
    r = cli(db, 'import', 'tariffs', bad);
    assert.match(r.stderr, /line 1: a numbered list of lines without a header: name the registry list .* --list NAME/);
    r = cli(db, 'import', 'tariffs', bad, '--list', 'chn-2025-03-20pct');
    assert.match(
      r.stderr,
      /--list chn-2025-03-20pct is not a list of the measures registry \(known: .*chn-2025-03-15pct/,
    );
    assert.equal(count(), before);
  });
});

describe(
  "China's tariff on US goods on the official files, against PIIE's published figures",
  { skip: NEEDS_SHARED },
  () => {
    const dir = tempDir();
    const db = join(dir, 'store.duckdb');
    before(() => {
      setupFromShared(db);
      let r = cli(db, 'import', 'comtrade', join(SHARED, 'comtrade-us', 'comtrade_usa_partner_hs_2015_2025.csv.gz'));
      assert.equal(r.status, 0, r.stderr);
      r = cli(
        db,
        'import',
        'tariffs',
        join(SHARED, 'tariffs', 'china_tariffs_on_us_hs6_2018_2019.csv'),
        '--importer',
        'CHN',
        '--exporter',
        'USA',
        '--rate-kind',
        'total',
      );
      assert.equal(r.status, 0, r.stderr);
      for (const rate of [10, 15]) {
        const file = join(SHARED, 'trade-war-redux-2025', 'tariff-lists', `china-${rate}-percent-030425.csv.gz`);
        r = cli(db, 'import', 'tariffs', file, '--list', `chn-2025-03-${rate}pct`);
        assert.equal(r.status, 0, r.stderr);
      }
    });

    test('the average follows PIIE within 1.1 pp at every date it publishes, 2018–2025, at 2017 mirror weights', () => {
      const rows = averageTariff(db);
      const published = rows.filter((r) => r.published_pct !== null);
      assert.ok(published.length >= 8, `${published.length} dates with a published figure`);
      for (const r of published)
        assert.ok(
          Math.abs(Number(r.average_pct) - Number(r.published_pct)) <= 1.1,
          `${r.date}: ${r.average_pct} vs PIIE ${r.published_pct}`,
        );
      const after = (d: string) => rows.find((r) => r.date === d)!;
      // After the 2020 halving (PIIE 20.3) and after Geneva (PIIE 32.6): within 1 pp.
      assert.ok(Math.abs(Number(after('2020-02-14').average_pct) - 20.3) < 1);
      assert.ok(Math.abs(Number(after('2025-05-14').average_pct) - 32.6) < 1);
      assert.ok(Number(after('2025-04-12').average_pct) > 140);
    });
  },
);
