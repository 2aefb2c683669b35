import { readFileSync } from 'node:fs';
import type { Row, Store } from '../store/store.js';
import { settingOrDefault } from '../core/config.js';

/** A data source the system can fetch: where it lives officially, where it is documented, its terms. */
export interface SourceInfo {
  id: string;
  name: string;
  url: string;
  documentation: string;
  terms: string;
  /** The `datasets.source` its imports are recorded under. */
  datasetSource: string;
  fetchable: boolean;
}

export const SOURCES: SourceInfo[] = [
  {
    id: 'screening-list',
    name: 'Consolidated Screening List (ITA)',
    url: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv',
    documentation: 'https://developer.trade.gov/',
    terms: 'US Government work (public domain); a match is not a compliance determination',
    datasetSource: 'screening-list',
    fetchable: true,
  },
  {
    id: 'federal-register',
    name: 'Federal Register API (documents)',
    url: 'https://www.federalregister.gov/api/v1/documents.json',
    documentation: 'https://www.federalregister.gov/developers/documentation/api/v1',
    terms: 'US Government work (public domain); no API key',
    datasetSource: 'federal-register',
    fetchable: true,
  },
  {
    id: 'baci',
    name: 'CEPII BACI',
    url: 'https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{HS}_V{release}.zip',
    documentation: 'https://www.cepii.fr/DATA_DOWNLOAD/baci/doc/DescriptionBACI.html',
    terms: 'Etalab Open Licence 2.0',
    datasetSource: 'baci',
    fetchable: true,
  },
  {
    id: 'comtrade',
    name: 'UN Comtrade API',
    url: 'https://comtradeapi.un.org/data/v1/get/C/A/HS',
    documentation: 'https://comtradedeveloper.un.org/',
    terms: 'UN Comtrade terms of use; free tier with a subscription key (500 calls a day, 100,000 records a call)',
    datasetSource: 'comtrade',
    fetchable: true,
  },
  {
    id: 'census',
    name: 'US Census international trade API',
    url: 'https://api.census.gov/data/timeseries/intltrade/imports/hs',
    documentation: 'https://www.census.gov/data/developers/data-sets/international-trade.html',
    terms: 'US Government work (public domain); up to 500 calls a day without a key',
    datasetSource: 'census',
    fetchable: true,
  },
  {
    id: 'bea',
    name: 'BEA international transactions and trade by country (decouple fetch bea: the data API, dataset ITA; a free UserID)',
    url: 'https://apps.bea.gov/api/data',
    documentation: 'https://apps.bea.gov/api/',
    terms: 'US Government work (public domain)',
    datasetSource: 'bea',
    fetchable: true,
  },
  {
    id: 'dots',
    name: 'IMF Direction of Trade Statistics; its successor IMTS on the IMF data portal (decouple fetch dots: SDMX 3.0 API, SDMX-CSV)',
    url: 'https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/',
    documentation: 'https://data.imf.org/',
    terms: 'IMF copyright and usage terms',
    datasetSource: 'dots',
    fetchable: true,
  },
  {
    id: 'tariffs',
    name: 'USTR Section 301 lists; USITC HTS (decouple fetch usitc-301)',
    url: 'https://ustr.gov/issue-areas/enforcement/section-301-investigations/tariff-actions',
    documentation: 'https://hts.usitc.gov/',
    terms: 'US Government work (public domain)',
    datasetSource: 'tariffs',
    fetchable: true,
  },
];

/** Returns each source with its URLs, terms and when it was last imported into this store. */
export async function sourcesTable(store: Store): Promise<Row[]> {
  const last = new Map(
    (
      await store.all(
        `SELECT source, strftime(max(imported_at), '%Y-%m-%d %H:%M') AS at, count(*) AS n FROM datasets GROUP BY source`,
      )
    ).map((r) => [String(r.source), r]),
  );
  return SOURCES.map((s) => ({
    source: s.id,
    name: s.name,
    url: s.url,
    documentation: s.documentation,
    terms: s.terms,
    fetch: s.fetchable ? 'decouple fetch ' + s.id : 'import files (decouple import ' + s.id + ')',
    datasets: Number(last.get(s.datasetSource)?.n ?? 0),
    last_imported: last.get(s.datasetSource)?.at ?? null,
  }));
}

/**
 * Returns the Federal Register search URL for a term and date range, one page of up to 1,000 documents, oldest
 * first (default fields).
 */
export function federalRegisterUrl(term: string, from: string, to: string | undefined, page: number): string {
  const q = new URLSearchParams();
  q.set('per_page', '1000');
  q.set('order', 'oldest');
  q.set('page', String(page));
  q.set('conditions[term]', term);
  q.set('conditions[publication_date][gte]', from);
  if (to) q.set('conditions[publication_date][lte]', to);
  return `${settingOrDefault('DECOUPLE_FEDERAL_REGISTER_API')}?${q.toString()}`;
}

/** Returns the URL of the next page named in a Federal Register response, if any. */
export function nextPageUrl(path: string): string | undefined {
  const doc = JSON.parse(readFileSync(path, 'utf-8')) as { next_page_url?: string | null };
  return doc.next_page_url ?? undefined;
}
