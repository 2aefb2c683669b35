import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store/store.js';
import { ensureBuiltins } from '../src/measures/builtins.js';
import { importTariffs } from '../src/ingest/tariffs.js';
import { importComtrade } from '../src/ingest/comtrade.js';
import { findIndicator } from '../src/indicators/registry.js';
import { indicatorDefaults } from '../src/indicators/params.js';
import { parseIso3 } from '../src/core/index.js';
import { QUANTITY_UNITS } from '../src/indicators/unitValues.js';
import { ROOT, SHARED, baseStore, benchDir, copyStore, median } from './harness.js';

const iso3 = (code: string) => parseIso3(code, 'bench');
const S = (...p: string[]) => join(SHARED, ...p);

/** Returns a store with the real tariff lines, MFN schedules and 2017 weights of ../shared/data, built once. */
async function tariffStore(): Promise<string> {
  const path = join(benchDir(), 'average-tariff.duckdb');
  if (existsSync(path)) return path;
  copyStore(await baseStore(['countries', 'hs', 'hs-vintages']), path);
  const store = await Store.open(path);
  try {
    await ensureBuiltins(store);
    const mfn = [2017, 2018, 2019, 2021, 2022, 2023, 2024, 2025].map((y) => {
      const names: Record<number, string> = {
        2019: '2019__2019_Tariff_Database_v11',
        2021: '2021__tariff_database_202106',
        2022: '2022__tariff_database_202207',
        2023: '2023__tariff_database_202307',
        2024: '2024__tariff_database_202405',
        2025: '2025__tariff_database_2025_06062025',
      };
      return S('usitc-tariff-database', `usitc_tariff_database_${names[y] ?? `${y}__tariff_database_${y}`}.csv.gz`);
    });
    const options = { userMap: new Map<string, string>() };
    await importTariffs(
      store,
      [
        ...mfn,
        S('hts-hero-china-ch99-lists', 'china_ch99_heading_hts_codes.csv.gz'),
        S('gta-us-tariff-barrier-estimates', 'exceptions.csv.gz'),
      ],
      options,
    );
    await importTariffs(store, [S('tariffs', 'china_tariffs_on_us_hs6_2018_2019.csv')], {
      ...options,
      importer: 'CHN',
      exporter: 'USA',
      rateKind: 'total',
    });
    await importComtrade(store, [S('comtrade-us', 'comtrade_usa_partner_hs_2015_2025.csv.gz')], options);
  } finally {
    store.close();
  }
  return path;
}

/** Writes the tables the pandas side reads; returns their folder. */
async function exportTables(store: Store, usaDates: string[], chnDates: string[]): Promise<string> {
  const dir = join(benchDir(), 'average-tariff-tables');
  mkdirSync(dir, { recursive: true });
  const copy = (name: string, query: string) => store.run(`COPY (${query}) TO '${join(dir, `${name}.csv`)}' (HEADER)`);
  await copy(
    'mfn',
    `SELECT year, line, ad_valorem_pct AS ad, specific_rate AS per_unit, quantity_unit AS unit, from_date
     FROM mfn_rates WHERE importer = 'USA'`,
  );
  // The 2017 imports with quantities (for the unit values of specific rates) from the dataset with the most of them,
  // and the tariff units each trade unit converts to.
  await copy(
    'qty',
    `SELECT product, quantity_unit, CAST(value_usd AS DOUBLE) AS v, quantity AS q FROM flows
     WHERE importer = 'USA' AND exporter = 'CHN' AND year = 2017 AND month IS NULL AND product_level = 6 AND quantity > 0
       AND value_usd > 0 AND dataset_id = (SELECT dataset_id FROM flows WHERE importer = 'USA' AND exporter = 'CHN'
         AND year = 2017 AND month IS NULL AND product_level = 6 AND quantity > 0
         GROUP BY dataset_id ORDER BY count(*) DESC, dataset_id LIMIT 1)`,
  );
  writeFileSync(
    join(dir, 'units.csv'),
    'tariff_unit,trade_unit,factor\n' +
      Object.entries(QUANTITY_UNITS)
        .flatMap(([t, list]) => list.map((u) => `${t},${u.unit},${u.factor}`))
        .join('\n') +
      '\n',
  );
  await copy(
    'tl',
    `SELECT line, substr(line, 1, 8) AS key8, measure_id, list, rate_pct, from_date, to_date FROM tariff_lines
     WHERE importer = 'USA' AND exporter IN ('CHN', 'ALL') AND rate_kind = 'additional' AND measure_id IS NOT NULL`,
  );
  await copy(
    'ex',
    `SELECT line, measure_id, from_date, to_date FROM tariff_exclusions
     WHERE importer = 'USA' AND exporter IN ('CHN', 'ALL') AND from_date IS NOT NULL`,
  );
  await copy(
    'allg',
    `SELECT l.measure_id, l.rate_pct, l.from_date, l.suspended FROM measure_tariff_lists l JOIN measures m USING (measure_id)
     WHERE l.scope = 'all-goods' AND m.actor = 'USA' AND list_contains(string_split(m.targets, ','), 'CHN')`,
  );
  const weights = (importer: string, exporter: string, side: string) =>
    `SELECT product, sum(CAST(value_usd AS DOUBLE)) AS w FROM flows WHERE importer = '${importer}' AND exporter = '${exporter}'
     AND reporter_side = '${side}' AND year = 2017 AND month IS NULL AND product_level = 6 GROUP BY product HAVING sum(value_usd) > 0`;
  await copy('w', weights('USA', 'CHN', 'importer'));
  await copy('chn_w', weights('CHN', 'USA', 'exporter'));
  await copy('conc', `SELECT from_classification, to_classification, from_code, to_code FROM concordances`);
  await copy(
    'chn_rates',
    `SELECT line, rate_pct, from_date, to_date FROM tariff_lines WHERE importer = 'CHN' AND exporter = 'USA' AND rate_kind = 'total' AND digits = 6`,
  );
  // China's later actions, stacked on the rate file after its last date (see totalRateStack.ts).
  const end = `(SELECT max(from_date) FROM tariff_lines WHERE importer = 'CHN' AND exporter = 'USA' AND rate_kind = 'total' AND digits = 6)`;
  const toUsa = `m.actor = 'CHN' AND list_contains(string_split(m.targets, ','), 'USA')`;
  await copy(
    'chn_scaling',
    `SELECT c.measure_id, CAST(c.date AS DATE) AS on_date, c.rate_factor AS f, m.effective AS eff
     FROM measure_changes c JOIN measures m USING (measure_id)
     WHERE c.rate_factor IS NOT NULL AND ${toUsa} AND m.effective <= ${end} AND TRY_CAST(c.date AS DATE) > ${end}`,
  );
  await copy(
    'chn_later',
    `SELECT x.line, x.rate_pct, x.from_date, x.to_date FROM tariff_lines x JOIN measures m USING (measure_id)
     WHERE x.importer = 'CHN' AND x.exporter = 'USA' AND x.rate_kind = 'additional' AND m.effective > ${end}`,
  );
  await copy(
    'chn_allg',
    `SELECT l.measure_id, l.rate_pct, l.from_date, l.suspended FROM measure_tariff_lists l JOIN measures m USING (measure_id)
     WHERE l.scope = 'all-goods' AND ${toUsa} AND m.effective > ${end}`,
  );
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ weights_classification: 'HS2017', usa_dates: usaDates, chn_dates: chnDates }),
  );
  return dir;
}

