import { basename } from 'node:path';
import { lineExpr, stageCsv, type CsvLayout } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { sql } from '../core/sql.js';
import type { LoadContext } from './importRun.js';

/**
 * The USITC annual tariff database (`tariff_database_YYYY.txt`, pipe-delimited, 1997–2005 layouts, or the CSV
 * converted from the xlsx, 2006 on): one row per HTS8 line with its column 1 general (MFN) rate as text, a rate
 * type code and its ad valorem, specific and other components (td-fields.pdf). Stored in `mfn_rates` by year.
 */
export const USITC_TARIFF_DATABASE_COLUMNS = ['hts8', 'brief_description', 'mfn_rate_type_code', 'mfn_ad_val_rate'];

/** Returns the database year named in a file name (tariff_database_2024, 2019_Tariff_Database), or undefined. */
export function tariffDatabaseYear(fileName: string): number | undefined {
  const m = /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(basename(fileName));
  return m ? Number(m[1]) : undefined;
}

/** A date of the database: ISO (2012-02-03) or the text layouts' MM/DD/YYYY HH:MM:SS; SQL expression. */
function dateField(column: string): string {
  return `coalesce(TRY_CAST(${column} AS DATE), TRY_CAST(TRY_STRPTIME(split_part(${column}, ' ', 1), '%m/%d/%Y') AS DATE))`;
}

/**
 * The value the database gives a rate component that is not a number (rate types such as "N", "T", "9", "X": a
 * rate stated in words, e.g. "the rate applicable to each garment in the ensemble"): 9999.999999 or 99999.999999.
 */
const SENTINEL = 9999;

/** A rate component as a number, NULL where the database marks it as not a number; SQL expression. */
function component(text: string): string {
  return `CASE WHEN TRY_CAST(${text} AS DOUBLE) >= ${SENTINEL} THEN NULL ELSE TRY_CAST(${text} AS DOUBLE) END`;
}

