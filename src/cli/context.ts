import { Store, defaultStorePath } from '../store/store.js';
import { formatRows, type OutputFormat } from '../report/tableOutput.js';
import type { Row } from '../store/store.js';
import { ensureBuiltins } from '../measures/builtins.js';
import { interruptReason, requestInterrupt } from '../util/interrupt.js';

/** Options every command understands. */
export interface GlobalOptions {
  db?: string;
  format?: OutputFormat;
}

let active: Store | undefined;

/** Returns whether the user pressed Ctrl-C (or the system sent SIGTERM/SIGHUP) during this command. */
export function wasInterrupted(): boolean {
  return interruptReason() !== undefined;
}

/** The exit status of a process stopped by a signal (128 + its number). */
export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Installs the stop handlers: on Ctrl-C, SIGTERM or SIGHUP the running query is
 * interrupted, the transaction rolled back and temporary files removed, then
 * the command exits with 128 + the signal's number. A second Ctrl-C forces the
 * exit at once (temporary files are still removed; the store stays consistent,
 * since nothing was committed).
 */
export function installInterruptHandler(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!requestInterrupt(signal)) {
        if (signal === 'SIGINT') process.exit(SIGNAL_EXIT[signal]);
        return;
      }
      process.stderr.write(
        `\n${signal === 'SIGINT' ? 'interrupted' : signal}: stopping and rolling back${signal === 'SIGINT' ? ' (press Ctrl-C again to force)' : ''}\n`,
      );
      active?.interrupt();
      // Work that never looks at the stop request is ended after a grace period; the store stays consistent
      // (an import not yet committed is removed on the next open) and temporary files go with the exit handler.
      setTimeout(() => process.exit(SIGNAL_EXIT[signal]), 20_000).unref();
    });
  }
}

/** Opens the store for a command, runs `work`, and closes the store; returns work's result. */
export async function withStore<T>(
  opts: GlobalOptions,
  work: (store: Store) => Promise<T>,
  mode: { readOnly?: boolean } = {},
): Promise<T> {
  const path = defaultStorePath(opts.db);
  const store = await Store.open(path, mode);
  active = store;
  try {
    if (!mode.readOnly) await ensureBuiltins(store);
    return await work(store);
  } finally {
    active = undefined;
    store.close();
  }
}

/** Prints rows in the chosen format to stdout. */
export function printRows(rows: Row[], opts: GlobalOptions, columns?: string[]): void {
  process.stdout.write(formatRows(rows, opts.format ?? 'table', columns));
}

/** Prints a note to stderr (kept off stdout so CSV/JSON output stays clean). */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
