import { flagSetting, setting, userFolders } from '../core/config.js';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from './duckdb.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MIGRATIONS, latestSchemaVersion } from './schema.js';
import { describeRecovery, interruptedDatasets, recoverStore } from './recovery.js';
import { throwIfInterrupted } from '../util/interrupt.js';
import { Sql } from '../core/sql.js';

/** The DuckDB storage format new store files are written in. */
export const STORAGE_VERSION = 'v1.3.0';

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[];
/** A statement: a `sql` fragment (values bound as parameters), or plain text with optional positional parameters. */
export type Statement = string | Sql;

/** Returns the text and parameters of a statement. */
function statement(query: Statement, params?: Params): { text: string; params?: Params } {
  if (!(query instanceof Sql)) return { text: query, params };
  if (params) throw new TypeError('a sql fragment carries its own parameters');
  const c = query.compile();
  return { text: c.text, params: c.params.length ? c.params : undefined };
}

/** Returns the store path: --db, then $DECOUPLE_DB, then the per-user data folder. */
export function defaultStorePath(explicit?: string): string {
  if (explicit) return resolve(explicit);
  const fromEnv = setting('DECOUPLE_DB');
  if (fromEnv) return resolve(fromEnv);
  return join(userFolders().data, 'decoupling-monitor', 'store.duckdb');
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value !== null && typeof value === 'object' && 'toString' in value && !(value instanceof Array)) {
    // DuckDB dates, timestamps and decimals arrive as objects; show them as text.
    const text = String(value);
    const asNumber = Number(text);
    return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(asNumber) ? asNumber : text;
  }
  return value;
}

const TRACE = flagSetting('DECOUPLE_TRACE');

/** How long an open waits for another process to release the store file (DECOUPLE_LOCK_WAIT, seconds; default 10). */
function lockWaitMs(): number {
  const s = Number(setting('DECOUPLE_LOCK_WAIT') ?? 10);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : 10_000;
}

/** Returns what `work` returns; with DECOUPLE_TRACE set, first writes its statement and wall time to stderr. */
async function traced<T>(sql: string, work: () => Promise<T>): Promise<T> {
  if (!TRACE) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    const ms = performance.now() - started;
    process.stderr.write(`[sql ${ms.toFixed(0).padStart(6)} ms] ${sql.replace(/\s+/g, ' ').trim().slice(0, 140)}\n`);
  }
}

/**
 * The analytical store: one DuckDB file with a versioned schema. Every part of
 * the system reads and writes through this class.
 */
export class Store {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  /**
   * Returns an open store at `path`, created and migrated to the latest schema
   * if needed. A store left by an import that was killed (a dataset still
   * `loading`, or a write-ahead log left behind) is first brought back to its
   * last complete state, and what was removed is written to stderr; a
   * read-only open does this through a short writable open first.
   */
  static async open(path: string, options: { readOnly?: boolean; log?: (line: string) => void } = {}): Promise<Store> {
    const readOnly = options.readOnly ?? false;
    const log = options.log ?? ((line: string) => process.stderr.write(`decouple: ${line}\n`));
    const walLeft = path !== ':memory:' && existsSync(`${path}.wal`);
    if (readOnly && existsSync(path)) {
      const store = await Store.openOnce(path, true);
      let needsRecovery = walLeft;
      if (!needsRecovery && (await store.schemaVersion()) >= 7)
        needsRecovery = (await interruptedDatasets(store)).length > 0;
      if (!needsRecovery) return store;
      store.close();
      (await Store.open(path, { log })).close();
      return Store.openOnce(path, true);
    }
    const store = await Store.openOnce(path, readOnly);
    if (!readOnly) {
      await store.migrate();
      for (const line of describeRecovery(store, await recoverStore(store, walLeft))) log(line);
    }
    return store;
  }

  private static async openOnce(path: string, readOnly: boolean): Promise<Store> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    // A new file gets DuckDB's storage format v1.3 (readable by DuckDB 1.3 and later): its dictionary-FSST
    // string compression writes a large import in about two thirds of the time of the default v0.10 format.
    const fresh = path === ':memory:' || !existsSync(path);
    const config: Record<string, string> = readOnly
      ? { access_mode: 'READ_ONLY' }
      : fresh
        ? { storage_compatibility_version: STORAGE_VERSION }
        : {};
    // Another process writing the file (an import), or reading it while this one would write (a server
    // answering a request): wait for it a while, as DuckDB lets one process write only when none has it open.
    const waitMs = lockWaitMs();
    const waitUntil = Date.now() + waitMs;
    let told = false;
    for (;;) {
      try {
        instance = await DuckDBInstance.create(path, config);
        break;
      } catch (err) {
        const message = (err as Error).message.split('\n')[0];
        const lock = /Could not set lock on file/.test(message);
        if (lock && Date.now() < waitUntil) {
          if (!told && !flagSetting('DECOUPLE_QUIET'))
            process.stderr.write(
              `decouple: the store ${path} is in use by another process; waiting up to ${Math.round(waitMs / 1000)} s\n`,
            );
          told = true;
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        const holder = /held in (.*?)\./.exec(message)?.[1];
        if (lock) {
          throw new Error(
            `cannot open the store ${path}: another process has it open (${holder ?? 'unknown'}); an import or a write must wait for it to end, and a decouple serve releases the store one second after its last request (DECOUPLE_LOCK_WAIT sets how long to wait, in seconds)`,
          );
        }
        throw new Error(`cannot open the store ${path}: ${message}`);
      }
    }
    return Store.connect(path, instance, readOnly);
  }

