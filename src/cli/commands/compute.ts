import { Option, type Command } from 'commander';
import { bilateralShare, type Channel, type Flow } from '../../indicators/bilateralShare.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

/** Parses `A-B` or `A` into a year range. */
export function parseYears(text?: string): [number, number] | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(text.trim());
  if (!m) throw new Error(`--years takes YYYY or YYYY-YYYY, not '${text}'`);
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  if (b < a) throw new Error(`--years ${text}: the end is before the start`);
  return [a, b];
}

function iso3(text: string, option: string): string {
  const t = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(t)) throw new Error(`${option} takes an ISO 3166 alpha-3 code (e.g. CHN, USA), not '${text}'`);
  return t;
}

/** Registers `compute`. */
export function registerComputeCommands(program: Command): void {
  program
    .command('compute')
    .description('compute an indicator (this release: bilateral-share)')
    .argument('<indicator>', 'indicator id, e.g. bilateral-share')
    .requiredOption('--reporter <ISO3>', 'the reporting economy')
    .requiredOption('--partner <ISO3>', 'the partner economy')
    .addOption(new Option('--flow <flow>', 'trade flow').choices(['export', 'import', 'total']).default('export'))
    .addOption(new Option('--channel <channel>', 'goods (flows) or services (series)').choices(['goods', 'services']).default('goods'))
    .option('--years <A-B>', 'year range')
    .option('--dataset <id>', 'use only this dataset')
    .option('--world-from-partners', 'without a world row, use the sum over the loaded non-aggregate partners')
    .action(async (indicator: string, opts: { reporter: string; partner: string; flow: Flow; channel: Channel; years?: string; dataset?: string; worldFromPartners?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (indicator !== 'bilateral-share') throw new Error(`unknown indicator '${indicator}' (available: bilateral-share)`);
      await withStore(g, async (store) => {
        const { rows, notes } = await bilateralShare(store, {
          reporter: iso3(opts.reporter, '--reporter'),
          partner: iso3(opts.partner, '--partner'),
          flow: opts.flow,
          channel: opts.channel,
          years: parseYears(opts.years),
          datasetId: opts.dataset ? Number(opts.dataset) : undefined,
          worldFromPartners: opts.worldFromPartners,
        });
        if (rows.length === 0) {
          throw new Error(
            notes.length
              ? notes.join('; ')
              : `no data for the ${opts.flow} ${opts.channel} share of ${opts.partner} in ${opts.reporter}'s trade: import a source that covers it (decouple import dots|comtrade|baci|census|bea …) and see \`decouple datasets\``,
          );
        }
        printRows(rows, g);
        notes.forEach((n) => note(`note: ${n}`));
      });
    });
}
