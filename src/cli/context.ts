import { Store, defaultStorePath } from '../store/store.js';
import { formatRows, type OutputFormat } from './output.js';
import type { Row } from '../store/store.js';
import { ensureBuiltins } from '../reference/builtins.js';

/** Options every command understands. */
export interface GlobalOptions {
  db?: string;
  format?: OutputFormat;
}

let active: Store | undefined;
let interrupted = false;

/** Returns whether the user pressed Ctrl-C during this command. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** Installs the Ctrl-C handler: the running query is interrupted and its transaction rolled back. */
export function installInterruptHandler(): void {
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: stopping and rolling back (press Ctrl-C again to force)\n');
    active?.interrupt();
  });
}

/** Opens the store for a command, runs `work`, and closes the store; returns work's result. */
export async function withStore<T>(opts: GlobalOptions, work: (store: Store) => Promise<T>, mode: { readOnly?: boolean } = {}): Promise<T> {
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
