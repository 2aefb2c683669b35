import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { CodeSystemName } from '../reference/codeSystems.js';
import type { Store } from '../store/store.js';
import { readFactFile } from '../util/factFile.js';
import { lineExpr, sqlString, stageCsv } from '../files/csvStage.js';
import { FLOW_CLASSIFICATIONS, loadFlows } from './flowLoad.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

const columnName = z.string().min(1);
const countrySystems = ['iso3', 'name', 'comtrade', 'census', 'imf', 'bea'] as const;

const common = {
  /** Free text kept with the dataset. */
  description: z.string().optional(),
  delimiter: z.string().length(1).optional(),
  encoding: z.string().optional(),
  /** Texts read as missing values besides the empty field. */
  missing: z.array(z.string()).default([]),
  /** Thousands separator to strip from numbers (e.g. "," in 1,234.5). */
  thousands: z.string().length(1).optional(),
  /** Multiplier that turns the value column into the target unit (1000 for thousand US$). */
  value_multiplier: z.number().positive().default(1),
  /** How the country columns are coded: ISO3, names (English or Chinese), or a source's codes. */
  countries: z.enum(countrySystems).default('iso3'),
  /** Extra code or name → ISO3 mappings. */
  country_codes: z.record(z.string(), z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code')).default({}),
};

const flowMapping = z
  .object({
    kind: z.literal('flows'),
    ...common,
    currency: z
      .literal('USD', {
        message: "only US$ values can be stored; convert the file's values or set value_multiplier from US$",
      })
      .default('USD'),
    columns: z
      .object({
        year: columnName.optional(),
        period: columnName.optional(),
        month: columnName.optional(),
        reporter: columnName.optional(),
        partner: columnName,
        flow: columnName.optional(),
        product: columnName.optional(),
        value: columnName,
        quantity: columnName.optional(),
        quantity_unit: columnName.optional(),
        duty: columnName.optional(),
      })
      .strict()
      .refine((c) => c.year || c.period, { message: 'name a year or a period column' }),
    /** The reporter when the file has no reporter column. */
    reporter: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    /** The flow when the file has no flow column. */
    flow: z.enum(['export', 'import']).optional(),
    /** Values of the flow column that mean export and import. */
    flow_values: z
      .object({ export: z.array(z.string()).min(1), import: z.array(z.string()).min(1) })
      .default({ export: ['export', 'exports', 'X', '出口'], import: ['import', 'imports', 'M', '进口'] }),
    /** HS vintage of the product codes; TOTAL when the file has no product column. */
    classification: z.enum(FLOW_CLASSIFICATIONS),
    valuation: z.enum(['FOB', 'CIF', 'customs', 'mixed']).optional(),
  })
  .strict()
  .refine((m) => m.columns.reporter || m.reporter, { message: 'give a reporter column or a constant reporter' })
  .refine((m) => m.columns.flow || m.flow, { message: 'give a flow column or a constant flow (export or import)' })
  .refine((m) => (m.columns.product ? m.classification !== 'TOTAL' : m.classification === 'TOTAL'), {
    message: 'classification is TOTAL exactly when there is no product column',
  });

const seriesMapping = z
  .object({
    kind: z.literal('series'),
    ...common,
    columns: z
      .object({
        indicator: columnName.optional(),
        country: columnName,
        partner: columnName.optional(),
        period: columnName.optional(),
        year: columnName.optional(),
        value: columnName,
        unit: columnName.optional(),
      })
      .strict()
      .refine((c) => c.year || c.period, { message: 'name a year or a period column' }),
    /** The indicator when the file has no indicator column (e.g. fdi_stock_usd). */
    indicator: z
      .string()
      .regex(/^[a-z][a-z0-9_:]*$/, 'lower-case letters, digits and _')
      .optional(),
    unit: z.string().optional(),
  })
  .strict()
  .refine((m) => m.columns.indicator || m.indicator, { message: 'give an indicator column or a constant indicator' })
  .refine((m) => m.columns.unit || m.unit, { message: 'give a unit column or a constant unit' });

const mappingSchema = z.discriminatedUnion('kind', [flowMapping, seriesMapping]);

export type CsvMapping = z.infer<typeof mappingSchema>;

/** Returns the validated mapping file; errors name the file and the entry. */
export function readCsvMapping(path: string): CsvMapping {
  return readFactFile(path, mappingSchema);
}

const q = (col: string) => `"${col.replace(/"/g, '""')}"`;

/** SQL turning a staged text column into a number (thousands separator stripped), NULL when it is not one. */
function numberSql(col: string, m: CsvMapping): string {
  const text = m.thousands ? `replace(trim(${q(col)}), ${sqlString(m.thousands)}, '')` : `trim(${q(col)})`;
  return `TRY_CAST(${text} AS DOUBLE)`;
}

/** Throws naming the first line whose column holds text that is not a number. */
async function checkNumbers(ctx: LoadContext, m: CsvMapping, cols: Array<string | undefined>): Promise<void> {
  for (const col of cols) {
    if (!col) continue;
    const bad = await ctx.store.one(
      `SELECT ${lineExpr('user_stage')} AS line, ${q(col)} AS v FROM user_stage
       WHERE ${q(col)} IS NOT NULL AND trim(${q(col)}) <> '' AND ${numberSql(col, m)} IS NULL ORDER BY rowid LIMIT 1`,
    );
    if (bad) throw new ImportError(ctx.file.original, `'${bad.v}' is not a number`, Number(bad.line), col);
  }
}

/**
 * SQL for (year, month) from the mapping's year/month/period columns; periods as YYYY, YYYY-MM, YYYYMM, YYYY-Qn
 * or a date YYYY-MM-DD (its month).
 */
function periodSql(c: { year?: string; period?: string; month?: string }): {
  year: string;
  month: string;
  period: string;
} {
  if (c.period) {
    const p = `trim(${q(c.period)})`;
    return {
      year: `TRY_CAST(substr(${p}, 1, 4) AS SMALLINT)`,
      month: c.month
        ? `TRY_CAST(${q(c.month)} AS TINYINT)`
        : `CASE WHEN regexp_full_match(${p}, '[0-9]{4}-?[0-9]{2}') THEN TRY_CAST(right(${p}, 2) AS TINYINT)
                WHEN regexp_full_match(${p}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(substr(${p}, 6, 2) AS TINYINT) END`,
      // A date (YYYY-MM-DD, as in monthly files that date each month by its first day) is read as its month.
      period: `CASE WHEN regexp_full_match(${p}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN left(${p}, 7) ELSE ${p} END`,
    };
  }
  return {
    year: `TRY_CAST(trim(${q(c.year!)}) AS SMALLINT)`,
    month: c.month ? `TRY_CAST(trim(${q(c.month)}) AS TINYINT)` : 'NULL',
    period: c.month ? `trim(${q(c.year!)}) || '-' || lpad(trim(${q(c.month)}), 2, '0')` : `trim(${q(c.year!)})`,
  };
}

/** Stages the file with every column the mapping names as text (a missing one is an error naming it). */
async function stageUserCsv(ctx: LoadContext, m: CsvMapping): Promise<void> {
  const named = Object.values(m.columns).filter((v): v is string => Boolean(v));
  await stageCsv(
    ctx.store,
    ctx.file,
    { columns: named.map((name) => ({ name, type: 'VARCHAR' as const })), delimiter: m.delimiter, nullstr: m.missing },
    'user_stage',
  );
}

async function loadUserFlows(
  ctx: LoadContext,
  m: Extract<CsvMapping, { kind: 'flows' }>,
  mappingPath: string,
  options: ImportOptions,
): Promise<void> {
  const c = m.columns;
  await stageUserCsv(ctx, m);
  await checkNumbers(ctx, m, [c.value, c.quantity, c.duty]);
  const flowValue = (values: string[]) => values.map((v) => sqlString(v.toLowerCase())).join(', ');
  const flow = c.flow
    ? `CASE WHEN lower(trim(${q(c.flow)})) IN (${flowValue(m.flow_values.export)}) THEN 'X' WHEN lower(trim(${q(c.flow)})) IN (${flowValue(m.flow_values.import)}) THEN 'M' END`
    : `'${m.flow === 'export' ? 'X' : 'M'}'`;
  if (c.flow) {
    const bad = await ctx.store.one(
      `SELECT ${lineExpr('user_stage')} AS line, ${q(c.flow)} AS v FROM user_stage WHERE (${flow}) IS NULL ORDER BY rowid LIMIT 1`,
    );
    if (bad) {
      throw new ImportError(
        mappingPath,
        `'${bad.v ?? ''}' in ${basename(ctx.file.original)} line ${bad.line} is neither an export nor an import value; list it under flow_values`,
        undefined,
        c.flow,
      );
    }
  }
  const reporter = c.reporter ? `trim(${q(c.reporter)})` : sqlString(m.reporter!);
  const partner = `trim(${q(c.partner)})`;
  const product = c.product ? `regexp_replace(trim(${q(c.product)}), '[. ]', '', 'g')` : `'TOTAL'`;
  const p = periodSql(c);
  const valuation = m.valuation ? sqlString(m.valuation) : `CASE ${flow} WHEN 'X' THEN 'FOB' ELSE 'CIF' END`;
  await ctx.store.run(`CREATE OR REPLACE TEMP VIEW user_norm AS
    SELECT ${lineExpr('user_stage')} AS line, ${p.year} AS year, CAST(${p.month} AS TINYINT) AS month,
           CASE ${flow} WHEN 'X' THEN ${reporter} ELSE ${partner} END AS exporter_code,
           CASE ${flow} WHEN 'X' THEN ${partner} ELSE ${reporter} END AS importer_code,
           CASE ${flow} WHEN 'X' THEN 'exporter' ELSE 'importer' END AS reporter_side,
           ${sqlString(m.classification)} AS classification,
           CAST(CASE WHEN ${product} = 'TOTAL' THEN 0 ELSE length(${product}) END AS TINYINT) AS product_level, ${product} AS product,
           ${numberSql(c.value, m)} * ${m.value_multiplier} AS value_usd,
           ${c.quantity ? numberSql(c.quantity, m) : 'CAST(NULL AS DOUBLE)'} AS quantity,
           ${c.quantity_unit ? `trim(${q(c.quantity_unit)})` : 'CAST(NULL AS VARCHAR)'} AS quantity_unit,
           ${valuation} AS valuation, CAST(NULL AS DOUBLE) AS cif_usd, CAST(NULL AS DOUBLE) AS fob_usd,
           ${c.duty ? `${numberSql(c.duty, m)} * ${m.value_multiplier}` : 'CAST(NULL AS DOUBLE)'} AS duty_usd, CAST(NULL AS VARCHAR) AS flag
    FROM user_stage`);
  const userMap = new Map([...Object.entries(m.country_codes), ...options.userMap]);
  if (!c.reporter) userMap.set(m.reporter!, m.reporter!);
  await loadFlows(ctx, {
    view: 'user_norm',
    system: m.countries as CodeSystemName,
    userMap,
    fields: {
      year: c.year ?? c.period!,
      month: c.month ?? c.period,
      exporter: c.reporter ?? c.partner,
      importer: c.partner,
      product: c.product ?? c.value,
      value: c.value,
      quantity: c.quantity,
    },
    label: `CSV ${basename(ctx.file.original)}`,
  });
  await ctx.store.run('DROP VIEW user_norm; DROP TABLE user_stage');
}

async function loadUserSeries(
  ctx: LoadContext,
  m: Extract<CsvMapping, { kind: 'series' }>,
  options: ImportOptions,
): Promise<void> {
  const c = m.columns;
  await stageUserCsv(ctx, m);
  await checkNumbers(ctx, m, [c.value]);
  const p = periodSql(c);
  const frequency = `CASE WHEN regexp_full_match(${p.period}, '[0-9]{4}') THEN 'A' WHEN regexp_full_match(${p.period}, '[0-9]{4}-?Q[1-4]') THEN 'Q'
                          WHEN regexp_full_match(${p.period}, '[0-9]{4}-?[0-9]{2}') THEN 'M' END`;
  await ctx.store.run(`CREATE OR REPLACE TEMP VIEW user_norm AS
    SELECT ${lineExpr('user_stage')} AS line, ${c.indicator ? `trim(${q(c.indicator)})` : sqlString(m.indicator!)} AS indicator,
           trim(${q(c.country)}) AS country_code, ${c.partner ? `trim(${q(c.partner)})` : `''`} AS partner_code,
           ${frequency} AS frequency, ${p.period} AS period, ${p.year} AS year, ${numberSql(c.value, m)} * ${m.value_multiplier} AS value,
           ${c.unit ? `trim(${q(c.unit)})` : sqlString(m.unit!)} AS unit, CAST(NULL AS VARCHAR) AS flag, CAST(NULL AS VARCHAR) AS note
    FROM user_stage`);
  const bad = await ctx.store.one(`SELECT line, period FROM user_norm WHERE frequency IS NULL ORDER BY line LIMIT 1`);
  if (bad)
    throw new ImportError(
      ctx.file.original,
      `'${bad.period}' is not a period (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD)`,
      Number(bad.line),
      c.period ?? c.year,
    );
  const userMap = new Map([...Object.entries(m.country_codes), ...options.userMap]);
  await loadSeries(ctx, {
    view: 'user_norm',
    system: m.countries as CodeSystemName,
    userMap,
    fields: { country: c.country, partner: c.partner ?? c.country, period: c.period ?? c.year!, value: c.value },
  });
  await ctx.store.run('DROP VIEW user_norm; DROP TABLE user_stage');
}

/**
 * Imports any flow or series table described by a mapping file (columns,
 * codes, units); returns one outcome per file. The mapping's name and hash
 * are part of the dataset's source, so the same file read with another
 * mapping is a new dataset.
 */
export async function importUserCsv(
  store: Store,
  files: string[],
  mappingPath: string,
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  const m = readCsvMapping(mappingPath);
  const mappingSha = createHash('sha256').update(readFileSync(mappingPath)).digest('hex').slice(0, 12);
  return runImport(store, {
    source: `csv:${basename(mappingPath)}@${mappingSha}`,
    kind: m.kind,
    files,
    encoding: options.encoding ?? m.encoding,
    strict: options.strict,
    vintage: () => (m.kind === 'flows' ? m.classification : m.indicator),
    async load(ctx) {
      if (m.description) ctx.notes.push(m.description);
      ctx.notes.push(`read with mapping ${basename(mappingPath)}`);
      if (m.kind === 'flows') await loadUserFlows(ctx, m, mappingPath, options);
      else await loadUserSeries(ctx, m, options);
    },
  });
}
