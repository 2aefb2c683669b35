import type { Command } from 'commander';
import { parseCountryMappings } from '../../countries/codeMap.js';
import { importBaci } from '../../ingest/baci.js';
import type { ImportOutcome } from '../../ingest/importRun.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

function report(outcomes: ImportOutcome[], g: GlobalOptions): void {
  printRows(
    outcomes.map((o) => ({ file: o.file, dataset_id: o.dataset_id, status: o.status, rows: o.rows, notes: o.notes.join('; ') })),
    g,
  );
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `import <source>` for every supported source. */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('import files into the store (atomic, idempotent, with provenance)');
  const common = (c: Command) =>
    c
      .option('--map-country <code=ISO3>', 'map a source country code or name the program does not know (repeatable)', collect)
      .option('--encoding <name>', 'text encoding of the file (detected when absent: UTF-8 or GBK/GB18030)');

  common(
    imp
      .command('baci')
      .argument('<files...>', 'BACI yearly CSV files (BACI_HS17_Y2019_V202501.csv), gzip or zip archives')
      .description('CEPII BACI yearly files (t,i,j,k,v,q; v in thousand US$, q in tonnes)')
      .option('--hs <vintage>', 'HS vintage when the file name does not say (HS92 … HS22)')
      .option('--release <V>', 'BACI release when the file name does not say (e.g. V202501)')
      .option('--country-codes <file>', 'BACI country_codes_V*.csv (default: the one beside the file)'),
  ).action(async (files: string[], opts: { hs?: string; release?: string; countryCodes?: string; mapCountry?: string[]; encoding?: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    await withStore(g, async (store) => {
      report(await importBaci(store, files, { ...opts, userMap: parseCountryMappings(opts.mapCountry) }), g);
    });
    void note;
  });
}
