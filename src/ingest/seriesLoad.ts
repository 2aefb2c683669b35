import { buildCodeMap } from '../countries/codeMap.js';
import type { CodeSystemName } from '../reference/codeSystems.js';
import { ImportError } from '../files/importError.js';
import type { LoadContext } from './importRun.js';

/** Columns a series source is normalised to (a view) before checks and insert. */
export const NORMALISED_SERIES_COLUMNS = [
  'line',
  'indicator',
  'country_code',
  'partner_code',
  'frequency',
  'period',
  'year',
  'value',
  'unit',
  'flag',
  'note',
] as const;

export interface SeriesLoadOptions {
  view: string;
  system: CodeSystemName;
  userMap: Map<string, string>;
  fields: { country: string; partner: string; period: string; value: string };
  lineKind?: 'line' | 'row';
  /**
   * Rows whose economy the code system does not know (a publisher's regions, residuals, former states) are left out
   * and named in the import's notes, instead of failing the import.
   */
  leaveOutUnknown?: boolean;
  /** The last year a period may fall in (default: this year; later for a publisher's projections). */
  maxYear?: number;
}

/**
 * Checks a normalised series view (periods, values, economies, duplicates)
 * and inserts it into `series`; returns the number of rows inserted.
 */
export async function loadSeries(ctx: LoadContext, opts: SeriesLoadOptions): Promise<number> {
  const { store } = ctx;
  const thisYear = new Date().getUTCFullYear();
  let view = opts.view;
  const fail = async (where: string, field: string, reason: (r: Record<string, unknown>) => string) => {
    const r = await store.one(`SELECT * FROM ${view} WHERE ${where} ORDER BY line LIMIT 1`);
    if (!r) return;
    if ((opts.lineKind ?? 'line') === 'line')
      throw new ImportError(ctx.file.original, reason(r), Number(r.line), field);
    throw new ImportError(ctx.file.original, `row ${r.line}: ${reason(r)}`, undefined, field);
  };
  await fail(
    `year IS NULL OR year < 1900 OR year > ${opts.maxYear ?? thisYear}`,
    opts.fields.period,
    (r) => `impossible period '${r.period}'`,
  );
  await fail(
    `value IS NULL OR isnan(value) OR isinf(value)`,
    opts.fields.value,
    () => 'the value is missing or not a number',
  );
  await buildCodeMap(store, opts.system, opts.userMap);
  if (opts.leaveOutUnknown) {
    const unknown = `(country_code NOT IN (SELECT code FROM code_map) OR (partner_code <> '' AND partner_code NOT IN (SELECT code FROM code_map)))`;
    const left = await store.all(
      `SELECT CASE WHEN country_code NOT IN (SELECT code FROM code_map) THEN country_code ELSE partner_code END AS name, count(*) AS n
       FROM ${opts.view} WHERE ${unknown} GROUP BY ALL ORDER BY name`,
    );
    if (left.length)
      ctx.notes.push(
        `left out ${left.reduce((a, r) => a + Number(r.n), 0)} values of ${left.length} regions, residuals or economies not in the countries pack: ${left.map((r) => `${r.name} (${r.n})`).join(', ')}; map one with --map-country 'NAME=ISO3' to keep it`,
      );
    view = `${opts.view}_known`;
    await store.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM ${opts.view} WHERE NOT ${unknown}`);
    const kept = await store.one(`SELECT count(*) AS n FROM ${view}`);
    if (!Number(kept?.n))
      throw new ImportError(
        ctx.file.original,
        `none of the economies in the file is in the countries pack (${left
          .map((r) => r.name)
          .slice(0, 5)
          .join(', ')}…); map them with --map-country 'NAME=ISO3'`,
        undefined,
        opts.fields.country,
      );
  }
  for (const [col, field] of [
    ['country_code', opts.fields.country],
    ['partner_code', opts.fields.partner],
  ] as const) {
    // A series that is not bilateral has the partner ''.
    await fail(
      `${col} NOT IN (SELECT code FROM code_map)${col === 'partner_code' ? ` AND partner_code <> ''` : ''}`,
      field,
      (r) => `unknown country '${r[col]}'; if it is right, map it with --map-country '${r[col]}=ISO3'`,
    );
  }
  const dup = await store.one(
    `SELECT indicator, country_code, partner_code, period, min(line) AS first_line, max(line) AS last_line FROM ${view}
     GROUP BY indicator, country_code, partner_code, period HAVING count(*) > 1 ORDER BY first_line LIMIT 1`,
  );
  if (dup) {
    const reason = `duplicated value: ${dup.indicator} ${dup.country_code}/${dup.partner_code} ${dup.period} also at ${opts.lineKind ?? 'line'} ${dup.first_line}`;
    if ((opts.lineKind ?? 'line') === 'line')
      throw new ImportError(ctx.file.original, reason, Number(dup.last_line), opts.fields.value);
    throw new ImportError(ctx.file.original, reason, undefined, opts.fields.value);
  }
  await store.run(
    `INSERT INTO series (dataset_id, indicator, country, partner, frequency, period, year, value, unit, flag, note)
     SELECT ${ctx.datasetId}, v.indicator, c.iso3, coalesce(p.iso3, ''), v.frequency, v.period, v.year, v.value, v.unit, v.flag, v.note
     FROM ${view} v JOIN code_map c ON c.code = v.country_code LEFT JOIN code_map p ON p.code = v.partner_code`,
  );
  const n = await store.one(`SELECT count(*) AS n FROM series WHERE dataset_id = $1`, [ctx.datasetId]);
  return Number(n?.n ?? 0);
}
