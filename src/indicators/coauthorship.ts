import type { Store } from '../store/store.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { otherEditionsNote, storedSeries, type StoredSeries } from './storedSeries.js';

/**
 * Research links from internationally co-authored articles (NSF NCSES, Scopus,
 * whole counts): the share of the United States' international articles with a
 * co-author from the other economy, and the share of the other economy's
 * international articles with a US co-author, each in percent as NCSES
 * publishes it, from the latest edition loaded (editions are not spliced).
 * One side of the pair must be the United States. Returns one row per year.
 */
export async function coauthorship(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter', 'coauthorship');
  const b = need(p.partner, '--partner', 'coauthorship');
  if (a !== 'USA' && b !== 'USA')
    return { rows: [], notes: ['not computable: the NCSES tables give co-authorship with the United States only'] };
  const other = a === 'USA' ? b : a;
  const usSide = await storedSeries(store, {
    indicator: 'us_intl_articles_coauthor_share',
    country: 'USA',
    partner: other,
  });
  const otherSide = await storedSeries(store, {
    indicator: 'intl_articles_us_coauthor_share',
    country: other,
    partner: 'USA',
  });
  if (!usSide.points.length && !otherSide.points.length)
    return {
      rows: [],
      notes: [
        `not computable: no co-authorship shares of USA and ${other} are loaded (decouple import ncses tables/10004 tables/10005)`,
      ],
    };
  const byYear = (s: StoredSeries) => new Map(s.points.map((x) => [x.year, x.value]));
  const us = byYear(usSide);
  const them = byYear(otherSide);
  const [from, to] = p.years ?? [-Infinity, Infinity];
  const years = [...new Set([...us.keys(), ...them.keys()])].filter((y) => y >= from && y <= to).sort((x, y) => x - y);
  const rows = years.map((year) => ({
    year,
    economy: other,
    us_intl_articles_with_partner_pct: finite(us.get(year)),
    partner_intl_articles_with_us_pct: finite(them.get(year)),
  }));
  return {
    rows,
    notes: [
      `us_intl_articles_with_partner_pct: share of US international articles with a co-author from ${other} [${usSide.dataset?.label ?? 'not loaded'}]; partner_intl_articles_with_us_pct: share of ${other}'s international articles with a US co-author [${otherSide.dataset?.label ?? 'not loaded'}]`,
      ...otherEditionsNote('US side', usSide),
      ...otherEditionsNote(`${other} side`, otherSide),
    ],
  };
}
