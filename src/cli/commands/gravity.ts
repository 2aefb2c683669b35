import { Command, Option } from 'commander';
import { parseFormula } from '../../gravity/formula.js';
import { loadGravityInput, type GravityInput } from '../../gravity/gravityData.js';
import { flowPanelSql } from '../../gravity/flowPanel.js';
import { ppml, type PpmlResult } from '../../gravity/ppml.js';
import { coefficientRows, regressionTable, type TableLang, type TableStyle } from '../../gravity/regressionTable.js';
import { note, printRows, withStore, type GlobalOptions } from '../context.js';
import { parseYears } from '../../core/inputs.js';
import { InvalidInputError } from '../../core/index.js';
import type { ClusterDf, FixefK } from '../../gravity/smallSample.js';

interface EstimateOptions {
  formula: string;
  data?: string;
  sql?: string;
  flows?: string;
  side: 'importer' | 'exporter';
  years?: string;
  cluster?: string;
  lang: TableLang;
  table: TableStyle;
  digits: string;
  tolerance: string;
  fixefK: FixefK;
  clusterDf: ClusterDf;
  threads?: string;
}

/** Returns the clustering dimensions of --cluster: comma-separated, each a column or a^b interaction. */
function parseClusters(text: string | undefined): string[][] {
  if (!text) return [];
  return text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => c.split('^').map((s) => s.trim()));
}

/** Returns the estimate as JSON-ready data (without the per-observation arrays). */
function resultJson(r: PpmlResult, input: GravityInput, formula: string): Record<string, unknown> {
  const rest: Partial<PpmlResult> = { ...r };
  delete rest.fitted;
  delete rest.kept;
  return { formula, source: input.source, rowsRead: input.rowsRead, rowsMissing: input.rowsMissing, ...rest };
}

/** Registers `gravity estimate`: PPML with high-dimensional fixed effects. */
export function registerGravityCommands(program: Command): void {
  const gravity = program
    .command('gravity')
    .description('structural gravity: PPML estimation with high-dimensional fixed effects (see docs/gravity.md)');
  gravity
    .command('estimate')
    .description(
      'Poisson pseudo-maximum likelihood with any number of fixed-effect sets; robust and clustered standard errors',
    )
    .requiredOption('--formula <formula>', 'e.g. "value ~ log(dist) + rta | exporter^year + importer^year + pair"')
    .option('--data <file>', 'a CSV (.csv, .csv.gz, .tsv) or Parquet file with the variables')
    .option(
      '--sql <query>',
      'a query on the store giving the variables (with --flows it can read the panel as `panel`)',
    )
    .option(
      '--flows <dataset>',
      'a square panel of annual totals from a flows dataset of the store (id or source, e.g. dots): columns exporter, importer, year, pair, value',
    )
    .addOption(
      new Option('--side <side>', 'with --flows: whose reports to use')
        .choices(['importer', 'exporter'])
        .default('importer'),
    )
    .option('--years <A-B>', 'with --flows: the years')
    .option('--cluster <columns>', 'cluster the standard errors: a column, a^b for an interaction, a,b for two-way')
    .addOption(new Option('--lang <lang>', 'language of the table').choices(['zh', 'en']).default('en'))
    .addOption(
      new Option('--table <style>', 'table style (with --format table)')
        .choices(['text', 'markdown', 'latex'])
        .default('text'),
    )
    .option('--digits <n>', 'decimals in the table', '4')
    .option('--tolerance <tol>', "IRLS convergence: |ΔD|/(0.1 + D), fixest's glm.tol", '1e-8')
    .addOption(
      new Option(
        '--fixef-k <rule>',
        "how fixed effects count in the small-sample K (fixest's ssc(fixef.K); exact = R glm with dummies)",
      )
        .choices(['nested', 'full', 'exact', 'none'])
        .default('nested'),
    )
    .addOption(
      new Option(
        '--cluster-df <rule>',
        "multi-way clustering: one G_min/(G_min − 1) (fixest's default) or each term's own",
      )
        .choices(['min', 'conventional'])
        .default('min'),
    )
    .option('--threads <n>', "threads for the fixed-effect projections (default: the machine's cores)")
    .action(async (opts: EstimateOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const threads = opts.threads === undefined ? undefined : Number(opts.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
        throw new InvalidInputError(`--threads takes a whole number of at least 1, not '${opts.threads}'`);
      if (
        (opts.data === undefined) === (opts.sql === undefined && opts.flows === undefined) ||
        (opts.data && (opts.sql || opts.flows))
      ) {
        throw new Error(
          'give --data FILE, or --sql QUERY and/or --flows DATASET (with both, the query reads the panel as the table `panel`)',
        );
      }
      if (g.format === 'xlsx' || g.format === 'parquet')
        throw new Error('gravity estimate prints a table, CSV or JSON (--format table|csv|json)');
      const formula = parseFormula(opts.formula);
      const clusters = parseClusters(opts.cluster);
      const tolerance = Number(opts.tolerance);
      if (!(tolerance > 0 && tolerance < 1))
        throw new InvalidInputError(`--tolerance takes a number between 0 and 1, not '${opts.tolerance}'`);
      const load = async (): Promise<GravityInput> => {
        if (opts.data) return loadGravityInput({ file: opts.data }, formula, clusters);
        return withStore(
          g,
          async (store) => {
            const panel =
              opts.flows === undefined
                ? undefined
                : await flowPanelSql(store, { dataset: opts.flows, side: opts.side, years: parseYears(opts.years) });
            const sql =
              panel === undefined ? opts.sql! : opts.sql === undefined ? panel : `WITH panel AS (${panel}) ${opts.sql}`;
            return loadGravityInput({ sql, connection: store.connection }, formula, clusters);
          },
          { readOnly: true },
        );
      };
      const input = await load();
      const started = Date.now();
      const progress = process.stderr.isTTY
        ? (it: number, dev: number) =>
            process.stderr.write(
              `\rIRLS iteration ${it}: deviance ${dev.toPrecision(10)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
            )
        : undefined;
      const r = ppml(input.data, {
        tolerance,
        threads,
        onIteration: progress,
        smallSample: { fixefK: opts.fixefK, clusterDf: opts.clusterDf },
      });
      if (progress) process.stderr.write('\n');
      if (g.format === 'json') {
        process.stdout.write(`${JSON.stringify(resultJson(r, input, opts.formula), null, 2)}\n`);
      } else if (g.format === 'table' || g.format === undefined) {
        process.stdout.write(
          regressionTable(r, {
            formula: opts.formula,
            lang: opts.lang,
            style: opts.table,
            digits: Number(opts.digits),
            rowsMissing: input.rowsMissing,
          }),
        );
      } else {
        printRows(coefficientRows(r), g);
      }
      for (const n of r.notes) note(n);
      note(
        `${r.observations} observations of ${input.rowsRead} rows; ${r.iterations} IRLS iterations, ${r.absorbSweeps} projection sweeps, ${((Date.now() - started) / 1000).toFixed(2)} s`,
      );
    });
}
