import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders of this process: named `decouple-<pid>-<kind>-XXXXXX` so
 * that a later run can tell the folders of a process that was killed
 * (SIGKILL, power loss) from those of one still running, and remove them.
 */
const live = new Set<string>();
const PREFIX = /^decouple-(\d+)-/;

/** Creates a temporary folder for this process; returns its path. */
export function makeTempDir(kind: string): string {
  const dir = mkdtempSync(join(tmpdir(), `decouple-${process.pid}-${kind}-`));
  live.add(dir);
  return dir;
}

/** Removes a temporary folder made by makeTempDir; returns nothing. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Removes every temporary folder this process still holds (synchronous: safe in an exit handler). */
export function removeAllTempDirs(): void {
  for (const dir of [...live]) removeTempDir(dir);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary folders left by decouple processes that no longer run; returns how many. */
export function sweepStaleTempDirs(): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = PREFIX.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const path = join(tmpdir(), name);
    try {
      if (!statSync(path).isDirectory()) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // another process may be removing it at the same moment
    }
  }
  return removed;
}

process.on('exit', removeAllTempDirs);
