import type { Store } from '../store/store.js';
import { lineExpr, splitCsvLine, stageCsv, type CsvLayout } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { raw, sql } from '../core/sql.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';
import { firstLine } from '../files/inputFile.js';
import { workbookAsCsv } from './workbookCsv.js';
import { loadUsitcTariffDatabase, USITC_TARIFF_DATABASE_COLUMNS } from './usitcTariffDatabase.js';
import {
  CH99_CODES_COLUMNS,
  GTA_SCOPES_COLUMNS,
  LIST_PERIODS,
  loadChapter99Codes,
  loadGtaScopes,
} from './chapter99Lines.js';
import { isActionChangesHeader, loadActionChanges } from './actionChanges.js';

/**
 * Tariff files, recognised by their header:
 * - `hts8,tranche` — US Section 301 lists by HTS8 line (USTR annexes, as
 *   compiled by mitsuoxv/us-tariffs-on-china): the tranche names a list of the
 *   measures registry (34b, 16b, 200b, 300b_a, 300b_c), whose rates by date the
 *   registry states;
 * - `hts8,heading_9903` — the USITC list of HTS8 lines by chapter 99 heading
 *   (9903.88.01 …), linked to lists through the registry's headings;
 * - `hs6,time_of_tariff,tariff[,description]` (any column order) — additional
 *   tariff by HS6 at dates; each rate holds until the next date given;
 * - `hs08,reta_2018Jul06,…` — additional tariff by 8-digit line at dates in
 *   the column names (Bown, Jung and Zhang's retaliation file);
 * - `hs06,TT201_1st,TT232_1,TT301_a,…` — the change each US action on China brought to the additional duty on an
 *   HS6 (Bown's per-action file; see actionChanges.ts);
 * - `exclusion_batch,hts10` — Section 301 product exclusions by HTS10;
 * - the USITC tariff database (`hts8|brief_description|…|mfn_ad_val_rate|…`, pipe or comma): MFN rates by line;
 * - chapter 99 heading codes and Global Trade Alert's product scopes (see chapter99Lines.ts);
 * - with `--list NAME`: a numbered list of lines without a header (`n,code,description`, as China's Tariff
 *   Commission annexes are tabulated: 8-digit lines, a leading zero sometimes dropped), filed under a list of the
 *   measures registry, whose measure says who imposes it on whom and whose rates by date apply.
 * The last three do not say who imposes the tariff on whom: pass the importer
 * and exporter. Rates are percentage points of additional ad valorem duty.
 */
export type TariffFormat =
  | 'section301-lists'
  | 'usitc-headings'
  | 'dated-hs6-rates'
  | 'wide-line-rates'
  | 'action-changes'
  | 'section301-exclusions'
  | 'usitc-tariff-database'
  | 'chapter99-codes'
  | 'gta-scopes'
  | 'numbered-line-list';

/** Returns the delimiter of a header line: a pipe or a semicolon when it has those and no comma, else a comma. */
export function headerDelimiter(line: string): string {
  if (!line.includes(',') && line.includes('|')) return '|';
  if (!line.includes(',') && line.includes(';')) return ';';
  return ',';
}

