import { Option, type Command } from 'commander';
import { summariseChange } from '../../indicators/changeSummary.js';
import { indicatorDocsMarkdown } from '../../indicators/indicatorDocs.js';
import { INDICATORS, findIndicator } from '../../indicators/registry.js';
import { PARAMETERS, parseIndicatorParams, type ParameterSpec } from '../../indicators/paramSchema.js';
import { FILE_FORMATS, writeRowsFile, type FileFormat } from '../fileOutput.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { InvalidInputError } from '../../core/index.js';

/** The options of `decouple compute` as commander gives them: the indicator parameters (camelCase), summary, out. */
type ComputeCommandOptions = Record<string, string | boolean | undefined> & {
  summary?: boolean | string;
  out?: string;
};

/** Returns commander's key of an option (world-from-partners → worldFromPartners). */
function optionKey(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Returns the command line option of an indicator parameter, from its spec (choices and defaults shown in --help). */
function commanderOption(p: ParameterSpec): Option {
  const o = new Option(p.kind === 'flag' ? `--${p.name}` : `--${p.name} ${p.placeholder ?? '<value>'}`, p.description);
  if (p.choices) o.choices(p.choices);
  if (p.fallback !== undefined) o.default(p.fallback);
  return o;
}

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

  const compute = program
    .command('compute')
    .description('compute an indicator (see decouple indicators)')
    .argument('<indicator>', `indicator id: ${INDICATORS.map((i) => i.id).join(', ')}`);
  for (const p of PARAMETERS) compute.addOption(commanderOption(p));
  compute
    .option(
      '--summary [column]',
      'print the change summary (from/to values, change, peak, CAGR) of the headline or given column',
    )
    .option('--out <file>', 'write the table to this file (needed for --format xlsx|parquet)')
    .action(async (id: string, opts: ComputeCommandOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions & { format: string }>();
      const def = findIndicator(id);
      const params = parseIndicatorParams(Object.fromEntries(PARAMETERS.map((p) => [p.name, opts[optionKey(p.name)]])));
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
