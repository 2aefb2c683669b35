import type { Command } from 'commander';
import { tariffInForce } from '../../measures/tariffInForce.js';
import { tariffStack } from '../../measures/tariffStack.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseDate } from '../../core/inputs.js';
import { InvalidInputError } from '../../core/index.js';

interface TariffOptions {
  importer: string;
  exporter: string;
  hs6?: string;
  lines?: string;
  date: string;
}

/** Registers `tariff`: the additional tariff in force on HS6 lines on a date. */
export function registerTariffCommand(program: Command): void {
  program
    .command('tariff')
    .description(
      'the tariff in force on a date: the stack of tariff lines (--lines: MFN + Section 301 + 232 + IEEPA = total), or the additional tariff on HS6 products by tariff file (--hs6)',
    )
    .requiredOption('--importer <ISO3>', 'who imposes the tariff (USA, CHN)')
    .requiredOption('--exporter <ISO3>', 'whose goods it hits')
    .option('--lines <codes>', 'HTS8 or HTS10 lines, comma-separated (dots allowed): the stack of layers on each')
    .option('--hs6 <codes>', 'HS6 codes, comma-separated: the additional tariff of each imported file, by HS6')
    .requiredOption('--date <YYYY-MM-DD>', 'the date')
    .action(async (opts: TariffOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const date = parseDate(opts.date, '--date')!;
      if (opts.lines) {
        const lines = opts.lines.split(',').map((c) => c.trim().replace(/\./g, ''));
        for (const c of lines)
          if (!/^(\d{8}|\d{10})$/.test(c)) throw new InvalidInputError(`--lines takes HTS8 or HTS10 codes, not '${c}'`);
        await withStore(g, async (store) => {
          const importer = opts.importer.toUpperCase();
          const { rows, mfnYear } = await tariffStack(store, {
            importer,
            exporter: opts.exporter.toUpperCase(),
            date,
            lines,
          });
          if (mfnYear === undefined)
            throw new Error(
              `no MFN schedule of ${importer} in the store: import the USITC tariff database (decouple import tariffs tariff_database_YYYY.txt)`,
            );
          printRows(rows, g);
          note(
            `MFN from the USITC tariff database ${mfnYear}; Section 301 is the highest list rate naming the line (lists 1–4A unless excluded; four-year review); the reciprocal tariff does not apply to exempt lines or to goods under Section 232`,
          );
        });
        return;
      }
      if (!opts.hs6) throw new InvalidInputError('tariff needs --lines (HTS8/HTS10) or --hs6 codes');
      const hs6 = opts.hs6.split(',').map((c) => c.trim());
      for (const c of hs6)
        if (!/^\d{6}$/.test(c)) throw new InvalidInputError(`--hs6 takes 6-digit HS codes, not '${c}'`);
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
