import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { detectEncoding } from './textEncoding.js';
import yauzl from 'yauzl';
import { ImportError } from './importError.js';
import { interruptSignal, InterruptedError } from '../util/interrupt.js';
import { LIMITS } from '../util/limits.js';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';

/**
 * Returns a stream that passes bytes through and fails, naming the file, once
 * more than `limit` bytes have passed (a zip or gzip bomb, or a member that
 * claims one size and holds another).
 */
function expansionGuard(file: string, what: string, compressedBytes: number): Transform {
  const limit = Math.min(LIMITS.expandedBytes, Math.max(1 << 20, compressedBytes * LIMITS.expansionRatio));
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) {
        done(
          new ImportError(
            file,
            `${what} expands to more than ${limit.toLocaleString('en-US')} bytes (${LIMITS.expansionRatio}× its compressed size of ${compressedBytes.toLocaleString('en-US')}): refused as a possible decompression bomb; for a genuine file raise DECOUPLE_MAX_EXPANSION`,
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
}

/** Runs a stream pipeline that stops on Ctrl-C/SIGTERM; rethrows the stop as InterruptedError. */
async function guardedPipeline(
  ...streams: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream>
): Promise<void> {
  const signal = interruptSignal();
  try {
    await (pipeline as (...args: unknown[]) => Promise<void>)(...streams, { signal });
  } catch (err) {
    if (signal.aborted)
      throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT');
    throw err;
  }
}

/** What the importers need to know about a file before reading it. */
export interface InputFile {
  /** The path the user gave. */
  original: string;
  /** The path DuckDB should read (a temporary UTF-8 copy when transcoded or unzipped). */
  readable: string;
  /** The sha256 of the file as given, as hex: computed on first call (streaming), then remembered. */
  sha256(): Promise<string>;
  /** The size of the file as given. */
  bytes: number;
  compression: 'none' | 'gzip' | 'zip';
  encoding: string;
  /** Removes temporary copies. */
  cleanup(): void;
}

/** Returns the sha256 of a file as hex, streaming it. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

async function gunzipHead(path: string, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= n) break;
    }
  } catch (err) {
    // The error came before the first n bytes: the whole stream is shorter than that and damaged.
    if (size === 0) throw new ImportError(path, `not a readable gzip file (${(err as Error).message})`);
    throw new ImportError(
      path,
      `the gzip stream is truncated or damaged after ${size} bytes of content (${(err as Error).message})`,
    );
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, n);
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err || !zip ? rej(err) : res(zip))),
  );
}

/** Returns the member names of a zip archive. */
export async function zipMembers(path: string): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw new ImportError(path, `not a readable zip archive (${(err as Error).message})`);
  }
  const names: string[] = [];
  await new Promise<void>((res, rej) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) names.push(e.fileName);
      zip.readEntry();
    });
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  zip.close();
  return names;
}

/** Extracts one member of a zip to `dest`; returns the path written. */
export async function extractZipMember(path: string, member: string, dest: string): Promise<string> {
  const zip = await openZip(path);
  try {
    await new Promise<void>((res, rej) => {
      let found = false;
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== member) return zip.readEntry();
        found = true;
        const what = `the archive member '${member}'`;
        const declaredLimit = Math.min(
          LIMITS.expandedBytes,
          Math.max(1 << 20, e.compressedSize * LIMITS.expansionRatio),
        );
        if (e.uncompressedSize > declaredLimit) {
          return rej(
            new ImportError(
              path,
              `${what} declares ${e.uncompressedSize.toLocaleString('en-US')} bytes, more than ${LIMITS.expansionRatio}× its compressed size: refused as a possible decompression bomb; for a genuine file raise DECOUPLE_MAX_EXPANSION`,
            ),
          );
        }
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return rej(err);
          guardedPipeline(stream, expansionGuard(path, what, e.compressedSize), createWriteStream(dest)).then(
            () => res(),
            rej,
          );
        });
      });
      zip.on('end', () => {
        if (!found) rej(new ImportError(path, `the archive has no member '${member}'`));
      });
      zip.on('error', rej);
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof ImportError || err instanceof InterruptedError) throw err;
    throw new ImportError(path, `the archive member '${member}' cannot be read (${(err as Error).message})`);
  } finally {
    zip.close();
  }
  return dest;
}

export interface PrepareOptions {
  /** Encoding given by the user; detected when absent. */
  encoding?: string;
  /** For zip archives: picks the member to read from the member names. */
  zipMember?: (names: string[]) => string | undefined;
  /** Describes the expected member, for the error when none matches. */
  zipMemberDescription?: string;
  /** The file is an Office workbook (.xlsx): hashed and checked, not decompressed. */
  workbook?: boolean;
}

