import { flagSetting, setting, userFolders } from '../core/config.js';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteProgress } from '../util/progress.js';
import { httpFetch } from './proxy.js';

export interface DownloadOptions {
  /** A local mirror with the same layout as the sources (host/path); no network is used when given. */
  mirror?: string;
  cacheDir?: string;
  retries?: number;
  timeoutMs?: number;
  /** Base of the exponential back-off, in milliseconds. */
  backoffMs?: number;
  /** Reuse a cached copy without asking the server (default true). */
  useCache?: boolean;
  /** Draw a byte progress bar while downloading (default true; callers counting many small calls draw their own). */
  progress?: boolean;
  /** Extra request headers (an API key): sent, never part of the cache key, never logged. */
  headers?: Record<string, string>;
  /**
   * Query parameters added to the request only (an API key the service takes in the URL): never part of the cache
   * key, never logged.
   */
  secretQuery?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Downloaded {
  path: string;
  url: string;
  sha256: string;
  bytes: number;
  from: 'mirror' | 'cache' | 'network';
  lastModified?: string;
}

/** Returns the cache folder: $DECOUPLE_CACHE or ~/.cache/decoupling-monitor. */
export function defaultCacheDir(): string {
  return setting('DECOUPLE_CACHE') ?? join(userFolders().cache, 'decoupling-monitor');
}

/**
 * Returns where a URL lives in a mirror: host, then the path, with a query
 * string appended to the file name as `__` plus its characters made safe
 * (https://host/api/v1/documents.json?page=2 → host/api/v1/documents.json__page=2),
 * or `__q-` and a hash of it when that would be longer than 150 characters.
 */
export function mirrorPath(mirror: string, url: string): string {
  const u = new URL(url);
  let query = u.search ? `__${decodeURIComponent(u.search.slice(1)).replace(/[^A-Za-z0-9=._-]+/g, '_')}` : '';
  if (query.length > 150) query = `__q-${createHash('sha256').update(u.search).digest('hex').slice(0, 16)}`;
  return join(mirror, u.host, ...u.pathname.split('/').filter(Boolean).map(decodeURIComponent)) + query;
}

/** Returns the cache folder of a URL. */
function cacheFolder(url: string, cacheDir?: string): string {
  return join(cacheDir ?? defaultCacheDir(), createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** Returns whether a complete copy of a URL is in the cache. */
export function isCached(url: string, cacheDir?: string): boolean {
  return existsSync(join(cacheFolder(url, cacheDir), 'meta.json'));
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Returns the wait a Retry-After header asks for, in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * Returns a local copy of a URL: from the mirror when one is given; else from
 * the cache (keyed by URL) when present; else downloaded, resuming a partial
 * file with an HTTP range where the server allows, retrying timeouts, 429 and
 * 5xx with exponential back-off and jitter (honouring Retry-After), written
 * to a temporary file and renamed only when complete (Ctrl-C leaves a partial
 * file the next run resumes), with a progress bar on a terminal; through the
 * proxy of HTTPS_PROXY / HTTP_PROXY unless NO_PROXY lists the host.
 */
export async function download(url: string, opts: DownloadOptions = {}): Promise<Downloaded> {
  const mirror = opts.mirror ?? setting('DECOUPLE_MIRROR');
  if (mirror) {
    const p = mirrorPath(mirror, url);
    if (!existsSync(p)) throw new Error(`${url} is not in the mirror: expected ${p}`);
    return { path: p, url, sha256: sha256File(p), bytes: statSync(p).size, from: 'mirror' };
  }
  const dir = cacheFolder(url, opts.cacheDir);
  mkdirSync(dir, { recursive: true });
  const name = basename(new URL(url).pathname) || 'download';
  const final = join(dir, name);
  const meta = join(dir, 'meta.json');
  if ((opts.useCache ?? !flagSetting('DECOUPLE_REFRESH')) && existsSync(final) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf-8')) as Downloaded;
    return { ...m, path: final, from: 'cache' };
  }
  const part = `${final}.part`;
  const requestUrl = new URL(url);
  for (const [k, v] of Object.entries(opts.secretQuery ?? {})) requestUrl.searchParams.set(k, v);
  const retries = opts.retries ?? 5;
  const base = opts.backoffMs ?? 1000;
  let lastError = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    let wait: number | undefined;
    try {
      const res = await httpFetch(requestUrl, {
        headers: { ...opts.headers, ...(have > 0 ? { Range: `bytes=${have}-` } : {}) },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
      if (res.status === 429 || res.status >= 500) {
        lastError = `HTTP ${res.status}`;
        wait = retryAfterMs(res.headers.get('retry-after'));
        await res.body?.cancel();
      } else if (!res.ok) {
        throw Object.assign(new Error(`${url}: HTTP ${res.status} ${res.statusText}`), { fatal: true });
      } else {
        const append = res.status === 206 && have > 0;
        const length = Number(res.headers.get('content-length') ?? NaN);
        const bar =
          opts.progress === false
            ? { tick: () => undefined, stop: () => undefined }
            : byteProgress(
                basename(new URL(url).pathname) || url,
                Number.isFinite(length) ? length + (append ? have : 0) : undefined,
                append ? have : 0,
              );
        // A 204 (no content) has no body: the copy is an empty file.
        const body = res.body ? Readable.fromWeb(res.body as never) : Readable.from([]);
        body.on('data', (chunk: Buffer) => bar.tick(chunk.length));
        try {
          await pipeline(body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
        } finally {
          bar.stop();
        }
        const expected = Number(res.headers.get('content-length') ?? NaN);
        const size = statSync(part).size;
        if (Number.isFinite(expected) && size !== (append ? have : 0) + expected) {
          lastError = `incomplete: ${size} bytes`;
        } else {
          renameSync(part, final);
          const done: Downloaded = {
            path: final,
            url,
            sha256: sha256File(final),
            bytes: size,
            from: 'network',
            lastModified: res.headers.get('last-modified') ?? undefined,
          };
          writeFileSync(meta, JSON.stringify({ ...done, fetched_at: new Date().toISOString() }, null, 2));
          return done;
        }
      }
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err;
      lastError = (err as Error).message;
    }
    if (attempt < retries) {
      const delay = wait ?? base * 2 ** attempt * (0.5 + Math.random() / 2);
      opts.log?.(`${url}: ${lastError}; retrying in ${(delay / 1000).toFixed(1)} s (${retries - attempt} tries left)`);
      await sleep(delay);
    }
  }
  throw new Error(`${url}: gave up after ${retries + 1} tries (${lastError}); run the command again to resume`);
}
