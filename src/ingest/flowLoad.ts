import { buildCodeMap } from '../countries/codeMap.js';
import type { CodeSystemName } from '../reference/codeSystems.js';
import { withQueryProgress } from '../util/progress.js';
import { ImportError } from '../files/importError.js';
import type { LoadContext } from './importRun.js';

/** Product classifications a flow may be in (the store's enum; migration 2). */
export const FLOW_CLASSIFICATIONS = [
  'TOTAL',
  'HS1992',
  'HS1996',
  'HS2002',
  'HS2007',
  'HS2012',
  'HS2017',
  'HS2022',
] as const;

/** The first year a flow may have (the GATT's first year of statistics). */
export const FIRST_FLOW_YEAR = 1948;
/**
 * Values are read as exact decimals to the cent (DECIMAL(18, 2), the flows view): a flow must be under
 * US$1 quadrillion, which leaves sums of ten thousand such flows exact.
 */
export const MAX_FLOW_USD = 1e15;

/** SQL: a product code is TOTAL or 2 to 10 digits in pairs. */
const PRODUCT_CODE_OK = `(product = 'TOTAL' OR regexp_full_match(product, '[0-9]{2}([0-9]{2}){0,4}'))`;

/**
 * The columns every flow source is normalised to (as a view over its staged
 * file) before the shared checks and the insert into `flow_records` (read through the view `flows`).
 */
export const NORMALISED_FLOW_COLUMNS = [
  'line',
  'year',
  'month',
  'exporter_code',
  'importer_code',
  'reporter_side',
  'classification',
  'product_level',
  'product',
  'value_usd',
  'quantity',
  'quantity_unit',
  'valuation',
  'cif_usd',
  'fob_usd',
  'duty_usd',
  'flag',
] as const;

export interface FlowLoadOptions {
  /** The view holding NORMALISED_FLOW_COLUMNS. */
  view: string;
  system: CodeSystemName;
  userMap: Map<string, string>;
  /** Source field names, for error messages. */
  fields: {
    year: string;
    month?: string;
    exporter: string;
    importer: string;
    product: string;
    value: string;
    quantity?: string;
    classification?: string;
  };
  /** A further rule every product code must meet (SQL on the column product) and the reason shown when one does not. */
  productRule?: { sql: string; reason: (code: string) => string };
  /** Label for the progress bar. */
  label: string;
  /** Where the source's line numbers are not file lines (JSON records, sheet rows). */
  lineKind?: 'line' | 'record' | 'row';
}

async function firstBad(
  ctx: LoadContext,
  opts: FlowLoadOptions,
  where: string,
  field: string,
  reason: (r: Record<string, unknown>) => string,
): Promise<void> {
  const row = await ctx.store.one(`SELECT * FROM ${opts.view} WHERE ${where} ORDER BY line LIMIT 1`);
  if (!row) return;
  const kind = opts.lineKind ?? 'line';
  if (kind === 'line') throw new ImportError(ctx.file.original, reason(row), Number(row.line), field);
  throw new ImportError(ctx.file.original, `${kind} ${row.line}: ${reason(row)}`, undefined, field);
}

/** A rule every row must meet: the SQL condition of a bad row, the field it names, and the reason shown. */
interface Check {
  where: string;
  field: string;
  reason: (r: Record<string, unknown>) => string;
}

/**
 * Throws for the first check, in the order given, that some row fails, naming that check's first bad line:
 * the same error as running `firstBad` for each in turn, from one pass over the rows (each check's first bad
 * line as a filtered minimum). Conditions must not hold subqueries.
 */
async function firstBadOfAll(ctx: LoadContext, opts: FlowLoadOptions, checks: Check[]): Promise<void> {
  const firsts = await ctx.store.one(
    `SELECT ${checks.map((c, i) => `min(line) FILTER (WHERE ${c.where}) AS c${i}`).join(', ')} FROM ${opts.view}`,
  );
  for (let i = 0; i < checks.length; i++) {
    const line = firsts?.[`c${i}`];
    if (line === null || line === undefined) continue;
    await firstBad(ctx, opts, `line = ${Number(line)} AND (${checks[i].where})`, checks[i].field, checks[i].reason);
  }
}

/**
 * Checks a normalised flow view (years, months, values, products, country
 * codes, duplicates) and inserts it into `flow_records` for the context's dataset;
 * returns the number of rows inserted.
 */
