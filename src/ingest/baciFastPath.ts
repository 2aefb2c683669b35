import { buildCodeMap } from '../countries/codeMap.js';
import { withQueryProgress } from '../util/progress.js';
import { sqlString } from '../files/csvStage.js';
import { FIRST_FLOW_YEAR, MAX_FLOW_USD } from './flowLoad.js';
import { ImportError } from '../files/importError.js';
import { HS6_NOMENCLATURE_SQL } from './hsCodes.js';
import type { LoadContext } from './importRun.js';

/** The economy code the fast path writes for a country code it cannot map (the enum's `?`). */
const UNMAPPED = `'?'::economy_code`;
/**
 * The HS6 code from the column k, with the leading zero BACI drops for
 * chapters 01-09 put back; never NULL (a missing code becomes '', which fails
 * the product check). Untrimmed: a code with spaces fails the check too and
 * goes down the slow path, which trims.
 */
const PRODUCT = `CASE WHEN length(k) = 5 THEN '0' || k ELSE coalesce(k, '') END`;
/** Integer country codes up to this are looked up in a list. */
const LIST_LOOKUP_LIMIT = 10_000;

export interface BaciFastLoad {
  /** The typed `read_csv(...)` expression of the file (columns t, i, j, k, v, q). */
  scan: string;
  /** The year the file's name gives (every row must have it), if the name follows BACI's pattern. */
  fileYear?: number;
  /** The file's HS vintage (HS1992 … HS2022). */
  vintage: string;
  userMap: Map<string, string>;
  /** Label for the progress bar. */
  label: string;
  /** Whether the file read cleanly (no malformed CSV lines); asked right after the insert. */
  readCleanly: () => Promise<boolean>;
}

/**
 * Returns a SQL expression mapping an integer country code column to its
 * economy code: an index into a constant list (much cheaper per row than a
 * join), `?` for codes the map does not know.
 */
async function economyLookup(ctx: LoadContext, userMap: Map<string, string>): Promise<(column: string) => string> {
  await buildCodeMap(ctx.store, 'comtrade', userMap);
  // Codes are text in the map ('4' and '004' may both appear); the shortest spelling of a number wins.
  const rows = await ctx.store.all(
    `SELECT DISTINCT ON (CAST(code AS INTEGER)) CAST(code AS INTEGER) AS code, iso3 FROM code_map
     WHERE regexp_full_match(code, '[0-9]{1,9}') ORDER BY CAST(code AS INTEGER), length(code)`,
  );
  // Codes beyond the limit (only from odd user mappings) stay out of the list: their rows take the slow path.
  const listed = rows.filter((r) => Number(r.code) <= LIST_LOOKUP_LIMIT);
  const max = listed.reduce((m, r) => Math.max(m, Number(r.code)), 0);
  const slots: string[] = new Array(max + 1).fill(`'?'`);
  for (const r of listed) slots[Number(r.code)] = sqlString(String(r.iso3));
  const list = `CAST([${slots.join(',')}] AS economy_code[])`;
  return (column) => `CASE WHEN ${column} BETWEEN 0 AND ${max} THEN ${list}[${column} + 1] ELSE ${UNMAPPED} END`;
}

/**
 * The fast path for BACI files: inserts the file into `reconciled_hs6_flows`
 * (which the view `flows` shows with BACI's constant attributes) in one pass
 * (country codes mapped through a constant list), then checks the inserted
 * rows against the rules of `loadFlows` (years, values, quantities, HS6
 * products of chapters 01-97, mapped codes: marked row by row during the insert, read back
 * with a few aggregates) and one sort of key hashes for repeated flows. Returns the number
 * of rows inserted, or undefined when anything is off: the rows are then
 * removed again and the caller stages the file, which names the first bad
 * line.
 */
