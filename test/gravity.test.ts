import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseFormula } from '../src/gravity/formula.js';
import { loadGravityInput } from '../src/gravity/gravityData.js';
import { ppml, type PpmlData, type PpmlOptions } from '../src/gravity/ppml.js';
import { SANDWICH_SMALL_SAMPLE, smallSampleParameters } from '../src/gravity/smallSample.js';
import { writePanelCsv } from '../bench/gravityPpml.js';
import { syntheticGravityPanel } from '../src/gravity/syntheticPanel.js';
import { solveGeneralEquilibrium } from '../src/gravity/generalEquilibrium.js';
import { readScenario, runScenario } from '../src/gravity/scenario.js';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, SHARED, tempDir } from './helpers.js';

const HAS_R = spawnSync('Rscript', ['-e', 'library(sandwich)'], { encoding: 'utf-8' }).status === 0;
const NEEDS_R = HAS_R
  ? false
  : 'needs Rscript with the sandwich package (Debian r-base-core, r-cran-sandwich; .ci/run installs them)';

/** R's glm with dummies and sandwich, converged tightly: the conventions the glm comparison needs. */
const GLM_CONVENTIONS: PpmlOptions = { tolerance: 1e-10, smallSample: SANDWICH_SMALL_SAMPLE };

/** The R library the benchmark installs fixest into (from ../shared/tools/r-src); absent on a fresh machine. */
const FIXEST_LIB = join(homedir(), '.cache', 'decoupling-monitor', 'r-fixest-0.12.2');
const HAS_FIXEST =
  HAS_R &&
  spawnSync('Rscript', ['-e', 'suppressMessages(library(fixest))'], { env: { ...process.env, R_LIBS: FIXEST_LIB } })
    .status === 0;
