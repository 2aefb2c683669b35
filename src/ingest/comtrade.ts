import { basename } from 'node:path';
import type { Store } from '../store/store.js';
import { checkHeader, lineExpr, sqlString, stageCsv } from '../files/csvStage.js';
import { loadFlows } from './flowLoad.js';
import { ImportError } from '../files/importError.js';
import { assertJsonDepth } from '../files/jsonDepth.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';

/**
 * UN Comtrade: API v1 JSON responses (`{"data": [...]}` with camelCase fields
 * refYear, reporterCode, reporterISO, partnerCode, partnerISO, flowCode,
 * classificationCode, cmdCode, aggrLevel, primaryValue, cifvalue, fobvalue,
 * qty, netWgt, partner2Code, customsCode, motCode …) and bulk/CSV exports with
 * the same fields in camelCase or snake_case.
 * Documentation: https://comtradedeveloper.un.org (API v1, "Get final data").
 */
const FIELDS: Record<string, string[]> = {
  year: ['refyear', 'year'],
  period: ['period'],
  freq: ['freqcode'],
  month: ['refmonth'],
  reporter_iso: ['reporteriso'],
  reporter_code: ['reportercode'],
  partner_iso: ['partneriso'],
  partner_code: ['partnercode'],
  flow: ['flowcode', 'flowdesc'],
  classification: ['classificationcode'],
  cmd: ['cmdcode'],
  value: ['primaryvalue'],
  cif: ['cifvalue'],
  fob: ['fobvalue'],
  qty: ['qty'],
  qty_unit: ['qtyunitabbr'],
  net_wgt: ['netwgt'],
  partner2: ['partner2code'],
  customs: ['customscode'],
  mot: ['motcode'],
};

/**
 * SQL: the CIF or FOB column as a number, NULL where it is 0 but the primary value is not (Comtrade's "not
 * reported").
 */
