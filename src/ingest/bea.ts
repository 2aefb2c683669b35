import type { Store } from '../store/store.js';
import { lineExpr, stageCsv } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';
import { loadSeries } from './seriesLoad.js';
import { readImportWorkbook, stageRows } from './sheetStage.js';

/**
 * US BEA "U.S. International Trade by Selected Countries and Areas": exports,
 * imports and balances of goods, services and both, by partner, annual and
 * quarterly (seasonally adjusted), US$ million. Read from BEA's workbook
 * (sheets "Table 1" … "Table 9") or the long CSV
 * `table,measure,country_or_area,period,value_usd_mn`.
 * Documentation: https://www.bea.gov/data/intl-trade-investment/international-trade-goods-and-services
 */
const MEASURES: Record<string, string> = {
  'exports of goods and services': 'goods_services_export',
  'imports of goods and services': 'goods_services_import',
  'balance on goods and services': 'goods_services_balance',
  'exports of goods': 'goods_export',
  'imports of goods': 'goods_import',
  'balance on goods': 'goods_balance',
  'exports of services': 'services_export',
  'imports of services': 'services_import',
  'balance on services': 'services_balance',
};

/** The BEA columns that are sums of other columns (left out of the derived total). */
const BEA_AGGREGATES = ['EUN', 'XCD', 'XSA'];

function period(raw: string): { period: string; frequency: string; year: number } | undefined {
  const t = raw.trim();
  let m = /^(\d{4})$/.exec(t);
  if (m) return { period: m[1], frequency: 'A', year: Number(m[1]) };
  m = /^(\d{4})\s*(?:Q)?([1-4])$/.exec(t);
  if (m) return { period: `${m[1]}-Q${m[2]}`, frequency: 'Q', year: Number(m[1]) };
  return undefined;
}

async function stageWorkbook(ctx: LoadContext): Promise<void> {
  const sheets = await readImportWorkbook(ctx.file);
  const rows: unknown[][] = [];
  for (const sheet of sheets.filter((s) => /^Table \d$/.test(s.name))) {
    const measureCell = sheet.rows
      .map((r) =>
        String(r.cells[0] ?? '')
          .trim()
          .toLowerCase(),
      )
      .find((t) => MEASURES[t]);
    if (!measureCell)
      throw new ImportError(ctx.file.original, `sheet '${sheet.name}': no measure line (e.g. 'Exports of Services')`);
    const header = sheet.rows.find((r) => String(r.cells[0] ?? '').trim() === 'Period');
    if (!header) throw new ImportError(ctx.file.original, `sheet '${sheet.name}': no 'Period' header row`);
    for (const r of sheet.rows.filter((x) => x.row > header.row)) {
      const p = period(String(r.cells[0] ?? ''));
      if (!p) continue; // 'Annual' / 'Quarterly' section markers, notes
      header.cells.forEach((name, col) => {
        if (col < 1 || name === null) return;
        rows.push([
          r.row,
          measureCell,
          String(name).replace(/\s+/g, ' ').trim(),
          String(r.cells[0]).trim(),
          r.cells[col] === null ? null : String(r.cells[col]),
        ]);
      });
    }
  }
  if (rows.length === 0)
    throw new ImportError(ctx.file.original, 'no BEA tables (sheets "Table 1" … "Table 9") in the workbook');
  await stageRows(
    ctx.store,
    'bea_stage',
    ['line', 'measure', 'country_or_area', 'period', 'value_text'].map((name, i) => ({
      name,
      type: i === 0 ? 'INTEGER' : 'VARCHAR',
    })),
    rows,
  );
}

