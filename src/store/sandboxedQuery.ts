import { LIMITS } from '../util/limits.js';
import type { Row, Store } from './store.js';

/**
 * Statements a user's query may not run even on a read-only store: DuckDB
 * refuses most of them itself once external access is off and the
 * configuration locked; these are caught first for a clearer message.
 */
const REFUSED: Array<[RegExp, string]> = [
  [/^\s*(INSTALL|LOAD|FORCE\s+INSTALL)\b/i, 'installing or loading extensions'],
  [/^\s*(ATTACH|DETACH|USE)\b/i, 'attaching other databases'],
  [/^\s*(SET|RESET|PRAGMA)\b/i, 'changing settings'],
  [/^\s*(COPY|EXPORT|IMPORT)\b/i, 'reading or writing files'],
  [/^\s*(CHECKPOINT|FORCE\s+CHECKPOINT|VACUUM)\b/i, 'maintenance of the store'],
];

/** Splits SQL text into statements at semicolons outside quotes and comments; returns them trimmed, non-empty. */
function statements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      cur += ' ';
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
      cur += ' ';
    } else if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Runs a user's SQL on the store in a sandbox: the store must be open
 * read-only; external access (files, URLs, extensions) is turned off, memory
 * capped and the configuration locked before the query runs, and the query is
 * stopped after the time limit. Returns the rows of the last statement.
 * Throws a one-line reason for anything refused.
 */
export async function runSandboxedQuery(store: Store, sql: string): Promise<Row[]> {
  if (!store.readOnly) throw new Error('a user query runs only on a store opened read-only');
  const parts = statements(sql);
  if (parts.length === 0) throw new Error('the query is empty');
  for (const p of parts) {
    const refused = REFUSED.find(([re]) => re.test(p));
    if (refused)
      throw new Error(
        `refused: \`decouple query\` reads the store and nothing else (no ${refused[1]}): ${p.slice(0, 60)}`,
      );
  }
  await store.run(
    `SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET allow_community_extensions = false;
     SET memory_limit = '${LIMITS.queryMemory.replace(/'/g, '')}'; SET enable_external_access = false; SET lock_configuration = true`,
  );
  const seconds = LIMITS.queryTimeoutSeconds;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    store.interrupt();
  }, seconds * 1000);
  try {
    let rows: Row[] = [];
    for (const p of parts) rows = await store.all(p);
    return rows;
  } catch (err) {
    if (timedOut)
      throw new Error(
        `the query ran longer than ${seconds} s and was stopped (raise DECOUPLE_QUERY_TIMEOUT for a longer one)`,
      );
    const msg = (err as Error).message.split('\n')[0];
    if (/external access|disabled by configuration|lock_configuration|cannot change/i.test(msg)) {
      throw new Error(`refused: \`decouple query\` reads the store and nothing else (${msg})`);
    }
    throw new Error(msg);
  } finally {
    clearTimeout(timer);
  }
}