function zeroAsMissing(column: string, primary: string): string {
  return `CASE WHEN TRY_CAST(${column} AS DOUBLE) = 0 AND coalesce(TRY_CAST(${primary} AS DOUBLE), 0) <> 0 THEN NULL ELSE TRY_CAST(${column} AS DOUBLE) END`;
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Returns, for each logical field, the source column that holds it. */
function resolveColumns(file: string, columns: string[]): Record<string, string | undefined> {
  const byCanon = new Map(columns.map((c) => [canonical(c), c]));
  const out: Record<string, string | undefined> = {};
  for (const [field, names] of Object.entries(FIELDS)) out[field] = names.map((n) => byCanon.get(n)).find(Boolean);
  const need: Array<[string, boolean]> = [
    ['refYear or period', Boolean(out.year || out.period)],
    ['reporterISO or reporterCode', Boolean(out.reporter_iso || out.reporter_code)],
    ['partnerISO or partnerCode', Boolean(out.partner_iso || out.partner_code)],
    ['flowCode', Boolean(out.flow)],
    ['classificationCode', Boolean(out.classification)],
    ['cmdCode', Boolean(out.cmd)],
    ['primaryValue', Boolean(out.value)],
  ];
  const missing = need.filter(([, ok]) => !ok).map(([n]) => n);
  if (missing.length)
    throw new ImportError(
      file,
      `not a UN Comtrade table: no column ${missing.join(', ')} (found: ${columns.join(', ')})`,
      1,
      missing[0],
    );
  return out;
}

async function stageJson(ctx: LoadContext): Promise<string[]> {
  const { store, file } = ctx;
  await assertJsonDepth(file);
  try {
    await store.run(
      `CREATE OR REPLACE TEMP TABLE ct_raw AS SELECT * FROM read_json(${sqlString(file.readable)}, format = 'auto', maximum_object_size = 1073741824)`,
    );
  } catch (err) {
    throw new ImportError(file.original, `not a readable JSON document (${(err as Error).message.split('\n')[0]})`);
  }
  const cols = (await store.all(`DESCRIBE ct_raw`)).map((r) => String(r.column_name));
  if (!cols.includes('data'))
    throw new ImportError(
      file.original,
      `not a UN Comtrade API response: no 'data' array (keys: ${cols.join(', ')})`,
      undefined,
      'data',
    );
  const dataType = String(
    (await store.all(`DESCRIBE ct_raw`)).find((r) => r.column_name === 'data')?.column_type ?? '',
  );
  const empty = /\[\]$/.test(dataType) && Number((await store.one(`SELECT len(data) AS n FROM ct_raw`))?.n) === 0;
  if (!empty && !/^STRUCT\(.*\)\[\]$/s.test(dataType)) {
    throw new ImportError(
      file.original,
      `not a UN Comtrade API response: 'data' is not an array of records (it reads as ${dataType.slice(0, 60)})`,
      undefined,
      'data',
    );
  }
  const n = await store.one(`SELECT len(data) AS n FROM ct_raw`);
  if (!n || Number(n.n) === 0)
    throw new ImportError(file.original, `the response holds no records (count 0)`, undefined, 'data');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ct_stage AS SELECT unnest(data, recursive := true) FROM ct_raw; DROP TABLE ct_raw`,
  );
  return (await store.all(`DESCRIBE ct_stage`)).map((r) => String(r.column_name));
}

/** Imports UN Comtrade JSON responses and CSV exports; returns one outcome per file. */
export async function importComtrade(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  const { userMap } = options;
  return runImport(store, {
    strict: options.strict,
    source: 'comtrade',
    kind: 'flows',
    files,
    encoding: options.encoding,
    async load(ctx) {
      const isJson = /\.json(\.gz)?$/i.test(ctx.file.original);
      let columns: string[];
      if (isJson) columns = await stageJson(ctx);
      else {
        const header = await checkHeader(ctx.file, { columns: [] });
        resolveColumns(ctx.file.original, header);
        columns = await stageCsv(
          ctx.store,
          ctx.file,
          { columns: header.map((name) => ({ name, type: 'VARCHAR' as const })) },
          'ct_stage',
        );
      }
      const c = resolveColumns(ctx.file.original, columns);
      const q = (field: string) => (c[field] ? `CAST("${c[field]}" AS VARCHAR)` : 'NULL');
      const line = lineExpr('ct_stage', isJson ? 1 : 2);
      // Typed checks on the text values, naming the line and the source field.
      const numeric: Array<[string, string]> = [
        ['value', c.value!],
        ...(['cif', 'fob', 'qty', 'net_wgt'] as const).filter((k) => c[k]).map((k) => [k, c[k]!] as [string, string]),
      ];
      for (const [field, col] of numeric) {
        const bad = await ctx.store.one(
          `SELECT ${line} AS line, CAST("${col}" AS VARCHAR) AS v FROM ct_stage WHERE "${col}" IS NOT NULL AND TRY_CAST("${col}" AS DOUBLE) IS NULL ORDER BY rowid LIMIT 1`,
        );
        if (bad)
          throw new ImportError(
            ctx.file.original,
            `${isJson ? `record ${bad.line}: ` : ''}'${bad.v}' is not a number (${field})`,
            isJson ? undefined : Number(bad.line),
            col,
          );
      }
      // Breakdowns by second partner, customs procedure and transport mode repeat the totals: keep totals only.
      const filters: string[] = [];
      if (c.partner2) filters.push(`coalesce(${q('partner2')}, '0') IN ('0', '')`);
      if (c.customs) filters.push(`coalesce(${q('customs')}, 'C00') IN ('C00', '')`);
      if (c.mot) filters.push(`coalesce(${q('mot')}, '0') IN ('0', '')`);
      const flowCode = `CASE upper(${q('flow')}) WHEN 'M' THEN 'M' WHEN 'IMPORT' THEN 'M' WHEN 'X' THEN 'X' WHEN 'EXPORT' THEN 'X' ELSE 'other' END`;
      // Any other flow must be one Comtrade publishes (its trade regimes: re-exports and re-imports, goods for or
      // after processing, domestic exports, foreign imports); an unknown flow is an error, never dropped unseen.
      const knownOther = `(upper(${q('flow')}) IN ('RM', 'RX', 'MIP', 'XIP', 'MOP', 'XOP', 'MIF', 'XIF', 'DX', 'FM')
        OR regexp_matches(lower(${q('flow')}), '^(re-?import|re-?export|domestic export|foreign import)|processing'))`;
      const unknownFlow = await ctx.store.one(
        `SELECT ${line} AS line, ${q('flow')} AS flow FROM ct_stage WHERE ${flowCode} = 'other' AND NOT ${knownOther} ORDER BY rowid LIMIT 1`,
      );
      if (unknownFlow) {
        throw new ImportError(
          ctx.file.original,
          `${isJson ? `record ${unknownFlow.line}: ` : ''}unknown trade flow '${unknownFlow.flow ?? ''}' (expected M, X, Import, Export, or another Comtrade flow code such as RX, RM, MIP, XOP, DX)`,
          isJson ? undefined : Number(unknownFlow.line),
          c.flow,
        );
      }
      const keep = [`${flowCode} IN ('M', 'X')`, ...filters].join(' AND ');
      const dropped = await ctx.store.one(
        `SELECT count(*) FILTER (WHERE NOT (${keep})) AS n, count(*) AS total FROM ct_stage`,
      );
      if (Number(dropped?.n))
        ctx.notes.push(
          `${dropped?.n} of ${dropped?.total} records left out: re-exports/re-imports or breakdowns by second partner, customs procedure or transport mode (their totals are kept)`,
        );
      const system = c.reporter_iso && c.partner_iso ? 'comtrade-iso' : 'comtrade';
      const reporter = system === 'comtrade-iso' ? q('reporter_iso') : q('reporter_code');
      const partner = system === 'comtrade-iso' ? q('partner_iso') : q('partner_code');
      const year = c.year ? `TRY_CAST(${q('year')} AS SMALLINT)` : `TRY_CAST(substr(${q('period')}, 1, 4) AS SMALLINT)`;
      const month = c.period
        ? `CASE WHEN length(${q('period')}) = 6 THEN TRY_CAST(substr(${q('period')}, 5, 2) AS TINYINT) END`
        : c.month
          ? `TRY_CAST(${q('month')} AS TINYINT)`
          : 'NULL';
      const cls = `CASE upper(${q('classification')}) WHEN 'H0' THEN 'HS1992' WHEN 'H1' THEN 'HS1996' WHEN 'H2' THEN 'HS2002' WHEN 'H3' THEN 'HS2007' WHEN 'H4' THEN 'HS2012' WHEN 'H5' THEN 'HS2017' WHEN 'H6' THEN 'HS2022' ELSE upper(${q('classification')}) END`;
      const cmd = `upper(trim(${q('cmd')}))`;
      // A table, not a view: the checks below and the insert read it a dozen times, and its conversions parse text.
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE ct_norm AS
        SELECT ${line} AS line, ${year} AS year, CAST(${month} AS TINYINT) AS month,
               CASE ${flowCode} WHEN 'X' THEN ${reporter} ELSE ${partner} END AS exporter_code,
               CASE ${flowCode} WHEN 'X' THEN ${partner} ELSE ${reporter} END AS importer_code,
               CASE ${flowCode} WHEN 'X' THEN 'exporter' ELSE 'importer' END AS reporter_side,
               CASE WHEN ${cmd} = 'TOTAL' THEN 'TOTAL' ELSE ${cls} END AS classification,
               CAST(CASE WHEN ${cmd} = 'TOTAL' THEN 0 ELSE length(${cmd}) END AS TINYINT) AS product_level,
               ${cmd} AS product, TRY_CAST(${q('value')} AS DOUBLE) AS value_usd,
               TRY_CAST(${c.qty ? q('qty') : 'NULL'} AS DOUBLE) AS quantity, ${c.qty_unit ? q('qty_unit') : 'NULL'} AS quantity_unit,
               CASE ${flowCode} WHEN 'X' THEN 'FOB' ELSE 'CIF' END AS valuation,
               -- Comtrade writes 0 in cifvalue/fobvalue where the reporter gave no such figure: missing, not zero trade.
               ${zeroAsMissing(c.cif ? q('cif') : 'NULL', q('value'))} AS cif_usd, ${zeroAsMissing(c.fob ? q('fob') : 'NULL', q('value'))} AS fob_usd,
               CAST(NULL AS DOUBLE) AS duty_usd, CAST(NULL AS VARCHAR) AS flag
        FROM ct_stage WHERE ${keep}`);
      const vint = await ctx.store.all(
        `SELECT DISTINCT classification AS c FROM ct_norm WHERE classification <> 'TOTAL' ORDER BY 1`,
      );
      await ctx.setVintage(vint.map((r) => r.c).join(','));
      await loadFlows(ctx, {
        view: 'ct_norm',
        system,
        userMap,
        fields: {
          year: c.year ?? c.period!,
          month: c.period ?? c.month,
          exporter: (system === 'comtrade-iso' ? c.reporter_iso : c.reporter_code)!,
          importer: (system === 'comtrade-iso' ? c.partner_iso : c.partner_code)!,
          product: c.cmd!,
          value: c.value!,
          quantity: c.qty,
        },
        label: `Comtrade ${basename(ctx.file.original)}`,
        lineKind: isJson ? 'record' : 'line',
      });
      await ctx.store.run('DROP TABLE ct_norm; DROP TABLE ct_stage');
    },
  });
}
