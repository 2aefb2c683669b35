import { basename } from 'node:path';
import type { Store } from '../store/store.js';
import { checkHeader, lineExpr, sqlString, stageCsv } from '../files/csvStage.js';
import { loadFlows } from './flowLoad.js';
import { htsVintageForYear } from '../reference/hsVintages.js';
import { assertJsonDepth } from '../files/jsonDepth.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';

/**
 * US Census Bureau international trade: US imports for consumption by country
 * and commodity (HS2 to HS10), monthly or annual, customs value and calculated
 * duty. Layouts: the Census API's own columns (CTY_CODE, CTY_NAME,
 * I_COMMODITY, CON_VAL_MO, CON_VAL_YR, CAL_DUT_MO, CAL_DUT_YR, time) as JSON
 * (array of arrays, header first), CSV or Parquet; and the long CSV layouts
 * `cty_code,cty_name,hs2,month,con_val_usd,cal_dut_usd` and
 * `cty_code,cty_name,hs10|hs2,…,con_val_YYYY_usd,cal_dut_YYYY_usd`.
 * Documentation: https://www.census.gov/data/developers/data-sets/international-trade.html
 */
async function stageApiTable(ctx: LoadContext, source: string, firstLine: number): Promise<void> {
  const { store, file } = ctx;
  const cols = (await store.all(`DESCRIBE SELECT * FROM ${source}`)).map((r) => String(r.column_name));
  const has = (c: string) => cols.find((x) => x.toUpperCase() === c);
  const commodity = has('I_COMMODITY') ?? has('E_COMMODITY');
  const monthly = has('CON_VAL_MO') ?? has('GEN_VAL_MO');
  const yearly = has('CON_VAL_YR') ?? has('GEN_VAL_YR');
  if (!has('CTY_CODE') || !commodity || !(monthly || yearly) || !has('TIME')) {
    throw new ImportError(
      file.original,
      `not a Census international trade table: needs CTY_CODE, I_COMMODITY, CON_VAL_MO or CON_VAL_YR and time (found: ${cols.join(', ')})`,
      1,
    );
  }
  if (has('E_COMMODITY'))
    throw new ImportError(
      file.original,
      'export tables (E_COMMODITY) are not supported yet: import US imports (I_COMMODITY)',
      1,
      'E_COMMODITY',
    );
  const value = monthly ?? yearly!;
  const duty = monthly ? (has('CAL_DUT_MO') ?? null) : (has('CAL_DUT_YR') ?? null);
  const time = `CAST("${has('TIME')}" AS VARCHAR)`;
  // A year-to-date value (…_YR) is an annual figure only in December.
  await store.run(`CREATE OR REPLACE TEMP TABLE census_stage AS SELECT
      row_number() OVER () + ${firstLine - 1} AS line, trim(CAST("${has('CTY_CODE')}" AS VARCHAR)) AS cty_code, CAST(${has('CTY_NAME') ? `"${has('CTY_NAME')}"` : 'NULL'} AS VARCHAR) AS cty_name,
      trim(CAST("${commodity}" AS VARCHAR)) AS commodity,
      TRY_CAST(substr(${time}, 1, 4) AS SMALLINT) AS year,
      ${monthly ? `TRY_CAST(substr(${time}, 6, 2) AS TINYINT)` : 'CAST(NULL AS TINYINT)'} AS month,
      ${monthly ? 'NULL' : `TRY_CAST(substr(${time}, 6, 2) AS TINYINT)`} AS ytd_month,
      CAST("${value}" AS VARCHAR) AS value_text, CAST(${duty ? `"${duty}"` : 'NULL'} AS VARCHAR) AS duty_text
    FROM ${source}`);
  const ytd = await store.one(
    `SELECT line, ytd_month FROM census_stage WHERE ytd_month IS NOT NULL AND ytd_month <> 12 ORDER BY line LIMIT 1`,
  );
  if (ytd)
    throw new ImportError(
      file.original,
      `a year-to-date value through month ${ytd.ytd_month} is not an annual figure; use monthly values (CON_VAL_MO)`,
      Number(ytd.line),
      value,
    );
}

