import { flagSetting } from '../core/config.js';
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { packageRoot } from '../util/paths.js';
import { readFileSync } from 'node:fs';
import { installInterruptHandler, SIGNAL_EXIT, wasInterrupted } from './context.js';
import { InvalidInputError } from '../core/index.js';
import { interruptReason } from '../util/interrupt.js';
import { registerSetupCommands } from './commands/setup.js';
import { registerImportCommands } from './commands/import.js';
import { registerQueryCommands } from './commands/query.js';
import { registerComputeCommands } from './commands/compute.js';
import { registerFetchCommands } from './commands/fetch.js';
import { registerReportCommand } from './commands/report.js';
import { registerMeasureCommands } from './commands/measures.js';
import { registerTariffCommand } from './commands/tariff.js';
import { registerEventStudyCommand } from './commands/eventStudy.js';
import { registerListCommands } from './commands/entityLists.js';
import { registerRiskCommand } from './commands/risk.js';
import { registerGravityCommands } from './commands/gravity.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { registerServeCommand } from './commands/serve.js';
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

/** Returns the `decouple` command line program. */
export function buildProgram(): Command {
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
      new Option('--format <format>', 'output format for tables (xlsx and parquet need --out FILE)')
        .choices(['table', 'csv', 'json', 'xlsx', 'parquet'])
        .default('table'),
    )
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) })
    // Before the commands are added, so that they inherit it: main() then chooses the exit status.
    .exitOverride();
  registerSetupCommands(program);
  registerImportCommands(program);
  registerQueryCommands(program);
  registerComputeCommands(program);
  registerMeasureCommands(program);
  registerTariffCommand(program);
  registerEventStudyCommand(program);
  registerListCommands(program);
  registerRiskCommand(program);
  registerGravityCommands(program);
  registerScenarioCommands(program);
  registerServeCommand(program);
  registerFetchCommands(program);
  registerReportCommand(program);
  return program;
}

/** Runs the CLI; exits non-zero with a one-line reason on failure. */
export async function main(argv: string[]): Promise<void> {
  installInterruptHandler();
  const program = buildProgram();
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
