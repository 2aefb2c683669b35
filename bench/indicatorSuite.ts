import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store, type Params } from '../src/store/store.js';
import { importBaci } from '../src/ingest/baci.js';
import { ensureBuiltins } from '../src/measures/builtins.js';
import { findIndicator } from '../src/indicators/registry.js';
import { createProductGroups } from '../src/indicators/productGroups.js';
import { forgetFlowBase } from '../src/indicators/flowBase.js';
import { ROOT } from './harness.js';
import { indicatorDefaults, type IndicatorParams } from '../src/indicators/params.js';
import { baseStore, benchDir, copyStore, fmt, median } from './harness.js';
import { economyCodes } from './baciImport.js';
import { writeSyntheticBaci } from './syntheticBaci.js';
import { parseIso3 } from '../src/core/index.js';

const iso3 = (code: string) => parseIso3(code, 'bench');

/** The indicator suite of issue 3 on CHN/USA (complementarity for the pair: the registry computes it pair by pair). */
const SUITE: Array<{ id: string; params: Partial<IndicatorParams> }> = [
  {
    id: 'bilateral-share',
    params: { reporter: iso3('CHN'), partner: iso3('USA'), flow: 'export', group: { set: 'bec-stage' } },
  },
  { id: 'partner-hhi', params: { reporter: iso3('CHN'), flow: 'export' } },
  { id: 'trade-intensity', params: { reporter: iso3('CHN'), partner: iso3('USA'), flow: 'export' } },
  { id: 'rca', params: { reporter: iso3('CHN'), years: [2022, 2022] } },
  { id: 'complementarity', params: { reporter: iso3('CHN'), partner: iso3('USA') } },
  { id: 'diversion', params: { reporter: iso3('USA'), partner: iso3('CHN'), from: 2017, to: 2022 } },
  { id: 'connectors', params: { reporter: iso3('CHN'), partner: iso3('USA'), from: 2017, to: 2022, top: 20 } },
];

/** Returns a store with two synthetic BACI years (2017 derived from 2022), built once and reused. */
async function suiteStore(rows: number): Promise<string> {
  const path = join(benchDir(), `suite-${rows}.duckdb`);
  if (existsSync(path)) return path;
  const packs = await baseStore(['countries', 'hs', 'hs-bec']);
  const data = await writeSyntheticBaci(join(benchDir(), 'baci'), rows, await economyCodes(packs));
  const y2017 = join(dirname(data.file), 'BACI_HS17_Y2017_V000000.csv');
  if (!existsSync(y2017)) {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT 2017 AS t, i, j, k, round(v * (0.4 + hash(i, j, k) % 1000 / 800.0), 3) AS v, q FROM read_csv('${data.file}'))
      TO '${y2017}' (HEADER, DELIMITER ',')`);
    con.closeSync();
  }
  copyStore(packs, path);
  const store = await Store.open(path);
  try {
    await ensureBuiltins(store); // country groups, measures and the other shipped facts
    await importBaci(store, [y2017, data.file], { userMap: new Map(), countryCodes: data.countryCodes });
  } finally {
    store.close();
  }
  return path;
}

/**
 * Issue 3's speed check: the indicator suite on a synthetic BACI-shaped
 * store (two years of `rows` flows each), timed as the system runs it and as
 * the very SQL it sends, replayed straight on the DuckDB connection without
 * the system around it (same statements, same order); runs alternate and
 * medians are compared. Returns whether the suite stays within 1.5 times the
 * bare SQL.
 */
export async function benchIndicatorSuite(rows: number, runs: number): Promise<boolean> {
  console.log(
    `\n== indicator-suite: ${SUITE.map((s) => s.id).join(', ')} on two synthetic BACI years of ${fmt(rows)} rows ==`,
  );
  const path = await suiteStore(rows);
  const store = await Store.open(path, { readOnly: true });
  try {
    const log: Array<{ sql: string; params?: Params }> = [];
    const all = store.all.bind(store);
    const exec = store.run.bind(store);
    let recording = false;
    store.all = async (sql: string, params?: Params) => {
      if (recording) log.push({ sql, params });
      return all(sql, params);
    };
    store.run = async (sql: string, params?: Params) => {
      if (recording) log.push({ sql, params });
      return exec(sql, params);
    };
    // Each run is a session from its start: the flow base is built by the first indicator and reused by the others.
    const suite = async () => {
      forgetFlowBase(store);
      const times: number[] = [];
      for (const s of SUITE) {
        const t = performance.now();
        await findIndicator(s.id).compute(store, indicatorDefaults(s.params));
        times.push((performance.now() - t) / 1000);
      }
      return times;
    };
    recording = true;
    await suite(); // warm-up, and the statements it sends
    recording = false;
    const replay = async () => {
      const t = performance.now();
      for (const q of log) {
        if (q.params) await store.connection.runAndReadAll(q.sql, q.params);
        else await store.connection.runAndReadAll(q.sql);
      }
      return (performance.now() - t) / 1000;
    };
    const ours: number[][] = [];
    const bare: number[] = [];
    for (let r = 0; r < runs; r++) {
      ours.push(await suite());
      bare.push(await replay());
    }
    const perIndicator = SUITE.map((s, i) => ({ id: s.id, seconds: median(ours.map((run) => run[i])) }));
    const total = median(ours.map((run) => run.reduce((a, b) => a + b, 0)));
    const sql = median(bare);
    for (const p of perIndicator) console.log(`  ${p.id.padEnd(18)} ${fmt(p.seconds, 3)} s`);
    console.log(`  decouple (the suite):            ${fmt(total, 2)} s (median of ${runs})`);
    console.log(`  the same ${log.length} SQL statements, bare: ${fmt(sql, 2)} s`);
    const ratio = total / sql;
    console.log(`  ratio decouple / bare SQL = ${fmt(ratio, 2)} (target ≤ 1.5) → ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
    const pandasMet = await comparePandas(store, path, perIndicator, runs);
    return ratio <= 1.5 && pandasMet;
  } finally {
    store.close();
  }
}

