import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { splitCsvLine, stageCsv, lineExpr, quoteIdent } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { firstLine } from '../files/inputFile.js';
import { runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';

/**
 * What the rows of a known NCSES table measure: the indicator, and whether the row's economy is the country or the
 * partner of a pair with the United States.
 */
const KNOWN_TABLES: Record<string, { indicator: string; rowIs: 'country' | 'partner'; unit: string }> = {
  // SEI 2024 SPBS-36 and SEI 2022 SPBS-37: share of US international articles with a coauthor from the economy.
  '10004': { indicator: 'us_intl_articles_coauthor_share', rowIs: 'partner', unit: 'percent' },
  '4906': { indicator: 'us_intl_articles_coauthor_share', rowIs: 'partner', unit: 'percent' },
  // SEI 2024 SPBS-37 and SEI 2022 SPBS-38: share of the economy's international articles with a US coauthor.
  '10005': { indicator: 'intl_articles_us_coauthor_share', rowIs: 'country', unit: 'percent' },
  '4905': { indicator: 'intl_articles_us_coauthor_share', rowIs: 'country', unit: 'percent' },
  // SEI 2024 table 7-7 (and its 2022 edition 7575): US research doctorates earned by temporary visa holders from the
  // economy, by field.
  '9597': { indicator: 'us_doctorates_temporary_visa', rowIs: 'country', unit: 'persons' },
  '7575': { indicator: 'us_doctorates_temporary_visa', rowIs: 'country', unit: 'persons' },
};

/** Returns the table's title and units from the README.md beside its data.csv, when there is one. */
function readme(path: string): { title?: string; units?: string } {
  const file = join(dirname(path), 'README.md');
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  return {
    title: /^#\s+(.+)$/m
      .exec(text)?.[1]
      ?.replace(/&#8211;/g, '–')
      .trim(),
    units: /\*\*Units:\*\*\s*\(?([^)\n]+)\)?/.exec(text)?.[1]?.trim(),
  };
}

/** Where a table's economy, sub-row and year columns are, or undefined for a layout the importer does not read. */
function ncsesLayout(header: string[]): { label: string; economy: string; sub?: string; years: string[] } | undefined {
  if (header[0] !== 'table_id' || header[1] !== 'row_id') return undefined;
  const path = header.find((h) => h.endsWith('_full_path'));
  if (!path) {
    const years = header.slice(3);
    return years.length && years.every((y) => /^\d{4}$/.test(y))
      ? { label: header[2], economy: header[2], years }
      : undefined;
  }
  const stem = path.slice(0, -'_full_path'.length);
  const levels = header.filter((h) => new RegExp(`^${stem}_level_\\d$`).test(h));
  const depth = header.indexOf(`${stem}_hierarchy_depth`);
  const years = header.slice(depth + 1);
  if (depth < 0 || levels.length < 1 || !years.length || years.some((y) => !/^(field_)?\d{4}$/.test(y)))
    return undefined;
  return { label: levels[0], economy: levels[0], sub: levels.length > 1 ? levels[1] : undefined, years };
}

/**
 * NSF NCSES Science and Engineering Indicators tables of the simple layout (`table_id, row_id, <economy>, YEAR,
 * YEAR, …`), each `tables/<modal id>/data.csv` with its README.md: one value per economy and year. Known tables
 * become named pair series (`us_intl_articles_coauthor_share`: country USA, partner the row's economy;
 * `intl_articles_us_coauthor_share`: the reverse); any other simple table becomes `ncses:<modal id>` by economy.
 * Each edition is its own dataset (tables 4906 and 10004 are two editions of one table and are not spliced).
 * Cells `na` are skipped; a trailing `i` or `r` (imputed, revised) is kept as the flag.
 * Source: https://ncses.nsf.gov/indicators
 */
export async function importNcsesTable(
  store: Store,
  files: string[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  const dataFiles = files.map((f) => (existsSync(f) && statSync(f).isDirectory() ? join(f, 'data.csv') : f));
  return runImport(store, {
    strict: options.strict,
    source: 'ncses-sei',
    kind: 'series',
    files: dataFiles,
    encoding: options.encoding,
    async load(ctx) {
      const header = splitCsvLine(await firstLine(ctx.file));
      const layout = ncsesLayout(header);
      if (!layout)
        throw new ImportError(
          ctx.file.original,
          `not an NCSES table the importer reads (table_id, row_id, the economy, then one column per year; or nested rows ..._full_path, ..._level_1, ..._hierarchy_depth with field_YYYY columns); found: ${header.slice(0, 6).join(', ')}${header.length > 6 ? ', …' : ''}. Tables whose columns are not years need import csv --map`,
          1,
          header[2] ?? 'table_id',
        );
      const { label, years } = layout;
      await stageCsv(
        ctx.store,
        ctx.file,
        { columns: header.map((name) => ({ name, type: 'VARCHAR' as const })), exact: true },
        'ncses_raw',
      );
      const ids = await ctx.store.all(`SELECT DISTINCT table_id FROM ncses_raw`);
      if (ids.length !== 1)
        throw new ImportError(ctx.file.original, 'one table per file expected', undefined, 'table_id');
      const id = String(ids[0].table_id);
      const known = KNOWN_TABLES[id];
      const meta = readme(ctx.file.original);
      // One row per economy (and, in nested tables, per sub-row: a field of study), one value per year column.
      // Footnote marks (<sup>a</sup>) and other markup are dropped from the labels.
      const clean = (col: string) =>
        `trim(regexp_replace(regexp_replace(${quoteIdent(col)}, '<sup>[^<]*</sup>', '', 'g'), '<[^>]*>', '', 'g'))`;
      const economy = clean(layout.economy);
      const sub = layout.sub ? `nullif(${clean(layout.sub)}, '')` : 'CAST(NULL AS VARCHAR)';
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE ncses_long AS
        SELECT line, economy, sub, regexp_extract(col, '(\\d{4})$', 1) AS yr, col, trim(cell) AS cell FROM (
          SELECT ${lineExpr('ncses_raw')} AS line, ${economy} AS economy, ${sub} AS sub, ${years.map(quoteIdent).join(', ')}
          FROM ncses_raw)
        UNPIVOT (cell FOR col IN (${years.map(quoteIdent).join(', ')}))`);
      const bad = await ctx.store.one(
        `SELECT line, col, cell FROM ncses_long
         WHERE lower(cell) NOT IN ('na', '') AND NOT regexp_full_match(cell, '-?[0-9]+(\\.[0-9]+)?\\s*[ir]?')
         ORDER BY line LIMIT 1`,
      );
      if (bad)
        throw new ImportError(ctx.file.original, `'${bad.cell}' is not a number`, Number(bad.line), String(bad.col));
      const indicator = known?.indicator ?? `ncses:${id}`;
      const unit = known?.unit ?? (meta.units ? meta.units.toLowerCase() : 'number');
      const country = known?.rowIs === 'partner' ? `'USA'` : 'economy';
      const partner = known?.rowIs === 'partner' ? 'economy' : known ? `'USA'` : `''`;
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE ncses_norm AS
        SELECT line,
               '${indicator}' || CASE WHEN sub IS NULL THEN '' ELSE ':' || regexp_replace(lower(sub), '[^a-z0-9]+', '-', 'g') END AS indicator,
               ${country} AS country_code, ${partner} AS partner_code, 'A' AS frequency,
               yr AS period, CAST(yr AS INTEGER) AS year,
               CAST(regexp_extract(cell, '-?[0-9]+(\\.[0-9]+)?') AS DOUBLE) AS value, '${unit}' AS unit,
               nullif(regexp_extract(cell, '([ir])$', 1), '') AS flag,
               'NCSES table ${id}' || CASE WHEN sub IS NULL THEN '' ELSE ': ' || sub END AS note
        FROM ncses_long WHERE lower(cell) NOT IN ('na', '')`);
      await loadSeries(ctx, {
        view: 'ncses_norm',
        system: 'ncses',
        userMap: options.userMap,
        fields: { country: label, partner: label, period: 'year', value: 'value' },
        leaveOutUnknown: true,
      });
      await ctx.setVintage(`NCSES table ${id}${meta.title ? `: ${meta.title}` : ''}`);
      const span = await ctx.store.one(`SELECT min(yr) AS a, max(yr) AS b FROM ncses_long`);
      ctx.notes.push(
        known
          ? `${indicator} (${unit}), ${span?.a}–${span?.b}${layout.sub ? '; sub-rows (fields) as indicator:field' : ''}`
          : `not a table the program knows: stored as ncses:${id} by economy (${unit})`,
      );
      await ctx.store.run('DROP TABLE ncses_norm; DROP TABLE ncses_long; DROP TABLE ncses_raw');
    },
  });
}