async function stageLongCsv(ctx: LoadContext, header: string[]): Promise<void> {
  const lower = header.map((h) => h.toLowerCase());
  const valueCol = lower.find((h) => /^con_val(_\d{4})?_usd$/.test(h));
  const dutyCol = lower.find((h) => /^cal_dut(_\d{4})?_usd$/.test(h));
  const commodity = ['hs10', 'hs8', 'hs6', 'hs4', 'hs2'].find((h) => lower.includes(h));
  if (!valueCol || !commodity || !lower.includes('cty_code')) {
    throw new ImportError(
      ctx.file.original,
      `not a Census layout: needs cty_code, an hs2…hs10 column and con_val_usd or con_val_YYYY_usd (found: ${header.join(', ')})`,
      1,
    );
  }
  const fixedYear = /_(\d{4})_usd$/.exec(valueCol)?.[1];
  if (!fixedYear && !lower.includes('month'))
    throw new ImportError(ctx.file.original, 'no month column and no year in the value column name', 1, 'month');
  await stageCsv(
    ctx.store,
    ctx.file,
    {
      columns: header.map((name) => ({
        name,
        type:
          name.toLowerCase() === valueCol || name.toLowerCase() === dutyCol
            ? ('DOUBLE' as const)
            : ('VARCHAR' as const),
      })),
    },
    'census_raw',
  );
  const col = (n: string) => `"${header[lower.indexOf(n)]}"`;
  await ctx.store.run(`CREATE OR REPLACE TEMP TABLE census_stage AS SELECT
      ${lineExpr('census_raw')} AS line, trim(${col('cty_code')}) AS cty_code, ${lower.includes('cty_name') ? col('cty_name') : 'NULL'} AS cty_name,
      trim(${col(commodity)}) AS commodity,
      ${fixedYear ? `CAST(${fixedYear} AS SMALLINT)` : `TRY_CAST(substr(${col('month')}, 1, 4) AS SMALLINT)`} AS year,
      ${fixedYear ? 'CAST(NULL AS TINYINT)' : `TRY_CAST(substr(${col('month')}, 6, 2) AS TINYINT)`} AS month,
      CAST(NULL AS TINYINT) AS ytd_month,
      CAST(${col(valueCol)} AS VARCHAR) AS value_text, CAST(${dutyCol ? col(dutyCol) : 'NULL'} AS VARCHAR) AS duty_text
    FROM census_raw; DROP TABLE census_raw`);
}

