import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { summariseChange } from '../src/indicators/changeSummary.js';
import { tCritical95 } from '../src/stats/studentT.js';
import { NEEDS_SHARED, ROOT, SHARED, cli, cliJson, tempDir } from './helpers.js';

const BACI = join(ROOT, 'test', 'fixtures', 'baci');
type R = Record<string, unknown>;
// Full precision: the data carry the computed value, so hand computations agree to 1e-9 (relative above 1).
const close = (actual: unknown, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(Number(actual) - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

// Every expected value below is computed by hand from test/fixtures/baci (thousand US$ there, US$ in the store).
describe('indicators on the BACI-format fixture, against hand computations', { skip: NEEDS_SHARED }, () => {
  let db: string;
  before(() => {
    db = join(tempDir(), 'store.duckdb');
    assert.equal(
      cli(db, 'setup', '--from', SHARED, '--pack', 'countries', '--pack', 'hs-bec', '--pack', 'hs-sitc').status,
      0,
    );
    const r = cli(
      db,
      'import',
      'baci',
      join(BACI, 'BACI_HS17_Y2017_V000001.csv'),
      join(BACI, 'BACI_HS17_Y2022_V000001.csv'),
    );
    assert.equal(r.status, 0, r.stderr);
  });
  const compute = (...args: string[]) => cliJson<R>(db, 'compute', ...args);

  test('rca: CHN in 851712, 2017 = (140/230)/(155/360)', () => {
    const row = compute('rca', '--reporter', 'CHN', '--years', '2017').find((r) => r.product === '851712')!;
    close(row.rca, 140 / 230 / (155 / 360));
    close(row.rsca, (140 / 230 / (155 / 360) - 1) / (140 / 230 / (155 / 360) + 1));
  });

  test('trade-intensity: CHN→USA 2017, both denominators', () => {
    const row = compute('trade-intensity', '--reporter', 'CHN', '--partner', 'USA', '--years', '2017')[0];
    // x_ij = 150, X_i = 230, M_USA = 195, M_w = 360, M_CHN = 75
    close(row.trade_intensity, 150 / 230 / (195 / 360));
    close(row.trade_intensity_net, 150 / 230 / (195 / (360 - 75)));
  });

  test('complementarity: CHN exports vs US imports 2017', () => {
    const x = [140 / 230, 60 / 230, 30 / 230];
    const m = [115 / 195, 35 / 195, 45 / 195];
    const tc = 100 * (1 - x.reduce((s, v, i) => s + Math.abs(m[i] - v), 0) / 2);
    close(
      compute('complementarity', '--reporter', 'CHN', '--partner', 'USA', '--years', '2017')[0].complementarity,
      tc,
    );
  });

  test('export-similarity: VNM and MEX in the US market 2017 and 2022', () => {
    const rows = compute('export-similarity', '--reporter', 'VNM', '--partner', 'MEX', '--market', 'USA');
    close(rows[0].export_similarity, 100 * (Math.min(10 / 15, 5 / 15) + Math.min(5 / 15, 10 / 15)));
    close(rows[1].export_similarity, 100 * (Math.min(40 / 55, 5 / 25) + Math.min(15 / 55, 20 / 25)));
  });

  test('grubel-lloyd: USA–CHN level and marginal index', () => {
    const rows = compute('grubel-lloyd', '--reporter', 'USA', '--partner', 'CHN');
    close(rows[0].grubel_lloyd, (50 + 20 - 30) / 220);
    close(rows[1].grubel_lloyd, (40 + 10 - 30) / 180);
    // ΔX: 854231 −10, 020130 +10; ΔM: 851712 −20, 854231 −10, 940161 −10
    const a = (10 + 10 - 0 + (10 + 0 - 10) + (20 + 0 - 20) + (10 + 0 - 10)) / (20 + 10 + 20 + 10);
    close(rows[2].grubel_lloyd, a);
  });

  test("partner-hhi and partner-rank: China's export partners", () => {
    const h = compute('partner-hhi', '--reporter', 'CHN', '--years', '2017')[0];
    const s = [150 / 230, 50 / 230, 30 / 230];
    const hhi = s.reduce((t, v) => t + v * v, 0);
    close(h.hhi, hhi, 1e-6);
    close(h.hhi_normalised, (hhi - 1 / 3) / (1 - 1 / 3), 1e-6);
    const rank = compute('partner-rank', '--reporter', 'USA', '--flow', 'import', '--partner', 'VNM');
    assert.deepEqual(
      rank.map((r) => r.rank),
      [2, 2],
    );
  });

  test('import-dependence: products where China supplies ≥ 50/70/90% of US imports', () => {
    const rows = compute('import-dependence', '--reporter', 'USA', '--partner', 'CHN');
    // 2017 shares: 851712 100/115, 854231 20/35, 940161 30/45 → all ≥ 50, one ≥ 70 (851712), none ≥ 90
    assert.equal(rows[0].products_share_ge_50, 3);
    assert.equal(rows[0].products_share_ge_70, 1);
    close(rows[0].import_value_in_them_pct_ge_70, (100 * 115) / 195);
    assert.equal(rows[0].products_share_ge_90, 0);
  });

  test("diversion: who took China's place in US imports, 2017 → 2022", () => {
    const rows = compute('diversion', '--reporter', 'USA', '--partner', 'CHN', '--sources', 'group:ASEAN,MEX');
    const by = Object.fromEntries(rows.map((r) => [r.source, r]));
    close(by.CHN.share_change_pp, (100 * 110) / 205 - (100 * 150) / 195);
    close(by.ASEAN.change_usd, 40000, 0);
    // China's sales fell in all three products; Vietnam gained 30 + 10, Mexico 10, Germany 0 in them.
    close(by.ASEAN.gain_where_source_fell_usd, 40000, 0);
    close(by.MEX.gain_where_source_fell_usd, 10000, 0);
    close(by['rest of world'].share_change_pp, (100 * 15) / 205 - (100 * 15) / 195);
  });

  test('connectors: Viet Nam between China and the US', () => {
    const vnm = compute('connectors', '--reporter', 'CHN', '--partner', 'USA', '--economy', 'VNM')[0];
    // Δm = [30, 0, 0], Δx = [0, 30, 10] over 854231, 851712, 940161
    close(vnm.correlation, -400 / Math.sqrt(600 * (4200 / 9)), 1e-4);
    close(vnm.slope, -400 / 600, 1e-6);
    const se = Math.sqrt((4200 / 9 - 400 ** 2 / 600) / 1 / 600);
    close(vnm.slope_se, se, 1e-6);
    close(vnm.slope_ci95_high, -400 / 600 + 12.7062 * se, 1e-3);
    assert.equal(vnm.connected_growth_usd, 0);
  });

  test('bilateral-share by group: manufacturing share and a change summary', () => {
    const rows = compute(
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--group',
      'manufacturing:manufactured',
    );
    close(rows[0].share_pct, (100 * 150) / 195);
    const sum = compute(
      'bilateral-share',
      '--reporter',
      'USA',
      '--partner',
      'CHN',
      '--flow',
      'import',
      '--group',
      'manufacturing:manufactured',
      '--summary',
    );
    close(sum[0].change_pp, (100 * 110) / 205 - (100 * 150) / 195);
  });

  test('bad parameters are refused clearly', () => {
    assert.match(cli(db, 'compute', 'rca').stderr, /rca needs --reporter/);
    assert.match(cli(db, 'compute', 'nonsense').stderr, /unknown indicator 'nonsense'/);
    assert.match(
      cli(db, 'compute', 'rca', '--reporter', 'CHN', '--group', 'Bad Set').stderr,
      /--group takes SET or SET:NAME/,
    );
    assert.match(cli(db, '--format', 'xlsx', 'compute', 'rca', '--reporter', 'CHN').stderr, /give --out FILE/);
  });

  test('xlsx and parquet output (full precision)', async () => {
    const dir = tempDir();
    assert.equal(
      cli(db, '--format', 'xlsx', 'compute', 'rca', '--reporter', 'CHN', '--out', join(dir, 'rca.xlsx')).status,
      0,
    );
    assert.equal(
      cli(db, '--format', 'parquet', 'compute', 'rca', '--reporter', 'CHN', '--out', join(dir, 'rca.parquet')).status,
      0,
    );
    // Read back outside the store: `decouple query` reads the store and no other file.
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    const back = (
      await con.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, max(rca) AS top FROM read_parquet('${join(dir, 'rca.parquet')}')`,
      )
    ).getRowObjects();
    con.closeSync();
    instance.closeSync();
    assert.equal(back[0].n, 6);
    close(back[0].top, 140 / 230 / (155 / 360));
  });

  test('two source codes for one economy: the flows are added up, not read as one row each', () => {
    // A BACI-format year where China appears under its code 156 and under 999, mapped to CHN by the user.
    const dir = tempDir();
    const file = join(dir, 'BACI_HS17_Y2019_V000001.csv');
    writeFileSync(
      file,
      't,i,j,k,v,q\n2019,156,842,851712,100,1\n2019,999,842,851712,30,1\n2019,704,842,851712,10,1\n2019,842,156,854231,50,1\n',
    );
    const other = join(dir, 'store.duckdb');
    assert.equal(cli(other, 'setup', '--from', SHARED, '--pack', 'countries').status, 0);
    const r = cli(other, 'import', 'baci', file, '--map-country', '999=CHN');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      cliJson<R>(other, 'query', "SELECT unique_keys FROM datasets WHERE source = 'baci'")[0].unique_keys,
      false,
    );
    const rows = cliJson<R>(other, 'compute', 'import-dependence', '--reporter', 'USA', '--partner', 'CHN');
    close(rows[0].import_value_in_them_pct_ge_70, 100); // 851712: CHN 130 of 140 = 92.9% ≥ 70, all of US imports
    const share = cliJson<R>(other, 'compute', 'trade-intensity', '--reporter', 'CHN', '--partner', 'USA');
    close(share[0].partner_share_of_exports_pct, 100);
    close(share[0].partner_share_of_world_imports_pct, (100 * 140) / 190);
  });
});

describe('indicator helpers', () => {
  test('change summary: level, change in points and percent, CAGR, peak', () => {
    const rows = [
      { year: 2018, reporter: 'CHN', partner: 'USA', share_pct: 19.28, value: 100 },
      { year: 2020, reporter: 'CHN', partner: 'USA', share_pct: 17.5, value: 121 },
      { year: 2023, reporter: 'CHN', partner: 'USA', share_pct: 14.83, value: 90 },
    ];
    const s = summariseChange(rows, 'share_pct')[0];
    close(s.change_pp, -4.45);
    assert.equal(s.peak_year, 2018);
    const v = summariseChange(rows, 'value', 2018, 2020)[0];
    close(v.cagr_pct, 10);
    close(v.change_pct, 21);
  });

  test('Student t critical values', () => {
    close(tCritical95(1), 12.706, 1e-3);
    close(tCritical95(5), 2.5706, 2e-3);
    close(tCritical95(30), 2.0423, 1e-3);
    close(tCritical95(1000), 1.9623, 1e-3);
  });
});
