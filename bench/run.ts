/**
 * `npm run bench [-- NAME… --rows N --runs K]`: the project's speed checks,
 * each side by side with the tool a user would otherwise use, ratios printed.
 */
import { Command } from 'commander';
import { benchBaciImport } from './baciImport.js';
import { benchGravityPpml } from './gravityPpml.js';
import { benchDashboardLoad } from './dashboardLoad.js';
import { benchIndicatorSuite } from './indicatorSuite.js';
import { benchAverageTariff } from './averageTariff.js';
import { benchRealImports } from './realImports.js';

const program = new Command('bench')
  .argument(
    '[names...]',
    'benchmarks to run (baci-import, real-imports, indicator-suite, gravity-ppml, dashboard-load, average-tariff); all when none given',
  )
  .option('--rows <n>', 'rows of the synthetic BACI year', (v) => Number(v), 10_000_000)
  .option('--runs <k>', 'runs of each side', (v) => Number(v), 3)
  .option('--seconds <n>', 'dashboard-load: seconds of load per server', (v) => Number(v), 60)
  .option('--economies <n>', 'gravity-ppml: economies in the subsample R glm estimates', (v) => Number(v), 12)
  .parse();
const opts = program.opts<{ rows: number; runs: number; economies: number; seconds: number }>();
const names = program.args.length
  ? program.args
  : ['baci-import', 'real-imports', 'indicator-suite', 'gravity-ppml', 'dashboard-load', 'average-tariff'];
const benches: Record<string, () => Promise<boolean>> = {
  'baci-import': () => benchBaciImport(opts.rows, opts.runs),
  'real-imports': () => benchRealImports(opts.runs),
  'indicator-suite': () => benchIndicatorSuite(opts.rows, opts.runs),
  'gravity-ppml': () => benchGravityPpml(opts.runs, opts.economies),
  'dashboard-load': () => benchDashboardLoad(opts.seconds),
  'average-tariff': () => benchAverageTariff(opts.runs),
};
let allMet = true;
for (const name of names) {
  const bench = benches[name];
  if (!bench) throw new Error(`unknown benchmark '${name}' (known: ${Object.keys(benches).join(', ')})`);
  allMet = (await bench()) && allMet;
}
console.log(allMet ? '\nall targets met' : '\nsome targets NOT met');