export async function insertBaciFast(ctx: LoadContext, opts: BaciFastLoad): Promise<number | undefined> {
  const { store } = ctx;
  const id = ctx.datasetId;
  const economy = await economyLookup(ctx, opts.userMap);
  // Row order in `flows` carries no meaning, so the insert may run in parallel.
  await store.run('SET preserve_insertion_order = false');
  // A row failing a check on its year, value or quantity gets the year 0, an unmapped code the economy `?`:
  // the checks below then read two cheap columns instead of every value (a NULL or NaN fails the comparisons,
  // since DuckDB orders NaN above infinity). Sentinels, not errors: an error would abort the transaction
  // before the slow path could name the line.
  const thisYear = new Date().getUTCFullYear();
  // The value is checked after the conversion from thousands: 1.7e306 thousand is an infinite number of dollars.
  const years =
    opts.fileYear !== undefined ? `t = ${Math.trunc(opts.fileYear)}` : `t BETWEEN ${FIRST_FLOW_YEAR} AND ${thisYear}`;
  const rowOk = `${years} AND v >= 0 AND v * 1000 < ${MAX_FLOW_USD} AND (q IS NULL OR (q >= 0 AND q < 'infinity'::DOUBLE))`;
  try {
    await withQueryProgress(store, opts.label, { total: ctx.file.bytes / 1e6, unit: 'MB' }, () =>
      store.run(
        `INSERT INTO reconciled_hs6_flows (dataset_id, year, exporter, importer, classification, product, value_usd, quantity)
         SELECT ${id}, CASE WHEN ${rowOk} THEN t ELSE 0 END, ${economy('i')}, ${economy('j')}, ${sqlString(opts.vintage)},
                ${PRODUCT}, coalesce(v * 1000, 0), q
         FROM ${opts.scan}`,
      ),
    );
  } catch (err) {
    throw new ImportError(ctx.file.original, `cannot be read: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await store.run('RESET preserve_insertion_order').catch(() => undefined);
  }
  const fallBack = async () => {
    await store.run(`DELETE FROM reconciled_hs6_flows WHERE dataset_id = ${id}`);
    return undefined;
  };
  if (!(await opts.readCleanly())) return fallBack();
  const check = await store.one(
    `SELECT count(*) AS n, min(year) AS y0, min(exporter) AS e0, min(importer) AS i0, bool_and(${HS6_NOMENCLATURE_SQL('product')}) AS products_ok
     FROM reconciled_hs6_flows WHERE dataset_id = ${id}`,
  );
  const clean =
    Number(check?.n) > 0 &&
    Number(check?.y0) > 0 &&
    check?.e0 !== '?' &&
    check?.i0 !== '?' &&
    check?.products_ok === true;
  if (!clean) return fallBack();
  // Repeated flows: 32-bit hashes of the keys are sorted (cheaper than 64-bit ones, or than a hash aggregate
  // on millions of keys) and the values that occur twice kept; the rows with those values (mostly chance
  // collisions, about n²/2³³ pairs) are then compared on the keys themselves.
  const keyHash = `CAST(hash(year, exporter, importer, product) >> 32 AS UINTEGER)`;
  await store.run(
    `CREATE OR REPLACE TEMP TABLE baci_hash_repeats AS SELECT DISTINCT h FROM (
       SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT ${keyHash} AS h FROM reconciled_hs6_flows WHERE dataset_id = ${id}))
     WHERE h = previous`,
  );
  const repeats = await store.one(
    `SELECT count(*) AS n FROM (
       SELECT 1 FROM reconciled_hs6_flows f SEMI JOIN baci_hash_repeats r ON r.h = ${keyHash}
       WHERE f.dataset_id = ${id} GROUP BY f.year, f.exporter, f.importer, f.product HAVING count(*) > 1)`,
  );
  await store.run('DROP TABLE baci_hash_repeats');
  if (Number(repeats?.n) !== 0) return fallBack();
  const aggregates = await store.one(
    `SELECT count(*) AS n FROM (SELECT DISTINCT exporter AS iso3 FROM reconciled_hs6_flows WHERE dataset_id = ${id}
                                UNION SELECT DISTINCT importer FROM reconciled_hs6_flows WHERE dataset_id = ${id})
     WHERE iso3 IN (SELECT iso3 FROM countries WHERE is_aggregate)`,
  );
  // No repeated key after mapping codes to ISO3: one row per flow.
  await store.run(
    `UPDATE datasets SET unique_keys = true, has_aggregates = ${Number(aggregates?.n) > 0} WHERE dataset_id = ${id}`,
  );
  return Number(check?.n);
}
