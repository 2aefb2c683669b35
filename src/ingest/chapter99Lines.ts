import { lineExpr, stageCsv, type CsvLayout } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { raw, sql } from '../core/sql.js';
import type { LoadContext } from './importRun.js';

/**
 * Line lists that say which tariff lines a layer of the US tariff covers or exempts, by date:
 * - `ch99_heading,hts_code_as_listed,hts8,code_digits` — the HTS8 and HTS10 codes each chapter 99 heading lists
 *   (extracted from the HTSUS text: Section 301 lists, their exclusions, the four-year review). Each heading is
 *   linked to a list of the measures registry, which gives its rates and dates.
 * - `hs_8digit;rate_type;import_origin;exception_type;effective_date;end_date;source` — Global Trade Alert's
 *   product scopes: the Section 232 scopes and the exemptions from the reciprocal (IEEPA baseline) tariff, each
 *   with its start and end dates.
 */
export const CH99_CODES_COLUMNS = ['ch99_heading', 'hts_code_as_listed', 'code_digits'];
export const GTA_SCOPES_COLUMNS = ['hs_8digit', 'rate_type', 'exception_type', 'effective_date'];

/**
 * The registry's tariff lists as rate periods (measure_id, list, heading, rate_pct, exclusion, from_date, to_date:
 * the next rate's start or the list's suspension, exclusive), as a SQL table expression.
 */
export const LIST_PERIODS = `(SELECT measure_id, list, heading, rate_pct, exclusion, from_date,
     CASE WHEN suspended IS NOT NULL AND suspended <= from_date THEN from_date
          ELSE coalesce(least(next_from, suspended), next_from, suspended) END AS to_date
   FROM (SELECT *, lead(from_date) OVER (PARTITION BY measure_id, list ORDER BY from_date) AS next_from
         FROM measure_tariff_lists))`;

/** Loads the codes listed under chapter 99 headings; returns nothing. */
export async function loadChapter99Codes(ctx: LoadContext): Promise<void> {
  const { store } = ctx;
  const layout: CsvLayout = {
    columns: [
      { name: 'ch99_heading', type: 'VARCHAR' },
      { name: 'hts_code_as_listed', type: 'VARCHAR' },
      { name: 'code_digits', type: 'VARCHAR', optional: true },
    ],
  };
  await stageCsv(store, ctx.file, layout, 'ch99_stage');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ch99_codes AS SELECT ${lineExpr('ch99_stage')} AS _line, trim(ch99_heading) AS heading,
       trim(hts_code_as_listed) AS listed, regexp_replace(trim(hts_code_as_listed), '\\.', '', 'g') AS line
     FROM ch99_stage`,
  );
  const bad = await store.one(
    `SELECT * FROM ch99_codes WHERE NOT regexp_full_match(line, '\\d{8}|\\d{10}') ORDER BY _line LIMIT 1`,
  );
  if (bad)
    throw new ImportError(
      ctx.file.original,
      `'${bad.listed}' is not an HTS8 or HTS10 code`,
      Number(bad._line),
      'hts_code_as_listed',
    );
  const badHeading = await store.one(
    `SELECT * FROM ch99_codes WHERE NOT regexp_full_match(heading, '9903\\.\\d{2}\\.\\d{2}') ORDER BY _line LIMIT 1`,
  );
  if (badHeading)
    throw new ImportError(
      ctx.file.original,
      `'${badHeading.heading}' is not a chapter 99 heading (9903.NN.NN)`,
      Number(badHeading._line),
      'ch99_heading',
    );
  await store.run(
    sql`INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date,
          rate_pct, rate_kind)
        SELECT DISTINCT ${ctx.datasetId}, 'USA', 'CHN', c.line, length(c.line), l.list, l.measure_id, l.from_date,
               l.to_date, l.rate_pct, 'additional'
        FROM ch99_codes c JOIN ${raw(LIST_PERIODS)} l ON l.heading = c.heading AND NOT l.exclusion`,
  );
  await store.run(
    sql`INSERT INTO tariff_exclusions (dataset_id, importer, exporter, line, digits, batch, measure_id, from_date,
          to_date, scope)
        SELECT DISTINCT ${ctx.datasetId}, 'USA', 'CHN', c.line, length(c.line), NULL, l.measure_id, l.from_date,
               l.to_date, c.heading
        FROM ch99_codes c JOIN ${raw(LIST_PERIODS)} l ON l.heading = c.heading AND l.exclusion`,
  );
  const unknown = await store.all(
    `SELECT heading, count(*) AS n FROM ch99_codes WHERE heading NOT IN (SELECT heading FROM measure_tariff_lists WHERE heading IS NOT NULL)
     GROUP BY heading ORDER BY heading`,
  );
  if (unknown.length)
    ctx.notes.push(
      `codes under headings the measures registry does not carry skipped: ${unknown.map((u) => `${u.heading} (${u.n})`).join(', ')}`,
    );
  const linked = await store.one(
    `SELECT count(DISTINCT heading) AS h, count(*) AS n FROM ch99_codes WHERE heading IN (SELECT heading FROM measure_tariff_lists)`,
  );
  ctx.notes.push(`${linked?.n} codes under ${linked?.h} headings linked to the registry's lists, rates and dates`);
}

