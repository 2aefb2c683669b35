/**
 * `npm run bench [-- NAME… --rows N --runs K]`: the project's speed checks,
 * each side by side with the tool a user would otherwise use, ratios printed.
 */
import { Command } from 'commander';
import { benchBaciImport } from './baciImport.js';

const program = new Command('bench')
  .argument('[names...]', 'benchmarks to run (baci-import); all when none given')
  .option('--rows <n>', 'rows of the synthetic BACI year', (v) => Number(v), 10_000_000)
  .option('--runs <k>', 'runs of each side', (v) => Number(v), 3)
  .parse();
const opts = program.opts<{ rows: number; runs: number }>();
const names = program.args.length ? program.args : ['baci-import'];
const benches: Record<string, () => Promise<boolean>> = {
  'baci-import': () => benchBaciImport(opts.rows, opts.runs),
};
let allMet = true;
for (const name of names) {
  const bench = benches[name];
  if (!bench) throw new Error(`unknown benchmark '${name}' (known: ${Object.keys(benches).join(', ')})`);
  allMet = (await bench()) && allMet;
}
console.log(allMet ? '\nall targets met' : '\nsome targets NOT met');
