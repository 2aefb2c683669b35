import { join } from 'node:path';
import { STORAGE_VERSION, Store } from '../src/store/store.js';
import { baseStore, benchDir, copyStore, fmt, measure, median, removeStore, type Measurement } from './harness.js';
import { writeSyntheticBaci } from './syntheticBaci.js';

/** Returns the ISO numeric codes of the economies in a store's countries pack. */
export async function economyCodes(storePath: string): Promise<Array<{ code: number; iso3: string }>> {
  const store = await Store.open(storePath, { readOnly: true });
  try {
    const rows = await store.all(
      'SELECT iso_numeric AS code, iso3 FROM countries WHERE iso_numeric IS NOT NULL AND NOT is_aggregate ORDER BY iso_numeric',
    );
    return rows.map((r) => ({ code: Number(r.code), iso3: String(r.iso3) }));
  } finally {
    store.close();
  }
}

/**
 * Issue 2's speed check: `decouple import baci` of a synthetic BACI year
 * against DuckDB's own read_csv of the same file into a plain table, side by
 * side (runs alternate). The plain table is written twice: in a new DuckDB
 * file of DuckDB's default format, and in one of the format the store uses
 * (STORAGE_VERSION), which writes faster. Prints rows per second, both ratios
 * and peak memory. Returns whether the targets (ratio ≥ 0.5 against DuckDB's
 * default, memory < 2 GB) were met.
 */
export async function benchBaciImport(rows: number, runs: number): Promise<boolean> {
  const base = await baseStore(['countries']);
  const data = await writeSyntheticBaci(join(benchDir(), 'baci'), rows, await economyCodes(base));
  console.log(
    `\n## BACI import: ${fmt(rows)} rows (${data.economies} economies, ${data.products} HS6 products) — ${data.file}`,
  );
  const plain: Measurement[] = [];
  const plainSameFormat: Measurement[] = [];
  const ours: Measurement[] = [];
  const readDb = join(benchDir(), 'read-csv.duckdb');
  const importDb = join(benchDir(), 'import.duckdb');
  for (let r = 0; r < runs; r++) {
    removeStore(readDb);
    plain.push(measure('read-csv', data.file, readDb));
    removeStore(readDb);
    plainSameFormat.push(measure('read-csv', data.file, readDb, STORAGE_VERSION));
    copyStore(base, importDb);
    ours.push(measure('import-baci', data.file, importDb));
    process.stderr.write(
      `  run ${r + 1}/${runs}: read_csv ${plain[r].seconds.toFixed(2)} s (format ${STORAGE_VERSION}: ${plainSameFormat[r].seconds.toFixed(2)} s), decouple import ${ours[r].seconds.toFixed(2)} s\n`,
    );
  }
  removeStore(readDb);
  removeStore(importDb);
  const rate = (ms: Measurement[]) => ms[0].rows / median(ms.map((m) => m.seconds));
  const ratio = rate(ours) / rate(plain);
  const ratioSameFormat = rate(ours) / rate(plainSameFormat);
  const peak = Math.max(...ours.map((m) => m.maxRssMb));
  console.log('| tool | rows | median s | rows/s | peak memory MB |');
  console.log('|---|---:|---:|---:|---:|');
  const tools = [
    ['DuckDB read_csv → table (default format)', plain],
    [`DuckDB read_csv → table (format ${STORAGE_VERSION}, as the store)`, plainSameFormat],
    ['decouple import baci', ours],
  ] as const;
  for (const [name, ms] of tools) {
    console.log(
      `| ${name} | ${fmt(ms[0].rows)} | ${median(ms.map((m) => m.seconds)).toFixed(2)} | ${fmt(rate(ms))} | ${fmt(Math.max(...ms.map((m) => m.maxRssMb)))} |`,
    );
  }
  const ok = ratio >= 0.5 && peak < 2048;
  console.log(
    `throughput ratio decouple/read_csv = ${ratio.toFixed(3)} (target ≥ 0.5); against read_csv into the store's format ${ratioSameFormat.toFixed(3)}; ` +
      `peak memory ${fmt(peak)} MB (target < 2,048) → ${ok ? 'met' : 'NOT met'}`,
  );
  return ok;
}