/** Global Trade Alert scope types this program reads: the registry list a scope fills, or an exemption. */
const GTA_LAYERS: Array<{ rateType: string; exceptionType: string; measure: string; list?: string }> = [
  { rateType: 's232_steel_rate', exceptionType: 'product_scope', measure: 'us-232-steel-aluminium', list: '232-steel' },
  {
    rateType: 's232_alu_rate',
    exceptionType: 'product_scope',
    measure: 'us-232-steel-aluminium',
    list: '232-aluminium',
  },
  { rateType: 's232_auto_rate', exceptionType: 'product_scope', measure: 'us-232-autos', list: '232-autos' },
  { rateType: 's232_auto_parts_rate', exceptionType: 'product_scope', measure: 'us-232-autos', list: '232-auto-parts' },
  // Derivatives, taxed on their metal content: loaded as lists the stack names but does not apply (tariffStack.ts).
  {
    rateType: 's232_steel_rate',
    exceptionType: 'product_scope_derivative',
    measure: 'us-232-steel-aluminium',
    list: '232-steel-derivatives',
  },
  {
    rateType: 's232_alu_rate',
    exceptionType: 'product_scope_derivative',
    measure: 'us-232-steel-aluminium',
    list: '232-aluminium-derivatives',
  },
  { rateType: 's232_copper_rate', exceptionType: 'product_scope', measure: 'us-232-copper', list: '232-copper' },
  { rateType: 's232_lumber_rate', exceptionType: 'product_scope', measure: 'us-232-lumber', list: '232-lumber' },
  {
    rateType: 's232_lumber_cabinet_rate',
    exceptionType: 'product_scope',
    measure: 'us-232-lumber',
    list: '232-wood-furniture',
  },
  {
    rateType: 's232_lumber_upholstered_rate',
    exceptionType: 'product_scope',
    measure: 'us-232-lumber',
    list: '232-wood-furniture',
  },
  { rateType: 's232_mhdv_main_rate', exceptionType: 'product_scope', measure: 'us-232-trucks', list: '232-trucks' },
  { rateType: 's232_mhdv_parts_rate', exceptionType: 'product_scope', measure: 'us-232-trucks', list: '232-trucks' },
  { rateType: 's232_mhdv_bus_rate', exceptionType: 'product_scope', measure: 'us-232-trucks', list: '232-buses' },
  // Exemptions from the reciprocal tariff for every origin: Annex II and its amendments, the semiconductor and
  // electronics carve-out, pharmaceuticals and the statutory exemptions (IEEPA's informational materials).
  { rateType: 'ieepa_baseline_rate', exceptionType: 'annex2', measure: 'us-reciprocal-tariff-china' },
  { rateType: 'ieepa_baseline_rate', exceptionType: 'semiconductor', measure: 'us-reciprocal-tariff-china' },
  { rateType: 'ieepa_baseline_rate', exceptionType: 'pharma', measure: 'us-reciprocal-tariff-china' },
  { rateType: 'ieepa_baseline_rate', exceptionType: 'statutory', measure: 'us-reciprocal-tariff-china' },
  // Exemptions from the Section 122 surcharge of 2026: its Annex II, certain aircraft, drones.
  { rateType: 's122_baseline_rate', exceptionType: 'annex2', measure: 'us-section122-surcharge' },
  { rateType: 's122_baseline_rate', exceptionType: 'aircraft_generalisation', measure: 'us-section122-surcharge' },
  { rateType: 's122_baseline_rate', exceptionType: 'drone', measure: 'us-section122-surcharge' },
];

/** The base date of Global Trade Alert's model: scopes starting then were already in force. */
const GTA_BASE_DATE = '2025-01-01';