export interface TariffImportOptions extends ImportOptions {
  importer?: string;
  exporter?: string;
  /** Whether a dated-rate file gives additional duties or total applied rates (MFN included). */
  rateKind?: 'additional' | 'total';
  /** For a numbered list of lines without a header: the registry list its lines belong to. */
  list?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Returns the date in a wide-file column name such as reta_2018Jul06, or undefined. */
export function dateInColumnName(name: string): string | undefined {
  const m = /_(\d{4})([A-Za-z]{3})(\d{2})$/.exec(name);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  if (month < 0) return undefined;
  return `${m[1]}-${String(month + 1).padStart(2, '0')}-${m[3]}`;
}

/** Returns the format of a tariff file from its header, or undefined when it is not one. */
export function detectTariffFormat(header: string[]): TariffFormat | undefined {
  const h = new Set(
    header.map((c) =>
      c
        .trim()
        .replace(/^\uFEFF/, '')
        .toLowerCase(),
    ),
  );
  if (USITC_TARIFF_DATABASE_COLUMNS.every((c) => h.has(c))) return 'usitc-tariff-database';
  if (CH99_CODES_COLUMNS.every((c) => h.has(c))) return 'chapter99-codes';
  if (GTA_SCOPES_COLUMNS.every((c) => h.has(c))) return 'gta-scopes';
  if (isActionChangesHeader(header)) return 'action-changes';
  if (h.has('hts8') && h.has('tranche')) return 'section301-lists';
  if (h.has('hts8') && h.has('heading_9903')) return 'usitc-headings';
  if (h.has('hs6') && h.has('time_of_tariff') && h.has('tariff')) return 'dated-hs6-rates';
  if (h.has('exclusion_batch') && h.has('hts10')) return 'section301-exclusions';
  if ([...h].some((c) => /^hs0?8$/.test(c)) && header.some((c) => dateInColumnName(c))) return 'wide-line-rates';
  return undefined;
}

const FORMATS_TEXT =
  'hts8,tranche (Section 301 lists); hts8,heading_9903 (USITC); hs6,time_of_tariff,tariff; hs08 with reta_YYYYMonDD columns; hs06 with TT201_1st, TT232_1, TT301_a … columns (changes by US action); exclusion_batch,hts10; the USITC tariff database (hts8|brief_description|…); ch99_heading,hts_code_as_listed,code_digits; hs_8digit;rate_type;…;effective_date (Global Trade Alert scopes)';

async function fail(
  store: Store,
  ctx: LoadContext,
  table: string,
  where: string,
  field: string,
  reason: (r: Record<string, unknown>) => string,
  firstLine = 2,
): Promise<void> {
  const r = await store.one(
    `SELECT *, ${lineExpr(table, firstLine)} AS _line FROM ${table} WHERE ${where} ORDER BY _line LIMIT 1`,
  );
  if (r) throw new ImportError(ctx.file.original, reason(r), Number(r._line), field);
}

/** A numbered line list's first line: a row number, a 7- or 8-digit code, and a description. */
const NUMBERED_LINE = /^\s*\d+\s*,\s*"?\d{7,8}"?\s*,/;

/**
 * Loads a numbered list of 8-digit lines without a header into the registry list `list`: the measure's actor is
 * the importer and its first target the exporter; the list's rates by date apply. Codes of 7 digits are lines
 * whose leading zero was dropped (chapters 01–09), restored.
 */
async function loadNumberedLines(ctx: LoadContext, list: string, first: string): Promise<void> {
  const { store } = ctx;
  const m = await store.one(
    sql`SELECT l.measure_id, any_value(m.actor) AS actor, any_value(string_split(m.targets, ',')[1]) AS target
        FROM measure_tariff_lists l JOIN measures m USING (measure_id) WHERE l.list = ${list} GROUP BY l.measure_id`,
  );
  if (!m) {
    const known = (
      await store.all(`SELECT DISTINCT list FROM measure_tariff_lists WHERE scope = 'lines' ORDER BY 1`)
    ).map((r) => String(r.list));
    throw new Error(`--list ${list} is not a list of the measures registry (known: ${known.join(', ')})`);
  }
  if (!NUMBERED_LINE.test(first))
    throw new ImportError(
      ctx.file.original,
      `--list reads a numbered list of lines without a header (row number, 8-digit code, description); line 1 is '${first.slice(0, 60)}'`,
      1,
    );
  const layout: CsvLayout = {
    noHeader: true,
    columns: [
      { name: 'n', type: 'VARCHAR' },
      { name: 'code', type: 'VARCHAR' },
      { name: 'description', type: 'VARCHAR' },
    ],
  };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  await fail(
    store,
    ctx,
    'tariff_stage',
    `code IS NULL OR NOT regexp_full_match(trim(code), '\\d{7,8}')`,
    'code',
    (r) => `'${r.code ?? ''}' is not an 8-digit tariff line (or one whose leading zero was dropped)`,
    1,
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE list_stage AS SELECT ${lineExpr('tariff_stage', 1)} AS _line, trim(code) AS code,
       CASE WHEN regexp_full_match(trim(code), '\\d{7}') THEN '0' || trim(code) ELSE trim(code) END AS line,
       trim(description) AS description FROM tariff_stage`,
  );
  const numbering = await store.one(`SELECT max(TRY_CAST(n AS INTEGER)) AS top, count(*) AS rows FROM tariff_stage`);
  if (Number(numbering?.top) > Number(numbering?.rows))
    ctx.notes.push(
      `the rows are numbered up to ${numbering?.top} but the file holds ${numbering?.rows}: ${Number(numbering?.top) - Number(numbering?.rows)} numbered rows are missing, so the list may be incomplete`,
    );
  const restored = await store.one(`SELECT count(*) AS n FROM list_stage WHERE length(code) = 7`);
  if (Number(restored?.n))
    ctx.notes.push(`${restored?.n} codes of 7 digits read as 8-digit lines with their leading zero restored`);
  const dup = await store.one(
    `SELECT line, min(_line) AS a, max(_line) AS b FROM list_stage GROUP BY line HAVING count(*) > 1 ORDER BY a LIMIT 1`,
  );
  if (dup) {
    if (ctx.strict)
      throw new ImportError(
        ctx.file.original,
        `line ${dup.line} is listed twice (also at line ${dup.a})`,
        Number(dup.b),
        'code',
      );
    ctx.notes.push('repeated lines stored once');
  }
  await store.run(
    sql`INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date, rate_pct, rate_kind)
        SELECT ${ctx.datasetId}, ${String(m.actor)}, ${String(m.target)}, s.line, 8, l.list, l.measure_id, l.from_date, l.to_date, l.rate_pct, 'additional'
        FROM (SELECT DISTINCT line FROM list_stage) s CROSS JOIN ${raw(LIST_PERIODS)} l WHERE l.list = ${list}`,
  );
  ctx.notes.push(
    `lines of ${m.measure_id} (${list}): ${m.actor}'s additional duty on goods of ${m.target} at the registry's rates by date`,
  );
}

/** Loads a list file (lines by tranche or by heading) using the registry's rates by date. */
async function loadListLines(ctx: LoadContext, format: 'section301-lists' | 'usitc-headings'): Promise<void> {
  const { store } = ctx;
  const key = format === 'section301-lists' ? 'tranche' : 'heading_9903';
  const layout: CsvLayout = {
    columns: [
      { name: 'hts8', type: 'VARCHAR' },
      { name: key, type: 'VARCHAR' },
    ],
  };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  await fail(
    store,
    ctx,
    'tariff_stage',
    `hts8 IS NULL OR NOT regexp_full_match(trim(hts8), '\\d{8}')`,
    'hts8',
    (r) => `'${r.hts8 ?? ''}' is not an 8-digit tariff line`,
  );
  const listCol = format === 'section301-lists' ? 'list' : 'heading';
  const known = (
    await store.all(`SELECT DISTINCT ${listCol} AS k FROM measure_tariff_lists WHERE ${listCol} IS NOT NULL ORDER BY 1`)
  ).map((r) => String(r.k));
  await fail(
    store,
    ctx,
    'tariff_stage',
    `trim(${key}) NOT IN (SELECT ${listCol} FROM measure_tariff_lists WHERE ${listCol} IS NOT NULL) AND NOT starts_with(trim(hts8), '99')`,
    key,
    (r) => `'${r[key]}' is not a list of the measures registry (known: ${known.join(', ')})`,
  );
  const artefacts = await store.one(
    `SELECT count(*) AS n, string_agg(hts8, ', ') AS codes FROM tariff_stage WHERE starts_with(trim(hts8), '99')`,
  );
  if (Number(artefacts?.n))
    ctx.notes.push(
      `${artefacts?.n} chapter-99 headings skipped (${artefacts?.codes}): they are the legal headings, not product lines`,
    );
  const dup = await store.one(
    `SELECT trim(hts8) AS hts8, trim(${key}) AS k, count(*) AS n FROM tariff_stage GROUP BY ALL HAVING count(*) > 1 ORDER BY 1 LIMIT 1`,
  );
  if (dup) {
    if (ctx.strict)
      throw new ImportError(
        ctx.file.original,
        `line ${dup.hts8} is listed ${dup.n} times under ${dup.k}`,
        undefined,
        'hts8',
      );
    ctx.notes.push('repeated lines stored once');
  }
  await store.run(
    `INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date, rate_pct, rate_kind)
     SELECT ${ctx.datasetId}, 'USA', 'CHN', s.line, 8, l.list, l.measure_id, l.from_date, l.to_date, l.rate_pct, 'additional'
     FROM (SELECT DISTINCT trim(hts8) AS line, trim(${key}) AS k FROM tariff_stage WHERE NOT starts_with(trim(hts8), '99')) s
     JOIN ${LIST_PERIODS} l ON l.${listCol} = s.k AND NOT coalesce(l.exclusion, false)`,
  );
  const suspended = await store.one(
    `SELECT count(DISTINCT line) AS n FROM tariff_lines WHERE dataset_id = $1 AND from_date = to_date`,
    [ctx.datasetId],
  );
  if (Number(suspended?.n))
    ctx.notes.push(`${suspended?.n} lines belong to lists that never took effect (stored with an empty period)`);
}

/**
 * Checks a dated-rate file against the kind of rate the user says it holds; returns nothing. Additional duties
 * cannot be above zero before the importer's first tariff action on the exporter in the registry (the file then
 * holds total rates, MFN included); total rates cannot all be zero on the first date (the MFN base is not zero).
 */
async function checkRateKind(
  ctx: LoadContext,
  importer: string,
  exporter: string,
  kind: 'additional' | 'total',
  field: string,
): Promise<void> {
  const first = await ctx.store.one(
    sql`SELECT strftime(min(coalesce(effective, announced_from)), '%Y-%m-%d') AS d FROM measures
        WHERE actor = ${importer} AND instrument = 'tariff'
          AND (list_contains(string_split(targets, ','), ${exporter}) OR list_contains(string_split(targets, ','), 'ALL'))`,
  );
  if (kind === 'additional' && first?.d) {
    const r = await ctx.store.one(
      sql`SELECT _line, line, strftime(on_date, '%Y-%m-%d') AS d, rate FROM rates_stage
          WHERE rate > 0 AND on_date < CAST(${String(first.d)} AS DATE) ORDER BY _line LIMIT 1`,
    );
    if (r)
      throw new ImportError(
        ctx.file.original,
        `an additional duty of ${r.rate}% on ${r.line} on ${r.d}, before ${importer}'s first tariff action on ${exporter} (${first.d}): this file holds total rates (MFN included); pass --rate-kind total`,
        Number(r._line),
        field,
      );
  }
  if (kind === 'total') {
    const r = await ctx.store.one(
      `SELECT count(*) FILTER (WHERE rate > 0) AS positive, strftime(min(on_date), '%Y-%m-%d') AS d
       FROM rates_stage WHERE on_date = (SELECT min(on_date) FROM rates_stage)`,
    );
    if (r && Number(r.positive) === 0)
      throw new ImportError(
        ctx.file.original,
        `every rate on the first date (${r.d}) is zero: total rates include the MFN rate, so this file holds additional duties; pass --rate-kind additional`,
        2,
        field,
      );
  }
}

