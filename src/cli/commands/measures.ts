import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  measureCounts,
  measureDetail,
  measureTimeline,
  type Lang,
  type MeasureFilter,
} from '../../measures/measureQueries.js';
import { readMeasures, shippedMeasureFiles } from '../../measures/measureRegistry.js';
import { checkMeasuresAgainstStore } from '../../measures/measureStore.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseDate } from '../../core/inputs.js';

interface TimelineOptions extends MeasureFilter {
  lang: Lang;
}

function filterOf(o: TimelineOptions): MeasureFilter {
  return {
    actor: o.actor,
    target: o.target,
    instrument: o.instrument,
    field: o.field,
    from: parseDate(o.from, '--from'),
    to: parseDate(o.to, '--to'),
  };
}

const langOption = () =>
  new Option('--lang <lang>', 'language of titles and labels').choices(['zh', 'en']).default('en');

function withFilters(cmd: Command): Command {
  return cmd
    .option('--actor <code>', 'who took the measure (USA, CHN, NLD, JPN, EU…)')
    .option('--target <code>', 'whom it targets')
    .option('--instrument <id>', 'instrument (tariff, export-control, entity-listing, …; listed in docs/measures.md)')
    .option('--field <field>', 'economic | technology | finance | people')
    .option('--from <date>', 'announced or in force on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'announced or in force on or before this date (YYYY-MM-DD)')
    .addOption(langOption());
}

/** Registers `measures` (timeline), `measures show`, `measures counts`, `measures check`. */
export function registerMeasureCommands(program: Command): void {
  const measures = withFilters(
    program
      .command('measures')
      .description(
        'the measures registry as a timeline: tariffs, export controls, entity listings, investment, people, alliances and countermeasures',
      ),
  ).action(async (opts: TimelineOptions, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) => {
      const rows = await measureTimeline(store, filterOf(opts), opts.lang);
      if (rows.length === 0) note('no measure matches these filters');
      printRows(rows, g);
    });
  });

  measures
    .command('show')
    .description('one measure: dates, legal basis, summary, tariff lists, products, sources')
    .argument('<id>', 'measure id (from the timeline)')
    .addOption(langOption())
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      // --lang may be taken by the parent command, so read it with the globals.
      const g = cmd.optsWithGlobals<GlobalOptions & { lang: Lang }>();
      await withStore(g, async (store) => process.stdout.write(await measureDetail(store, id, g.lang)));
    });

  withFilters(measures.command('counts').description('number of measures by year, actor, instrument or field'))
    .addOption(
      new Option('--by <dimension>', 'what to count by')
        .choices(['year', 'actor', 'instrument', 'field'])
        .default('year'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<
        GlobalOptions & TimelineOptions & { by: 'year' | 'actor' | 'instrument' | 'field' }
      >();
      await withStore(g, async (store) => printRows(await measureCounts(store, g.by, filterOf(g), g.lang), g));
    });

  measures
    .command('check')
    .description(
      'validate measure files (schema, dates, references, economies, HS codes in their vintage) without storing them',
    )
    .argument('<files...>', 'YAML files in the registry format (docs/measures.md)')
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      // A user's file may refer to the shipped measures (responds_to: [us-301-list1]); its own ids must be new.
      const shipped = new Set(readMeasures(shippedMeasureFiles()).map((m) => m.id));
      const list = readMeasures(files, shipped);
      const clash = list.find((m) => shipped.has(m.id) && !shippedMeasureFiles().includes(resolve(m.file)));
      if (clash)
        throw new Error(
          `${clash.file}, line ${clash.line}: the id '${clash.id}' is a shipped measure's; choose another`,
        );
      await withStore(g, async (store) => {
        for (const n of await checkMeasuresAgainstStore(store, list, files.map((f) => resolve(f)).join(','))) note(n);
      });
      process.stdout.write(`${list.length} measures valid in ${files.length} file(s)\n`);
    });
}
