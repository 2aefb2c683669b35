import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (tests run from dist/test). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared real-data folder beside the checkout, when present (CI has it; a fresh clone may not). */
export const SHARED = resolve(ROOT, '..', 'shared', 'data');
export const HAS_SHARED = existsSync(SHARED);
/** Reason to skip tests that need ../shared/data. */
export const NEEDS_SHARED = HAS_SHARED ? false : 'needs ../shared/data (real data beside the checkout)';

/** Returns a key of the built code: every file of dist/src with its size and modification time. */
function builtCodeKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${path} ${s.size} ${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, 'dist', 'src'));
  walk(join(ROOT, 'data'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Makes `db` a new store holding what `decouple setup --from ../shared/data` installs: a copy of one store set up
 * once per build of the code (the first test to ask builds it; a store is one file once closed), so that tests
 * which only need the reference tables do not each spend seconds parsing the same workbooks. Tests of setup
 * itself run the command.
 */
export function setupFromShared(db: string): void {
  const template = join(tmpdir(), `decouple-setup-${builtCodeKey()}.duckdb`);
  if (!existsSync(template)) {
    const building = join(tempDir(), 'store.duckdb');
    const r = cli(building, 'setup', '--from', SHARED);
    if (r.status !== 0) throw new Error(`decouple setup --from ${SHARED} failed: ${r.stderr}`);
    if (existsSync(`${building}.wal`)) throw new Error('the set-up store left a write-ahead log behind');
    renameSync(building, template); // atomic: a test running beside this one sees the whole file or none
  }
  if (existsSync(db)) throw new Error(`${db} exists: setupFromShared makes a new store`);
  copyFileSync(template, db);
}

/** Returns a new temporary folder. */
export function tempDir(prefix = 'decouple-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the `decouple` command with a store; returns its exit status and output. */
export function cli(db: string, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, ...args], {
    encoding: 'utf-8',
    env: { ...process.env, DECOUPLE_QUIET: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Returns the row counts a refused command must leave unchanged (datasets, flows, series, Federal Register
 * documents), read in this process with a read-only connection: no CLI start-up per check.
 */
export async function storeCounts(db: string): Promise<Record<string, number>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  try {
    const reader = await con.runAndReadAll(`SELECT (SELECT count(*) FROM datasets)::INTEGER AS datasets,
        (SELECT count(*) FROM flows)::INTEGER AS flows, (SELECT count(*) FROM series)::INTEGER AS series,
        (SELECT count(*) FROM fr_documents)::INTEGER AS documents`);
    return reader.getRowObjects()[0] as Record<string, number>;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** Runs the command and parses its JSON output; throws with stderr on failure. */
export function cliJson<T = Record<string, unknown>>(db: string, ...args: string[]): T[] {
  const r = cli(db, '--format', 'json', ...args);
  if (r.status !== 0) throw new Error(`decouple ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}

/**
 * Runs the command without blocking this process (for tests whose local
 * server, in this process, answers the command); returns its status and output.
 */
export function cliAsync(db: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, ...args], {
      env: { DECOUPLE_QUIET: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Starts a test server on a free loopback port; returns its origin (http://127.0.0.1:PORT). */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Returns a minimal zip archive holding one deflated file (for tests of archive imports). */
export function zipArchive(name: string, content: string | Buffer): Buffer {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const comp = deflateRawSync(data);
  const crc = crc32(data);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  const localPart = Buffer.concat([local, nameBuf, comp]);
  const centralPart = Buffer.concat([central, nameBuf]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
