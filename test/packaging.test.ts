import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const HAS_NPM = spawnSync(npm, ['--version'], { encoding: 'utf-8' }).status === 0;

/** Runs a command; returns its output, failing the test with stderr when it exits non-zero. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf-8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test(
  'the package: npm pack holds the built code, data and web files and no tests; a global install of the tarball runs decouple report',
  { skip: HAS_NPM ? false : 'needs npm' },
  () => {
    const dir = tempDir();
    // The code is already built by `npm test`; --ignore-scripts keeps pack from rebuilding it under the running tests.
    const packed = JSON.parse(
      run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0].files.map((f) => f.path);
    for (const needed of [
      'bin/decouple.js',
      'dist/src/cli/main.js',
      'dist/src/index.d.ts',
      'data/country-groups.yaml',
      'web/index.html',
      'package.json',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.deepEqual(
      files.filter((f) => /^(dist\/)?(test|bench)\//.test(f) || f.startsWith('src/')),
      [],
      'no tests, benchmarks or sources in the package',
    );
    const prefix = join(dir, 'prefix');
    run(
      npm,
      ['install', '--global', '--prefix', prefix, join(dir, packed[0].filename), '--no-audit', '--no-fund'],
      dir,
    );
    const bin = join(prefix, 'bin', 'decouple');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')) as { version: string }).version;
    assert.equal(run(bin, ['--version'], dir).trim(), version);
    const out = join(dir, 'report');
    run(bin, ['--db', join(dir, 'store.duckdb'), 'report', '--lang', 'zh', '--out', out], dir, { DECOUPLE_QUIET: '1' });
    assert.deepEqual(readdirSync(out).sort(), [
      'report-CHN-USA-zh.html',
      'report-CHN-USA-zh.json',
      'report-CHN-USA-zh.md',
      'report-CHN-USA-zh.xlsx',
    ]);
    const usage = spawnSync(bin, ['report', '--reporter', "CH'N"], { cwd: dir, encoding: 'utf-8' });
    assert.equal(usage.status, 2, 'a usage error exits 2');
    assert.ok(existsSync(join(prefix, 'lib', 'node_modules', 'decoupling-monitor', 'data', 'country-groups.yaml')));
  },
);
