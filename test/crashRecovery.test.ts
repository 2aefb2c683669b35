import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { economyCodes } from '../bench/baciImport.js';
import { writeSyntheticBaci } from '../bench/syntheticBaci.js';
import { ROOT, cli, tempDir } from './helpers.js';
import { Store } from '../src/store/store.js';

const ROWS = 250_000;
const KILLS = 56;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The statement that ran when the kill came (the one after the last traced line). */
  lastTraced: string;
}

/** Runs a traced import and kills it with SIGKILL after its `killAt`-th traced statement (never, when undefined). */
function tracedImport(
  db: string,
  file: string,
  killAt: number | undefined,
  delayMs: number,
): Promise<Run & { lines: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, 'import', 'baci', file], {
      env: { ...process.env, DECOUPLE_TRACE: '1', DECOUPLE_QUIET: '1' },
    });
    let buffer = '';
    let lines = 0;
    let lastTraced = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.startsWith('[sql')) continue;
        lines++;
        if (!killing) lastTraced = line.replace(/^\[sql\s+\d+ ms\] /, '').slice(0, 60);
        if (killAt !== undefined && lines === killAt && !killing) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('close', (status, signal) => resolve({ status, signal, lastTraced, lines }));
  });
}

/** Returns the store's state after the next open has run its recovery: datasets, rows and any inconsistency. */
async function inspect(
  db: string,
): Promise<{ baci: number; recorded: number; flows: number; orphans: number; loading: number }> {
  // The next open (in this process: no CLI start-up) runs the recovery; it must succeed.
  const store = await Store.open(db, { log: () => {} });
  store.close();
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  try {
    const reader = await con.runAndReadAll(`SELECT
        (SELECT count(*) FROM datasets WHERE source = 'baci')::INTEGER AS baci,
        (SELECT coalesce(sum(rows), 0) FROM datasets WHERE source = 'baci')::INTEGER AS recorded,
        (SELECT count(*) FROM flows)::INTEGER AS flows,
        (SELECT count(*) FROM flows WHERE dataset_id NOT IN (SELECT dataset_id FROM datasets))::INTEGER AS orphans,
        (SELECT count(*) FROM datasets WHERE status <> 'complete')::INTEGER AS loading`);
    return reader.getRowObjects()[0] as {
      baci: number;
      recorded: number;
      flows: number;
      orphans: number;
      loading: number;
    };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

describe('a BACI import killed (SIGKILL) at any statement, the commit included, leaves the whole dataset or nothing', () => {
  test(`${KILLS} kills spread over every statement of the import`, async () => {
    const dir = tempDir();
    const base = join(dir, 'base.duckdb');
    assert.equal(cli(base, 'doctor').status, 0); // creates the store with the shipped country codes
    const data = await writeSyntheticBaci(join(dir, 'baci'), ROWS, await economyCodes(base), 120, 2000);
    const db = join(dir, 'store.duckdb');
    const fresh = () => {
      rmSync(db, { force: true });
      rmSync(`${db}.wal`, { force: true });
      copyFileSync(base, db);
    };
    fresh();
    const full = await tracedImport(db, data.file, undefined, 0);
    assert.equal(full.status, 0);
    const statements = full.lines;
    assert.ok(statements > 10, `the import runs ${statements} statements`);
    let killed = 0;
    let duringCommit = 0;
    let whole = 0;
    for (let i = 0; i < KILLS; i++) {
      fresh();
      // Kill points spread over every statement, the last few right before and during the commit.
      const killAt = i < KILLS - 6 ? 1 + Math.floor((i * (statements - 1)) / (KILLS - 7)) : statements - 1;
      const run = await tracedImport(db, data.file, killAt, i < KILLS - 6 ? i % 4 : (i - KILLS + 6) * 15);
      if (run.signal === 'SIGKILL') killed++;
      if (/^UPDATE datasets SET notes/.test(run.lastTraced) || /^SELECT rows FROM datasets/.test(run.lastTraced))
        duringCommit++;
      assert.ok(existsSync(db));
      const s = await inspect(db);
      assert.equal(s.orphans, 0, `kill ${i} after '${run.lastTraced}': rows without a dataset`);
      assert.equal(s.loading, 0, `kill ${i}: a dataset left loading`);
      assert.ok(s.baci === 0 || s.baci === 1, `kill ${i}: ${s.baci} datasets`);
      if (s.baci === 1) {
        whole++;
        assert.equal(s.recorded, ROWS, `kill ${i}: the dataset records all rows`);
        assert.equal(s.flows, ROWS, `kill ${i}: every row is there once`);
      } else assert.equal(s.flows, 0, `kill ${i} after '${run.lastTraced}': rows of no dataset`);
    }
    assert.ok(killed >= 50, `${killed} of ${KILLS} runs were killed`);
    assert.ok(duringCommit >= 3, `${duringCommit} kills landed at the commit`);
    process.stdout.write(
      `# ${killed} kills (${duringCommit} at the commit): ${whole} left the whole dataset, ${KILLS - whole} nothing\n`,
    );
  });
});