/** Imports the BEA trade-by-country workbook or long CSV into series; returns one outcome per file. */
export async function importBea(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  const { userMap } = options;
  return runImport(store, {
    strict: options.strict,
    source: 'bea',
    kind: 'series',
    files,
    encoding: options.encoding,
    prepare: (f) => ({ workbook: /\.xlsx$/i.test(f) }),
    async load(ctx) {
      const isWorkbook = ctx.file.encoding === 'binary';
      if (isWorkbook) await stageWorkbook(ctx);
      else {
        await stageCsv(
          ctx.store,
          ctx.file,
          {
            columns: ['table', 'measure', 'country_or_area', 'period', 'value_usd_mn'].map((name) => ({
              name,
              type: 'VARCHAR' as const,
            })),
          },
          'bea_stage',
        );
        await ctx.store.run(
          `ALTER TABLE bea_stage RENAME COLUMN value_usd_mn TO value_text; ALTER TABLE bea_stage ADD COLUMN line INTEGER; UPDATE bea_stage SET line = ${lineExpr('bea_stage')}`,
        );
        await ctx.store.run(
          `UPDATE bea_stage SET country_or_area = regexp_replace(trim(country_or_area), '\\s+', ' ', 'g')`,
        );
      }
      const lineKind = isWorkbook ? 'row' : 'line';
      const unknownMeasure = await ctx.store.one(
        `SELECT line, measure FROM bea_stage WHERE lower(trim(measure)) NOT IN (${Object.keys(MEASURES)
          .map((m) => `'${m}'`)
          .join(', ')}) ORDER BY line LIMIT 1`,
      );
      if (unknownMeasure) {
        throw new ImportError(
          ctx.file.original,
          `unknown measure '${unknownMeasure.measure}'`,
          isWorkbook ? undefined : Number(unknownMeasure.line),
          'measure',
        );
      }
      const badValue = await ctx.store.one(
        `SELECT line, value_text FROM bea_stage WHERE value_text IS NOT NULL AND trim(value_text) NOT IN ('n.a.', '(D)', '(*)', '') AND TRY_CAST(replace(value_text, ',', '') AS DOUBLE) IS NULL ORDER BY line LIMIT 1`,
      );
      if (badValue)
        throw new ImportError(
          ctx.file.original,
          `'${badValue.value_text}' is not a number`,
          isWorkbook ? undefined : Number(badValue.line),
          'value_usd_mn',
        );
      // BEA marks revised and preliminary quarters with '(R)' and '(P)' after the period.
      await ctx.store.run(
        `ALTER TABLE bea_stage ADD COLUMN mark VARCHAR; UPDATE bea_stage SET mark = CASE WHEN period LIKE '%(R)%' THEN 'revised' WHEN period LIKE '%(P)%' THEN 'preliminary' END, period = trim(regexp_replace(period, '\\((R|P)\\)', ''))`,
      );
      const badPeriod = await ctx.store.one(
        `SELECT line, period FROM bea_stage WHERE NOT regexp_full_match(trim(period), '\\d{4}( ?Q?[1-4])?') ORDER BY line LIMIT 1`,
      );
      if (badPeriod)
        throw new ImportError(
          ctx.file.original,
          `'${badPeriod.period}' is not a year or a quarter`,
          isWorkbook ? undefined : Number(badPeriod.line),
          'period',
        );
      const missing = await ctx.store.one(
        `SELECT count(*) AS n FROM bea_stage WHERE TRY_CAST(replace(value_text, ',', '') AS DOUBLE) IS NULL`,
      );
      if (Number(missing?.n))
        ctx.notes.push(
          `${missing?.n} cells without a value ('n.a.' not available, '(D)' suppressed, '(*)' under $500,000) left out`,
        );
      const measureCase = Object.entries(MEASURES)
        .map(([k, v]) => `WHEN '${k}' THEN '${v}'`)
        .join(' ');
      await ctx.store.run(`CREATE OR REPLACE TEMP VIEW bea_norm AS
        SELECT line, CASE lower(trim(measure)) ${measureCase} END AS indicator, 'USA' AS country_code, country_or_area AS partner_code,
               CASE WHEN regexp_full_match(trim(period), '\\d{4}') THEN 'A' ELSE 'Q' END AS frequency,
               CASE WHEN regexp_full_match(trim(period), '\\d{4}') THEN trim(period)
                    ELSE substr(trim(period), 1, 4) || '-Q' || right(trim(period), 1) END AS period,
               CAST(substr(trim(period), 1, 4) AS SMALLINT) AS year,
               TRY_CAST(replace(value_text, ',', '') AS DOUBLE) * 1e6 AS value, 'USD' AS unit, mark AS flag, CAST(NULL AS VARCHAR) AS note
        FROM bea_stage WHERE TRY_CAST(replace(value_text, ',', '') AS DOUBLE) IS NOT NULL`);
      await loadSeries(ctx, {
        view: 'bea_norm',
        system: 'bea',
        // The API's total over partners is the area AllCountries.
        userMap: new Map([...userMap, ['USA', 'USA'], ['AllCountries', 'WLD']]),
        fields: { country: 'country_or_area', partner: 'country_or_area', period: 'period', value: 'value_usd_mn' },
        lineKind,
      });
      // Tables fetched from the API (table ITA) hold the areas asked for, not disjoint columns: their
      // total is BEA's own AllCountries, never a sum.
      const fromApi = isWorkbook
        ? undefined
        : await ctx.store.one(`SELECT count(*) FILTER (WHERE "table" = 'ITA') AS api, count(*) AS n FROM bea_stage`);
      if (fromApi && Number(fromApi.api) > 0) {
        if (Number(fromApi.api) !== Number(fromApi.n))
          throw new ImportError(
            ctx.file.original,
            'API rows (table ITA) and workbook tables mixed in one file',
            undefined,
            'table',
          );
        const world = await ctx.store.one(
          `SELECT count(*) AS n FROM series WHERE dataset_id = $1 AND partner = 'WLD'`,
          [ctx.datasetId],
        );
        ctx.notes.push(
          Number(world?.n)
            ? "world totals (partner WLD) are BEA's AllCountries"
            : 'no AllCountries rows: no world totals (shares need --country AllCountries)',
        );
        const updated = await ctx.store.one(`SELECT max(year) AS y FROM series WHERE dataset_id = $1`, [ctx.datasetId]);
        await ctx.setVintage(`BEA ITA API to ${updated?.y}`);
        await ctx.store.run('DROP VIEW bea_norm; DROP TABLE bea_stage');
        return;
      }
      // BEA publishes no total column: the total over partners is the sum of the
      // disjoint columns (single countries and 'All other countries').
      await ctx.store.run(
        `INSERT INTO series (dataset_id, indicator, country, partner, frequency, period, year, value, unit, flag, note)
         SELECT dataset_id, indicator, country, 'WLD', frequency, period, year, sum(value), unit, 'derived',
                'sum of ' || count(*) || ' disjoint BEA columns (countries and All other countries); aggregates ${BEA_AGGREGATES.join('/')} excluded'
         FROM series WHERE dataset_id = $1 AND partner NOT IN (${BEA_AGGREGATES.map((c) => `'${c}'`).join(', ')})
         GROUP BY dataset_id, indicator, country, frequency, period, year, unit`,
        [ctx.datasetId],
      );
      ctx.notes.push('world totals (partner WLD) derived as the sum of the disjoint BEA columns');
      const updated = await ctx.store.one(`SELECT max(year) AS y FROM series WHERE dataset_id = $1`, [ctx.datasetId]);
      await ctx.setVintage(`BEA to ${updated?.y}`);
      await ctx.store.run('DROP VIEW bea_norm; DROP TABLE bea_stage');
    },
  });
}