/**
 * The average-tariff series 2018–2025 at every action date, HTS8 lines, both directions (the US on China by
 * layer, China on the US from total rates), side by side with the same computation in pandas; prints the
 * times, the ratio and the largest difference; returns whether decouple is at least 3 times faster.
 */
export async function benchAverageTariff(runs: number): Promise<boolean> {
  console.log('\naverage-tariff: the US and Chinese average tariff at every action date 2018–2025');
  if (!existsSync(SHARED)) {
    console.log('  not run: needs ../shared/data (the tariff lines and schedules)');
    return false;
  }
  const store = await Store.open(await tariffStore(), { readOnly: true });
  try {
    const indicator = findIndicator('average-tariff');
    const compute = (reporter: string, partner: string) =>
      indicator.compute(
        store,
        indicatorDefaults({ reporter: iso3(reporter), partner: iso3(partner), years: [2018, 2025], weights: 2017 }),
      );
    const ours: number[] = [];
    let usa = await compute('USA', 'CHN');
    let chn = await compute('CHN', 'USA');
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      usa = await compute('USA', 'CHN');
      chn = await compute('CHN', 'USA');
      ours.push((performance.now() - t0) / 1000);
    }
    const python = '/usr/bin/python3';
    if (spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf-8' }).status !== 0) {
      console.log(`  decouple ${median(ours).toFixed(2)} s; pandas: not run (apt-get install python3-pandas)`);
      return false;
    }
    const dir = await exportTables(
      store,
      usa.rows.map((r) => String(r.date)),
      chn.rows.map((r) => String(r.date)),
    );
    const theirs: number[] = [];
    let result: { seconds: number; usa: Record<string, number>; chn: Record<string, number> } | undefined;
    for (let r = 0; r < runs; r++) {
      const out = spawnSync(python, [join(ROOT, 'bench', 'py', 'average_tariff_pandas.py'), dir], {
        encoding: 'utf-8',
        maxBuffer: 16 * 1024 * 1024,
      });
      if (out.status !== 0) throw new Error(`pandas run failed: ${out.stderr}`);
      result = JSON.parse(out.stdout.trim().split('\n').pop()!);
      theirs.push(result!.seconds);
    }
    let diff = 0;
    for (const [rows, key] of [
      [usa.rows, 'usa'],
      [chn.rows, 'chn'],
    ] as const)
      for (const r of rows) diff = Math.max(diff, Math.abs(Number(r.average_pct) - result![key][String(r.date)]));
    const a = median(ours);
    const b = median(theirs);
    console.log(
      `  ${usa.rows.length} + ${chn.rows.length} dates; decouple ${a.toFixed(3)} s, pandas ${b.toFixed(3)} s (compute only, loading not counted): pandas ÷ decouple = ${(b / a).toFixed(2)}× (target ≥ 3×); largest difference ${diff.toExponential(2)} pp`,
    );
    return b / a >= 3 && diff < 1e-9;
  } finally {
    store.close();
  }
}
