import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { mirrorPath } from '../src/files/download.js';
import { baciUrl, candidateReleases } from '../src/fetch/baciFetch.js';
import { cli, cliJson, NEEDS_SHARED, ROOT, setupFromShared, tempDir } from './helpers.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'baci');

/** Writes a BACI-shaped release archive of the fixture into a mirror (zip made with Python's zipfile). */
function archive(mirror: string, release: string, truncate = false): string {
  const path = mirrorPath(mirror, baciUrl('HS17', release));
  mkdirSync(dirname(path), { recursive: true });
  const members = [
    [join(FIXTURE, 'BACI_HS17_Y2017_V000001.csv'), `BACI_HS17_Y2017_${release}.csv`],
    [join(FIXTURE, 'BACI_HS17_Y2022_V000001.csv'), `BACI_HS17_Y2022_${release}.csv`],
    [join(FIXTURE, 'country_codes_V000001.csv'), `country_codes_${release}.csv`],
  ];
  const py = `import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\nfor i in range(2, len(sys.argv), 2): z.write(sys.argv[i], sys.argv[i + 1])\nz.close()`;
  const r = spawnSync('python3', ['-c', py, path, ...members.flat()], { encoding: 'utf-8' });
  assert.equal(r.status, 0, r.stderr);
  if (truncate) writeFileSync(path, readFileSync(path).subarray(0, 300));
  return path;
}

describe('fetch baci from a mirror with the CEPII layout', { skip: NEEDS_SHARED }, () => {
  test('latest finds the newest release; --years imports only those years and records the URL; a damaged archive imports nothing', () => {
    const mirror = tempDir();
    const year = new Date().getUTCFullYear();
    const newest = `V${year - 1}01b`;
    archive(mirror, `V${year - 2}01`);
    archive(mirror, newest);
    assert.ok(candidateReleases().indexOf(newest) < candidateReleases().indexOf(`V${year - 2}01`));
    const db = join(tempDir(), 'store.duckdb');
    setupFromShared(db);
    const dry = cli(db, 'fetch', 'baci', '--mirror', mirror, '--dry-run');
    assert.match(dry.stdout, new RegExp(`BACI_HS17_${newest}\\.zip`));
    const rows = cliJson(db, 'fetch', 'baci', '--mirror', mirror, '--years', '2022-2022');
    assert.equal(rows.length, 1);
    assert.match(String(rows[0].file), /Y2022/);
    assert.equal(rows[0].status, 'imported');
    const ds = cliJson(db, 'datasets').find((d) => d.source === 'baci')!;
    assert.match(String(ds.vintage), new RegExp(newest));
    const damaged = tempDir();
    archive(damaged, 'V202501', true);
    const bad = cli(db, 'fetch', 'baci', '--mirror', damaged, '--release', 'V202501');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /the archive does not open/);
    assert.equal(cliJson(db, 'datasets').filter((d) => d.source === 'baci').length, 1, 'nothing more imported');
    const wrong = cli(db, 'fetch', 'baci', '--mirror', mirror, '--release', '2025');
    assert.match(wrong.stderr, /--release takes VYYYYMM/);
  });
});
