import type { Store } from '../store/store.js';

/**
 * A fixed number of sessions (DuckDB connections) on one open store, lent to
 * one request at a time: requests run side by side up to the pool's size and
 * wait in arrival order beyond it. Each session has its own temporary tables,
 * so the flow base one request builds is never seen or replaced by another.
 */
export class SessionPool {
  private readonly idle: Store[] = [];
  private readonly waiting: Array<(session: Store) => void> = [];
  private readonly all: Store[] = [];
  private opening = 0;

  constructor(private readonly store: Store, readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`a session pool needs at least one session, not ${size}`);
  }

  /** Returns a session for the caller's sole use until release(); waits while all are lent. */
  async acquire(): Promise<Store> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length + this.opening < this.size) {
      this.opening++;
      try {
        const session = await this.store.session();
        this.all.push(session);
        return session;
      } finally {
        this.opening--;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a session back: to the longest-waiting request, else to the idle set. */
  release(session: Store): void {
    const next = this.waiting.shift();
    if (next) next(session);
    else this.idle.push(session);
  }

  /** Returns how many requests are waiting for a session. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Closes every session (not the store). */
  close(): void {
    for (const s of this.all) s.closeSession();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