/** Imports US Census import tables (API JSON/CSV/Parquet or the long CSV layouts); returns one outcome per file. */
export async function importCensus(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  const { userMap } = options;
  return runImport(store, {
    strict: options.strict,
    source: 'census',
    kind: 'flows',
    files,
    encoding: options.encoding,
    prepare: (f) => (/\.parquet$/i.test(f) ? { encoding: 'utf-8' } : {}),
    async load(ctx) {
      const name = ctx.file.original;
      if (/\.parquet$/i.test(name)) {
        await ctx.store
          .run(`CREATE OR REPLACE TEMP VIEW census_src AS SELECT * FROM read_parquet(${sqlString(ctx.file.readable)})`)
          .catch(() => {
            throw new ImportError(name, 'not a readable Parquet file');
          });
        await stageApiTable(ctx, 'census_src', 1);
        await ctx.store.run('DROP VIEW census_src');
      } else if (/\.json(\.gz)?$/i.test(name)) {
        // The Census API answers with an array of arrays whose first row is the header.
        await assertJsonDepth(ctx.file);
        await ctx.store
          .run(
            `CREATE OR REPLACE TEMP TABLE census_json AS SELECT unnest(json) AS rec FROM read_json(${sqlString(ctx.file.readable)}, format = 'unstructured', records = false, columns = {json: 'JSON[]'})`,
          )
          .catch((err) => {
            throw new ImportError(name, `not a Census API JSON response (${(err as Error).message.split('\n')[0]})`);
          });
        const head = await ctx.store.one(`SELECT CAST(rec AS VARCHAR) AS h FROM census_json LIMIT 1`);
        let names: string[];
        try {
          names = (JSON.parse(String(head?.h ?? '[]')) as unknown[]).map(String);
        } catch {
          throw new ImportError(
            name,
            'not a Census API JSON response: the first row is not a header of column names',
            1,
          );
        }
        await ctx.store.run(
          `CREATE OR REPLACE TEMP VIEW census_src AS SELECT ${names.map((n, i) => `CAST(rec->>${i} AS VARCHAR) AS "${n}"`).join(', ')} FROM census_json WHERE ${lineExpr('census_json', 0)} > 0`,
        );
        await stageApiTable(ctx, 'census_src', 2);
        await ctx.store.run('DROP VIEW census_src; DROP TABLE census_json');
      } else {
        const header = await checkHeader(ctx.file, { columns: [] });
        if (
          header.some((h) => h.toUpperCase() === 'CTY_CODE') &&
          header.some((h) => /^I_COMMODITY$/i.test(h)) &&
          !header.includes('cty_code')
        ) {
          await stageCsv(
            ctx.store,
            ctx.file,
            { columns: header.map((n) => ({ name: n, type: 'VARCHAR' as const })) },
            'census_raw',
          );
          await stageApiTable(ctx, 'census_raw', 2);
          await ctx.store.run('DROP TABLE census_raw');
        } else await stageLongCsv(ctx, header);
      }
      const bad = await ctx.store.one(
        `SELECT line, value_text FROM census_stage WHERE value_text IS NOT NULL AND TRY_CAST(value_text AS DOUBLE) IS NULL ORDER BY line LIMIT 1`,
      );
      if (bad) throw new ImportError(name, `'${bad.value_text}' is not a number`, Number(bad.line), 'value');
      // The total row carries no country code; rows of partner blocs (EU 0003) stay as aggregates beside their members.
      await ctx.store.run(
        `UPDATE census_stage SET cty_code = 'WLD' WHERE (cty_code IS NULL OR cty_code IN ('', '-')) AND upper(cty_name) LIKE 'TOTAL%'`,
      );
      await ctx.store.run(
        `UPDATE census_stage SET cty_code = lpad(cty_code, 4, '0') WHERE regexp_full_match(cty_code, '[0-9]{1,4}')`,
      );
      const years = await ctx.store.all(`SELECT DISTINCT year FROM census_stage WHERE year IS NOT NULL ORDER BY year`);
      const clsCase = `CASE ${years.map((y) => `WHEN year = ${y.year} THEN '${htsVintageForYear(Number(y.year))}'`).join(' ')} ELSE 'HS' END`;
      const map = new Map(userMap);
      map.set('WLD', 'WLD');
      map.set('USA', 'USA');
      await ctx.store.run(`CREATE OR REPLACE TEMP VIEW census_norm AS
        SELECT line, year, month, cty_code AS exporter_code, 'USA' AS importer_code, 'importer' AS reporter_side,
               ${clsCase} AS classification, CAST(length(commodity) AS TINYINT) AS product_level, commodity AS product,
               CAST(value_text AS DOUBLE) AS value_usd, CAST(NULL AS DOUBLE) AS quantity, CAST(NULL AS VARCHAR) AS quantity_unit,
               'customs' AS valuation, CAST(NULL AS DOUBLE) AS cif_usd, CAST(NULL AS DOUBLE) AS fob_usd,
               TRY_CAST(duty_text AS DOUBLE) AS duty_usd, CAST(NULL AS VARCHAR) AS flag
        FROM census_stage`);
      const span = await ctx.store.one(
        `SELECT min(year) AS y0, max(year) AS y1, count(DISTINCT month) AS months FROM census_stage`,
      );
      await ctx.setVintage(
        `imports for consumption ${span?.y0}${span?.y1 !== span?.y0 ? `-${span?.y1}` : ''}${Number(span?.months) ? ' monthly' : ' annual'}`,
      );
      await loadFlows(ctx, {
        view: 'census_norm',
        system: 'census',
        userMap: map,
        fields: {
          year: 'time/month',
          month: 'month',
          exporter: 'cty_code',
          importer: 'cty_code',
          product: 'commodity',
          value: 'value',
        },
        label: `Census ${basename(name)}`,
      });
      await ctx.store.run('DROP VIEW census_norm; DROP TABLE census_stage');
    },
  });
}
