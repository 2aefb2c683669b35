import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, SHARED, benchDir, fmt } from './harness.js';

interface LoadResult {
  requests: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}

const PATHS = [
  '/api/compute/bilateral-share?partner=USA&reporter=CHN&years=2012-2020',
  '/api/compute/partner-hhi?reporter=CHN',
  '/api/indicators',
  '/api/measures?lang=zh',
  '/api/datasets',
];

function startChild(
  cmd: string,
  args: string[],
  ready: RegExp,
  cwd?: string,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}: ${out}`)));
  });
}

async function load(base: string, paths: string[], seconds: number): Promise<LoadResult> {
  const r = await autocannon({
    url: base,
    connections: 50,
    duration: seconds,
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
  });
  return {
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

/** A computed path no earlier request asked for: a year window drawn at random (the cache cannot answer it). */
function cacheBustingPath(): string {
  const from = 1990 + Math.floor(Math.random() * 25);
  const to = from + 1 + Math.floor(Math.random() * (2024 - from));
  const which = Math.random();
  if (which < 0.5) return `/api/compute/bilateral-share?partner=USA&reporter=CHN&years=${from}-${to}`;
  if (which < 0.8) return `/api/compute/partner-hhi?reporter=CHN&years=${from}-${to}`;
  return `/api/compute/partner-rank?reporter=USA&years=${from}-${to}`;
}

/** Load with paths the cache cannot answer; then the time one more computed request takes right after. */
async function uncachedLoad(base: string, seconds: number): Promise<{ load: LoadResult; after: number }> {
  const r = await autocannon({
    url: base,
    connections: 50,
    duration: seconds,
    timeout: 60,
    requests: [{ method: 'GET' as const, setupRequest: (req) => ({ ...req, path: cacheBustingPath() }) }],
  });
  const started = performance.now();
  const res = await fetch(`${base}/api/compute/bilateral-share?partner=USA&reporter=CHN&years=1995-2003`);
  await res.arrayBuffer();
  const after = performance.now() - started;
  return {
    load: {
      requests: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      p50: r.latency.p50,
      p99: r.latency.p99,
    },
    after,
  };
}

function line(name: string, r: LoadResult): string {
  return `  ${name.padEnd(34)} ${fmt(r.requests).padStart(9)} requests, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, ${r.non2xx} non-2xx, ${r.errors} errors`;
}

/**
 * Benchmarks the dashboard's API under 50 concurrent clients on loopback
 * (autocannon), side by side with the same responses saved as files and served
 * by Python's http.server (what a team would otherwise publish); prints
 * requests, p50 and p99 latency and errors; returns whether every request was answered.
 */
export async function benchDashboardLoad(seconds: number): Promise<boolean> {
  console.log(`\n== dashboard-load: 50 concurrent clients for ${seconds} s on loopback ==`);
  const dir = benchDir();
  const db = join(dir, 'dashboard.duckdb');
  if (!existsSync(db)) {
    const setup = (args: string[]) =>
      new Promise<void>((resolve, reject) => {
        const c = spawn(process.execPath, [join(ROOT, 'bin', 'decouple.js'), '--db', db, ...args], {
          stdio: 'ignore',
          env: { ...process.env, DECOUPLE_QUIET: '1' },
        });
        c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`decouple ${args.join(' ')} failed`))));
      });
    if (existsSync(SHARED)) {
      await setup(['setup', '--from', SHARED]);
      await setup(['import', 'dots', join(SHARED, 'imf-dots', 'DOTS_40.xlsx')]);
    } else {
      await setup(['setup']);
    }
  }
  const { child: server, match } = await startChild(
    process.execPath,
    [join(ROOT, 'bin', 'decouple.js'), '--db', db, 'serve', '--port', '0'],
    /Dashboard: (http:\/\/\S+?)\//,
  );
  const base = match[1];
  let ok = false;
  try {
    // The static twin: each response saved under a file name, served by python3 -m http.server.
    const site = join(dir, 'static-site');
    mkdirSync(site, { recursive: true });
    const files: string[] = [];
    for (const [i, path] of PATHS.entries()) {
      const res = await fetch(`${base}${path}`);
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      writeFileSync(join(site, `r${i}.json`), Buffer.from(await res.arrayBuffer()));
      files.push(`/r${i}.json`);
    }
    copyFileSync(join(ROOT, 'web', 'index.html'), join(site, 'index.html'));
    const ours = await load(base, PATHS, seconds);
    console.log(line('decouple serve (API, cached)', ours));
    let python: ChildProcess | undefined;
    try {
      const started = await startChild(
        'python3',
        ['-m', 'http.server', '0', '--bind', '127.0.0.1'],
        /Serving HTTP on \S+ port (\d+)/,
        site,
      );
      python = started.child;
      const theirs = await load(`http://127.0.0.1:${started.match[1]}`, files, seconds);
      console.log(line('python3 -m http.server (files)', theirs));
      console.log(
        `  p99 ratio (http.server / decouple): ${fmt(theirs.p99 / Math.max(ours.p99, 0.001), 2)}; throughput ratio (decouple / http.server): ${fmt(ours.requests / Math.max(theirs.requests, 1), 2)}`,
      );
    } catch (err) {
      console.log(`  python3 -m http.server: not run (${(err as Error).message.split('\n')[0]})`);
    } finally {
      python?.kill();
    }
    const busting = await uncachedLoad(base, seconds);
    console.log(line('decouple serve (computed, no cache)', busting.load));
    console.log(`  a computed request right after that load: ${fmt(busting.after, 1)} ms`);
    // The same load on one session (requests computed one at a time, as before the session pool).
    const { child: serial, match: serialMatch } = await startChild(
      process.execPath,
      [join(ROOT, 'bin', 'decouple.js'), '--db', db, 'serve', '--port', '0', '--sessions', '1'],
      /Dashboard: (http:\/\/\S+?)\//,
    );
    try {
      const one = await uncachedLoad(serialMatch[1], seconds);
      console.log(line('  same, one session (--sessions 1)', one.load));
      console.log(`  a computed request right after that load: ${fmt(one.after, 1)} ms`);
      console.log(
        `  computed p99 ratio (one session / pool): ${fmt(one.load.p99 / Math.max(busting.load.p99, 0.001), 2)}; throughput ratio (pool / one session): ${fmt(busting.load.requests / Math.max(one.load.requests, 1), 2)}`,
      );
    } finally {
      serial.kill('SIGTERM');
    }
    ok = ours.non2xx === 0 && ours.errors === 0 && busting.load.non2xx === 0 && busting.load.errors === 0;
    console.log(`  every request answered: ${ok ? 'yes' : 'NO'}`);
  } finally {
    server.kill('SIGTERM');
  }
  return ok;
}
