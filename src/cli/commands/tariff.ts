import type { Command } from 'commander';
import { tariffInForce } from '../../measures/tariffInForce.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseDate } from '../../core/inputs.js';
import { InvalidInputError } from '../../core/index.js';

interface TariffOptions {
  importer: string;
  exporter: string;
  hs6: string;
  date: string;
}

/** Registers `tariff`: the additional tariff in force on HS6 lines on a date. */
export function registerTariffCommand(program: Command): void {
  program
    .command('tariff')
    .description(
      'additional tariff in force on HS6 products on a date, from every imported tariff file (HTS8 lines aggregated to HS6)',
    )
    .requiredOption('--importer <ISO3>', 'who imposes the tariff (USA, CHN)')
    .requiredOption('--exporter <ISO3>', 'whose goods it hits')
    .requiredOption('--hs6 <codes>', 'HS6 codes, comma-separated')
    .requiredOption('--date <YYYY-MM-DD>', 'the date')
    .action(async (opts: TariffOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const hs6 = opts.hs6.split(',').map((c) => c.trim());
      for (const c of hs6)
        if (!/^\d{6}$/.test(c)) throw new InvalidInputError(`--hs6 takes 6-digit HS codes, not '${c}'`);
      const date = parseDate(opts.date, '--date')!;
      await withStore(g, async (store) => {
        const rows = await tariffInForce(store, {
          importer: opts.importer.toUpperCase(),
          exporter: opts.exporter.toUpperCase(),
          hs6,
          date,
        });
        if (rows.length === 0)
          throw new Error(
            `no tariff file for ${opts.importer} on ${opts.exporter} in the store; import one with decouple import tariffs`,
          );
        printRows(rows, g);
        note(
          "lines_known: national lines under the HS6 seen in the tariff files or in the importer's 8/10-digit import data; exclusions are counted, not applied",
        );
      });
    });
}
