import { flagSetting } from '../core/config.js';
import cliProgress from 'cli-progress';
import type { Store } from '../store/store.js';

/** Whether progress bars are drawn (a terminal on stderr, not CI, not --quiet). */
export function progressEnabled(): boolean {
  return Boolean(process.stderr.isTTY) && !flagSetting('CI') && !flagSetting('DECOUPLE_QUIET');
}

/**
 * What a long operation works through: how much in all, in which unit (rows of a staged file, MB of a file read
 * directly).
 */
export interface WorkAmount {
  total: number;
  unit: 'rows' | 'MB';
}

/**
 * Runs a long store operation while drawing a bar with percentage, amount
 * done of the total, rate and ETA; returns the operation's result. The share
 * done is DuckDB's own query progress; the amount is that share of `amount`
 * (DuckDB's row counter counts rows of its current pipeline, not of the
 * input, so it is not shown).
 */
export async function withQueryProgress<T>(
  store: Store,
  label: string,
  amount: WorkAmount,
  work: () => Promise<T>,
): Promise<T> {
  if (!progressEnabled()) return work();
  const unit = amount.unit;
  const shown = (x: number) => (unit === 'MB' ? x.toFixed(1) : Math.round(x).toLocaleString('en'));
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28).slice(0, 28)} {bar} {percentage}% | {done}/{all} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const payload = (share: number) => {
    const secs = (Date.now() - started) / 1000;
    const done = share * amount.total;
    return { done: shown(done), all: shown(amount.total), rate: secs > 0 ? shown(done / secs) : shown(0) };
  };
  bar.start(100, 0, payload(0));
  const timer = setInterval(() => {
    try {
      const p = store.connection.progress;
      if (p.percentage >= 0) {
        const pct = Math.min(100, p.percentage);
        bar.update(Math.round(pct), payload(pct / 100));
      }
    } catch {
      // progress is best effort
    }
  }, 200);
  try {
    const result = await work();
    bar.update(100, payload(1));
    return result;
  } finally {
    clearInterval(timer);
    bar.stop();
  }
}

/**
 * A byte-counting progress bar for downloads; `tick` adds bytes, `stop` clears it. Returns no-ops when bars are
 * off.
 */
export function byteProgress(
  label: string,
  total: number | undefined,
  start = 0,
): { tick(bytes: number): void; stop(): void } {
  if (!progressEnabled()) return { tick: () => undefined, stop: () => undefined };
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28).slice(0, 28)} {bar} {percentage}% | {done}/{size} MB | {rate} MB/s | ETA {eta_formatted}`,
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const size = total && total > 0 ? total : 0;
  const began = Date.now();
  let done = start;
  bar.start(size || 1, size ? start : 0, { done: mb(done), size: size ? mb(size) : '?', rate: '0.0' });
  return {
    tick(bytes: number) {
      done += bytes;
      const secs = (Date.now() - began) / 1000;
      bar.update(size ? done : 0, {
        done: mb(done),
        size: size ? mb(size) : '?',
        rate: secs > 0 ? mb((done - start) / secs) : '0.0',
      });
    },
    stop: () => bar.stop(),
  };
}

/**
 * A counting progress bar for a run of calls or steps, with rate and ETA;
 * `update(done, total)` moves it (the total may grow, as when a call is
 * split), `stop` clears it. Returns no-ops when bars are off.
 */
export function countProgress(
  label: string,
  unit: string,
): { update(done: number, total: number): void; stop(): void } {
  if (!progressEnabled()) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28).slice(0, 28)} {bar} {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const began = Date.now();
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, done, { rate: '0' });
        started = true;
      }
      const secs = (Date.now() - began) / 1000;
      bar.setTotal(total);
      bar.update(done, { rate: secs > 0 ? (done / secs).toFixed(1) : '0' });
    },
    stop: () => bar.stop(),
  };
}
