import { setting } from '../../core/config.js';
import type { Command } from 'commander';
import { installPacks, packResultRows, selectPacks, PACKS } from '../../reference/packs.js';
import { ensureShippedMeasures } from '../../measures/measureStore.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';

/** Registers `setup` (reference packs). */
export function registerSetupCommands(program: Command): void {
  program
    .command('setup')
    .description(
      'install the reference packs (countries, HS lists, HS vintages, HS→BEC/SITC/ISIC, US advanced technology products) from official sources or a local mirror',
    )
    .option(
      '--from <dir>',
      "a local mirror folder with the publishers' files (e.g. ../shared/data); default $DECOUPLE_MIRROR, else download",
    )
    .option('--pack <name...>', `install only these packs (${PACKS.map((p) => p.name).join(', ')})`)
    .action(async (opts: { from?: string; pack?: string[] }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const from = opts.from ?? setting('DECOUPLE_MIRROR');
      await withStore(g, async (store) => {
        const results = await installPacks(store, selectPacks(opts.pack ?? []), from, {}, Boolean(opts.pack?.length));
        if (results.some((r) => !r.skipped)) {
          // Check the shipped measures again against the new countries and HS codes.
          await store.run(`DELETE FROM settings WHERE key = 'measures_sha256'`);
          await ensureShippedMeasures(store);
        }
        printRows(packResultRows(results), g);
        note(`store: ${store.path}`);
      });
    });
}
