import { settingsInForce } from '../../core/config.js';
import type { Command } from 'commander';
import { mirrorFlows, mirrorGapNotes } from '../../indicators/mirror.js';
import { installedPacks, PACKS } from '../../reference/packs.js';
import { latestSchemaVersion } from '../../store/schema.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseIso3, parseYears } from '../../core/index.js';
import { runSandboxedQuery } from '../../store/sandboxedQuery.js';

/** Registers `datasets`, `query`, `mirror`, `doctor`, `groups`. */
export function registerQueryCommands(program: Command): void {
  program
    .command('datasets')
    .description('what is loaded: source, vintage, file, rows, years, reporters, when')
    .option('--all', 'include reference packs')
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        printRows(
          await store.all(
            `SELECT dataset_id AS id, source, kind, vintage, file_name, rows, year_min, year_max, reporters,
                    strftime(imported_at, '%Y-%m-%d %H:%M') AS imported_at, left(sha256, 12) AS sha256, notes
             FROM datasets ${opts.all ? '' : `WHERE kind <> 'reference'`} ORDER BY dataset_id`,
          ),
          g,
        );
      });
    });

  program
    .command('query')
    .description(
      'run a read-only SQL query on the store (tables: datasets, flows (a view over flow_records and reconciled_hs6_flows), series, countries, country_groups, country_group_members, products, concordances, measures, measure_sources, measure_products, measure_tariff_lists, tariff_lines, tariff_exclusions, screening_entries, fr_documents)',
    )
    .argument('<sql>', 'a SELECT statement')
    .action(async (sql: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => printRows(await runSandboxedQuery(store, sql), g), { readOnly: true });
    });

  program
    .command('mirror')
    .description("both sides' reports of the same flows, side by side, with the gap")
    .requiredOption('--reporter <ISO3>', 'one economy')
    .requiredOption('--partner <ISO3>', 'the other economy')
    .option('--years <A-B>', 'year range')
    .action(async (opts: { reporter: string; partner: string; years?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        const [reporter, partner] = [parseIso3(opts.reporter, '--reporter'), parseIso3(opts.partner, '--partner')];
        const rows = await mirrorFlows(store, reporter, partner, parseYears(opts.years));
        if (rows.length === 0) throw new Error(`no flows between ${opts.reporter} and ${opts.partner} in the store`);
        printRows(rows, g);
        for (const n of await mirrorGapNotes(store, rows, reporter, partner)) note(`note: ${n}`);
      });
    });

  program
    .command('groups')
    .description('country groups with their members on a date and their sources')
    .option('--on <date>', 'membership on this date (YYYY-MM-DD)', new Date().toISOString().slice(0, 10))
    .action(async (opts: { on: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) =>
        printRows(
          await store.all(
            `SELECT g.group_id, g.name_en, g.name_zh, string_agg(m.iso3, ' ' ORDER BY m.iso3) AS members, count(m.iso3) AS n, g.source_title AS source, g.source_url
             FROM country_groups g LEFT JOIN country_group_members m ON m.group_id = g.group_id AND m.from_date <= $1::DATE AND (m.to_date IS NULL OR m.to_date >= $1::DATE)
             GROUP BY ALL ORDER BY g.group_id`,
            [opts.on],
          ),
          g,
        ),
      );
    });

  program
    .command('doctor')
    .description('what is installed and what is missing')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withStore(g, async (store) => {
        const packs = await installedPacks(store);
        const counts = await store.one(
          `SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM series) AS series, (SELECT count(*) FROM datasets WHERE kind <> 'reference') AS datasets`,
        );
        const rows = [
          {
            check: 'store',
            status: 'ok',
            detail: `${store.path} (schema ${await store.schemaVersion()} of ${latestSchemaVersion()})`,
          },
          {
            check: 'node',
            status: Number(process.versions.node.split('.')[0]) >= 20 ? 'ok' : 'too old',
            detail: process.versions.node,
          },
          ...PACKS.map((p) => ({
            check: `pack ${p.name}`,
            status: packs.includes(p.name) ? 'ok' : 'missing',
            detail: packs.includes(p.name) ? p.description : `run \`decouple setup --pack ${p.name}\` (or --from DIR)`,
          })),
          {
            check: 'data',
            status: Number(counts?.datasets) > 1 ? 'ok' : 'embedded only',
            detail: `${counts?.datasets} datasets, ${counts?.flows} flows, ${counts?.series} series values`,
          },
          // Every setting the environment can give, with the value in force.
          ...settingsInForce().map((s) => ({
            check: `setting ${s.setting}`,
            status: s.from === 'default' ? 'default' : 'set',
            detail: `${s.value} (${s.description})`,
          })),
        ];
        printRows(rows, g);
      });
    });
}
