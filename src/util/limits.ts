import { numberSetting, setting } from '../core/config.js';

/**
 * Limits that protect the machine from hostile or broken inputs and queries.
 * Each can be raised through the environment variable named beside it, for a
 * genuine file that needs more.
 */
const fromEnv = numberSetting;

export const LIMITS = {
  /** A compressed member may expand to at most this multiple of its compressed size (DECOUPLE_MAX_EXPANSION). */
  get expansionRatio(): number {
    return fromEnv('DECOUPLE_MAX_EXPANSION', 100);
  },
  /** Nor beyond this many bytes in all (DECOUPLE_MAX_EXPANDED_BYTES; default 64 GiB). */
  get expandedBytes(): number {
    return fromEnv('DECOUPLE_MAX_EXPANDED_BYTES', 64 * 2 ** 30);
  },
  /** JSON documents may nest objects and arrays this deep (DECOUPLE_MAX_JSON_DEPTH); API responses need 4. */
  get jsonDepth(): number {
    return fromEnv('DECOUPLE_MAX_JSON_DEPTH', 64);
  },
  /** `decouple query` stops a statement after this many seconds (DECOUPLE_QUERY_TIMEOUT). */
  get queryTimeoutSeconds(): number {
    return fromEnv('DECOUPLE_QUERY_TIMEOUT', 300);
  },
  /** `decouple query` may use this much memory (DECOUPLE_QUERY_MEMORY, a DuckDB size such as 4GB). */
  get queryMemory(): string {
    const raw = setting('DECOUPLE_QUERY_MEMORY');
    if (raw && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(raw))
      throw new Error(`DECOUPLE_QUERY_MEMORY must be a size such as 4GB (got '${raw}')`);
    return raw || '4GB';
  },
};
