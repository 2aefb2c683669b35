import type { Store } from '../store/store.js';
import { stageCsv, lineExpr, sqlString } from '../files/csvStage.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/**
 * Yahoo Finance index symbols → the economy whose market the index measures, and the index's name
 * (https://finance.yahoo.com/markets/world-indices/).
 */
export const EQUITY_INDICES: Record<string, { economy: string; name: string }> = {
  '000001.SS': { economy: 'CHN', name: 'SSE Composite' },
  '^GSPC': { economy: 'USA', name: 'S&P 500' },
  '^DJI': { economy: 'USA', name: 'Dow Jones Industrial Average' },
  '^NDX': { economy: 'USA', name: 'Nasdaq-100' },
  '^HSI': { economy: 'HKG', name: 'Hang Seng' },
  '^MXX': { economy: 'MEX', name: 'S&P/BMV IPC' },
  '^N225': { economy: 'JPN', name: 'Nikkei 225' },
  '^GDAXI': { economy: 'DEU', name: 'DAX' },
  '^FTSE': { economy: 'GBR', name: 'FTSE 100' },
  '^NSEI': { economy: 'IND', name: 'Nifty 50' },
};

/**
 * Daily equity index levels (`ticker, date, close, high, low, open, volume`, as Yahoo Finance gives them): the
 * closing level as series `equity_close:<ticker>`, country = the index's economy, frequency D, period the trading
 * day. Monthly returns are formed from them where an indicator needs them (last close of each month), never
 * stored. A ticker the program does not know is an error naming it.
 */
export async function importEquityIndices(
  store: Store,
  files: string[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'equity-indices',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'ticker', type: 'VARCHAR' },
            { name: 'date', type: 'VARCHAR' },
            { name: 'close', type: 'DOUBLE' },
            { name: 'high', type: 'DOUBLE', optional: true },
            { name: 'low', type: 'DOUBLE', optional: true },
            { name: 'open', type: 'DOUBLE', optional: true },
            { name: 'volume', type: 'DOUBLE', optional: true },
          ],
        },
        'eq_raw',
      );
      await ctx.store.run(
        `CREATE OR REPLACE TEMP TABLE eq_lines AS SELECT ${lineExpr('eq_raw')} AS line, * FROM eq_raw`,
      );
      const known = Object.keys(EQUITY_INDICES);
      await refuseFirstRow(
        ctx,
        `SELECT line, ticker FROM eq_lines WHERE ticker NOT IN (${known.map(sqlString).join(', ')}) ORDER BY line LIMIT 1`,
        'ticker',
        (unknown) =>
          `unknown index '${unknown.ticker}' (known: ${known.join(', ')}); import other indices with import csv --map`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line, date FROM eq_lines WHERE TRY_CAST(date AS DATE) IS NULL OR NOT regexp_full_match(date, '\\d{4}-\\d{2}-\\d{2}') ORDER BY line LIMIT 1`,
        'date',
        (badDate) => `'${badDate.date}' is not a date (YYYY-MM-DD)`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT line FROM eq_lines WHERE close IS NULL OR close <= 0 ORDER BY line LIMIT 1`,
        'close',
        () => 'the closing level is missing or not positive',
      );
      const economy = Object.entries(EQUITY_INDICES)
        .map(([t, v]) => `WHEN ${sqlString(t)} THEN ${sqlString(v.economy)}`)
        .join(' ');
      const name = Object.entries(EQUITY_INDICES)
        .map(([t, v]) => `WHEN ${sqlString(t)} THEN ${sqlString(v.name)}`)
        .join(' ');
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE eq_norm AS
        SELECT line, 'equity_close:' || ticker AS indicator, CASE ticker ${economy} END AS country_code, '' AS partner_code,
               'D' AS frequency, date AS period, CAST(date[1:4] AS INTEGER) AS year, close AS value, 'index points' AS unit,
               NULL AS flag, CASE ticker ${name} END || ', daily close' AS note
        FROM eq_lines`);
      await loadSeries(ctx, {
        view: 'eq_norm',
        system: 'iso3',
        userMap: options.userMap,
        fields: { country: 'ticker', partner: 'ticker', period: 'date', value: 'close' },
      });
      const span = await ctx.store.one(
        `SELECT min(date) AS a, max(date) AS b, count(DISTINCT ticker) AS n FROM eq_lines`,
      );
      await ctx.setVintage(`daily closes ${span?.a} – ${span?.b}`);
      ctx.notes.push(`${span?.n} indices, daily closing levels`);
      await ctx.store.run('DROP TABLE eq_norm; DROP TABLE eq_lines; DROP TABLE eq_raw');
    },
  });
}