/** Inserts rates given at dates (staged as line, digits, on_date, rate, _line) as periods, merging equal neighbours. */
async function insertDatedRates(
  ctx: LoadContext,
  importer: string,
  exporter: string,
  kind: 'additional' | 'total',
): Promise<void> {
  const { store } = ctx;
  await store.run(
    `INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date, rate_pct, rate_kind)
     SELECT ${ctx.datasetId}, $1, $2, line, digits, NULL, NULL, min(on_date), max(next_on) FILTER (WHERE last_in_run), rate, '${kind}'
     FROM (
       SELECT *, sum(CASE WHEN rate IS DISTINCT FROM prev_rate THEN 1 ELSE 0 END) OVER (PARTITION BY line ORDER BY on_date) AS run,
              next_on IS NULL OR next_rate IS DISTINCT FROM rate AS last_in_run
       FROM (SELECT *, lag(rate) OVER w AS prev_rate, lead(rate) OVER w AS next_rate, lead(on_date) OVER w AS next_on
             FROM rates_stage WINDOW w AS (PARTITION BY line ORDER BY on_date))
     ) GROUP BY line, digits, run, rate`,
    [importer, exporter],
  );
  // Link rate changes to the registry's tariff measures of this importer on this exporter that took effect (or
  // changed) that day.
  await store.run(
    `UPDATE tariff_lines t SET measure_id = m.measure_id FROM (
       SELECT d, any_value(measure_id) AS measure_id FROM (
         SELECT effective AS d, measure_id FROM measures WHERE actor = $2 AND instrument = 'tariff' AND list_contains(string_split(targets, ','), $3) AND effective IS NOT NULL
         UNION SELECT TRY_CAST(c.date AS DATE), c.measure_id FROM measure_changes c JOIN measures USING (measure_id)
           WHERE actor = $2 AND instrument = 'tariff' AND list_contains(string_split(targets, ','), $3))
       GROUP BY d HAVING count(DISTINCT measure_id) = 1) m
     WHERE t.dataset_id = $1 AND t.from_date = m.d AND t.rate_pct > 0`,
    [ctx.datasetId, importer, exporter],
  );
  const linked = await store.one(
    `SELECT count(*) FILTER (WHERE measure_id IS NOT NULL) AS n, count(*) FILTER (WHERE rate_pct > 0) AS m FROM tariff_lines WHERE dataset_id = $1`,
    [ctx.datasetId],
  );
  ctx.notes.push(
    `${linked?.n} of ${linked?.m} rate periods above zero linked to a registry measure by the date they start`,
  );
  const last = await store.one(`SELECT strftime(max(on_date), '%Y-%m-%d') AS d FROM rates_stage`);
  ctx.notes.push(
    `${kind} rates given at dates; each holds until the next date, and those of ${last?.d} are carried forward`,
  );
}