  /** Returns the rows of a query as plain objects (BIGINT as number, dates as text). */
  async all(query: Statement, params?: Params): Promise<Row[]> {
    const q = statement(query, params);
    const reader = await traced(q.text, () =>
      q.params ? this.connection.runAndReadAll(q.text, q.params) : this.connection.runAndReadAll(q.text),
    );
    return reader.getRowObjects().map((row) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(row)) out[k] = plain(v);
      return out;
    });
  }

  /** Returns the first row of a query, or undefined. */
  async one(query: Statement, params?: Params): Promise<Row | undefined> {
    return (await this.all(query, params))[0];
  }

  /** Runs a statement; returns nothing. */
  async run(query: Statement, params?: Params): Promise<void> {
    const q = statement(query, params);
    await traced(q.text, () => (q.params ? this.connection.run(q.text, q.params) : this.connection.run(q.text)));
  }

  /**
   * Runs `work` inside one transaction; returns its result. Any error rolls the
   * whole transaction back, so the store is exactly as it was before.
   */
  async transaction<T>(work: () => Promise<T>, options: { honourInterrupt?: boolean } = {}): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      // A stop requested while the work ran is honoured here, before anything becomes visible
      // (except for clean-up work, which must commit to undo).
      if (options.honourInterrupt !== false) throwIfInterrupted();
      await this.run('COMMIT');
      return result;
    } catch (err) {
      try {
        await this.run('ROLLBACK');
      } catch {
        // The connection may already have aborted the transaction.
      }
      throw err;
    }
  }

  /** Returns the schema version recorded in the store (0 for an empty file). */
  async schemaVersion(): Promise<number> {
    const t = await this.one(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'`,
    );
    if (!t || Number(t.n) === 0) return 0;
    const r = await this.one('SELECT max(version) AS v FROM schema_migrations');
    return Number(r?.v ?? 0);
  }

  /** Applies the migrations the store does not have yet; returns the versions applied. */
  async migrate(): Promise<number[]> {
    await this.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)`,
    );
    const current = await this.schemaVersion();
    if (current > latestSchemaVersion()) {
      throw new Error(
        `the store ${this.path} has schema version ${current}, newer than this program (${latestSchemaVersion()}): upgrade decoupling-monitor`,
      );
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS.filter((m) => m.version > current)) {
      await this.transaction(async () => {
        for (const s of m.statements) await this.run(s);
        await this.run('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
          m.version,
          m.description,
        ]);
      });
      applied.push(m.version);
    }
    // Schema changes go into the file now, not the write-ahead log: DuckDB 1.5 cannot replay some of them
    // (ALTER TABLE on a table whose defaults call functions) after a crash, which would leave the store unopenable.
    if (applied.length && this.path !== ':memory:') await this.run('CHECKPOINT');
    return applied;
  }

  /**
   * Returns another session on the same open store: its own DuckDB connection
   * (its own temporary tables and views, its own running query), sharing the
   * database. Sessions let a server answer several requests at once; close
   * each with closeSession().
   */
  async session(): Promise<Store> {
    return Store.connect(this.path, this.instance, this.readOnly);
  }

  /** Returns a store on a new connection to `instance`, set up as every session is. */
  private static async connect(path: string, instance: DuckDBInstance, readOnly: boolean): Promise<Store> {
    const store = new Store(path, instance, await instance.connect(), readOnly);
    // Let DuckDB track query progress (read by the progress bars) without printing its own bar.
    await store.run(`SET enable_progress_bar = true; SET enable_progress_bar_print = false`);
    return store;
  }

  /** Closes this session's connection only (the store stays open for its other sessions). */
  closeSession(): void {
    this.connection.closeSync();
  }

  /** Interrupts the running query (used on Ctrl-C). */
  interrupt(): void {
    this.connection.interrupt();
  }

  /** Closes the store; returns when the file is released. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
