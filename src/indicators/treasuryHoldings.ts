import type { Store } from '../store/store.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { storedSeries } from './storedSeries.js';

/**
 * The reporter's holdings of US Treasury securities (TIC Major Foreign
 * Holders) and their share of all foreign holdings:
 *   share_pct = 100 × holdings(reporter) / holdings(all foreign holders),
 * at the end of each year (December) or, with --monthly, of each month; both
 * from one file. Months at a series break (benchmark revisions) are marked.
 * The partner must be the United States. Returns one row per period.
 */
export async function treasuryHoldings(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const holder = need(p.reporter, '--reporter', 'treasury-holdings');
  const issuer = need(p.partner, '--partner', 'treasury-holdings');
  if (issuer !== 'USA')
    return { rows: [], notes: ['not computable: TIC gives holdings of US Treasury securities only (--partner USA)'] };
  const own = await storedSeries(store, {
    indicator: 'us_treasury_holdings',
    country: holder,
    partner: 'USA',
    frequency: 'M',
  });
  if (!own.points.length)
    return {
      rows: [],
      notes: [`not computable: no TIC holdings of ${holder} are loaded (decouple import tic-mfh FILE)`],
    };
  const total = await storedSeries(store, {
    indicator: 'us_treasury_holdings',
    country: 'WLD',
    partner: 'USA',
    frequency: 'M',
    datasetId: own.dataset!.id,
  });
  const totals = new Map(total.points.map((t) => [t.period, t.value]));
  const [from, to] = p.years ?? [-Infinity, Infinity];
  const rows = own.points
    .filter((x) => x.year >= from && x.year <= to && (p.monthly || x.period.endsWith('-12')))
    .map((x) => ({
      period: x.period,
      year: x.year,
      holder,
      holdings_usd: finite(x.value),
      all_foreign_usd: finite(totals.get(x.period)),
      share_pct: totals.has(x.period) ? finite((100 * x.value) / totals.get(x.period)!) : null,
      series_break: x.flag === 'b',
    }));
  const notes = [
    `end of ${p.monthly ? 'month' : 'year (December)'}, US$, TIC Major Foreign Holders [${own.dataset?.label}]; holdings by country of the custodian: securities held through custodians elsewhere (Belgium, the UK, Luxembourg) count there`,
  ];
  if (!total.points.length)
    notes.push('the share is not computable: no Grand Total of foreign holders in the same file');
  if (rows.some((r) => r.series_break))
    notes.push(
      'series_break: a benchmark revision month; the new series is shown, the old value is in the stored note',
    );
  return { rows, notes };
}
