import { Option, type Command } from 'commander';
import { federalRegisterCounts, listingsByYear, screeningChanges } from '../../measures/screeningQueries.js';
import { printRows, withStore, type GlobalOptions } from '../context.js';

export function registerListCommands(program: Command): void {
  program
    .command('screening')
    .description('Consolidated Screening List snapshots: entries, additions and removals by list, or listings by year')
    .option('--country <ISO3>', 'entries with an address in this economy (e.g. CHN)')
    .option('--list <code>', 'one list: EL (Entity List), SDN, UVL, MEU, DPL, CMIC, …')
    .addOption(
      new Option('--by <view>', 'snapshot: entries, added, removed per snapshot; year: latest snapshot by listing year')
        .choices(['snapshot', 'year'])
        .default('snapshot'),
    )
    .action(async (opts: { country?: string; list?: string; by: 'snapshot' | 'year' }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        const f = { country: opts.country, list: opts.list };
        const rows = opts.by === 'year' ? await listingsByYear(store, f) : await screeningChanges(store, f);
        if (rows.length === 0)
          throw new Error('no screening-list snapshot matches: import one with decouple import screening-list');
        printRows(rows, g);
      });
    });
  program
    .command('federal-register')
    .description('Federal Register documents in the store, counted by month or year and type')
    .option('--term <text>', 'only documents whose title or abstract contains this text')
    .addOption(new Option('--by <period>', 'month or year').choices(['month', 'year']).default('month'))
    .action(async (opts: { term?: string; by: 'month' | 'year' }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        const rows = await federalRegisterCounts(store, opts.term, opts.by);
        if (rows.length === 0) {
          const all = await store.one(`SELECT count(*) AS n FROM fr_documents`);
          throw new Error(
            Number(all?.n)
              ? `no Federal Register document of the ${all?.n} loaded contains '${opts.term}' in its title or abstract`
              : 'no Federal Register documents are loaded: import API search pages with decouple import federal-register, or fetch them with decouple fetch federal-register',
          );
        }
        printRows(rows, g);
      });
    });
}
