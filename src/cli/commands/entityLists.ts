import { Option, type Command } from 'commander';
import { federalRegisterCounts, listingsByYear, screeningChanges } from '../../measures/screeningQueries.js';
import { entityAdditions, registryEntityCheck, RULE_PUBLICATION_DAYS } from '../../measures/entityCounts.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

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
    .option('--entities', 'the entities the documents add (in all and in China), where a file counts them')
    .option('--check-registry', "the registry's Entity List counts beside the documents published after each entry")
    .action(
      async (
        opts: { term?: string; by: 'month' | 'year'; entities?: boolean; checkRegistry?: boolean },
        cmd: Command,
      ) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        await withStore(g, async (store) => {
          if (opts.entities || opts.checkRegistry) {
            const counted = await store.one(
              `SELECT count(*) AS n, min(publication_date) AS first, max(publication_date) AS last FROM fr_documents
             WHERE entities_added IS NOT NULL OR entities_added_chn IS NOT NULL`,
            );
            if (!Number(counted?.n))
              throw new Error(
                'no Federal Register document with a count of the entities it adds is loaded: import a table of documents with counts (decouple import federal-register federal_register_entity_list_documents_2020_2025.csv)',
              );
            printRows(opts.checkRegistry ? await registryEntityCheck(store) : await entityAdditions(store, opts.by), g);
            note(
              `counts of entities added as the imported file gives them (parsed from each document's abstract); ` +
                `${counted?.n} counted documents from ${String(counted?.first).slice(0, 10)} to ${String(counted?.last).slice(0, 10)}: ` +
                `the file is incomplete, so sums are over the documents it holds, not totals`,
            );
            if (opts.checkRegistry)
              note(
                `a registry entry is matched with the counted documents published from its announcement to ${RULE_PUBLICATION_DAYS} days after it; ` +
                  `'same count' when the registry's count equals the documents' sum in all or in China`,
              );
            return;
          }
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
      },
    );
}