/** Loads one USITC tariff database file into mfn_rates; returns nothing (notes say what was read). */
export async function loadUsitcTariffDatabase(ctx: LoadContext, delimiter: string): Promise<void> {
  const { store } = ctx;
  const layout: CsvLayout = {
    delimiter,
    // The pipe-delimited text layouts do not quote: descriptions hold inch marks (6").
    quote: delimiter === '|' ? '' : '"',
    columns: [
      { name: 'hts8', type: 'VARCHAR' },
      { name: 'brief_description', type: 'VARCHAR' },
      { name: 'quantity_1_code', type: 'VARCHAR', optional: true },
      { name: 'mfn_text_rate', type: 'VARCHAR', optional: true },
      { name: 'mfn_rate_type_code', type: 'VARCHAR' },
      { name: 'mfn_ad_val_rate', type: 'VARCHAR' },
      { name: 'mfn_specific_rate', type: 'VARCHAR', optional: true },
      { name: 'mfn_other_rate', type: 'VARCHAR', optional: true },
      { name: 'begin_effect_date', type: 'VARCHAR', optional: true },
      { name: 'end_effective_date', type: 'VARCHAR', optional: true },
    ],
  };
  const header = (await stageCsv(store, ctx.file, layout, 'mfn_stage')).map((h) => h.toLowerCase());
  const has = (c: string) => header.includes(c);
  const col = (c: string) => (has(c) ? `trim(${c})` : 'NULL');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE mfn_rows AS SELECT ${lineExpr('mfn_stage')} AS _line, trim(hts8) AS line,
       ${col('brief_description')} AS description, ${col('mfn_text_rate')} AS rate_text,
       ${col('mfn_rate_type_code')} AS rate_type, ${col('quantity_1_code')} AS quantity_unit,
       trim(mfn_ad_val_rate) AS ad_text, ${component('trim(mfn_ad_val_rate)')} AS ad,
       ${col('mfn_specific_rate')} AS specific_text, ${component(col('mfn_specific_rate'))} AS specific,
       ${col('mfn_other_rate')} AS other_text, ${component(col('mfn_other_rate'))} AS other,
       greatest(${[`trim(mfn_ad_val_rate)`, col('mfn_specific_rate'), col('mfn_other_rate')].map((c) => `coalesce(TRY_CAST(${c} AS DOUBLE), 0)`).join(', ')}) >= ${SENTINEL} AS text_only,
       ${has('begin_effect_date') ? dateField('begin_effect_date') : 'NULL'} AS from_date,
       ${has('end_effective_date') ? dateField('end_effective_date') : 'NULL'} AS to_date
     FROM mfn_stage`,
  );
  const bad = await store.one(
    `SELECT * FROM mfn_rows WHERE line IS NULL OR NOT regexp_full_match(line, '\\d{8}') ORDER BY _line LIMIT 1`,
  );
  if (bad)
    throw new ImportError(
      ctx.file.original,
      `'${bad.line ?? ''}' is not an 8-digit HTS line`,
      Number(bad._line),
      'hts8',
    );
  for (const [field, text, value] of [
    ['mfn_ad_val_rate', 'ad_text', 'ad'],
    ['mfn_specific_rate', 'specific_text', 'specific'],
    ['mfn_other_rate', 'other_text', 'other'],
  ] as const) {
    const r = await store.one(
      `SELECT _line, ${text} AS t FROM mfn_rows
       WHERE ${text} IS NOT NULL AND ${text} <> '' AND (TRY_CAST(${text} AS DOUBLE) IS NULL OR ${value} < 0)
       ORDER BY _line LIMIT 1`,
    );
    if (r)
      throw new ImportError(ctx.file.original, `'${r.t}' is not a rate (a number, 0 or more)`, Number(r._line), field);
  }
  // No US MFN rate reaches 1,000%: a larger fraction is a slip in the source (1997, 2922.43.10: 114 for 0.114).
  const slips = await store.all(`SELECT _line, line, ad FROM mfn_rows WHERE ad > 10 ORDER BY _line`);
  if (slips.length) {
    await store.run(`UPDATE mfn_rows SET text_only = true WHERE ad > 10`);
    ctx.notes.push(
      `${slips.length} ad valorem rates above 1,000% stored without a number as slips in the source (${slips
        .slice(0, 3)
        .map((r) => `line ${r._line}, ${r.line}: ${r.ad}`)
        .join('; ')})`,
    );
  }
  const named = tariffDatabaseYear(ctx.file.original);
  const latest = await store.one(`SELECT max(year(from_date)) AS y FROM mfn_rows`);
  const year = named ?? (latest?.y == null ? undefined : Number(latest.y));
  if (year === undefined)
    throw new ImportError(
      ctx.file.original,
      'the database year is neither in the file name (tariff_database_YYYY) nor in begin_effect_date',
      1,
    );
  await ctx.setVintage(`USITC tariff database ${year}`);
  await store.run(
    sql`INSERT INTO mfn_rates (dataset_id, importer, year, line, description, rate_text, rate_type, ad_valorem_pct,
          specific_rate, other_rate, quantity_unit, from_date, to_date)
        SELECT ${ctx.datasetId}, 'USA', ${year}, line, description, rate_text, rate_type,
               CASE WHEN text_only THEN NULL ELSE 100 * coalesce(ad, 0) END,
               CASE WHEN text_only THEN NULL ELSE coalesce(specific, 0) END,
               CASE WHEN text_only THEN NULL ELSE coalesce(other, 0) END, quantity_unit, from_date, to_date
        FROM mfn_rows`,
  );
  const s = await store.one(
    `SELECT count(*) AS n, count(DISTINCT line) AS lines,
            count(*) FILTER (WHERE NOT text_only AND (coalesce(specific, 0) > 0 OR coalesce(other, 0) > 0)) AS non_ad_valorem,
            count(*) FILTER (WHERE text_only) AS text_only
     FROM mfn_rows`,
  );
  ctx.notes.push(
    `MFN (column 1 general) rates of ${s?.lines} HTS8 lines for ${year}` +
      (named === undefined ? ' (year from the latest begin_effect_date)' : ''),
  );
  if (Number(s?.non_ad_valorem))
    ctx.notes.push(
      `${s?.non_ad_valorem} lines have specific or compound rates: their ad valorem equivalent needs unit values (quantities) at the line, and only the ad valorem part is counted where those are not loaded`,
    );
  if (Number(s?.text_only))
    ctx.notes.push(
      `${s?.text_only} lines have a rate stated in words (the database's 9999.999999): stored without a number`,
    );
  if (Number(s?.n) > Number(s?.lines))
    ctx.notes.push(`${Number(s?.n) - Number(s?.lines)} lines have more than one rate period within the year`);
}
