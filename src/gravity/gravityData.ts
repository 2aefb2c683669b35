import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../store/index.js';
import type { GravityFormula } from './formula.js';
import type { PpmlData } from './ppml.js';
import { quoteIdent, sqlString } from '../files/csvStage.js';

/** Where a regression's rows come from: a data file, or a query on the store's connection. */
export type GravitySource = { file: string } | { sql: string; connection: DuckDBConnection };

/** The arrays of a regression and how many source rows could not be used. */
export interface GravityInput {
  data: PpmlData;
  rowsRead: number;
  /** Rows with a missing value in any variable of the formula (or a log of a non-positive number). */
  rowsMissing: number;
  source: string;
}

function fileRelation(file: string): string {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const path = sqlString(file);
  if (/\.parquet$/i.test(file)) return `read_parquet(${path})`;
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(file)) return `read_csv(${path}, header = true)`;
  throw new Error(`${file}: give a .csv, .csv.gz, .tsv or .parquet file`);
}

/** Returns dense ids of the combinations of several id columns (one column: its own ids) and their number. */
function combinedIds(columns: Int32Array[], n: number): { ids: Int32Array; levels: number } {
  let ids = columns[0].slice(0, n);
  let levels = 0;
  for (let i = 0; i < n; i++) if (ids[i] + 1 > levels) levels = ids[i] + 1;
  for (const next of columns.slice(1)) {
    const map = new Map<number, number>();
    const combined = new Int32Array(n);
    let width = 0;
    for (let i = 0; i < n; i++) if (next[i] + 1 > width) width = next[i] + 1;
    for (let i = 0; i < n; i++) {
      const key = ids[i] * width + next[i];
      let id = map.get(key);
      if (id === undefined) map.set(key, (id = map.size));
      combined[i] = id;
    }
    ids = combined;
    levels = map.size;
  }
  return { ids, levels };
}

/**
 * Returns the regression arrays for `formula` from a data file or a store
 * query: the outcome, the regressors, one dense id per fixed-effect set (each
 * set the combination of its columns) and per clustering dimension. Rows with
 * a missing value in any variable used are left out and counted.
 */
export async function loadGravityInput(
  source: GravitySource,
  formula: GravityFormula,
  clusters: string[][] = [],
): Promise<GravityInput> {
  let connection: DuckDBConnection;
  let relation: string;
  let label: string;
  let close = () => {};
  if ('file' in source) {
    const instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    close = () => connection.closeSync();
    relation = fileRelation(source.file);
    label = source.file;
  } else {
    connection = source.connection;
    relation = `(${source.sql.trim().replace(/;\s*$/, '')})`;
    label = 'the query';
  }
  try {
    const described = await connection
      .runAndReadAll(`DESCRIBE SELECT * FROM ${relation} AS src`)
      .catch((err: Error) => {
        throw new Error(`${label}: cannot be read (${err.message.split('\n')[0]})`);
      });
    const available = described.getRowObjects().map((r) => String(r.column_name));
    const needed = [
      ...formula.outcome.columns,
      ...formula.regressors.flatMap((r) => r.columns),
      ...formula.fixedEffects.flatMap((f) => f.columns),
      ...clusters.flat(),
    ];
    for (const c of needed) {
      if (!available.includes(c)) throw new Error(`${label}: no column '${c}' (columns: ${available.join(', ')})`);
    }
    const groupCols = [...formula.fixedEffects.map((f) => f.columns), ...clusters];
    const allGroupCols = [...new Set(groupCols.flat())];
    const exprs = [
      `CAST(${formula.outcome.sql} AS DOUBLE) AS y`,
      ...formula.regressors.map((r, i) => `CAST(${r.sql} AS DOUBLE) AS x${i}`),
      ...allGroupCols.map(quoteIdent),
    ];
    const valid = [
      ...['y', ...formula.regressors.map((_, i) => `x${i}`)].map((c) => `${c} IS NOT NULL AND isfinite(${c})`),
      ...allGroupCols.map((c) => `${quoteIdent(c)} IS NOT NULL`),
    ];
    // The source is read once, into a temporary table; the count of its rows and the arrays come from there.
    const table = `gravity_input_${process.pid}_${Date.now()}`;
    await connection
      .run(`CREATE TEMP TABLE ${table} AS SELECT ${exprs.join(', ')} FROM ${relation} AS src`)
      .catch((err: Error) => {
        throw new Error(`${label}: ${err.message.split('\n')[0]}`);
      });
    try {
      const totalReader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${table}`);
      const rowsRead = Number(totalReader.getRowObjects()[0].n);
      const k = formula.regressors.length;
      // The group columns come raw; their ids are numbered in order of first appearance (the ids only index
      // arrays, so the numbers are the same as with any other numbering), which spares a sort per set.
      const result = await connection.run(
        `SELECT y, ${[...formula.regressors.map((_, i) => `x${i}`), ...allGroupCols.map(quoteIdent)].join(', ')}
         FROM ${table} WHERE ${valid.join(' AND ')}`,
      );
      const doubles = Array.from({ length: 1 + k }, () => new Float64Array(rowsRead));
      const columnIds = allGroupCols.map(() => new Int32Array(rowsRead));
      const seen = allGroupCols.map(() => new Map<unknown, number>());
      let n = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.rowCount;
        for (let c = 0; c < doubles.length; c++) {
          const v = chunk.getColumnVector(c);
          const out = doubles[c];
          for (let i = 0; i < rows; i++) out[n + i] = v.getItem(i) as number;
        }
        for (let g = 0; g < allGroupCols.length; g++) {
          const v = chunk.getColumnVector(1 + k + g);
          const out = columnIds[g];
          const map = seen[g];
          for (let i = 0; i < rows; i++) {
            const raw = v.getItem(i);
            const key = typeof raw === 'object' ? String(raw) : raw;
            let id = map.get(key);
            if (id === undefined) map.set(key, (id = map.size));
            out[n + i] = id;
          }
        }
        n += rows;
      }
      const y = doubles[0].slice(0, n);
      const x = formula.regressors.map((r, i) => ({ name: r.label, values: doubles[1 + i].slice(0, n) }));
      // Each combination of columns gets its ids once (a pair effect clustered by pair shares them).
      const byColumns = new Map<string, { ids: Int32Array; levels: number }>();
      const groupSets = groupCols.map((cols) => {
        const key = cols.join('^');
        let set = byColumns.get(key);
        if (!set)
          byColumns.set(
            key,
            (set = combinedIds(
              cols.map((c) => columnIds[allGroupCols.indexOf(c)]),
              n,
            )),
          );
        return set;
      });
      const nFe = formula.fixedEffects.length;
      return {
        data: {
          y,
          x,
          fixedEffects: formula.fixedEffects.map((f, g) => ({
            name: f.label,
            ids: groupSets[g].ids,
            levels: groupSets[g].levels,
          })),
          clusters: clusters.map((cols, c) => ({
            name: cols.join('^'),
            ids: groupSets[nFe + c].ids,
            groups: groupSets[nFe + c].levels,
          })),
        },
        rowsRead,
        rowsMissing: rowsRead - n,
        source: label,
      };
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${table}`);
    }
  } finally {
    close();
  }
}
