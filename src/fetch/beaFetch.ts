import { SETTINGS } from '../core/config.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defaultCacheDir, download, type DownloadOptions } from '../files/download.js';

/**
 * The BEA data API, dataset ITA (International Transactions Accounts;
 * https://apps.bea.gov/api/, user guide appendix "ITA"):
 * GET https://apps.bea.gov/api/data?UserID=KEY&method=GetData&DatasetName=ITA&Indicator=ExpServ
 *     &AreaOrCountry=China&Frequency=A&Year=ALL&ResultFormat=JSON
 * answers {"BEAAPI": {"Results": {"Data": [{"Indicator", "AreaOrCountry", "TimePeriod" ("2019",
 * "2019Q1"), "DataValue" ("12,345"), "CL_UNIT" ("USD"), "UNIT_MULT" ("6"), …}]}}}, or an
 * `Error` object (APIErrorCode, APIErrorDescription). `AllCountries` is the total over partners.
 * The key (UserID) travels in the URL: it is added to the request only, never to the cache key,
 * the logs or the store.
 */
export const BEA_API = SETTINGS.DECOUPLE_BEA_API.fallback;

/** ITA indicators and the measure names of BEA's trade-by-country tables (what `import bea` reads). */
export const BEA_INDICATORS: Record<string, string> = {
  ExpGds: 'Exports of Goods',
  ImpGds: 'Imports of Goods',
  BalGds: 'Balance on Goods',
  ExpServ: 'Exports of Services',
  ImpServ: 'Imports of Services',
  BalServ: 'Balance on Services',
  ExpGdsServ: 'Exports of Goods and Services',
  ImpGdsServ: 'Imports of Goods and Services',
  BalGdsServ: 'Balance on Goods and Services',
};

export interface BeaRequest {
  indicators: string[];
  areas: string[];
  /** A (annual) or QSA (quarterly, seasonally adjusted). */
  frequency: 'A' | 'QSA';
  /** Comma-separated years, or ALL. */
  years: string;
}

/** Returns the calls of a request, one per indicator and area (without the key). */
export function beaUrls(r: BeaRequest, api = BEA_API): string[] {
  return r.indicators.flatMap((indicator) =>
    r.areas.map(
      (area) =>
        `${api}?${new URLSearchParams({ method: 'GetData', DatasetName: 'ITA', Indicator: indicator, AreaOrCountry: area, Frequency: r.frequency, Year: r.years, ResultFormat: 'JSON' })}`,
    ),
  );
}

const rowSchema = z.object({
  Indicator: z.string(),
  AreaOrCountry: z.string(),
  TimePeriod: z.string(),
  DataValue: z.string(),
  UNIT_MULT: z.union([z.string(), z.number()]),
});

/**
 * Returns the rows of one ITA answer as `[measure, area, period, US$ million]`
 * (cells BEA leaves empty or suppresses are kept empty). Throws naming the
 * call when the answer is an API error or not the expected table.
 */
export function beaRows(text: string, label: string): string[][] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(
      `${label}: the answer is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}); nothing was imported`,
    );
  }
  const api = (body as { BEAAPI?: { Error?: unknown; Results?: { Error?: unknown; Data?: unknown } } }).BEAAPI;
  const error = (api?.Error ?? api?.Results?.Error) as
    { APIErrorDescription?: string; APIErrorCode?: string } | undefined;
  if (error)
    throw new Error(
      `${label}: BEA answered an error ${error.APIErrorCode ?? ''}: ${error.APIErrorDescription ?? JSON.stringify(error)}; nothing was imported`,
    );
  const data = api?.Results?.Data;
  if (!Array.isArray(data)) throw new Error(`${label}: not an ITA answer (BEAAPI.Results.Data); nothing was imported`);
  return data.map((raw, i) => {
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${label}, row ${i + 1}: field '${issue?.path.join('.')}' ${issue?.message}; the answer changed format, nothing was imported`,
      );
    }
    const r = parsed.data;
    const measure = BEA_INDICATORS[r.Indicator];
    if (!measure) throw new Error(`${label}, row ${i + 1}: unknown indicator '${r.Indicator}'`);
    const value = Number(r.DataValue.replace(/,/g, ''));
    const millions =
      r.DataValue.trim() === '' || !Number.isFinite(value)
        ? r.DataValue.trim()
        : String(value * 10 ** (Number(r.UNIT_MULT) - 6));
    return [measure, r.AreaOrCountry, r.TimePeriod, millions];
  });
}

/**
 * Downloads every call of a request (cached, retried; the key added to the
 * requests only) and writes one table in the layout `import bea` reads
 * (`table,measure,country_or_area,period,value_usd_mn`); returns its path and size.
 */
export async function fetchBeaTable(
  urls: string[],
  key: string,
  opts: DownloadOptions & { onCall?: (done: number, total: number) => void },
): Promise<{ path: string; rows: number; downloaded: number }> {
  const rows: string[][] = [];
  let downloaded = 0;
  for (const [i, url] of urls.entries()) {
    const got = await download(url, { ...opts, secretQuery: { UserID: key } });
    if (got.from === 'network') downloaded++;
    for (const r of beaRows(readFileSync(got.path, 'utf-8'), url)) rows.push(['ITA', ...r]);
    opts.onCall?.(i + 1, urls.length);
  }
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'bea-merged');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bea-ita-${createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 16)}.csv`);
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(
    path,
    ['table,measure,country_or_area,period,value_usd_mn', ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n',
  );
  return { path, rows: rows.length, downloaded };
}
