import { SETTINGS, setting } from '../core/config.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { codeSystems } from '../reference/codeSystems.js';
import { defaultCacheDir, download, isCached, type DownloadOptions } from '../files/download.js';

/**
 * UN Comtrade API v1, "Get final data" (https://comtradedeveloper.un.org):
 * GET https://comtradeapi.un.org/data/v1/get/C/{A|M}/HS?reporterCode=…&period=…
 * &partnerCode=…&cmdCode=…&flowCode=…&customsCode=C00&motCode=0&partner2Code=0
 * with the subscription key in the Ocp-Apim-Subscription-Key header. The free
 * tier allows 500 calls a day and up to 100,000 records a call (comtradr,
 * "Querying large amounts of data"); a response holding exactly the limit is
 * taken as cut off and its call is split.
 */
export const COMTRADE_API = SETTINGS.DECOUPLE_COMTRADE_API.fallback;

/** What to fetch. */
export interface ComtradeRequest {
  reporters: string[];
  /** ISO3 codes, or 'all'. */
  partners: string[] | 'all';
  years: [number, number];
  /** Product detail: 0 = totals, else HS digits. */
  hs: 0 | 2 | 4 | 6;
  flows: ('M' | 'X')[];
  monthly: boolean;
  /** Records one call may return (free tier: 100,000). */
  maxRows: number;
  /** The API's base address (default COMTRADE_API; $DECOUPLE_COMTRADE_API for a proxy or a test server). */
  api?: string;
}

/** One planned API call. */
export interface ComtradeCall {
  url: string;
  reporter: string;
  period: string;
  flow: 'M' | 'X';
  /** Comtrade partner codes of the call; empty = all partners. */
  partners: string[];
}

/**
 * Returns the Comtrade area codes of economies, in their order (the shipped
 * exceptions, e.g. USA 842, else the ISO numeric code), read in one query;
 * throws naming an economy without one.
 */
export async function comtradeCodes(store: Store, iso3s: string[]): Promise<string[]> {
  const special = new Map(Object.entries(codeSystems().comtrade.codes).map(([code, iso]) => [iso, code]));
  const numeric = new Map(
    (await store.all(`SELECT iso3, iso_numeric FROM countries WHERE iso_numeric IS NOT NULL`)).map((r) => [
      String(r.iso3),
      String(r.iso_numeric),
    ]),
  );
  return iso3s.map((iso3) => {
    const code = special.get(iso3) ?? numeric.get(iso3);
    if (!code) throw new Error(`${iso3}: no Comtrade code known (not an economy of the countries pack)`);
    return code;
  });
}

function callUrl(
  api: string,
  reporter: string,
  period: string,
  flow: string,
  partners: string[],
  hs: number,
  monthly: boolean,
): string {
  const q = new URLSearchParams({
    reporterCode: reporter,
    period,
    flowCode: flow,
    cmdCode: hs === 0 ? 'TOTAL' : `AG${hs}`,
    customsCode: 'C00',
    motCode: '0',
    partner2Code: '0',
    includeDesc: 'false',
  });
  if (partners.length) q.set('partnerCode', partners.join(','));
  return `${api}/${monthly ? 'M' : 'A'}/HS?${q}`;
}

/** Returns the periods of a request: years, or the twelve months of each year. */
function periods(r: ComtradeRequest): string[] {
  const out: string[] = [];
  for (let y = r.years[0]; y <= r.years[1]; y++) {
    if (r.monthly) for (let m = 1; m <= 12; m++) out.push(`${y}${String(m).padStart(2, '0')}`);
    else out.push(String(y));
  }
  return out;
}

/**
 * Returns the calls for a request: one per reporter, period and flow, each
 * split over groups of partners so that partners × products stays under the
 * per-call limit (products: the number of codes of that HS level, a bound).
 */
export function planComtradeCalls(
  r: ComtradeRequest,
  codes: { reporters: string[]; partners: string[]; allPartners: boolean },
  products: number,
): ComtradeCall[] {
  const perPartner = Math.max(1, r.hs === 0 ? 1 : products);
  const chunk = Math.max(1, Math.floor(r.maxRows / perPartner));
  const groups: string[][] = [];
  if (codes.allPartners && codes.partners.length <= chunk) groups.push([]);
  else for (let i = 0; i < codes.partners.length; i += chunk) groups.push(codes.partners.slice(i, i + chunk));
  const calls: ComtradeCall[] = [];
  for (const reporter of codes.reporters)
    for (const period of periods(r))
      for (const flow of r.flows)
        for (const partners of groups)
          calls.push({
            url: callUrl(r.api ?? COMTRADE_API, reporter, period, flow, partners, r.hs, r.monthly),
            reporter,
            period,
            flow,
            partners,
          });
  return calls;
}

