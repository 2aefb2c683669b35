import { basename } from 'node:path';
import type { Store } from '../store/store.js';
import { firstLine } from '../files/inputFile.js';
import { lineExpr, splitCsvLine, stageCsv } from '../files/csvStage.js';
import { loadFlows } from './flowLoad.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';
import { readImportWorkbook, stageRows } from './sheetStage.js';

/**
 * IMF Direction of Trade Statistics (DOTS): exports FOB and imports CIF by
 * partner, US$ million. Two layouts: the per-reporter workbooks the IMF data
 * portal exports (sheets "Exports, FOB" and "Imports, CIF", partners down
 * column C, years across, a trailing " e" marking an IMF estimate) and the long
 * CSV `source_file,reporter,partner,flow,year,value_usd_mn,estimated`.
 * Documentation: IMF, Direction of Trade Statistics, https://data.imf.org/DOT
 */
const FLOW_SHEETS: Record<string, 'exports_fob' | 'imports_cif'> = {
  'Exports, FOB': 'exports_fob',
  'Imports, CIF': 'imports_cif',
};

async function stageWorkbook(ctx: LoadContext): Promise<void> {
  const sheets = await readImportWorkbook(ctx.file);
  const missing = Object.keys(FLOW_SHEETS).filter((name) => !sheets.some((s) => s.name.trim() === name));
  if (missing.length) {
    throw new ImportError(
      ctx.file.original,
      `the workbook has no sheet ${missing.map((m) => `'${m}'`).join(' or ')} (a DOTS workbook has both 'Exports, FOB' and 'Imports, CIF'; found: ${sheets.map((s) => `'${s.name}'`).join(', ') || 'none'})`,
      undefined,
      missing[0],
    );
  }
  const rows: unknown[][] = [];
  for (const sheet of sheets) {
    const flow = FLOW_SHEETS[sheet.name.trim()];
    if (!flow)
      throw new ImportError(
        ctx.file.original,
        `unexpected sheet '${sheet.name}' (a DOTS workbook has 'Exports, FOB' and 'Imports, CIF')`,
      );
    // The reporter's name sits above the year header; the header row holds the years.
    const headerRow = sheet.rows.find((r) => r.cells.filter((c) => /^\d{4}$/.test(String(c ?? '').trim())).length >= 2);
    if (!headerRow) throw new ImportError(ctx.file.original, `sheet '${sheet.name}' has no row of years`);
    const reporterRow = sheet.rows
      .filter(
        (r) => r.row < headerRow.row && typeof r.cells[1] === 'string' && !/dollars|partner/i.test(String(r.cells[1])),
      )
      .pop();
    const reporter = reporterRow ? String(reporterRow.cells[1]).trim() : undefined;
    if (!reporter)
      throw new ImportError(
        ctx.file.original,
        `sheet '${sheet.name}': cannot find the reporter's name above the year header`,
        headerRow.row,
      );
    const years = headerRow.cells.map((c) =>
      /^\d{4}$/.test(String(c ?? '').trim()) ? Number(String(c).trim()) : undefined,
    );
    for (const r of sheet.rows.filter((x) => x.row > headerRow.row)) {
      const partner = r.cells[1];
      if (partner === null || String(partner).trim() === '') continue;
      years.forEach((year, col) => {
        if (year === undefined) return;
        const cell = r.cells[col];
        if (cell === null || cell === undefined || String(cell).trim() === '') return;
        const text = String(cell).trim();
        const estimated = / e$/.test(text);
        rows.push([
          r.row,
          flow,
          reporter,
          String(partner).trim(),
          year,
          text.replace(/ e$/, ''),
          estimated ? 1 : 0,
          `${sheet.name}!${columnLetter(col)}${r.row}`,
        ]);
      });
    }
  }
  if (rows.length === 0) throw new ImportError(ctx.file.original, 'the workbook has no values');
  await stageRows(
    ctx.store,
    'dots_stage',
    [
      { name: 'line', type: 'INTEGER' },
      { name: 'flow', type: 'VARCHAR' },
      { name: 'reporter', type: 'VARCHAR' },
      { name: 'partner', type: 'VARCHAR' },
      { name: 'year', type: 'SMALLINT' },
      { name: 'value_text', type: 'VARCHAR' },
      { name: 'estimated', type: 'INTEGER' },
      { name: 'cell', type: 'VARCHAR' },
    ],
    rows,
  );
  const bad = await ctx.store.one(
    `SELECT cell, value_text FROM dots_stage WHERE TRY_CAST(value_text AS DOUBLE) IS NULL LIMIT 1`,
  );
  if (bad)
    throw new ImportError(
      ctx.file.original,
      `cell ${bad.cell}: '${bad.value_text}' is not a number`,
      undefined,
      'value',
    );
  await ctx.store.run(
    `ALTER TABLE dots_stage ADD COLUMN value_usd_mn DOUBLE; UPDATE dots_stage SET value_usd_mn = CAST(value_text AS DOUBLE)`,
  );
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** IMTS indicators (the IMF's successor to DOTS) and the flows they are. */
const IMTS_INDICATORS: Record<string, 'exports_fob' | 'imports_cif'> = {
  XG_FOB_USD: 'exports_fob',
  MG_CIF_USD: 'imports_cif',
};

/**
 * Stages an SDMX-CSV answer of the IMF data portal's IMTS data flow
 * (International Trade in Goods by partner, the successor to DOTS; SDMX 3.0
 * REST API https://api.imf.org/external/sdmx/3.0/, key
 * REPORTER.INDICATOR.PARTNER.FREQUENCY): the dimension columns sit between the
 * STRUCTURE columns and TIME_PERIOD (by name where the portal names them, else
 * in the key's order), then OBS_VALUE and the attributes. Values are US dollars
 * scaled by the UNIT_MULT (or SCALE) attribute when the answer carries one.
 */
async function stageImts(ctx: LoadContext, header: string[]): Promise<void> {
  const upper = header.map((h) => h.toUpperCase());
  const tp = upper.indexOf('TIME_PERIOD');
  const dims = header.slice(0, tp).filter((h) => !/^(STRUCTURE(_ID|_NAME)?|ACTION)$/i.test(h));
  const named = (...names: string[]) => dims.find((d) => names.includes(d.toUpperCase()));
  let [reporter, indicator, partner, freq] = [
    named('COUNTRY', 'REF_AREA'),
    named('INDICATOR'),
    named('COUNTERPART_COUNTRY', 'COUNTERPART_AREA'),
    named('FREQUENCY', 'FREQ'),
  ];
  if (!reporter || !indicator || !partner || !freq) {
    if (dims.length !== 4)
      throw new ImportError(
        ctx.file.original,
        `an SDMX-CSV answer of IMTS has four dimensions (reporter, indicator, partner, frequency); found ${dims.join(', ') || 'none'}`,
        1,
      );
    [reporter, indicator, partner, freq] = dims;
  }
  const scale = header.find((h) => /^(UNIT_MULT|SCALE)$/i.test(h));
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  await stageCsv(
    ctx.store,
    ctx.file,
    { columns: header.map((name) => ({ name, type: 'VARCHAR' as const })) },
    'imts_raw',
  );
  await ctx.store.run(`CREATE OR REPLACE TEMP TABLE dots_stage AS
    SELECT ${lineExpr('imts_raw')} AS line, ${q(reporter)} AS reporter, ${q(partner)} AS partner, ${q(indicator)} AS indicator, ${q(freq)} AS freq,
           TIME_PERIOD AS period, OBS_VALUE AS value_text, ${scale ? q(scale) : 'NULL'} AS scale FROM imts_raw`);
  const badIndicator = await ctx.store.one(
    `SELECT line, indicator FROM dots_stage WHERE indicator NOT IN (${Object.keys(IMTS_INDICATORS)
      .map((k) => `'${k}'`)
      .join(', ')}) ORDER BY line LIMIT 1`,
  );
  if (badIndicator)
    throw new ImportError(
      ctx.file.original,
      `indicator '${badIndicator.indicator}' is not goods exports FOB or imports CIF in US$ (${Object.keys(IMTS_INDICATORS).join(', ')})`,
      Number(badIndicator.line),
      indicator,
    );
  const badPeriod = await ctx.store.one(
    `SELECT line, period FROM dots_stage WHERE NOT regexp_full_match(period, '\\d{4}(-M?\\d{2})?') ORDER BY line LIMIT 1`,
  );
  if (badPeriod)
    throw new ImportError(
      ctx.file.original,
      `period '${badPeriod.period}' is not a year or a month (quarterly data cannot be stored as flows: fetch annual or monthly)`,
      Number(badPeriod.line),
      'TIME_PERIOD',
    );
  const badValue = await ctx.store.one(
    `SELECT line, value_text FROM dots_stage WHERE value_text <> '' AND TRY_CAST(value_text AS DOUBLE) IS NULL ORDER BY line LIMIT 1`,
  );
  if (badValue)
    throw new ImportError(
      ctx.file.original,
      `'${badValue.value_text}' is not a number`,
      Number(badValue.line),
      'OBS_VALUE',
    );
  const badScale = scale
    ? await ctx.store.one(
        `SELECT line, scale FROM dots_stage WHERE scale <> '' AND TRY_CAST(scale AS INTEGER) IS NULL ORDER BY line LIMIT 1`,
      )
    : undefined;
  if (badScale)
    throw new ImportError(
      ctx.file.original,
      `unit multiplier '${badScale.scale}' is not a power of ten`,
      Number(badScale.line),
      scale,
    );
  ctx.notes.push(
    scale
      ? `values scaled by ${scale} (powers of ten) to US$`
      : 'the answer carries no unit multiplier: OBS_VALUE read as US$',
  );
  await ctx.store
    .run(`ALTER TABLE dots_stage ADD COLUMN flow VARCHAR; ALTER TABLE dots_stage ADD COLUMN year SMALLINT; ALTER TABLE dots_stage ADD COLUMN month TINYINT;
    ALTER TABLE dots_stage ADD COLUMN value_usd_mn DOUBLE; ALTER TABLE dots_stage ADD COLUMN estimated INTEGER;
    UPDATE dots_stage SET flow = CASE indicator ${Object.entries(IMTS_INDICATORS)
      .map(([k, v]) => `WHEN '${k}' THEN '${v}'`)
      .join(' ')} END,
      year = CAST(left(period, 4) AS SMALLINT), month = CASE WHEN length(period) > 4 THEN CAST(right(period, 2) AS TINYINT) END,
      value_usd_mn = CAST(value_text AS DOUBLE) * pow(10, coalesce(TRY_CAST(scale AS INTEGER), 0)) / 1e6, estimated = 0`);
  const empty = await ctx.store.one(`SELECT count(*) AS n FROM dots_stage WHERE coalesce(value_text, '') = ''`);
  if (Number(empty?.n)) ctx.notes.push(`${empty?.n} observations without a value left out`);
  await ctx.store.run(`DELETE FROM dots_stage WHERE coalesce(value_text, '') = ''`);
  await ctx.store.run('DROP TABLE imts_raw');
}

/** Imports DOTS workbooks (.xlsx), long CSVs and IMTS SDMX-CSV answers; returns one outcome per file. */
export async function importDots(store: Store, files: string[], options: ImportOptions): Promise<ImportOutcome[]> {
  const { userMap } = options;
  return runImport(store, {
    strict: options.strict,
    source: 'dots',
    kind: 'flows',
    files,
    encoding: options.encoding,
    prepare: (f) => ({ workbook: /\.xlsx$/i.test(f) }),
    async load(ctx) {
      const isWorkbook = ctx.file.encoding === 'binary';
      const header = isWorkbook ? [] : splitCsvLine(await firstLine(ctx.file));
      const imts =
        header.some((h) => h.toUpperCase() === 'TIME_PERIOD') && header.some((h) => h.toUpperCase() === 'OBS_VALUE');
      if (isWorkbook) {
        await stageWorkbook(ctx);
      } else if (imts) {
        await stageImts(ctx, header);
      } else {
        await stageCsv(
          ctx.store,
          ctx.file,
          {
            columns: [
              { name: 'reporter', type: 'VARCHAR' },
              { name: 'partner', type: 'VARCHAR' },
              { name: 'flow', type: 'VARCHAR' },
              { name: 'year', type: 'SMALLINT' },
              { name: 'value_usd_mn', type: 'DOUBLE' },
              { name: 'estimated', type: 'INTEGER' },
            ],
          },
          'dots_stage',
        );
        await ctx.store.run(
          `ALTER TABLE dots_stage ADD COLUMN line INTEGER; UPDATE dots_stage SET line = ${lineExpr('dots_stage')}`,
        );
      }
      const badFlow = await ctx.store.one(
        `SELECT line, flow FROM dots_stage WHERE flow NOT IN ('exports_fob', 'imports_cif') ORDER BY line LIMIT 1`,
      );
      if (badFlow)
        throw new ImportError(
          ctx.file.original,
          `unknown flow '${badFlow.flow}' (expected exports_fob or imports_cif)`,
          isWorkbook ? undefined : Number(badFlow.line),
          'flow',
        );
      const lastYear = await ctx.store.one(`SELECT max(year) AS y FROM dots_stage`);
      await ctx.setVintage(`DOTS to ${lastYear?.y}`);
      await ctx.store.run(`CREATE OR REPLACE TEMP VIEW dots_norm AS
        SELECT line, year, ${imts ? 'month' : 'CAST(NULL AS TINYINT)'} AS month,
               CASE flow WHEN 'exports_fob' THEN reporter ELSE partner END AS exporter_code,
               CASE flow WHEN 'exports_fob' THEN partner ELSE reporter END AS importer_code,
               CASE flow WHEN 'exports_fob' THEN 'exporter' ELSE 'importer' END AS reporter_side,
               'TOTAL' AS classification, CAST(0 AS TINYINT) AS product_level, 'TOTAL' AS product,
               value_usd_mn * 1e6 AS value_usd, CAST(NULL AS DOUBLE) AS quantity, CAST(NULL AS VARCHAR) AS quantity_unit,
               CASE flow WHEN 'exports_fob' THEN 'FOB' ELSE 'CIF' END AS valuation,
               CASE flow WHEN 'imports_cif' THEN value_usd_mn * 1e6 END AS cif_usd,
               CASE flow WHEN 'exports_fob' THEN value_usd_mn * 1e6 END AS fob_usd,
               CAST(NULL AS DOUBLE) AS duty_usd, CASE WHEN estimated = 1 THEN 'e' END AS flag
        FROM dots_stage`);
      await loadFlows(ctx, {
        view: 'dots_norm',
        // IMTS answers use ISO 3166 codes, and G001 for the world.
        system: imts ? 'iso3' : 'imf',
        userMap: imts ? new Map([['G001', 'WLD'], ...userMap]) : userMap,
        fields: imts
          ? {
              year: 'TIME_PERIOD',
              month: 'TIME_PERIOD',
              exporter: 'reporter/partner',
              importer: 'reporter/partner',
              product: 'indicator',
              value: 'OBS_VALUE',
            }
          : {
              year: 'year',
              exporter: 'reporter/partner',
              importer: 'reporter/partner',
              product: 'flow',
              value: 'value_usd_mn',
            },
        label: `DOTS ${basename(ctx.file.original)}`,
        lineKind: isWorkbook ? 'row' : 'line',
      });
      await ctx.store.run('DROP VIEW dots_norm; DROP TABLE dots_stage');
    },
  });
}