const NEEDS_FIXEST = HAS_FIXEST
  ? false
  : `needs fixest in ${FIXEST_LIB} (npm run bench installs it from ../shared/tools/r-src)`;

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('PPML estimation', () => {
  test('formulas: fixed-effect interactions, log terms and clear errors', () => {
    const f = parseFormula('value ~ log(dist) + rta | exporter^year + importer^year + pair');
    assert.deepEqual(
      f.regressors.map((r) => r.label),
      ['log(dist)', 'rta'],
    );
    assert.deepEqual(
      f.fixedEffects.map((x) => x.columns),
      [['exporter', 'year'], ['importer', 'year'], ['pair']],
    );
    assert.throws(() => parseFormula('value log(dist)'), /one '~'/);
    assert.throws(() => parseFormula('value ~ dist * 2'), /'dist \* 2' in the regressors/);
    assert.throws(() => parseFormula('value ~ a + a'), /appears twice/);
  });

  test('singletons and fixed-effect separation are dropped and counted, iteratively', () => {
    // Row 6 is alone in A's level 2 and rows 2-3 fill B's level 2 with zeros; dropping them leaves
    // row 5 alone in A's level 1, then row 0 alone in B's level 0: 3 singletons, 2 separated.
    const y = Float64Array.from([1, 2, 0, 0, 3, 5, 4]);
    const a = Int32Array.from([0, 0, 1, 1, 0, 1, 2]);
    const b = Int32Array.from([0, 1, 2, 2, 1, 0, 0]);
    const x = Float64Array.from([0.5, 1.2, 0.3, 0.9, 2.0, 0.1, 0.7]);
    const r = ppml({
      y,
      x: [{ name: 'x', values: x }],
      fixedEffects: [
        { name: 'A', ids: a, levels: 3 },
        { name: 'B', ids: b, levels: 3 },
      ],
    });
    assert.equal(r.dropped.singletons, 3);
    assert.equal(r.dropped.separatedByFixedEffects, 2);
    assert.equal(r.observations, 2);
  });

  test('separation by a regressor is found (ReLU), dropped, and the estimate equals the fit without those rows', () => {
    // d = 1 only where y = 0: the MLE of d's coefficient is −∞, so those rows are separated.
    const n = 400;
    const y = new Float64Array(n);
    const d = new Float64Array(n);
    const x = new Float64Array(n);
    const g = new Int32Array(n);
    let s = 7;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < n; i++) {
      g[i] = i % 20;
      x[i] = rand();
      d[i] = i % 7 === 3 ? 1 : 0; // spread over the levels of g, so no level is all zero
      y[i] = d[i] ? 0 : Math.round(Math.exp(1 + x[i] + (g[i] % 5) * 0.3) * rand() * 2);
    }
    const data: PpmlData = {
      y,
      x: [
        { name: 'x', values: x },
        { name: 'd', values: d },
      ],
      fixedEffects: [{ name: 'g', ids: g, levels: 20 }],
    };
    const r = ppml(data);
    assert.equal(r.dropped.separatedByFixedEffects, 0);
    assert.equal(
      r.dropped.separatedByRegressors,
      d.reduce((a, v) => a + v, 0),
    );
    assert.deepEqual(r.omitted, ['d']);
    const keep = Array.from({ length: n }, (_, i) => d[i] === 0);
    const sub = (v: Float64Array) => Float64Array.from(v.filter((_, i) => keep[i]));
    const ids = Int32Array.from(g.filter((_, i) => keep[i]));
    const clean = ppml({
      y: sub(y),
      x: [{ name: 'x', values: sub(x) }],
      fixedEffects: [{ name: 'g', ids, levels: 20 }],
    });
    assert.ok(relDiff(r.coefficients[0].estimate, clean.coefficients[0].estimate) < 1e-9);
    assert.ok(relDiff(r.coefficients[0].seRobust, clean.coefficients[0].seRobust) < 1e-9);
  });

  test('synthetic panel, 150 economies × 25 years, exporter-year, importer-year and pair effects: parameters recovered within 2 standard errors', () => {
    const data = syntheticGravityPanel({ economies: 150, years: 25 });
    assert.equal(data.y.length, 558_750);
    const zeros = data.y.reduce((s, v) => s + (v === 0 ? 1 : 0), 0) / data.y.length;
    assert.ok(zeros > 0.28 && zeros < 0.4, `share of zero flows ${zeros}`);
    const r = ppml(data);
    for (const c of r.coefficients) {
      const z = (c.estimate - data.truth[c.name]) / c.se;
      assert.ok(
        Math.abs(z) < 2,
        `${c.name}: ${c.estimate} vs true ${data.truth[c.name]} (se ${c.se}, z ${z.toFixed(2)})`,
      );
    }
    assert.ok(r.dropped.separatedByFixedEffects > 0, 'pairs whose flows are all zero are separated by the pair effect');
    assert.equal(r.fixedEffects.length, 3);
  });

  test(
    'fixest_trade.csv: coefficients and standard errors (quasi-Poisson, robust, one- and two-way clustered) equal R glm with dummies and sandwich to 8 significant digits',
    { skip: NEEDS_SHARED || NEEDS_R },
    async () => {
      const whole = join(SHARED, 'gravity', 'fixest_trade.csv');
      // The interacted effects on the last three years (11,626 rows, 107 parameters): R's dense QR over all ten
      // years (310 parameters) took 41 s of the suite for the same check.
      const lastYears = join(tempDir(), 'fixest_trade_2014_2016.csv');
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      await con.run(
        `COPY (SELECT * FROM read_csv('${whole}') WHERE Year BETWEEN 2014 AND 2016) TO '${lastYears}' (HEADER)`,
      );
      con.closeSync();
      db.closeSync();
      const cases = [
        {
          file: whole,
          ours: 'Euros ~ log(dist_km) | Origin + Destination + Product + Year',
          r: 'Euros ~ log(dist_km) + factor(Origin) + factor(Destination) + factor(Product) + factor(Year)',
        },
        {
          file: lastYears,
          ours: 'Euros ~ log(dist_km) | Origin^Year + Destination^Year + Product',
          r: 'Euros ~ log(dist_km) + factor(paste(Origin,Year)) + factor(paste(Destination,Year)) + factor(Product)',
        },
      ];
      for (const c of cases) {
        const file = c.file;
        const input = await loadGravityInput({ file }, parseFormula(c.ours), [['Origin', 'Destination']]);
        const ours = ppml(input.data, GLM_CONVENTIONS);
        const out = spawnSync('Rscript', [join(ROOT, 'test', 'r', 'ppml_glm.R'), file, c.r, 'Origin,Destination'], {
          encoding: 'utf-8',
        });
        assert.equal(out.status, 0, out.stderr);
        const ref = JSON.parse(out.stdout) as Record<string, number>;
        const co = ours.coefficients[0];
        assert.equal(ours.parameters, ref.rank, `${c.ours}: parameters vs R's rank`);
        assert.ok(relDiff(co.estimate, ref.estimate) < 1e-8, `${c.ours}: estimate ${co.estimate} vs R ${ref.estimate}`);
        assert.ok(relDiff(co.seIid, ref.seIid) < 1e-8, `quasi-Poisson se ${co.seIid} vs R ${ref.seIid}`);
        assert.ok(relDiff(co.seRobust, ref.seRobust) < 1e-8, `robust se ${co.seRobust} vs R ${ref.seRobust}`);
        assert.ok(relDiff(co.seCluster!, ref.seCluster) < 1e-8, `clustered se ${co.seCluster} vs R ${ref.seCluster}`);
        const twoWay = await loadGravityInput({ file }, parseFormula(c.ours), [['Origin'], ['Destination']]);
        const tw = ppml(twoWay.data, GLM_CONVENTIONS).coefficients[0];
        assert.ok(
          relDiff(tw.seCluster!, ref.seClusterMultiway) < 1e-8,
          `two-way clustered se ${tw.seCluster} vs R ${ref.seClusterMultiway}`,
        );
      }
    },
  );

  test('the small-sample K under each convention: nested sets leave the clustered K, as fixest counts them', () => {
    // Two pairs (0, 1) over three years; the pair effect nests in the pair clusters, the year effect does not.
    const pair = { name: 'pair', ids: Int32Array.from([0, 0, 0, 1, 1, 1]), levels: 2 };
    const year = { name: 'year', ids: Int32Array.from([0, 1, 2, 0, 1, 2]), levels: 3 };
    const byPair = [{ ids: pair.ids }];
    const byYear = [{ ids: year.ids }];
    // full: 1 regressor + 2 + 3 levels − (2 − 1) = 5.
    assert.deepEqual(smallSampleParameters(1, [pair, year], byPair, 'full'), { parameters: 5, clusterParameters: 5 });
    // nested, clustered by pair: the pair effect's 2 − 1 free levels leave the clustered K.
    assert.deepEqual(smallSampleParameters(1, [pair, year], byPair, 'nested'), { parameters: 5, clusterParameters: 4 });
    // every set nested (clustered by year with only the year effect): the regressors and an intercept.
    assert.deepEqual(smallSampleParameters(1, [year], byYear, 'nested'), { parameters: 4, clusterParameters: 2 });
    assert.deepEqual(smallSampleParameters(1, [pair, year], [], 'nested'), { parameters: 5, clusterParameters: 5 });
    assert.deepEqual(smallSampleParameters(1, [pair, year], byPair, 'none'), { parameters: 1, clusterParameters: 1 });
    // exact: the two sets form one connected component, so one redundancy: 1 + 5 − 1.
    assert.deepEqual(smallSampleParameters(1, [pair, year], byPair, 'exact'), { parameters: 5, clusterParameters: 5 });
  });

  test(
    "fixest::fepois on fixest_trade.csv and a synthetic panel: coefficients to 1e-8, clustered se under fixest's conventions to 1e-6",
    { skip: NEEDS_SHARED || NEEDS_FIXEST },
    async () => {
      const panelFile = join(tempDir(), 'panel.csv');
      const panel = syntheticGravityPanel({ economies: 40, years: 10 });
      writePanelCsv(panel, panelFile);
      const cases = [
        {
          file: join(SHARED, 'gravity', 'fixest_trade.csv'),
          formula: 'Euros ~ log(dist_km) | Origin + Destination + Product + Year',
          cluster: ['Origin', 'Destination'],
        },
        { file: panelFile, formula: 'y ~ rta + log_tariff | ey + iy + pair', cluster: ['pair'] },
      ];
      for (const c of cases) {
        const input = await loadGravityInput({ file: c.file }, parseFormula(c.formula), [c.cluster]);
        const ours = ppml(input.data);
        const out = spawnSync(
          'Rscript',
          [join(ROOT, 'bench', 'r', 'fepois_time.R'), c.file, c.formula, `~${c.cluster.join('^')}`, 'check'],
          { encoding: 'utf-8', env: { ...process.env, R_LIBS: FIXEST_LIB } },
        );
        assert.equal(out.status, 0, out.stderr);
        const ref = JSON.parse(out.stdout.trim().split('\n').pop()!) as {
          coefficients: Record<string, number>;
          seNestedAtSolution: Record<string, number>;
          dofK: number;
          observations: number;
        };
        assert.equal(ours.observations, ref.observations, `${c.formula}: the same sample`);
        assert.equal(ours.smallSample.clusterParameters, ref.dofK, `${c.formula}: K as fixest counts it`);
        for (const co of ours.coefficients) {
          assert.ok(relDiff(co.estimate, ref.coefficients[co.name]) < 1e-8, `${co.name}: ${co.estimate} vs fixest`);
          assert.ok(
            relDiff(co.se, ref.seNestedAtSolution[co.name]) < 1e-6,
            `${co.name}: se ${co.se} vs fixest's ${ref.seNestedAtSolution[co.name]} at its solution`,
          );
        }
      }
    },
  );

  test(
    'gravity estimate: a paper table, JSON and clear errors for a missing column or file',
    { skip: NEEDS_SHARED },
    () => {
      const db = join(tempDir(), 'store.duckdb');
      const file = join(SHARED, 'gravity', 'fixest_trade.csv');
      const table = cli(
        db,
        'gravity',
        'estimate',
        '--formula',
        'Euros ~ log(dist_km) | Origin + Destination + Product + Year',
        '--data',
        file,
        '--cluster',
        'Origin',
      );
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, /log\(dist_km\)\s+-1\.5279\*\*\*/);
      assert.match(table.stdout, /clustered by Origin \(15 groups\)/);
      assert.match(table.stdout, /Observations\s+38,325/);
      const latex = cli(
        db,
        'gravity',
        'estimate',
        '--formula',
        'Euros ~ log(dist_km) | Origin + Destination',
        '--data',
        file,
        '--table',
        'latex',
        '--lang',
        'zh',
      );
      assert.match(latex.stdout, /\\begin\{tabular\}/);
      assert.match(latex.stdout, /观测值 & 38,325/);
      const json = JSON.parse(
        cli(
          db,
          '--format',
          'json',
          'gravity',
          'estimate',
          '--formula',
          'Euros ~ log(dist_km) | Origin + Destination',
          '--data',
          file,
        ).stdout,
      );
      assert.equal(json.observations, 38325);
      assert.equal(json.coefficients[0].name, 'log(dist_km)');
      const missing = cli(db, 'gravity', 'estimate', '--formula', 'Euros ~ log(distance) | Origin', '--data', file);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /fixest_trade\.csv: no column 'distance' \(columns: Destination, Origin/);
      const nofile = cli(db, 'gravity', 'estimate', '--formula', 'y ~ x', '--data', join(SHARED, 'nope.csv'));
      assert.match(nofile.stderr, /nope\.csv: no such file/);
    },
  );
});