/**
 * Runs the first five indicators written in pandas (bench/py/indicators_pandas.py,
 * Debian's python3-pandas) on the same flows, loading not counted, and prints
 * the times side by side with decouple's and a check that the numbers agree;
 * returns whether decouple is at least 3 times faster.
 */
async function comparePandas(
  store: Store,
  path: string,
  ours: Array<{ id: string; seconds: number }>,
  runs: number,
): Promise<boolean> {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf-8' }).status !== 0) {
    console.log('  pandas: not run (apt-get install python3-pandas)');
    return false;
  }
  const flowsCsv = `${path}.flows.csv`;
  const groupsCsv = `${path}.bec-stage.csv`;
  if (!existsSync(flowsCsv))
    await store.run(
      `COPY (SELECT year, exporter, importer, product, value_usd AS value FROM flows WHERE product_level = 6) TO '${flowsCsv}' (HEADER)`,
    );
  if (!existsSync(groupsCsv)) {
    await createProductGroups(store, 'bec-stage');
    await store.run(
      `COPY (SELECT product, group_name, weight FROM pg WHERE classification = 'HS2017') TO '${groupsCsv}' (HEADER)`,
    );
  }
  const measured: Array<{ seconds: Record<string, number>; results: Record<string, unknown> }> = [];
  for (let r = 0; r < runs; r++) {
    const out = spawnSync(python, [join(ROOT, 'bench', 'py', 'indicators_pandas.py'), flowsCsv, groupsCsv], {
      encoding: 'utf-8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`pandas run failed: ${out.stderr}`);
    measured.push(JSON.parse(out.stdout.trim().split('\n').pop()!));
  }
  const ids = Object.keys(measured[0].seconds);
  let oursTotal = 0;
  let theirs = 0;
  for (const id of ids) {
    const mine = ours.find((o) => o.id === id)!.seconds;
    const pandas = median(measured.map((m) => m.seconds[id]));
    oursTotal += mine;
    theirs += pandas;
    console.log(`  ${id.padEnd(18)} decouple ${fmt(mine, 3)} s, pandas ${fmt(pandas, 3)} s`);
  }
  // The same numbers: CHN's partner HHI and CHN–USA trade intensity by year.
  const hhi = await findIndicator('partner-hhi').compute(
    store,
    indicatorDefaults({ reporter: iso3('CHN'), flow: 'export' }),
  );
  const intensity = await findIndicator('trade-intensity').compute(
    store,
    indicatorDefaults({ reporter: iso3('CHN'), partner: iso3('USA'), flow: 'export' }),
  );
  const res = measured[0].results as {
    'partner-hhi': Record<string, number>;
    'trade-intensity': Record<string, number>;
  };
  const diff = Math.max(
    ...hhi.rows.map((r) => Math.abs(Number(r.hhi) - res['partner-hhi'][String(r.year)])),
    ...intensity.rows.map((r) => Math.abs(Number(r.trade_intensity) / res['trade-intensity'][String(r.year)] - 1)),
  );
  console.log(
    `  the five in pandas: ${fmt(theirs, 2)} s; in decouple: ${fmt(oursTotal, 2)} s → decouple is ${fmt(theirs / oursTotal, 2)}× as fast (target ≥ 3) → ${theirs / oursTotal >= 3 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  same numbers: largest difference in HHI and relative difference in trade intensity ${diff.toExponential(1)} (decouple rounds to 4-6 decimals)`,
  );
  console.log('  diversion and connectors are not written in pandas here.');
  return theirs / oursTotal >= 3;
}