/**
 * Returns a file ready for DuckDB: decompressed from zip when needed,
 * and transcoded to UTF-8 when it is in another encoding.
 */
export async function prepareInputFile(path: string, options: PrepareOptions = {}): Promise<InputFile> {
  if (!existsSync(path)) throw new ImportError(path, 'file not found');
  const stat = statSync(path);
  if (!stat.isFile()) throw new ImportError(path, 'not a regular file');
  if (stat.size === 0) throw new ImportError(path, 'the file is empty', 1);
  let hashing: Promise<string> | undefined;
  const sha256 = () => (hashing ??= sha256File(path));
  const temps: string[] = [];
  const cleanup = () => temps.forEach(removeTempDir);
  try {
    const magic = readHead(path, 4);
    let compression: InputFile['compression'] = 'none';
    let readable = path;
    if (options.workbook) {
      if (!(magic[0] === 0x50 && magic[1] === 0x4b))
        throw new ImportError(path, 'not an .xlsx workbook (it does not start as a zip archive)');
      return {
        original: path,
        readable: path,
        sha256,
        bytes: stat.size,
        compression: 'zip',
        encoding: 'binary',
        cleanup,
      };
    }
    if (magic[0] === 0x50 && magic[1] === 0x4b) {
      compression = 'zip';
      const names = await zipMembers(path);
      const member = options.zipMember ? options.zipMember(names) : names.length === 1 ? names[0] : undefined;
      if (!member) {
        throw new ImportError(
          path,
          `the archive holds ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'no files'}, not ${options.zipMemberDescription ?? 'exactly one data file'}`,
        );
      }
      const dir = makeTempDir('zip');
      temps.push(dir);
      readable = await extractZipMember(path, member, join(dir, basename(member)));
    } else if (magic[0] === 0x1f && magic[1] === 0x8b) {
      compression = 'gzip';
    }
    const sample = compression === 'gzip' ? await gunzipHead(readable, 1 << 20) : readHead(readable, 1 << 20);
    if (sample.length === 0) throw new ImportError(path, 'the file is empty', 1);
    const encoding = options.encoding ? normaliseEncoding(path, options.encoding) : detectEncoding(path, sample);
    if (encoding !== 'utf-8') {
      const dir = makeTempDir('utf8');
      temps.push(dir);
      const out = join(dir, basename(readable).replace(/\.gz$/i, ''));
      const source = createReadStream(readable);
      const sourceBytes = statSync(readable).size;
      await guardedPipeline(
        ...(compression === 'gzip'
          ? [source, createGunzip(), expansionGuard(path, 'the gzip stream', sourceBytes)]
          : [source]),
        iconv.decodeStream(encoding),
        iconv.encodeStream('utf-8'),
        createWriteStream(out),
      );
      readable = out;
    }
    return { original: path, readable, sha256, bytes: stat.size, compression, encoding, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

function normaliseEncoding(file: string, name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  const alias: Record<string, string> = {
    utf8: 'utf-8',
    gbk: 'gbk',
    gb2312: 'gbk',
    gb18030: 'gb18030',
    latin1: 'latin1',
    'iso-8859-1': 'latin1',
    big5: 'big5',
    sjis: 'shift_jis',
    'shift-jis': 'shift_jis',
  };
  const enc = alias[n] ?? n;
  if (enc === 'utf-8') return enc;
  if (!iconv.encodingExists(enc)) throw new ImportError(file, `unknown encoding '${name}' given with --encoding`);
  return enc;
}

/**
 * Returns the whole text of a (possibly gzip-compressed) UTF-8 file, without
 * BOM, for small files read in memory; decompression is held to the same
 * expansion limit as every other (a decompression bomb is refused).
 */
export async function readInputText(file: InputFile): Promise<string> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const source = createReadStream(file.readable);
  if (file.compression === 'gzip' && file.encoding === 'utf-8') {
    await guardedPipeline(
      source,
      createGunzip(),
      expansionGuard(file.original, 'the gzip stream', statSync(file.readable).size),
      collect,
    );
  } else {
    await guardedPipeline(source, collect);
  }
  return Buffer.concat(chunks)
    .toString('utf-8')
    .replace(/^\ufeff/, '');
}

/** Returns the first line of a (possibly gzip-compressed) UTF-8 text file, without BOM. */
export async function firstLine(file: InputFile): Promise<string> {
  const sample =
    file.compression === 'gzip' && file.encoding === 'utf-8'
      ? await gunzipHead(file.readable, 65536)
      : readHead(file.readable, 65536);
  const text = sample.toString('utf-8').replace(/^\ufeff/, '');
  const end = text.search(/\r?\n/);
  return end >= 0 ? text.slice(0, end) : text;
}
