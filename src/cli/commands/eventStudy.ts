import type { Command } from 'commander';
import { eventStudy } from '../../measures/eventStudy.js';
import { exportControlStudy } from '../../measures/exportControlStudy.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseDate } from '../../core/inputs.js';
import { InvalidInputError } from '../../core/index.js';

interface EventStudyOptions {
  measure: string;
  importer: string;
  exporter: string;
  date?: string;
  before: string;
  after: string;
  threshold: string;
  byMonth?: boolean;
  levels?: boolean;
}

/** Registers `event-study`: difference in differences of trade after a tariff measure or an export control. */
export function registerEventStudyCommand(program: Command): void {
  program
    .command('event-study')
    .description(
      "what trade did after a tariff measure (treated vs untouched products, the exporter's import share and log value) " +
        "or an export control (the actor's exports of the controlled lines, to --importer and to all destinations), by month",
    )
    .requiredOption(
      '--measure <id>',
      'a tariff measure whose lists are imported (e.g. us-301-list3), or an export control with HS lines (e.g. chn-gallium-germanium-controls)',
    )
    .option(
      '--importer <ISO3>',
      'the economy imposing the tariff, or the destination an export control is followed to',
      'USA',
    )
    .option('--exporter <ISO3>', 'the economy it targets', 'CHN')
    .option('--date <YYYY-MM-DD>', "event date (default: the measure's entry into force)")
    .option('--before <months>', 'months before the event month', '12')
    .option(
      '--after <months>',
      'months after the event month (default 11; for an export control, ended before a comparison line is itself controlled)',
    )
    .option(
      '--threshold <share>',
      "share of a product group's HS6 codes on the lists for it to count as treated",
      '0.5',
    )
    .option('--by-month', 'print the event-time table (effects and group means by month) instead of the summary')
    .option('--levels', 'export controls: print mean monthly exports before and after, by line and destination')
    .action(async (opts: EventStudyOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const int = (v: string, name: string) => {
        if (!/^\d+$/.test(v)) throw new Error(`${name} takes a whole number of months, not '${v}'`);
        return Number(v);
      };
      const threshold = Number(opts.threshold);
      if (!(threshold > 0 && threshold <= 1))
        throw new InvalidInputError(`--threshold takes a share between 0 and 1, not '${opts.threshold}'`);
      await withStore(g, async (store) => {
        const kind = await store.one(`SELECT instrument FROM measures WHERE measure_id = $1`, [opts.measure]);
        if (kind?.instrument === 'export-control') {
          const r = await exportControlStudy(store, {
            measure: opts.measure,
            partner: opts.importer.toUpperCase(),
            date: parseDate(opts.date, '--date'),
            before: int(opts.before, '--before'),
            after: opts.after === undefined ? undefined : int(opts.after, '--after'),
          });
          printRows(opts.byMonth ? r.byMonth : opts.levels ? r.levels : r.summary, g);
          for (const n of r.notes) note(n);
          return;
        }
        const r = await eventStudy(store, {
          measure: opts.measure,
          importer: opts.importer.toUpperCase(),
          exporter: opts.exporter.toUpperCase(),
          date: parseDate(opts.date, '--date'),
          before: int(opts.before, '--before'),
          after: int(opts.after ?? '11', '--after'),
          threshold,
        });
        printRows(opts.byMonth ? r.byMonth : r.summary, g);
        for (const n of r.notes) note(n);
      });
    });
}

/** Registers `screening` and `federal-register`: entity lists over time and Federal Register documents. */
