import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPacks, selectPacks } from '../src/reference/packs.js';
import { Store } from '../src/store/store.js';

/** The project root (benchmarks run from dist/bench). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared real-data folder, used as the reference-pack mirror when present. */
export const SHARED = resolve(ROOT, '..', 'shared', 'data');

/** What one measured child process reported. */
export interface Measurement {
  task: string;
  seconds: number;
  rows: number;
  maxRssMb: number;
}

/** Returns the benchmark's working folder (generated files are reused between runs). */
export function benchDir(): string {
  const dir = process.env.DECOUPLE_BENCH_DIR ?? join(tmpdir(), 'decouple-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs one task of bench/child.js in a fresh process; returns its measurement. */
export function measure(task: string, ...args: string[]): Measurement {
  const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'bench', 'child.js'), task, ...args], {
    encoding: 'utf-8',
    env: { ...process.env, DECOUPLE_QUIET: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = out.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Measurement;
}

/** Returns the median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Returns the path of a store holding the given reference packs (built once
 * in the bench folder, from ../shared/data when present, else the official sources).
 */
export async function baseStore(packs: string[]): Promise<string> {
  const path = join(benchDir(), `base-${packs.join('-')}.duckdb`);
  if (existsSync(path)) return path;
  const store = await Store.open(path);
  try {
    await installPacks(store, selectPacks(packs), existsSync(SHARED) ? SHARED : undefined);
  } finally {
    store.close();
  }
  return path;
}

/** Returns a fresh copy of a store file at `dest` (its WAL, if any, included). */
export function copyStore(from: string, dest: string): string {
  removeStore(dest);
  copyFileSync(from, dest);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${dest}.wal`);
  return dest;
}

/** Deletes a store file and its WAL. */
export function removeStore(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

/** Formats a number with thousands separators. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
