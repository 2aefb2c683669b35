import { SETTINGS } from '../core/config.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { defaultCacheDir, download, type DownloadOptions } from '../files/download.js';

/**
 * The US Census Bureau international trade API, imports by HS commodity
 * (https://www.census.gov/data/developers/data-sets/international-trade.html):
 * GET https://api.census.gov/data/timeseries/intltrade/imports/hs?get=CTY_CODE,CTY_NAME,I_COMMODITY,
 * CON_VAL_MO,CAL_DUT_MO&time=YYYY-MM&COMM_LVL=HS6[&CTY_CODE=5700]. The answer is a JSON array of
 * arrays, the header first; no data for a month is answered 204 or an empty body.
 */
export const CENSUS_API = SETTINGS.DECOUPLE_CENSUS_API.fallback;
const FIELDS = ['CTY_CODE', 'CTY_NAME', 'I_COMMODITY', 'CON_VAL_MO', 'CAL_DUT_MO'];

/** Returns the monthly calls of a request (one per month and country filter). */
export function censusUrls(
  years: [number, number],
  level: 2 | 4 | 6 | 10,
  countries: string[],
  api = CENSUS_API,
): string[] {
  const urls: string[] = [];
  for (let y = years[0]; y <= years[1]; y++)
    for (let m = 1; m <= 12; m++)
      for (const c of countries.length ? countries : [undefined]) {
        const q = new URLSearchParams({
          get: FIELDS.join(','),
          time: `${y}-${String(m).padStart(2, '0')}`,
          COMM_LVL: `HS${level}`,
        });
        if (c) q.set('CTY_CODE', c);
        urls.push(`${api}?${q}`);
      }
  return urls;
}

/**
 * Returns one table merging the monthly answers (header once), written to the
 * cache, after checking that every answer is the expected table: a changed
 * header or a body that is not a JSON table stops the run naming the call.
 * Months without data are counted, not invented.
 */
export async function fetchCensusMonths(
  urls: string[],
  opts: DownloadOptions & { onCall?: (done: number, total: number) => void },
): Promise<{ merged: string; rows: number; emptyMonths: number; downloaded: number }> {
  const rows: unknown[][] = [];
  let emptyMonths = 0;
  let downloaded = 0;
  for (const [i, url] of urls.entries()) {
    const got = await download(url, opts);
    if (got.from === 'network') downloaded++;
    const text = readFileSync(got.path, 'utf-8').trim();
    opts.onCall?.(i + 1, urls.length);
    if (text === '') {
      emptyMonths++;
      continue;
    }
    let table: unknown;
    try {
      table = JSON.parse(text);
    } catch {
      throw new Error(`${url}: the answer is not JSON (${text.slice(0, 80)})`);
    }
    if (!Array.isArray(table) || !Array.isArray(table[0]))
      throw new Error(`${url}: the answer is not a Census table (an array of rows, the header first)`);
    const header = (table[0] as unknown[]).map(String);
    for (const f of [...FIELDS, 'time']) {
      if (!header.includes(f))
        throw new Error(`${url}: the header changed: no ${f} (got ${header.join(', ')}); nothing was imported`);
    }
    const order = [...FIELDS, 'time'].map((f) => header.indexOf(f));
    for (const r of (table as unknown[][]).slice(1)) rows.push(order.map((k) => r[k]));
  }
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'census-merged');
  mkdirSync(dir, { recursive: true });
  const merged = join(dir, `census-${createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 16)}.json`);
  writeFileSync(merged, JSON.stringify([[...FIELDS, 'time'], ...rows]));
  return { merged, rows: rows.length, emptyMonths, downloaded };
}
