import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LIMITS } from '../util/limits.js';
import { ImportError } from './importError.js';
import type { InputFile } from './inputFile.js';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/**
 * Reads a JSON file once, byte by byte, and throws an ImportError naming the
 * file and line where objects and arrays nest deeper than the limit (a few
 * kilobytes of brackets otherwise hang or crash a JSON parser). Strings are
 * skipped, so brackets inside text do not count. Returns the deepest nesting
 * seen.
 */
export async function assertJsonDepth(file: InputFile, limit = LIMITS.jsonDepth): Promise<number> {
  const raw = createReadStream(file.readable, { highWaterMark: 1 << 20 });
  const stream = file.compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  let depth = 0;
  let deepest = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === NEWLINE) line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          depth++;
          if (depth > deepest) deepest = depth;
          if (depth > limit) {
            throw new ImportError(
              file.original,
              `objects and arrays nest more than ${limit} levels deep: refused (the limit protects the machine; for a genuine file raise DECOUPLE_MAX_JSON_DEPTH)`,
              line,
            );
          }
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
      }
    }
  } finally {
    raw.destroy();
  }
  return deepest;
}
