import { SETTINGS } from '../core/config.js';
/**
 * The IMF data portal's SDMX 3.0 REST API (https://data.imf.org; the service
 * behind it https://api.imf.org/external/sdmx/3.0/), data flow IMTS of agency
 * IMF.STA (International Trade in Goods by partner country, the successor to the
 * Direction of Trade Statistics): GET {api}/data/dataflow/IMF.STA/IMTS/+/{key}
 * with the key REPORTERS.INDICATORS.PARTNERS.FREQUENCY (values joined by "+",
 * ISO 3166 alpha-3 codes, G001 the world; XG_FOB_USD exports FOB and
 * MG_CIF_USD imports CIF in US$; A, Q or M), answered as SDMX-CSV when asked with
 * `Accept: application/vnd.sdmx.data+csv;version=2.0.0`. A subscription key, when
 * the user has one, goes in the `Ocp-Apim-Subscription-Key` header.
 */
export const IMF_SDMX_API = SETTINGS.DECOUPLE_IMF_API.fallback;

/** The header that asks the portal for SDMX-CSV. */
export const SDMX_CSV = 'application/vnd.sdmx.data+csv;version=2.0.0';

/** Returns the IMTS query for reporters and partners (ISO3, or G001 for the world), annual or monthly. */
export function imtsUrl(reporters: string[], partners: string[], frequency: 'A' | 'M', api = IMF_SDMX_API): string {
  const codes = (list: string[]) =>
    list
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean)
      .join('+');
  return `${api}/data/dataflow/IMF.STA/IMTS/+/${codes(reporters)}.XG_FOB_USD+MG_CIF_USD.${codes(partners)}.${frequency}`;
}
