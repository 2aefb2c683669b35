import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STORAGE_VERSION } from '../src/store/store.js';
import { ROOT, SHARED, baseStore, benchDir, copyStore, fmt, measure, median, removeStore } from './harness.js';

/** The real files of ../shared/data each importer reads, with the source name the command takes. */
const FILES: Array<{ source: string; label: string; path: string; map?: string }> = [
  { source: 'dots', label: 'IMF DOTS long CSV', path: 'imf-dots/dots_bilateral_2000_2020_long.csv.gz' },
  {
    source: 'census',
    label: 'Census HS10 2024',
    path: 'census-hs10-2024/census_us_imports_hs10_by_country_2024.csv.gz',
  },
  {
    source: 'comtrade',
    label: 'UN Comtrade (US reporter)',
    path: 'comtrade-us/comtrade_usa_partner_hs_2015_2025.csv.gz',
  },
  {
    source: 'csv',
    label: 'the Comtrade file as a user CSV (--map)',
    path: 'comtrade-us/comtrade_usa_partner_hs_2015_2025.csv.gz',
    map: join(ROOT, 'bench', 'comtradeAsUserCsv.yaml'),
  },
];

/**
 * Benchmarks `decouple import` of the real DOTS, Census and Comtrade files (the last also as a user CSV) against
 * DuckDB's read_csv of the same file into a table (its own layout detection, the store's file format), each in a
 * fresh process, runs alternated; prints rows per second and the ratio (issue 24's target: at least 0.5). Returns
 * whether every ratio meets it; files missing from ../shared/data are named and skipped.
 */
export async function benchRealImports(runs: number): Promise<boolean> {
  console.log('\n== real-imports: decouple import against DuckDB read_csv of the same file (above 1 is faster) ==');
  const base = await baseStore(['countries', 'census-codes']);
  const readDb = join(benchDir(), 'read-real.duckdb');
  const importDb = join(benchDir(), 'import-real.duckdb');
  let met = true;
  console.log('| file | rows | read_csv s | decouple import s | ratio (rows/s) | import peak MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const f of FILES) {
    const path = join(SHARED, f.path);
    if (!existsSync(path)) {
      console.log(`| ${f.label} | not run: ${path} is missing | | | | |`);
      continue;
    }
    const read: number[] = [];
    const ours: number[] = [];
    let rows = 0;
    let peak = 0;
    for (let r = 0; r < runs; r++) {
      removeStore(readDb);
      read.push(measure('read-csv-detected', path, readDb, STORAGE_VERSION).seconds);
      copyStore(base, importDb);
      const m = measure('import-command', path, importDb, STORAGE_VERSION, f.source, ...(f.map ? [f.map] : []));
      ours.push(m.seconds);
      rows = m.rows;
      peak = Math.max(peak, m.maxRssMb);
    }
    const ratio = median(read) / median(ours);
    met = met && ratio >= 0.5;
    console.log(
      `| ${f.label} | ${fmt(rows)} | ${fmt(median(read), 2)} | ${fmt(median(ours), 2)} | ${fmt(ratio, 2)} | ${fmt(peak)} |`,
    );
  }
  removeStore(readDb);
  removeStore(importDb);
  console.log(`  target: every ratio ≥ 0.5: ${met ? 'met' : 'NOT met'}`);
  return met;
}
