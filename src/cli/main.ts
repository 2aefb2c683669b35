import { flagSetting } from '../core/config.js';
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { packageRoot } from '../util/paths.js';
import { readFileSync } from 'node:fs';
import { installInterruptHandler, SIGNAL_EXIT, wasInterrupted } from './context.js';
import { InvalidInputError } from '../core/index.js';
import { interruptReason } from '../util/interrupt.js';
import { ImportError } from '../files/importError.js';

/** Returns the package's version, from its package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf-8')) as { version: string };
  return pkg.version;
}

/**
 * The exit status of a usage error (unknown option, missing or malformed value), by the convention of sysexits and
 * POSIX utilities.
 */
const USAGE_EXIT = 2;

type Register = (program: Command) => void;

/**
 * The modules that register the top-level commands, each with the commands it adds: a command loads only its own
 * module (and what that imports), so that `decouple compute …` does not compile the report, fetchers and server
 * first. In this order the root help lists them.
 */
export const COMMAND_MODULES: Array<{ commands: string[]; load: () => Promise<Register> }> = [
  { commands: ['setup'], load: async () => (await import('./commands/setup.js')).registerSetupCommands },
  { commands: ['import'], load: async () => (await import('./commands/import.js')).registerImportCommands },
  {
    commands: ['datasets', 'query', 'mirror', 'groups', 'doctor'],
    load: async () => (await import('./commands/query.js')).registerQueryCommands,
  },
  {
    commands: ['indicators', 'compute'],
    load: async () => (await import('./commands/compute.js')).registerComputeCommands,
  },
  { commands: ['measures'], load: async () => (await import('./commands/measures.js')).registerMeasureCommands },
  { commands: ['tariff'], load: async () => (await import('./commands/tariff.js')).registerTariffCommand },
  {
    commands: ['event-study'],
    load: async () => (await import('./commands/eventStudy.js')).registerEventStudyCommand,
  },
  {
    commands: ['screening', 'federal-register'],
    load: async () => (await import('./commands/entityLists.js')).registerListCommands,
  },
  { commands: ['risk'], load: async () => (await import('./commands/risk.js')).registerRiskCommand },
  { commands: ['gravity'], load: async () => (await import('./commands/gravity.js')).registerGravityCommands },
  { commands: ['scenario'], load: async () => (await import('./commands/scenario.js')).registerScenarioCommands },
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServeCommand },
  { commands: ['sources', 'fetch'], load: async () => (await import('./commands/fetch.js')).registerFetchCommands },
  { commands: ['report'], load: async () => (await import('./commands/report.js')).registerReportCommand },
  {
    commands: ['update', 'changes'],
    load: async () => (await import('./commands/update.js')).registerUpdateCommands,
  },
];

/** Returns the top-level command an argument list names (after the global options), if any. */
function commandName(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--db' || a === '--format') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * Returns the `decouple` command line program with the commands `args` needs: the one it names, or every command
 * (for help, a mistyped name, or no arguments).
 */
export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = rootProgram();
  const name = commandName(args);
  const own = COMMAND_MODULES.find((m) => name !== undefined && m.commands.includes(name));
  const registers = await Promise.all((own ? [own] : COMMAND_MODULES).map((m) => m.load()));
  for (const register of registers) register(program);
  return program;
}

function rootProgram(): Command {
  const program = new Command('decouple')
    .description(
      'Decoupling Monitor (脱钩与去风险监测): measure, monitor and explain economic decoupling from raw trade data',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option(
      '--db <file>',
      'the store (DuckDB file); default $DECOUPLE_DB or ~/.local/share/decoupling-monitor/store.duckdb',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output format for tables (xlsx and parquet need --out FILE); for report, the file to write (html, md, pdf, json, xlsx)',
      )
        .choices(['table', 'csv', 'json', 'xlsx', 'parquet', 'html', 'md', 'pdf'])
        .default('table'),
    )
    // html, md and pdf are report files: any other command refuses them before it runs.
    .hook('preAction', (root, action) => {
      const f = String(root.opts().format);
      if (['html', 'md', 'pdf'].includes(f) && action.name() !== 'report')
        throw new InvalidInputError(
          `--format ${f} is a report format (decouple report --format ${f}); tables print as table, csv, json, xlsx or parquet`,
        );
    })
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) })
    // Before the commands are added, so that they inherit it: main() then chooses the exit status.
    .exitOverride();
  return program;
}

/** Runs the CLI; exits non-zero with a one-line reason on failure. */
export async function main(argv: string[]): Promise<void> {
  installInterruptHandler();
  const program = await buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) {
      // Help and --version exit 0; every other commander error is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : USAGE_EXIT;
      return;
    }
    if (wasInterrupted()) {
      const signal = interruptReason() ?? 'SIGINT';
      process.stderr.write(
        `decouple: stopped by ${signal === 'SIGINT' ? 'Ctrl-C' : signal}; the store is as it was before this command\n`,
      );
      process.exitCode = SIGNAL_EXIT[signal] ?? 130;
      return;
    }
    const message =
      err instanceof ImportError ? `import failed, nothing was stored: ${e.message}` : e.message.split('\n')[0];
    process.stderr.write(`decouple: ${message}\n`);
    if (flagSetting('DECOUPLE_DEBUG')) process.stderr.write(`${e.stack}\n`);
    process.exitCode = err instanceof InvalidInputError ? USAGE_EXIT : 1;
  }
}