export async function loadFlows(ctx: LoadContext, opts: FlowLoadOptions): Promise<number> {
  const { store } = ctx;
  const f = opts.fields;
  const thisYear = new Date().getUTCFullYear();
  const checks: Check[] = [
    { where: 'year IS NULL', field: f.year, reason: () => 'the year is missing' },
    {
      where: `year < ${FIRST_FLOW_YEAR} OR year > ${thisYear}`,
      field: f.year,
      reason: (r) => `impossible year ${r.year} (expected ${FIRST_FLOW_YEAR}-${thisYear})`,
    },
  ];
  if (f.month)
    checks.push({
      where: 'month IS NOT NULL AND (month < 1 OR month > 12)',
      field: f.month,
      reason: (r) => `impossible month ${r.month}`,
    });
  checks.push(
    { where: 'value_usd IS NULL', field: f.value, reason: () => 'the trade value is missing' },
    { where: 'value_usd < 0', field: f.value, reason: (r) => `negative trade value ${r.value_usd}` },
    {
      where: 'isnan(value_usd) OR isinf(value_usd)',
      field: f.value,
      reason: () => 'the trade value is not a finite number',
    },
    {
      where: `value_usd >= ${MAX_FLOW_USD}`,
      field: f.value,
      reason: (r) =>
        `implausible trade value ${r.value_usd} (one flow of US$1 quadrillion or more; world trade is about US$25 trillion a year)`,
    },
  );
  for (const col of ['cif_usd', 'fob_usd', 'duty_usd']) {
    checks.push({
      where: `${col} IS NOT NULL AND (isnan(${col}) OR isinf(${col}) OR ${col} < 0 OR ${col} >= ${MAX_FLOW_USD})`,
      field: f.value,
      reason: (r) =>
        `the ${col.replace('_usd', '').toUpperCase()} value ${r[col]} is not a trade value (finite, from 0 to under US$1 quadrillion)`,
    });
  }
  if (f.quantity) {
    checks.push(
      { where: 'quantity < 0', field: f.quantity, reason: (r) => `negative quantity ${r.quantity}` },
      {
        where: 'isnan(quantity) OR isinf(quantity)',
        field: f.quantity,
        reason: () => 'the quantity is not a finite number',
      },
    );
  }
  checks.push({
    where: `product IS NULL OR NOT ${PRODUCT_CODE_OK}`,
    field: f.product,
    reason: (r) => `'${r.product ?? ''}' is not a product code (2 to 10 digits, or TOTAL)`,
  });
  await firstBadOfAll(ctx, opts, checks);
  if (opts.productRule) {
    const rule = opts.productRule;
    await firstBad(ctx, opts, `NOT ${rule.sql}`, f.product, (r) => rule.reason(String(r.product ?? '')));
  }

  await firstBad(
    ctx,
    opts,
    `classification IS NULL OR CAST(classification AS VARCHAR) NOT IN (${FLOW_CLASSIFICATIONS.map((c) => `'${c}'`).join(', ')})`,
    f.classification ?? f.product,
    (r) => `unknown classification '${r.classification ?? ''}' (known: ${FLOW_CLASSIFICATIONS.join(', ')})`,
  );
  await buildCodeMap(store, opts.system, opts.userMap);
  // With the country table shipped with the program (ISO codes, short names), official names are not known yet.
  const shipped = await store.one(
    `SELECT 1 AS x FROM reference_packs p JOIN datasets d USING (dataset_id)
     WHERE p.pack = 'countries' AND d.vintage LIKE 'i18n-iso-countries%'`,
  );
  const namesHint = shipped
    ? "; the country table shipped with the program has short names only: 'decouple setup --pack countries' " +
      "installs the UN's, with official names"
    : '';
  for (const [col, field] of [
    ['exporter_code', f.exporter],
    ['importer_code', f.importer],
  ] as const) {
    await firstBad(
      ctx,
      opts,
      `${col} IS NULL OR ${col} NOT IN (SELECT code FROM code_map)`,
      field,
      (r) =>
        `unknown country code '${r[col] ?? ''}'; if it is right, map it with --map-country '${r[col] ?? ''}=ISO3'${namesHint}`,
    );
  }
  const key = 'year, month, exporter_code, importer_code, reporter_side, classification, product';
  // One pass over a hash of the key finds the keys that may repeat (usually none: grouping by one number is about
  // twice as fast as by the seven columns); the rows of those hashes are then grouped by the key itself, so a hash
  // collision is never taken for a repeat, and only the repeated keys' rows are compared value by value.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE flow_repeats AS
     WITH candidates AS (SELECT hash(${key}) AS h FROM ${opts.view} GROUP BY 1 HAVING count(*) > 1)
     SELECT ${key}, count(*) AS n, min(line) AS first_line, max(line) AS last_line
     FROM ${opts.view} WHERE hash(${key}) IN (SELECT h FROM candidates) GROUP BY ${key} HAVING count(*) > 1`,
  );
  const repeats = await store.one(
    `SELECT count(*) AS groups, sum(n - 1) AS extra, min(first_line) AS first_line,
            arg_min(last_line, first_line) AS second_line FROM flow_repeats`,
  );
  const sameKey = key
    .split(', ')
    .map((c) => `v.${c} IS NOT DISTINCT FROM r.${c}`)
    .join(' AND ');
  const conflict =
    Number(repeats?.groups ?? 0) === 0
      ? undefined
      : await store.one(
          `SELECT r.year, r.month, r.exporter_code, r.importer_code, r.product, r.first_line, r.last_line
           FROM ${opts.view} v JOIN flow_repeats r ON ${sameKey}
           GROUP BY ALL
           HAVING count(DISTINCT (v.value_usd, v.quantity, v.cif_usd, v.fob_usd, v.duty_usd, v.flag)) > 1
           ORDER BY r.first_line LIMIT 1`,
        );
  const kind = opts.lineKind ?? 'line';
  const fail = (line: number, reason: string) => {
    if (kind === 'line') throw new ImportError(ctx.file.original, reason, line, f.product);
    throw new ImportError(ctx.file.original, `${kind} ${line}: ${reason}`, undefined, f.product);
  };
  if (conflict) {
    fail(
      Number(conflict.last_line),
      `duplicated row with a different value: ${conflict.year}${conflict.month ? `-${conflict.month}` : ''} ${conflict.exporter_code}→${conflict.importer_code} product ${conflict.product} is also at ${kind} ${conflict.first_line}`,
    );
  }
  const identical = Number(repeats?.extra ?? 0);
  if (identical > 0 && ctx.strict) {
    fail(
      Number(repeats?.second_line),
      `duplicated row: the same flow and value as ${kind} ${repeats?.first_line} (--strict refuses identical repeats)`,
    );
  }
  if (identical > 0)
    ctx.notes.push(
      `${identical} identical repeated rows stored once (first repeat at ${kind} ${repeats?.second_line}, same as ${kind} ${repeats?.first_line})`,
    );
  // Identical repeats are stored once: the rows of keys that do not repeat as they are, one row of each repeated
  // key beside them (the repeated rows agree in every value, as checked above, so any one of them will do; their
  // line numbers may not tell them apart, as a workbook's sheets number their rows each from the top).
  const source =
    identical > 0
      ? `(SELECT v.* FROM ${opts.view} v ANTI JOIN flow_repeats r ON ${sameKey}
          UNION ALL SELECT DISTINCT ON (${key}) v.* FROM ${opts.view} v SEMI JOIN flow_repeats r ON ${sameKey})`
      : opts.view;
  // Rows are unique by source codes; they stay unique by ISO3 unless two codes in the file map to one economy
  // (and the dataset had no rows before this load).
  const merged = await store.one(
    `SELECT count(*) AS n FROM (
       SELECT m.iso3 FROM (SELECT DISTINCT exporter_code AS code FROM ${opts.view} UNION SELECT DISTINCT importer_code FROM ${opts.view}) u
       JOIN code_map m USING (code) GROUP BY m.iso3 HAVING count(*) > 1)`,
  );
  const before = await store.one(`SELECT count(*) AS n FROM flows WHERE dataset_id = $1`, [ctx.datasetId]);
  const uniqueKeys = Number(merged?.n) === 0 && Number(before?.n) === 0;
  await store.run(`UPDATE datasets SET unique_keys = $2 WHERE dataset_id = $1`, [ctx.datasetId, uniqueKeys]);
  const staged = await store.one(`SELECT count(*) AS n FROM ${opts.view}`);
  return withQueryProgress(store, opts.label, { total: Number(staged?.n ?? 0), unit: 'rows' }, async () => {
    await store.run(
      `INSERT INTO flow_records (dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product,
                          value_usd, quantity, quantity_unit, valuation, cif_usd, fob_usd, duty_usd, flag)
       SELECT ${ctx.datasetId}, v.year, v.month, e.iso3, i.iso3, v.reporter_side, v.classification, v.product_level, v.product,
              v.value_usd, v.quantity, v.quantity_unit, v.valuation, v.cif_usd, v.fob_usd, v.duty_usd, v.flag
       FROM ${source} v JOIN code_map e ON e.code = v.exporter_code JOIN code_map i ON i.code = v.importer_code`,
    );
    const n = await store.one(
      `SELECT count(*) AS n, bool_or(exporter IN (SELECT iso3 FROM countries WHERE is_aggregate) OR importer IN (SELECT iso3 FROM countries WHERE is_aggregate)) AS aggregates
       FROM flows WHERE dataset_id = $1`,
      [ctx.datasetId],
    );
    await store.run(`UPDATE datasets SET has_aggregates = $2 WHERE dataset_id = $1`, [
      ctx.datasetId,
      Boolean(n?.aggregates),
    ]);
    await store.run(`DROP TABLE IF EXISTS flow_repeats`);
    return Number(n?.n ?? 0);
  });
}
