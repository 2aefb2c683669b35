import type { Store } from '../store/store.js';
import { maxOf, minOf } from '../util/extremes.js';
import { splitCsvLine } from '../files/csvStage.js';
import { ImportError } from '../files/importError.js';
import { readInputText } from '../files/inputFile.js';
import { runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { loadSeries } from './seriesLoad.js';
import { stageRows } from './sheetStage.js';

/**
 * World Bank WITS "Trade Summary" downloads (`en_CHN_AllYears_WITS_Trade_Summary.CSV`):
 * one reporter's indicators by year, wide (`Reporter, Partner, Product categories,
 * Indicator Type, Indicator, 2019, 2018, …`), values space-padded. Kept: the
 * reporter's exports and imports with the World, in total ("All Products") and
 * by UNCTAD stage of processing (raw materials, intermediate, consumer and
 * capital goods), US$ million, as series `goods_export` / `goods_import`
 * (total) and `goods_export:wits-stage:GROUP` (by stage, on WITS's own product
 * correspondence), partner WLD.
 * Tariff, growth and share rows and the top-five partner rows are left out
 * (counted in a note). Documentation: https://wits.worldbank.org/CountryProfile/en/
 */
const STAGES: Record<string, string> = {
  'Raw materials': 'raw-materials',
  'Intermediate goods': 'intermediate',
  'Consumer goods': 'consumer',
  'Capital goods': 'capital',
};
const HEADER = ['Reporter', 'Partner', 'Product categories', 'Indicator Type', 'Indicator'];

/** Returns the series indicator of a WITS row, or undefined when the row is not kept. */
function indicatorOf(partner: string, category: string, type: string, indicator: string): string | undefined {
  if (partner !== 'World' || (type !== 'Export' && type !== 'Import')) return undefined;
  const direction = type === 'Export' ? 'export' : 'import';
  if (category === 'All Products' && /^(Exports|Imports) \(in US\$ Mil\)$/.test(indicator)) return `goods_${direction}`;
  const stage = STAGES[category];
  if (stage && /^(Export|Import)\(US\$ Mil\)$/.test(indicator)) return `goods_${direction}:wits-stage:${stage}`;
  return undefined;
}

/** Imports WITS Trade Summary files into series; returns one outcome per file. */
export async function importWitsSummary(
  store: Store,
  files: string[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  return runImport(store, {
    strict: options.strict,
    source: 'wits',
    kind: 'series',
    files,
    encoding: options.encoding,
    async load(ctx) {
      const lines = (await readInputText(ctx.file)).split(/\r?\n/);
      const header = splitCsvLine(lines[0]).map((h) => h.trim());
      const missing = HEADER.find((h, i) => header[i] !== h);
      if (missing)
        throw new ImportError(
          ctx.file.original,
          `not a WITS Trade Summary file: the header does not start ${HEADER.join(', ')} (found: ${header.slice(0, 5).join(', ')})`,
          1,
          missing,
        );
      const years = header.slice(HEADER.length).map((h, i) => {
        if (!/^\d{4}$/.test(h))
          throw new ImportError(
            ctx.file.original,
            `the column '${h}' is not a year`,
            1,
            h || `column ${HEADER.length + i + 1}`,
          );
        return Number(h);
      });
      const rows: unknown[][] = [];
      let left = 0;
      const reporters = new Set<string>();
      lines.slice(1).forEach((line, i) => {
        if (!line.trim()) return;
        const cells = splitCsvLine(line).map((c) => c.trim());
        const lineNo = i + 2;
        if (cells.length !== header.length)
          throw new ImportError(
            ctx.file.original,
            `the line has ${cells.length} fields where the header has ${header.length}`,
            lineNo,
          );
        const [reporter, partner, category, type, name] = cells;
        reporters.add(reporter);
        const indicator = indicatorOf(partner, category, type, name);
        if (!indicator) {
          left++;
          return;
        }
        years.forEach((year, k) => {
          const cell = cells[HEADER.length + k];
          if (cell === '') return;
          const value = Number(cell);
          if (!Number.isFinite(value) || value < 0)
            throw new ImportError(
              ctx.file.original,
              `'${cell}' is not a trade value (US$ million)`,
              lineNo,
              String(year),
            );
          rows.push([
            lineNo,
            indicator,
            reporter,
            'World',
            'A',
            String(year),
            year,
            value * 1e6,
            'USD',
            null,
            `WITS Trade Summary: ${category}, ${name}`,
          ]);
        });
      });
      if (reporters.size > 1)
        throw new ImportError(
          ctx.file.original,
          `one reporter per file expected; found ${[...reporters].join(', ')}`,
          undefined,
          'Reporter',
        );
      if (!rows.length)
        throw new ImportError(
          ctx.file.original,
          'no exports or imports with the World in the file',
          undefined,
          'Indicator',
        );
      await stageRows(
        ctx.store,
        'wits_norm',
        [
          { name: 'line', type: 'INTEGER' },
          { name: 'indicator', type: 'VARCHAR' },
          { name: 'country_code', type: 'VARCHAR' },
          { name: 'partner_code', type: 'VARCHAR' },
          { name: 'frequency', type: 'VARCHAR' },
          { name: 'period', type: 'VARCHAR' },
          { name: 'year', type: 'SMALLINT' },
          { name: 'value', type: 'DOUBLE' },
          { name: 'unit', type: 'VARCHAR' },
          { name: 'flag', type: 'VARCHAR' },
          { name: 'note', type: 'VARCHAR' },
        ],
        rows,
      );
      await loadSeries(ctx, {
        view: 'wits_norm',
        system: 'wits',
        userMap: options.userMap,
        fields: { country: 'Reporter', partner: 'Partner', period: 'year', value: 'value' },
      });
      await ctx.setVintage(`WITS Trade Summary ${minOf(years)}-${maxOf(years)}`);
      ctx.notes.push(
        `exports and imports with the World, total and by UNCTAD stage of processing; ${left} other rows (tariffs, growth, shares, top-five partners, HS sections) left out`,
      );
      await ctx.store.run('DROP TABLE wits_norm');
    },
  });
}
