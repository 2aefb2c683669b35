import { SETTINGS } from '../core/config.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defaultCacheDir } from '../files/download.js';

/**
 * The USITC Harmonized Tariff Schedule export (https://hts.usitc.gov, its
 * public JSON service): GET https://hts.usitc.gov/reststop/exportList?from=0100&to=9999&format=JSON
 * answers the schedule as a flat JSON array of lines, each with `htsno`
 * ("8542.31.00"), `description`, `indent`, the rate columns and `footnotes`
 * (objects whose `value` text refers to chapter 99 headings, e.g. "See
 * 9903.88.03."). The Section 301 lists on China are those headings.
 */
export const USITC_HTS_API = SETTINGS.DECOUPLE_USITC_API.fallback;

/** Returns the address of the HTS export (chapters 1 to 99) on the USITC service. */
export function usitcExportUrl(api = USITC_HTS_API): string {
  return `${api}?${new URLSearchParams({ from: '0100', to: '9999', format: 'JSON', styles: 'false' })}`;
}

const lineSchema = z.object({ htsno: z.string(), footnotes: z.unknown().optional() }).passthrough();

/** What an HTS export says about chapter 99 headings: each HTS8 line with the headings its footnotes name. */
export interface HeadingReferences {
  /** `hts8,heading_9903` pairs for the headings wanted. */
  pairs: Array<[string, string]>;
  /** Headings named in footnotes but not wanted (exclusions, other programmes), with how many lines name them. */
  others: Map<string, number>;
  lines: number;
}

/**
 * Returns the HTS8 lines of an HTS export whose footnotes (at the 8- or
 * 10-digit level) refer to one of the `wanted` chapter 99 headings
 * (9903.88.01 …), and counts the other 9903.88 headings named. Throws naming
 * the file and the entry when the export is not the expected JSON.
 */
export function headingReferences(text: string, file: string, wanted: Set<string>): HeadingReferences {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}); nothing was imported`);
  }
  if (!Array.isArray(data)) throw new Error(`${file}: not an HTS export (a JSON array of lines); nothing was imported`);
  const seen = new Set<string>();
  const pairs: Array<[string, string]> = [];
  const others = new Map<string, number>();
  data.forEach((raw, i) => {
    const parsed = lineSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${file}, entry ${i + 1}: not an HTS line (needs htsno: ${parsed.error.issues[0]?.message}); nothing was imported`,
      );
    const digits = parsed.data.htsno.replace(/\D/g, '');
    if (digits.length < 8 || digits.startsWith('98') || digits.startsWith('99')) return;
    const hts8 = digits.slice(0, 8);
    for (const m of JSON.stringify(parsed.data.footnotes ?? '').matchAll(/9903\.88\.\d{2}/g)) {
      const heading = m[0];
      if (!wanted.has(heading)) {
        others.set(heading, (others.get(heading) ?? 0) + 1);
        continue;
      }
      const key = `${hts8} ${heading}`;
      if (!seen.has(key)) {
        seen.add(key);
        pairs.push([hts8, heading]);
      }
    }
  });
  return { pairs, others, lines: data.length };
}

/** Writes the lines as a `hts8,heading_9903` file (the USITC list layout `import tariffs` reads); returns its path. */
export function writeHeadingList(refs: HeadingReferences, url: string, cacheDir = defaultCacheDir()): string {
  const dir = join(cacheDir, 'usitc-lists');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `usitc_china_tariffs_hts8_${createHash('sha256').update(url).digest('hex').slice(0, 12)}.csv`);
  writeFileSync(path, ['hts8,heading_9903', ...refs.pairs.map(([l, h]) => `${l},${h}`)].join('\n') + '\n');
  return path;
}

/** Reads a downloaded export and returns its heading references (see headingReferences). */
export function readHeadingReferences(path: string, label: string, wanted: Set<string>): HeadingReferences {
  return headingReferences(readFileSync(path, 'utf-8'), label, wanted);
}
