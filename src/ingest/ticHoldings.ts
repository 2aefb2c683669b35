import type { Store } from '../store/store.js';
import { stageCsv, lineExpr } from '../files/csvStage.js';
import { refuseFirstRow, runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/** Roman numerals of TIC's series labels ("Series XII", "Series 16/ XII"), I to XXX. */
const ROMAN = Array.from({ length: 30 }, (_, i) => {
  const n = i + 1;
  const tens = 'X'.repeat(Math.floor(n / 10));
  const units = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'][n % 10];
  return [tens + units, n] as const;
});

/**
 * US Treasury TIC "Major Foreign Holders of Treasury Securities" (mfhhis01), in its long form
 * (`country, year, month, period, series_note, holdings_usd_bn`): holdings at the end of each month, US$ billion.
 * Series `us_treasury_holdings`, country = the holder, partner = USA, frequency M, in US$; "Grand Total" is WLD
 * (all foreign holders). At a benchmark month the file has the old and the new series side by side (`Series XI`,
 * `Series 16/ XII`): the new one is kept, flagged `b` (break in series), with the old value in its note. Sub-totals
 * (foreign official, bills, bonds and notes) and groups (oil exporters, Caribbean banking centres, all other) are
 * left out. Source: https://ticdata.treasury.gov/resource-center/data-chart-center/tic/Documents/mfhhis01.txt
 */
export async function importTicHoldings(
  store: Store,
  files: string[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'us-treasury-tic',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'country', type: 'VARCHAR' },
            { name: 'year', type: 'INTEGER' },
            { name: 'month', type: 'INTEGER' },
            { name: 'period', type: 'VARCHAR' },
            { name: 'series_note', type: 'VARCHAR' },
            { name: 'holdings_usd_bn', type: 'DOUBLE' },
          ],
          exact: true,
          nullstr: ['n.a.'],
        },
        'tic_raw',
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE tic_roman (numeral VARCHAR, n INTEGER)`);
      await ctx.store.run(`INSERT INTO tic_roman VALUES ${ROMAN.map(([r, n]) => `('${r}', ${n})`).join(', ')}`);
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE tic_lines AS
        SELECT ${lineExpr('tic_raw')} AS line, regexp_replace(trim(country), '\\s+\\d+/$', '') AS holder, *,
               nullif(regexp_extract(coalesce(series_note, ''), '([IVX]+)$', 1), '') AS numeral
        FROM tic_raw`);
      await refuseFirstRow(
        ctx,
        `SELECT line, period, year, month FROM tic_lines
         WHERE month NOT BETWEEN 1 AND 12 OR period <> printf('%04d-%02d', year, month) ORDER BY line LIMIT 1`,
        'period',
        (bad) => `the period '${bad.period}' is not the year ${bad.year} and month ${bad.month}`,
      );
      await refuseFirstRow(
        ctx,
        `SELECT holder, period, max(line) AS line FROM tic_lines GROUP BY holder, period
         HAVING count(*) > 1 AND count(DISTINCT numeral) < count(*) ORDER BY line LIMIT 1`,
        'series_note',
        (unlabelled) => `${unlabelled.holder} ${unlabelled.period} appears twice without two different series labels`,
      );
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE tic_norm AS
        WITH ranked AS (
          SELECT l.*, r.n, count(*) OVER w AS versions, row_number() OVER (w ORDER BY r.n DESC NULLS LAST) AS k,
                 min_by(holdings_usd_bn, r.n) OVER w AS old_value, min_by(series_note, r.n) OVER w AS old_note
          FROM tic_lines l LEFT JOIN tic_roman r USING (numeral)
          WINDOW w AS (PARTITION BY holder, period))
        SELECT line, 'us_treasury_holdings' AS indicator, holder AS country_code, 'USA' AS partner_code,
               'M' AS frequency, period, year, holdings_usd_bn * 1e9 AS value, 'USD' AS unit,
               CASE WHEN versions > 1 THEN 'b' END AS flag,
               CASE WHEN versions > 1
                    THEN 'break in series: ' || trim(series_note) || ' begins; ' || trim(old_note) || ' ends at US$ ' || old_value || ' bn'
                    ELSE 'TIC Major Foreign Holders, end of month' END AS note
        FROM ranked WHERE k = 1 AND holdings_usd_bn IS NOT NULL
          AND holder NOT IN ('For. Official', 'Treasury Bills', 'T-Bonds & Notes', 'All Other', 'Oil Exporters', 'Carib Bnkng Ctrs')`);
      await loadSeries(ctx, {
        view: 'tic_norm',
        system: 'tic',
        userMap: options.userMap,
        fields: { country: 'country', partner: 'country', period: 'period', value: 'holdings_usd_bn' },
        leaveOutUnknown: true,
      });
      const span = await ctx.store.one(
        `SELECT min(period) AS a, max(period) AS b, count(*) FILTER (WHERE flag = 'b') AS breaks FROM tic_norm`,
      );
      await ctx.setVintage(`TIC MFH ${span?.a}–${span?.b}`);
      ctx.notes.push(
        `${span?.breaks} holder-months at a series break keep the new series (flag b); foreign official, bills, bonds and notes, and holder groups left out`,
      );
      await ctx.store.run('DROP TABLE tic_norm; DROP TABLE tic_lines; DROP TABLE tic_raw; DROP TABLE tic_roman');
    },
  });
}
