import type { Store } from '../store/store.js';

/** How the pool gets its store: the store itself (kept open), or a way to open it (released when idle). */
export type StoreSource = Store | { open: () => Promise<Store>; releaseAfterMs: number };

/**
 * A fixed number of sessions (DuckDB connections) on one store, lent to one
 * request at a time: requests run side by side up to the pool's size and
 * wait in arrival order beyond it. Each session has its own temporary tables,
 * so the flow base one request builds is never seen or replaced by another.
 * A pool that opens the store itself closes it when no request has needed it
 * for a while, so that other processes (an import) can write the file, and
 * opens it again for the next request.
 */
export class SessionPool {
  private readonly idle: Store[] = [];
  private readonly waiting: Array<{ resolve: (session: Store) => void; reject: (err: unknown) => void }> = [];
  private readonly sessions: Store[] = [];
  private root?: Store;
  private opening?: Promise<Store>;
  private creating = 0;
  private lent = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly source: StoreSource,
    readonly size: number,
    private readonly onOpen?: (store: Store) => Promise<void>,
  ) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`a session pool needs at least one session, not ${size}`);
  }

  private async rootStore(): Promise<Store> {
    if (this.root) return this.root;
    if (!('open' in this.source)) {
      this.root = this.source;
      return this.root;
    }
    this.opening ??= (async () => {
      const store = await (this.source as { open: () => Promise<Store> }).open();
      try {
        await this.onOpen?.(store);
      } catch (err) {
        store.close();
        throw err;
      }
      this.root = store;
      return store;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Returns a session for the caller's sole use until release(); waits while all are lent. */
  async acquire(): Promise<Store> {
    clearTimeout(this.idleTimer);
    const free = this.idle.pop();
    if (free) {
      this.lent++;
      return free;
    }
    if (this.sessions.length + this.creating < this.size) {
      this.creating++;
      try {
        const root = await this.rootStore();
        const session = await root.session();
        this.sessions.push(session);
        this.lent++;
        return session;
      } catch (err) {
        // Requests queued behind this one would wait for a session that never comes: they get the same answer.
        if (this.sessions.length === 0) for (const w of this.waiting.splice(0)) w.reject(err);
        throw err;
      } finally {
        this.creating--;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Gives a session back: to the longest-waiting request, else to the idle set (and starts the idle clock). */
  release(session: Store): void {
    const next = this.waiting.shift();
    if (next) {
      next.resolve(session);
      return;
    }
    this.lent--;
    this.idle.push(session);
    if (this.lent === 0 && 'open' in this.source) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => {
        if (this.lent === 0 && this.creating === 0 && !this.waiting.length) this.closeStore();
      }, this.source.releaseAfterMs);
      this.idleTimer.unref();
    }
  }

  private closeStore(): void {
    for (const s of this.sessions) s.closeSession();
    this.sessions.length = 0;
    this.idle.length = 0;
    // A store the pool was given stays open: its owner closes it.
    if (this.root && 'open' in this.source) this.root.close();
    this.root = undefined;
  }

  /** Closes every session, and the store if the pool opened it. */
  close(): void {
    clearTimeout(this.idleTimer);
    for (const w of this.waiting.splice(0)) w.reject(new Error('the server is stopping'));
    this.closeStore();
  }
}