const MISSING = `(rate_text IS NULL OR upper(trim(rate_text)) IN ('', 'NA', 'N/A'))`;

/** Drops rates the file marks as missing (empty, NA) and says how many; returns nothing. */
async function dropMissingRates(ctx: LoadContext): Promise<void> {
  const m = await ctx.store.one(`SELECT count(*) AS n, min(_line) AS first FROM rates_stage WHERE ${MISSING}`);
  if (Number(m?.n)) {
    ctx.notes.push(
      `${m?.n} rates marked missing (empty or NA, first at line ${m?.first}) skipped: the rate before them holds`,
    );
    await ctx.store.run(`DELETE FROM rates_stage WHERE ${MISSING}`);
  }
}

async function checkRates(ctx: LoadContext, table: string, rateField: string): Promise<void> {
  await dropMissingRates(ctx);
  await fail(
    ctx.store,
    ctx,
    table,
    `rate IS NULL OR isnan(rate) OR rate < 0 OR rate > 1000`,
    rateField,
    (r) => `'${r.rate_text ?? ''}' is not a tariff rate in percent (0 to 1000)`,
  );
}

async function loadDatedHs6(
  ctx: LoadContext,
  importer: string,
  exporter: string,
  kind: 'additional' | 'total',
): Promise<void> {
  const { store } = ctx;
  const layout: CsvLayout = {
    columns: [
      { name: 'hs6', type: 'VARCHAR' },
      { name: 'time_of_tariff', type: 'VARCHAR' },
      { name: 'tariff', type: 'VARCHAR' },
      { name: 'description', type: 'VARCHAR', optional: true },
    ],
  };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  await fail(
    store,
    ctx,
    'tariff_stage',
    `hs6 IS NULL OR NOT regexp_full_match(trim(hs6), '\\d{6}')`,
    'hs6',
    (r) => `'${r.hs6 ?? ''}' is not a 6-digit HS code`,
  );
  await fail(
    store,
    ctx,
    'tariff_stage',
    `TRY_CAST(trim(time_of_tariff) AS DATE) IS NULL`,
    'time_of_tariff',
    (r) => `'${r.time_of_tariff ?? ''}' is not a date (YYYY-MM-DD)`,
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE rates_stage AS SELECT ${lineExpr('tariff_stage')} AS _line, trim(hs6) AS line, 6 AS digits,
       CAST(trim(time_of_tariff) AS DATE) AS on_date, tariff AS rate_text, TRY_CAST(tariff AS DOUBLE) AS rate FROM tariff_stage`,
  );
  await checkRates(ctx, 'rates_stage', 'tariff');
  await checkDuplicates(ctx, 'time_of_tariff');
  await checkRateKind(ctx, importer, exporter, kind, 'tariff');
  await insertDatedRates(ctx, importer, exporter, kind);
}

async function checkDuplicates(ctx: LoadContext, field: string): Promise<void> {
  const dup = await ctx.store.one(
    `SELECT line, strftime(on_date, '%Y-%m-%d') AS on_date, min(_line) AS first_line, max(_line) AS last_line FROM rates_stage GROUP BY line, on_date HAVING count(*) > 1 ORDER BY first_line LIMIT 1`,
  );
  if (dup)
    throw new ImportError(
      ctx.file.original,
      `line ${dup.line} has two rates for ${dup.on_date} (also at line ${dup.first_line})`,
      Number(dup.last_line),
      field,
    );
}

async function loadWideLines(
  ctx: LoadContext,
  header: string[],
  importer: string,
  exporter: string,
  kind: 'additional' | 'total',
): Promise<void> {
  const { store } = ctx;
  const code = header.find((c) => /^hs0?8$/i.test(c.trim()))!;
  const dated = header.filter((c) => dateInColumnName(c));
  const ignored = header.filter((c) => c !== code && !dated.includes(c));
  const layout: CsvLayout = { columns: header.map((c) => ({ name: c, type: 'VARCHAR' as const })) };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  await fail(
    store,
    ctx,
    'tariff_stage',
    `"${code}" IS NULL OR NOT regexp_full_match(trim("${code}"), '\\d{8}')`,
    code,
    (r) => `'${r[code] ?? ''}' is not an 8-digit tariff line`,
  );
  const parts = dated.map(
    (
      c,
    ) => `SELECT ${lineExpr('tariff_stage')} AS _line, trim("${code}") AS line, 8 AS digits, DATE '${dateInColumnName(c)}' AS on_date, "${c}" AS rate_text,
              TRY_CAST("${c}" AS DOUBLE) AS rate, '${c}' AS col FROM tariff_stage`,
  );
  await store.run(`CREATE OR REPLACE TEMP TABLE rates_stage AS ${parts.join(' UNION ALL ')}`);
  await dropMissingRates(ctx);
  const bad = await store.one(
    `SELECT * FROM rates_stage WHERE rate IS NULL OR isnan(rate) OR rate < 0 OR rate > 1000 ORDER BY _line LIMIT 1`,
  );
  if (bad)
    throw new ImportError(
      ctx.file.original,
      `'${bad.rate_text}' is not a tariff rate in percent (0 to 1000)`,
      Number(bad._line),
      String(bad.col),
    );
  await checkDuplicates(ctx, code);
  await checkRateKind(ctx, importer, exporter, kind, code);
  await insertDatedRates(ctx, importer, exporter, kind);
  if (ignored.length) ctx.notes.push(`columns not used: ${ignored.join(', ')}`);
}

async function loadExclusions(ctx: LoadContext): Promise<void> {
  const { store } = ctx;
  const layout: CsvLayout = {
    columns: [
      { name: 'exclusion_batch', type: 'VARCHAR' },
      { name: 'hts10', type: 'VARCHAR' },
    ],
  };
  await stageCsv(store, ctx.file, layout, 'tariff_stage');
  const missing = await store.one(
    `SELECT count(*) AS n, min(${lineExpr('tariff_stage')}) AS first FROM tariff_stage WHERE hts10 IS NULL OR upper(trim(hts10)) IN ('', 'NA')`,
  );
  if (Number(missing?.n))
    ctx.notes.push(
      `${missing?.n} exclusions without an HTS10 code (empty or NA, first at line ${missing?.first}) skipped`,
    );
  await fail(
    store,
    ctx,
    'tariff_stage',
    `hts10 IS NOT NULL AND upper(trim(hts10)) NOT IN ('', 'NA') AND NOT regexp_full_match(trim(hts10), '\\d{10}')`,
    'hts10',
    (r) => `'${r.hts10 ?? ''}' is not a 10-digit HTS code`,
  );
  await fail(
    store,
    ctx,
    'tariff_stage',
    `TRY_CAST(exclusion_batch AS INTEGER) IS NULL`,
    'exclusion_batch',
    (r) => `'${r.exclusion_batch ?? ''}' is not a batch number`,
  );
  const dup = await store.one(
    `SELECT count(*) - count(DISTINCT (trim(hts10), exclusion_batch)) AS n FROM tariff_stage WHERE regexp_full_match(trim(hts10), '\\d{10}')`,
  );
  if (Number(dup?.n)) {
    if (ctx.strict)
      throw new ImportError(
        ctx.file.original,
        `${dup?.n} exclusions repeat an earlier row (same batch and HTS10)`,
        undefined,
        'hts10',
      );
    ctx.notes.push(`${dup?.n} repeated exclusions (same batch and HTS10) stored once`);
  }
  await store.run(
    `INSERT INTO tariff_exclusions (dataset_id, importer, exporter, line, digits, batch, measure_id)
     SELECT DISTINCT ${ctx.datasetId}, 'USA', 'CHN', trim(hts10), 10, CAST(exclusion_batch AS INTEGER), 'us-301-exclusions' FROM tariff_stage
     WHERE regexp_full_match(trim(hts10), '\\d{10}')`,
  );
  ctx.notes.push(
    'exclusions cover products described within these lines, often only part of a line; rates are not changed by them',
  );
}

/** Imports tariff files (formats in this module's doc comment); returns one outcome per file. */
export async function importTariffs(
  store: Store,
  files: string[],
  options: TariffImportOptions,
): Promise<ImportOutcome[]> {
  return runImport(store, {
    source: 'tariffs',
    kind: 'tariffs',
    files,
    encoding: options.encoding,
    strict: options.strict,
    prepare: (f) => ({ workbook: /\.xlsx$/i.test(f) }),
    async load(ctx) {
      if (!/\.xlsx$/i.test(ctx.file.original)) return loadTariffFile(ctx, options);
      // A workbook (the USITC tariff database's xlsx layout): its first sheet read as CSV, HTS8 codes kept at 8 digits.
      const original = ctx.file;
      ctx.file = await workbookAsCsv(original, { hts8: 8 });
      try {
        return await loadTariffFile(ctx, options);
      } finally {
        ctx.file.cleanup();
        ctx.file = original;
      }
    },
  });
}

/** Loads one tariff file of any format this module reads (see its doc comment); returns nothing. */
async function loadTariffFile(ctx: LoadContext, options: TariffImportOptions): Promise<void> {
  const first = await firstLine(ctx.file);
  if (options.list) {
    await ctx.setVintage('numbered-line-list');
    return loadNumberedLines(ctx, options.list, first);
  }
  const delimiter = headerDelimiter(first);
  const header = splitCsvLine(first, delimiter);
  const format = detectTariffFormat(header);
  if (!format && NUMBERED_LINE.test(first))
    throw new ImportError(
      ctx.file.original,
      'a numbered list of lines without a header: name the registry list its lines belong to with --list NAME',
      1,
    );
  if (!format)
    throw new ImportError(
      ctx.file.original,
      `not a tariff file this program knows (header: ${header.join(',')}); formats: ${FORMATS_TEXT}`,
      1,
    );
  await ctx.setVintage(format);
  if (format === 'section301-lists' || format === 'usitc-headings') return loadListLines(ctx, format);
  if (format === 'section301-exclusions') return loadExclusions(ctx);
  if (format === 'usitc-tariff-database') return loadUsitcTariffDatabase(ctx, delimiter);
  if (format === 'chapter99-codes') return loadChapter99Codes(ctx);
  if (format === 'action-changes') {
    const who = [options.importer, options.exporter].map((v) => v?.toUpperCase());
    if ((who[0] && who[0] !== 'USA') || (who[1] && who[1] !== 'CHN'))
      throw new ImportError(
        ctx.file.original,
        `this file gives the changes of US actions on China (TT201, TT232, TT301 columns): --importer ${who[0] ?? 'USA'} --exporter ${who[1] ?? 'CHN'} does not fit it`,
        1,
      );
    if (options.rateKind === 'total')
      throw new ImportError(
        ctx.file.original,
        'this file gives the change in the additional duty at each action, not total applied rates: --rate-kind total does not fit it (leave it out or pass additional)',
        1,
      );
    return loadActionChanges(ctx, header);
  }
  if (format === 'gta-scopes') return loadGtaScopes(ctx);
  const importer = options.importer?.toUpperCase();
  const exporter = options.exporter?.toUpperCase();
  if (!importer || !exporter)
    throw new ImportError(
      ctx.file.original,
      `this ${format} file does not say who imposes the tariff on whom: pass --importer ISO3 --exporter ISO3`,
      1,
    );
  for (const [opt, v] of [
    ['--importer', importer],
    ['--exporter', exporter],
  ] as const) {
    if (!/^[A-Z]{3}$/.test(v)) throw new Error(`${opt} takes an ISO3 code, not '${v}'`);
    const known = await ctx.store.one(`SELECT name_en FROM countries WHERE iso3 = $1`, [v]);
    if (!known)
      throw new ImportError(
        ctx.file.original,
        `${opt} ${v} is not an economy the store knows (an ISO 3166 alpha-3 code installed by decouple setup)`,
      );
  }
  const kind = options.rateKind;
  if (!kind)
    throw new ImportError(
      ctx.file.original,
      `say whether this ${format} file gives additional duties or total applied rates (MFN included): pass --rate-kind additional|total`,
      1,
    );
  if (format === 'dated-hs6-rates') return loadDatedHs6(ctx, importer, exporter, kind);
  return loadWideLines(ctx, header, importer, exporter, kind);
}
