import { basename } from 'node:path';
import type { Store } from '../store/store.js';
import { splitCsvLine, stageCsv, lineExpr, quoteIdent } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { firstLine } from '../files/inputFile.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/** FRED series the program knows: the economy, the store's indicator and unit (https://fred.stlouisfed.org/series/ID). */
export const FRED_SERIES: Record<string, { economy: string; indicator: string; unit: string; name: string }> = {
  INDPRO: {
    economy: 'USA',
    indicator: 'industrial_production',
    unit: 'index 2017=100',
    name: 'Industrial Production: Total Index, seasonally adjusted (Federal Reserve)',
  },
  SPASTT01USM661N: {
    economy: 'USA',
    indicator: 'share_prices',
    unit: 'index 2015=100',
    name: 'Financial market: share prices for United States (OECD MEI)',
  },
};

/**
 * FRED monthly series as FRED writes them: the ALFRED vintage layout (`realtime_start, realtime_end, date, value`,
 * the series id from the file name, e.g. `INDPRO_vintage_2025-07-27.csv`) or the download layout (`DATE` or
 * `observation_date`, then a column named after the series). Values `.` (missing) are skipped. Series `FRED_SERIES`
 * names, frequency M, period YYYY-MM. Returns one outcome per file.
 */
export async function importFred(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'fred',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      const header = splitCsvLine(await firstLine(ctx.file));
      const vintageLayout = header.join(',').toLowerCase() === 'realtime_start,realtime_end,date,value';
      const dateCol = vintageLayout ? 'date' : header[0];
      const valueCol = vintageLayout ? 'value' : header[1];
      const id = vintageLayout ? /^([A-Z0-9]+)/.exec(basename(ctx.file.original))?.[1] : header[1];
      if (!vintageLayout && (header.length !== 2 || !/^(date|observation_date)$/i.test(header[0])))
        throw new ImportError(
          ctx.file.original,
          `not a FRED series file: expected realtime_start, realtime_end, date, value or DATE, SERIES_ID (found: ${header.join(', ')})`,
          1,
          header[0],
        );
      const known = id ? FRED_SERIES[id] : undefined;
      if (!known)
        throw new ImportError(
          ctx.file.original,
          `unknown FRED series '${id ?? basename(ctx.file.original)}' (known: ${Object.keys(FRED_SERIES).join(', ')}); import others with import csv --map`,
          1,
          valueCol,
        );
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: dateCol, type: 'VARCHAR' },
            { name: valueCol, type: 'VARCHAR' },
            ...(vintageLayout
              ? [
                  { name: 'realtime_start', type: 'VARCHAR' as const },
                  { name: 'realtime_end', type: 'VARCHAR' as const },
                ]
              : []),
          ],
          exact: true,
        },
        'fred_raw',
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE fred_lines AS
        SELECT ${lineExpr('fred_raw')} AS line, ${quoteIdent(dateCol)} AS d, trim(${quoteIdent(valueCol)}) AS v FROM fred_raw`);
      await refuseFirstRow(
        ctx,
        `SELECT line, d FROM fred_lines WHERE NOT regexp_full_match(d, '\\d{4}-\\d{2}-01') ORDER BY line LIMIT 1`,
        dateCol,
        (badDate) => `'${badDate.d}' is not the first day of a month`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, v FROM fred_lines WHERE v <> '.' AND TRY_CAST(v AS DOUBLE) IS NULL ORDER BY line LIMIT 1`,
        valueCol,
        (badValue) => `'${badValue.v}' is not a number`,
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE fred_norm AS
        SELECT line, '${known.indicator}' AS indicator, '${known.economy}' AS country_code, '' AS partner_code, 'M' AS frequency,
               d[1:7] AS period, CAST(d[1:4] AS INTEGER) AS year, CAST(v AS DOUBLE) AS value, '${known.unit}' AS unit,
               NULL AS flag, 'FRED ${id}: ${known.name.replace(/'/g, "''")}' AS note
        FROM fred_lines WHERE v <> '.'`);
      await loadSeries(ctx, {
        view: 'fred_norm',
        system: 'iso3',
        userMap: options.userMap,
        fields: { country: valueCol, partner: valueCol, period: dateCol, value: valueCol },
      });
      const span = await ctx.store.one(`SELECT min(period) AS a, max(period) AS b FROM fred_norm`);
      const vintage = /vintage_(\d{4}-\d{2}-\d{2})/.exec(basename(ctx.file.original))?.[1];
      await ctx.setVintage(`FRED ${id}${vintage ? ` vintage ${vintage}` : ''}, ${span?.a} – ${span?.b}`);
      ctx.notes.push(`${known.indicator} (${known.unit}), monthly`);
      await ctx.store.run('DROP TABLE fred_norm; DROP TABLE fred_lines; DROP TABLE fred_raw');
    },
  });
}
