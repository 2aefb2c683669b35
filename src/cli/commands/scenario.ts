import { Command, Option } from 'commander';
import { readScenario, runScenario } from '../../gravity/scenario.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { InvalidInputError } from '../../core/index.js';

interface RunOptions {
  table: 'economies' | 'diversion' | 'both';
  lang: 'en' | 'zh';
  top: string;
}

/** Registers `scenario run`: a general-equilibrium counterfactual of structural gravity. */
export function registerScenarioCommands(program: Command): void {
  const scenario = program
    .command('scenario')
    .description(
      'general-equilibrium counterfactuals of trade-cost changes (structural gravity, exact hat algebra; docs/gravity.md)',
    );
  scenario
    .command('run <file>')
    .description(
      "run a scenario file (scenarios/*.yaml): changes in exports, imports, output and real income by economy, and the diversion of the focus economies' trade",
    )
    .addOption(
      new Option('--table <which>', 'which table to print (both: with --format json, everything including settings)')
        .choices(['economies', 'diversion', 'both'])
        .default('both'),
    )
    .addOption(
      new Option('--lang <lang>', 'language of the economy names, title and notes').choices(['zh', 'en']).default('en'),
    )
    .option('--top <n>', 'diversion: partners shown per focus economy, by size of the change (0 = all)', '15')
    .action(async (file: string, opts: RunOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const s = readScenario(file);
      const needsStore = 'dataset' in s.baseline;
      const run = async () =>
        needsStore
          ? withStore(g, (store) => runScenario(store, s, file, opts.lang), { readOnly: true })
          : runScenario(undefined, s, file, opts.lang);
      const r = await run();
      const top = Number(opts.top);
      if (!(top >= 0)) throw new InvalidInputError(`--top takes a whole number, not '${opts.top}'`);
      if (g.format === 'json' && opts.table === 'both') {
        const { solution, baseline, ...rest } = r;
        process.stdout.write(
          `${JSON.stringify({ ...rest, baseline: { description: baseline.description, economies: baseline.economies.length, hasInternalFlows: baseline.hasInternalFlows, mirroredShare: baseline.mirroredShare }, iterations: solution.iterations, maxExcessDemand: solution.maxExcessDemand }, null, 2)}\n`,
        );
        return;
      }
      const name = (row: Record<string, unknown>) =>
        (opts.lang === 'zh' ? (row.name_zh ?? row.name_en) : row.name_en) ?? '';
      const economies = [...r.economies]
        .sort(
          (a, b) =>
            Number(b.exports_base_usd) +
            Number(b.imports_base_usd) -
            Number(a.exports_base_usd) -
            Number(a.imports_base_usd),
        )
        .map(({ name_en: _e, name_zh: _z, ...row }) => ({
          economy: row.economy,
          name: name({ name_en: _e, name_zh: _z }),
          ...row,
        }));
      const diversion = r.scenario.focus.flatMap((f) => {
        const rows = r.diversion
          .filter((d) => d.economy === f)
          .map((d) => ({
            ...d,
            change_usd:
              Number(d.exports_new_usd) -
              Number(d.exports_base_usd) +
              Number(d.imports_new_usd) -
              Number(d.imports_base_usd),
          }))
          .sort((a, b) => Math.abs(b.change_usd) - Math.abs(a.change_usd));
        return top > 0 ? rows.slice(0, top) : rows;
      });
      if (g.format === 'table' || g.format === undefined) note(`${r.scenario.name[opts.lang]}`);
      if (g.format !== 'table' && opts.table === 'both')
        throw new Error('with --format csv, xlsx or parquet choose one table: --table economies or --table diversion');
      if (opts.table !== 'diversion') printRows(economies, g);
      if (opts.table === 'both' && (g.format === 'table' || g.format === undefined)) process.stdout.write('\n');
      if (opts.table !== 'economies') printRows(diversion, g);
      for (const n of r.notes) note(n);
    });
}