/** Calls made today (UTC) against the daily budget, kept in the cache folder. */
export class CallBudget {
  private readonly file: string;
  constructor(
    readonly perDay: number,
    cacheDir = defaultCacheDir(),
    private readonly today = () => new Date().toISOString().slice(0, 10),
  ) {
    mkdirSync(cacheDir, { recursive: true });
    this.file = join(cacheDir, 'comtrade-calls.json');
  }

  private read(): Record<string, number> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf-8')) as Record<string, number>) : {};
  }

  /** Returns the calls left today. */
  left(): number {
    return Math.max(0, this.perDay - (this.read()[this.today()] ?? 0));
  }

  /** Counts one call; returns nothing. */
  spend(): void {
    const d = this.read();
    d[this.today()] = (d[this.today()] ?? 0) + 1;
    writeFileSync(this.file, JSON.stringify({ [this.today()]: d[this.today()] }));
  }
}

/** What a fetch run achieved: the merged response when complete, else how many calls remain. */
export interface ComtradeFetchResult {
  complete: boolean;
  /** The merged response of all calls (one JSON file, `{"data": [...]}`), when complete. */
  merged?: string;
  calls: number;
  downloaded: number;
  fromCache: number;
  splits: number;
  remaining: number;
  records: number;
}

/**
 * Returns the result of running the planned calls: each answer comes from
 * the mirror, the cache or the API (spending the daily budget); an answer
 * holding exactly the per-call limit is split by partners and asked again;
 * when the budget runs out the run stops, keeping what it has, and a later
 * run resumes from the cache. When every call is answered, the records are
 * merged into one response file for a single import.
 */
export async function runComtradeCalls(
  planned: ComtradeCall[],
  r: ComtradeRequest,
  allPartners: string[],
  budget: CallBudget,
  opts: DownloadOptions & { key?: string; onCall?: (done: number, total: number) => void },
): Promise<ComtradeFetchResult> {
  const queue = [...planned];
  const records: unknown[] = [];
  let downloaded = 0;
  let fromCache = 0;
  let splits = 0;
  let answered = 0;
  const headers = opts.key ? { 'Ocp-Apim-Subscription-Key': opts.key } : undefined;
  while (queue.length) {
    const call = queue[0];
    const mirror = opts.mirror ?? setting('DECOUPLE_MIRROR');
    const cached = !mirror && isCached(call.url, opts.cacheDir);
    if (!mirror && !cached && budget.left() === 0) {
      return {
        complete: false,
        calls: planned.length + splits,
        downloaded,
        fromCache,
        splits,
        remaining: queue.length,
        records: records.length,
      };
    }
    const got = await download(call.url, { ...opts, headers });
    if (got.from === 'network') {
      budget.spend();
      downloaded++;
    } else fromCache++;
    queue.shift();
    const body = JSON.parse(readFileSync(got.path, 'utf-8')) as { data?: unknown[]; count?: number; error?: string };
    if (body.error) throw new Error(`${call.url}: the API answered an error: ${body.error}`);
    if (!Array.isArray(body.data)) throw new Error(`${call.url}: not a Comtrade API response (no data array)`);
    if (body.data.length >= r.maxRows) {
      // Cut off at the limit: split by partners and ask again.
      const partners = call.partners.length ? call.partners : allPartners;
      if (partners.length < 2)
        throw new Error(
          `${call.url}: ${body.data.length} records for a single partner reach the per-call limit; ask for fewer periods or products`,
        );
      const half = Math.ceil(partners.length / 2);
      for (const part of [partners.slice(0, half), partners.slice(half)]) {
        queue.unshift({
          ...call,
          partners: part,
          url: callUrl(r.api ?? COMTRADE_API, call.reporter, call.period, call.flow, part, r.hs, r.monthly),
        });
      }
      splits++;
      continue;
    }
    for (const record of body.data) records.push(record); // not push(...data): an answer holds up to 250,000 records
    answered++;
    opts.onCall?.(answered, answered + queue.length);
  }
  const key = createHash('sha256')
    .update(JSON.stringify({ ...r, partners: r.partners }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'comtrade-merged');
  mkdirSync(dir, { recursive: true });
  const merged = join(dir, `comtrade-${key}.json`);
  writeFileSync(merged, JSON.stringify({ count: records.length, data: records }));
  return {
    complete: true,
    merged,
    calls: planned.length + splits,
    downloaded,
    fromCache,
    splits,
    remaining: 0,
    records: records.length,
  };
}
