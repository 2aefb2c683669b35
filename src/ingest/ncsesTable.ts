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
      const years = header.slice(3);
      if (header[0] !== 'table_id' || header[1] !== 'row_id' || !years.length || years.some((y) => !/^\d{4}$/.test(y)))
        throw new ImportError(
          ctx.file.original,
          `not a simple NCSES table (table_id, row_id, economy, then one column per year); found: ${header.slice(0, 6).join(', ')}${header.length > 6 ? ', …' : ''}. Tables with nested rows or unlabeled columns need import csv --map`,
          1,
          header[2] ?? 'table_id',
        );
      const label = header[2];
      await stageCsv(
        ctx.store,
        ctx.file,
        {
          columns: [
            { name: 'table_id', type: 'VARCHAR' },
            { name: 'row_id', type: 'VARCHAR' },
            { name: label, type: 'VARCHAR' },
            ...years.map((y) => ({ name: y, type: 'VARCHAR' as const })),
          ],
          exact: true,
        },
        'ncses_raw',
      );
      const ids = await ctx.store.all(`SELECT DISTINCT table_id FROM ncses_raw`);
      if (ids.length !== 1)
        throw new ImportError(ctx.file.original, 'one table per file expected', undefined, 'table_id');
      const id = String(ids[0].table_id);
      const known = KNOWN_TABLES[id];
      const meta = readme(ctx.file.original);
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE ncses_long AS
        SELECT line, economy, yr, trim(cell) AS cell FROM (
          SELECT ${lineExpr('ncses_raw')} AS line, regexp_replace(${quoteIdent(label)}, '<[^>]*>', '', 'g') AS economy, * EXCLUDE (table_id, row_id, ${quoteIdent(label)})
          FROM ncses_raw)
        UNPIVOT (cell FOR yr IN (${years.map(quoteIdent).join(', ')}))`);
      const bad = await ctx.store.one(
        `SELECT line, yr, cell FROM ncses_long
         WHERE lower(cell) NOT IN ('na', '') AND NOT regexp_full_match(cell, '-?[0-9]+(\\.[0-9]+)?\\s*[ir]?')
         ORDER BY line LIMIT 1`,
      );
      if (bad)
        throw new ImportError(ctx.file.original, `'${bad.cell}' is not a number`, Number(bad.line), String(bad.yr));
      const indicator = known?.indicator ?? `ncses:${id}`;
      const unit = known?.unit ?? (meta.units ? meta.units.toLowerCase() : 'number');
      const country = known?.rowIs === 'partner' ? `'USA'` : 'economy';
      const partner = known?.rowIs === 'partner' ? 'economy' : known ? `'USA'` : `''`;
      await ctx.store.run(`CREATE OR REPLACE TEMP TABLE ncses_norm AS
        SELECT line, '${indicator}' AS indicator, ${country} AS country_code, ${partner} AS partner_code, 'A' AS frequency,
               yr AS period, CAST(yr AS INTEGER) AS year,
               CAST(regexp_extract(cell, '-?[0-9]+(\\.[0-9]+)?') AS DOUBLE) AS value, '${unit}' AS unit,
               nullif(regexp_extract(cell, '([ir])$', 1), '') AS flag,
               'NCSES table ${id}' AS note
        FROM ncses_long WHERE lower(cell) NOT IN ('na', '')`);
      await loadSeries(ctx, {
        view: 'ncses_norm',
        system: 'ncses',
        userMap: options.userMap,
        fields: { country: label, partner: label, period: 'year', value: 'value' },
        leaveOutUnknown: true,
      });
      await ctx.setVintage(`NCSES table ${id}${meta.title ? `: ${meta.title}` : ''}`);
      ctx.notes.push(
        known
          ? `${indicator} (${unit}), ${years[0]}–${years[years.length - 1]}`
          : `not a table the program knows: stored as ncses:${id} by economy (${unit})`,
      );
      await ctx.store.run('DROP TABLE ncses_norm; DROP TABLE ncses_long; DROP TABLE ncses_raw');
    },
  });
}