/** Loads Global Trade Alert's product scopes (Section 232 lines, reciprocal-tariff exemptions); returns nothing. */
export async function loadGtaScopes(ctx: LoadContext): Promise<void> {
  const { store } = ctx;
  const layout: CsvLayout = {
    delimiter: ';',
    mixedLineEnds: true,
    columns: [
      { name: 'hs_8digit', type: 'VARCHAR' },
      { name: 'rate_type', type: 'VARCHAR' },
      { name: 'import_origin', type: 'VARCHAR' },
      { name: 'exception_type', type: 'VARCHAR' },
      { name: 'effective_date', type: 'VARCHAR' },
      { name: 'end_date', type: 'VARCHAR', optional: true },
      { name: 'source', type: 'VARCHAR', optional: true },
    ],
  };
  const header = (await stageCsv(store, ctx.file, layout, 'gta_stage')).map((h) => h.toLowerCase());
  const layers = GTA_LAYERS.map(
    (l) =>
      `(${[l.rateType, l.exceptionType, l.measure, l.list ?? null].map((v) => (v === null ? 'NULL' : `'${v}'`)).join(', ')})`,
  ).join(', ');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE gta_rows AS SELECT ${lineExpr('gta_stage')} AS _line, lpad(trim(hs_8digit), 8, '0') AS line,
       trim(rate_type) AS rate_type, trim(import_origin) AS origin, trim(exception_type) AS exception_type,
       trim(effective_date) AS from_text, TRY_CAST(trim(effective_date) AS DATE) AS from_date,
       ${header.includes('end_date') ? "trim(end_date, ' ' || chr(13))" : 'NULL'} AS to_text,
       ${header.includes('end_date') ? "TRY_CAST(trim(end_date, ' ' || chr(13)) AS DATE)" : 'NULL'} AS end_date,
       ${header.includes('source') ? "trim(source, ' ' || chr(13))" : 'NULL'} AS scope
     FROM gta_stage`,
  );
  const missing = await store.all(
    `SELECT _line FROM gta_rows WHERE regexp_full_match(line, '0*(NA)?', 'i') ORDER BY _line`,
  );
  if (missing.length) {
    ctx.notes.push(
      `${missing.length} rows without a code (NA) skipped: line ${missing
        .map((m) => m._line)
        .slice(0, 5)
        .join(', ')}`,
    );
    await store.run(`DELETE FROM gta_rows WHERE regexp_full_match(line, '0*(NA)?', 'i')`);
  }
  const bad = await store.one(
    `SELECT * FROM gta_rows WHERE NOT regexp_full_match(line, '\\d{8}') ORDER BY _line LIMIT 1`,
  );
  if (bad)
    throw new ImportError(ctx.file.original, `'${bad.line}' is not an HTS8 line`, Number(bad._line), 'hs_8digit');
  for (const [field, text, value] of [
    ['effective_date', 'from_text', 'from_date'],
    ['end_date', 'to_text', 'end_date'],
  ] as const) {
    const r = await store.one(
      `SELECT * FROM gta_rows WHERE ${text} IS NOT NULL AND ${text} <> '' AND ${value} IS NULL ORDER BY _line LIMIT 1`,
    );
    if (r) throw new ImportError(ctx.file.original, `'${r[text]}' is not a date (YYYY-MM-DD)`, Number(r._line), field);
  }
  await store.run(
    `CREATE OR REPLACE TEMP TABLE gta_scoped AS SELECT r.*, m.measure, m.list,
       CASE WHEN r.from_date = DATE '${GTA_BASE_DATE}' THEN NULL ELSE r.from_date END AS scope_from,
       r.end_date + INTERVAL 1 DAY AS scope_to
     FROM gta_rows r JOIN (VALUES ${layers}) m(rate_type, exception_type, measure, list)
       ON m.rate_type = r.rate_type AND m.exception_type = r.exception_type AND r.origin = 'ALL'`,
  );
  await store.run(
    sql`INSERT INTO tariff_lines (dataset_id, importer, exporter, line, digits, list, measure_id, from_date, to_date,
          rate_pct, rate_kind)
        SELECT DISTINCT ${ctx.datasetId}, 'USA', 'ALL', s.line, 8, s.list, s.measure, greatest(l.from_date, s.scope_from),
               CAST(CASE WHEN s.scope_to IS NULL THEN l.to_date WHEN l.to_date IS NULL THEN s.scope_to
                    ELSE least(l.to_date, s.scope_to) END AS DATE),
               l.rate_pct, 'additional'
        FROM gta_scoped s JOIN ${raw(LIST_PERIODS)} l ON l.measure_id = s.measure AND l.list = s.list
        WHERE s.list IS NOT NULL AND (s.scope_to IS NULL OR greatest(l.from_date, s.scope_from) < s.scope_to)`,
  );
  await store.run(
    sql`INSERT INTO tariff_exclusions (dataset_id, importer, exporter, line, digits, batch, measure_id, from_date,
          to_date, scope)
        SELECT DISTINCT ${ctx.datasetId}, 'USA', 'ALL', line, 8, NULL, measure, coalesce(scope_from, from_date),
               CAST(scope_to AS DATE), coalesce(scope, exception_type)
        FROM gta_scoped WHERE list IS NULL`,
  );
  const used = await store.one(`SELECT count(*) AS n FROM gta_scoped`);
  const skipped = await store.all(
    `SELECT rate_type || '/' || exception_type || CASE WHEN origin <> 'ALL' THEN ' (' || origin || ')' ELSE '' END AS k, count(*) AS n
     FROM gta_rows WHERE _line NOT IN (SELECT _line FROM gta_scoped) GROUP BY 1 ORDER BY 2 DESC`,
  );
  ctx.notes.push(
    `${used?.n} scope rows read (Section 232 lines, reciprocal-tariff and Section 122 exemptions); scopes starting on ${GTA_BASE_DATE}, the model's base date, taken as in force since the measure began`,
  );
  if (skipped.length)
    ctx.notes.push(
      `not read (country deals, other origins): ${skipped
        .slice(0, 8)
        .map((s) => `${s.k} ${s.n}`)
        .join(', ')}${skipped.length > 8 ? `, and ${skipped.length - 8} more` : ''}`,
    );
}