describe('general equilibrium scenarios', () => {
  // A small world with internal flows: three economies, balanced enough for the checks below.
  const economies = ['AAA', 'BBB', 'CCC'];
  const flows = Float64Array.from([500, 40, 30, 35, 600, 25, 20, 30, 400]);

  test('no change returns the baseline exactly', () => {
    const r = solveGeneralEquilibrium({ economies, flows }, new Float64Array(9).fill(1), { elasticity: 5 });
    assert.deepEqual([...r.flows], [...flows]);
    assert.deepEqual([...r.outputChange], [1, 1, 1]);
    assert.deepEqual([...r.realIncomeChange], [1, 1, 1]);
    assert.equal(r.iterations, 1);
  });

  test('a symmetric shock on a symmetric world gives symmetric results', () => {
    const sym = Float64Array.from([500, 40, 30, 40, 500, 30, 30, 30, 400]);
    const tau = new Float64Array(9).fill(1);
    tau[0 * 3 + 1] = 1.5;
    tau[1 * 3 + 0] = 1.5;
    const r = solveGeneralEquilibrium({ economies, flows: sym }, tau, { elasticity: 4 });
    assert.ok(Math.abs(r.outputChange[0] - r.outputChange[1]) < 1e-12);
    assert.ok(Math.abs(r.realIncomeChange[0] - r.realIncomeChange[1]) < 1e-12);
    assert.ok(Math.abs(r.flows[1] - r.flows[3]) < 1e-9);
    assert.ok(r.flows[1] < 40 && r.realIncomeChange[0] < 1, 'the shocked pair trades less and loses real income');
    assert.ok(r.flows[2] > 30 * r.outputChange[0], 'trade is diverted towards the third economy');
  });

  test('with balanced trade, real income changes equal the ACR formula π̂_jj^(−1/θ); prohibitive costs stop the flow', () => {
    // Symmetric, so every economy is balanced.
    const balanced = Float64Array.from([500, 40, 30, 40, 600, 25, 30, 25, 400]);
    const tau = new Float64Array(9).fill(1);
    tau[2] = Infinity;
    tau[1] = 1.3;
    const theta = 5;
    const r = solveGeneralEquilibrium({ economies, flows: balanced }, tau, { elasticity: theta });
    assert.equal(r.flows[2], 0);
    for (let j = 0; j < 3; j++) {
      const e0 = balanced[j] + balanced[3 + j] + balanced[6 + j];
      const e1 = r.flows[j] + r.flows[3 + j] + r.flows[6 + j];
      const piHat = r.flows[j * 3 + j] / e1 / (balanced[j * 3 + j] / e0);
      assert.ok(
        relDiff(r.realIncomeChange[j], piHat ** (-1 / theta)) < 1e-9,
        `economy ${j}: ${r.realIncomeChange[j]} vs ACR ${piHat ** (-1 / theta)}`,
      );
    }
    const none = new Float64Array(9).fill(1);
    none[0 * 3 + 1] = Infinity;
    none[2 * 3 + 1] = Infinity;
    none[1 * 3 + 1] = Infinity;
    assert.throws(
      () => solveGeneralEquilibrium({ economies, flows: balanced }, none, { elasticity: theta }),
      /BBB has no supplier left/,
    );
  });

  test('the library API: the package entry exports the estimator and the solver', async () => {
    const api = await import('decoupling-monitor');
    const r = api.solveGeneralEquilibrium({ economies, flows }, new Float64Array(9).fill(1), { elasticity: 5 });
    assert.deepEqual([...r.flows], [...flows]);
    const fit = api.ppml(api.syntheticGravityPanel({ economies: 20, years: 5 }));
    assert.equal(fit.coefficients.length, 2);
    assert.match(api.regressionTable(fit, { formula: 'y ~ rta + log_tariff', lang: 'zh', style: 'text' }), /观测值/);
  });

  test('scenario files: validated with file and line; a file baseline with internal flows reports real income', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'world.csv'),
      'exporter,importer,value\nAAA,AAA,500\nAAA,BBB,40\nAAA,CCC,30\nBBB,AAA,40\nBBB,BBB,600\nBBB,CCC,25\nCCC,AAA,30\nCCC,BBB,25\nCCC,CCC,400\n',
    );
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      [
        'format: 1',
        'name: {en: AAA and BBB decouple, zh: AAA 与 BBB 脱钩}',
        'baseline: {file: world.csv}',
        'elasticity: {value: 5, source: test}',
        'shocks:',
        '  - exporters: [AAA]',
        '    importers: [BBB]',
        '    both_directions: true',
        '    tariff: {from: 0, to: 0.5}',
        '    source: test',
        'focus: [AAA]',
        '',
      ].join('\n'),
    );
    const r = await runScenario(undefined, readScenario(good), good);
    assert.equal(r.baseline.hasInternalFlows, true);
    const zh = await runScenario(undefined, readScenario(good), good, 'zh');
    assert.match(zh.notes.join('\n'), /贸易弹性 θ = 5/);
    const aaa = r.economies.find((e) => e.economy === 'AAA')!;
    assert.ok(Number(aaa.real_income_change_pct) < 0);
    assert.ok(Number(r.diversion.find((d) => d.partner === 'CCC')!.exports_change_pct) > 0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'format: 1',
        'name: {en: x, zh: x}',
        'baseline: {file: world.csv}',
        'elasticity: {value: 5, source: test}',
        'shocks:',
        '  - exporters: [AAA]',
        '    importers: [BBB]',
        '    cost_change: 1.2',
        '    prohibitive: true',
        '    source: test',
        '',
      ].join('\n'),
    );
    assert.throws(
      () => readScenario(bad),
      /bad\.yaml, line 6: entry shocks\.0: give exactly one of tariff, cost_change or prohibitive/,
    );
  });

  describe('on the IMF DOTS world matrix', { skip: NEEDS_SHARED }, () => {
    const db = join(tempDir(), 'store.duckdb');
    before(() => {
      setupFromShared(db);
      const r = cli(db, 'import', 'dots', join(SHARED, 'imf-dots/dots_bilateral_2000_2020_long.csv.gz'));
      assert.equal(r.status, 0, r.stderr);
    });

    test('scenario run: US–China decoupling stops their trade, diverts it to third economies and says welfare needs internal flows', () => {
      const rows = cliJson(
        db,
        'scenario',
        'run',
        join(ROOT, 'scenarios', 'us-china-decoupling.yaml'),
        '--table',
        'diversion',
        '--top',
        '0',
      );
      const usChn = rows.find((r) => r.economy === 'USA' && r.partner === 'CHN')!;
      assert.equal(usChn.exports_new_usd, 0);
      assert.equal(usChn.exports_change_pct, -100);
      const usMex = rows.find((r) => r.economy === 'USA' && r.partner === 'MEX')!;
      assert.ok(Number(usMex.imports_change_pct) > 0, 'US imports from Mexico rise');
      const run = cli(
        db,
        'scenario',
        'run',
        join(ROOT, 'scenarios', 'us-china-tariffs-60.yaml'),
        '--table',
        'economies',
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /no internal \(domestic\) flows/);
      assert.match(run.stderr, /Trade elasticity θ = 4 \(Simonovska and Waugh/);
      const allies = cliJson(
        db,
        'scenario',
        'run',
        join(ROOT, 'scenarios', 'allies-join-controls.yaml'),
        '--table',
        'diversion',
        '--top',
        '0',
      );
      const fromJpn = allies.find((r) => r.economy === 'CHN' && r.partner === 'JPN')!;
      const fromKor = allies.find((r) => r.economy === 'CHN' && r.partner === 'KOR')!;
      assert.ok(
        Number(fromJpn.imports_change_pct) < -40,
        `China's imports from Japan (a G7 member): ${fromJpn.imports_change_pct}%`,
      );
      assert.ok(
        Number(fromKor.imports_change_pct) > 0,
        `China's imports from Korea (outside the G7): ${fromKor.imports_change_pct}%`,
      );
      const economies = cliJson(
        db,
        'scenario',
        'run',
        join(ROOT, 'scenarios', 'allies-join-controls.yaml'),
        '--table',
        'economies',
      );
      assert.equal(economies.find((r) => r.economy === 'CHN')!.real_income_change_pct, null);
    });

    test('gravity estimate --flows with --sql: a store panel with exporter-year, importer-year and pair effects', () => {
      const r = cliJson(
        db,
        'gravity',
        'estimate',
        '--flows',
        'dots',
        '--years',
        '2014-2020',
        '--cluster',
        'pair',
        '--sql',
        "SELECT *, (pair IN ('USA-CHN', 'CHN-USA') AND year >= 2019)::INT AS us_china_2019 FROM panel",
        '--formula',
        'value ~ us_china_2019 | exporter^year + importer^year + pair',
      ) as unknown;
      const json = r as unknown as {
        coefficients: { estimate: number; seCluster: number }[];
        observations: number;
        rowsRead: number;
        dropped: Record<string, number>;
      };
      assert.ok(json.coefficients[0].estimate < 0 && json.coefficients[0].seCluster > 0);
      assert.ok(json.observations < json.rowsRead && json.dropped.separatedByFixedEffects > 0);
      const bad = cli(db, 'gravity', 'estimate', '--flows', 'dots', '--formula', 'value ~ border | pair');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /no column 'border'/);
    });
  });
});
