import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { mirrorPath } from '../src/files/download.js';
import { selectPacks } from '../src/reference/packs.js';
import { NEEDS_SHARED, SHARED, cli, cliJson, tempDir } from './helpers.js';

describe('fetch classifications', { skip: NEEDS_SHARED }, () => {
  test('installs the packs from their official addresses, here a host/path mirror built from ../shared/data; --dry-run lists the files', () => {
    const mirror = tempDir();
    for (const pack of selectPacks(['countries', 'hs'])) {
      for (const f of pack.files) {
        const dest = mirrorPath(mirror, f.url);
        mkdirSync(dirname(dest), { recursive: true });
        copyFileSync(join(SHARED, f.mirrorPath), dest);
      }
    }
    const db = join(tempDir(), 'store.duckdb');
    const dry = cliJson(db, 'fetch', 'classifications', '--pack', 'countries', 'hs', '--dry-run');
    assert.deepEqual(
      dry.map((r) => r.pack),
      ['countries', 'hs'],
    );
    assert.match(String(dry[0].url), /^https:\/\//);
    const rows = cliJson(db, 'fetch', 'classifications', '--pack', 'countries', 'hs', '--mirror', mirror);
    assert.deepEqual(
      rows.map((r) => [r.pack, r.status]),
      [
        ['countries', 'installed'],
        ['hs', 'installed'],
      ],
    );
    const again = cliJson(db, 'fetch', 'classifications', '--pack', 'countries', '--mirror', mirror);
    assert.equal(again[0].status, 'already installed (same files)');
    const missing = cli(db, 'fetch', 'classifications', '--pack', 'hs-bec', '--mirror', mirror);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /is not in the mirror: expected .*BEC/);
  });
});
