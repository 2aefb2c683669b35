import { Option, type Command } from 'commander';
import { summariseChange } from '../../indicators/changeSummary.js';
import { indicatorDocsMarkdown } from '../../indicators/indicatorDocs.js';
import { INDICATORS, findIndicator } from '../../indicators/registry.js';
import { indicatorParams, type ComputeOptions } from '../../indicators/paramParsing.js';
import { FILE_FORMATS, writeRowsFile, type FileFormat } from '../fileOutput.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { InvalidInputError } from '../../core/index.js';

/** Registers `indicators` and `compute`. */
export function registerComputeCommands(program: Command): void {
  program
    .command('indicators')
    .description(
      'list every indicator with its name (English, Chinese), formula, unit, data needs, reading and reference',
    )
    .option('--id <id>', 'one indicator only')
    .option('--markdown', 'print the documentation page (docs/indicators.md) instead of a table')
    .action(async (opts: { id?: string; markdown?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (opts.markdown) {
        process.stdout.write(indicatorDocsMarkdown());
        return;
      }
      const list = opts.id ? [findIndicator(opts.id)] : INDICATORS;
      printRows(
        list.map((d) => ({
          id: d.id,
          name_en: d.name.en,
          name_zh: d.name.zh,
          formula: d.formula,
          unit: d.unit,
          needs: d.needs,
          reading_en: d.reading.en,
          reading_zh: d.reading.zh,
          reference: d.reference,
          options: d.params.map((x) => `--${x}`).join(' '),
        })),
        g,
      );
    });

  program
    .command('compute')
    .description('compute an indicator (see decouple indicators)')
    .argument('<indicator>', `indicator id: ${INDICATORS.map((i) => i.id).join(', ')}`)
    .option(
      '--reporter <ISO3>',
      'the reporting economy (importer for import-dependence and diversion; origin pole for connectors)',
    )
    .option(
      '--partner <ISO3>',
      'the partner economy (supplier; destination pole for connectors; second exporter for export-similarity)',
    )
    .addOption(new Option('--flow <flow>', 'trade flow').choices(['export', 'import', 'total']).default('export'))
    .addOption(
      new Option('--channel <channel>', 'goods (flows) or services (series)')
        .choices(['goods', 'services'])
        .default('goods'),
    )
    .option('--years <A-B>', 'year range')
    .option(
      '--group <SET[:NAME]>',
      'product group set (bec-stage, bec-category, manufacturing, or a user set), optionally one group',
    )
    .addOption(
      new Option('--level <digits>', 'HS digits of product-level indicators').choices(['2', '4', '6']).default('6'),
    )
    .option('--dataset <ids>', 'use only these datasets (comma-separated ids)')
    .option('--monthly', 'keep months where the data is monthly')
    .addOption(
      new Option('--side <side>', 'which report when both sides report a flow')
        .choices(['auto', 'importer', 'exporter'])
        .default('auto'),
    )
    .option('--from <year>', 'first year compared (diversion, connectors, marginal Grubel-Lloyd, --summary)')
    .option('--to <year>', 'second year compared')
    .option('--market <ISO3>', 'third market (export-similarity)')
    .option('--economy <ISO3>', 'one connector economy only (connectors)')
    .option('--sources <list>', 'sources reported separately (diversion): ISO3 codes or group:ID, comma-separated')
    .option('--top <n>', 'keep the first n rows per year (partner-rank, rca, connectors)')
    .option('--world-from-partners', 'without a world row, use the sum over the loaded non-aggregate partners')
    .option(
      '--summary [column]',
      'print the change summary (from/to values, change, peak, CAGR) of the headline or given column',
    )
    .option('--on <date>', 'date on which tariffs in force are read (tariff-exposure; default the latest change)')
    .option('--out <file>', 'write the table to this file (needed for --format xlsx|parquet)')
    .action(async (id: string, opts: ComputeOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions & { format: string }>();
      const def = findIndicator(id);
      const params = indicatorParams(opts);
      await withStore(g, async (store) => {
        const { rows: computed, notes } = await def.compute(store, params);
        if (computed.length === 0) {
          throw new Error(
            notes.length
              ? notes.join('; ')
              : `no data for ${id} with these options: import a source that covers it and see \`decouple datasets\``,
          );
        }
        const rows = opts.summary
          ? summariseChange(
              computed,
              typeof opts.summary === 'string' ? opts.summary : def.headline,
              params.from,
              params.to,
            )
          : computed;
        if ((FILE_FORMATS as readonly string[]).includes(g.format)) {
          if (!opts.out) throw new InvalidInputError(`--format ${g.format} writes a file: give --out FILE`);
          note(`wrote ${await writeRowsFile(store, rows, g.format as FileFormat, opts.out, id, notes)}`);
        } else {
          printRows(rows, g);
        }
        notes.forEach((n) => note(`note: ${n}`));
      });
    });
}
