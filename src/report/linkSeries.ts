import type { Row, Store } from '../store/store.js';

/** The trade series the trade section already covers (BEA), left out of the other links. */
const TRADE_SERIES = /^(goods|services|goods_services)_(export|import|balance)$/;

/** The kind of link a series measures, from its indicator name: investment, people or research. */
export function linkKind(indicator: string): 'investment' | 'people' | 'research' | 'other' {
  if (/fdi|invest|m_?and_?a|acquisition|venture|capital/i.test(indicator)) return 'investment';
  if (/student|visa|talent|migra|researcher|scholar|worker|person/i.test(indicator)) return 'people';
  if (/patent|publication|paper|coauthor|co_author|research|r_?and_?d|citation/i.test(indicator)) return 'research';
  return 'other';
}

/**
 * Returns the annual series loaded for a pair in either direction (FDI,
 * students, patents and the like, imported with `decouple import csv`),
 * other than the trade series and published reference figures: one entry
 * per indicator and direction, rows ordered by year.
 */
export async function pairLinkSeries(
  store: Store,
  a: string,
  b: string,
  years?: [number, number],
): Promise<Array<{ indicator: string; country: string; partner: string; unit: string; kind: string; rows: Row[] }>> {
  const rows = await store.all(
    `SELECT s.indicator, s.country, s.partner, s.unit, s.year, s.value, d.source || ': ' || d.file_name AS dataset
     FROM series s JOIN datasets d USING (dataset_id)
     WHERE s.frequency = 'A' AND d.source <> 'seed-figures'
       AND ((s.country = $1 AND s.partner = $2) OR (s.country = $2 AND s.partner = $1))
       ${years ? `AND s.year BETWEEN ${years[0]} AND ${years[1]}` : ''}
     ORDER BY s.indicator, s.country, s.year`,
    [a, b],
  );
  const groups = new Map<
    string,
    { indicator: string; country: string; partner: string; unit: string; kind: string; rows: Row[] }
  >();
  for (const r of rows) {
    const indicator = String(r.indicator);
    if (TRADE_SERIES.test(indicator)) continue;
    const key = `${indicator}|${r.country}|${r.unit}`;
    if (!groups.has(key))
      groups.set(key, {
        indicator,
        country: String(r.country),
        partner: String(r.partner),
        unit: String(r.unit),
        kind: linkKind(indicator),
        rows: [],
      });
    groups.get(key)!.rows.push({ year: r.year, value: r.value, unit: r.unit, dataset: r.dataset });
  }
  return [...groups.values()];
}

/** Returns a neutral sentence on a link series: its first and last values and the change. */
export function linkSentence(
  s: { indicator: string; country: string; partner: string; unit: string; rows: Row[] },
  lang: 'en' | 'zh',
): string {
  const first = s.rows[0];
  const last = s.rows[s.rows.length - 1];
  const v0 = Number(first.value);
  const v1 = Number(last.value);
  const fmt = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const pct = v0 !== 0 ? ((v1 / v0 - 1) * 100).toFixed(1) : null;
  if (lang === 'zh') {
    return `${s.indicator}（${s.country}→${s.partner}）：${first.year}年为${fmt(v0)}（${s.unit}），${last.year}年为${fmt(v1)}${pct === null ? '' : `，变化${Number(pct) >= 0 ? '+' : ''}${pct}%`}。`;
  }
  return `${s.indicator} (${s.country} → ${s.partner}): ${fmt(v0)} ${s.unit} in ${first.year}, ${fmt(v1)} in ${last.year}${pct === null ? '' : ` (${Number(pct) >= 0 ? '+' : ''}${pct}%)`}.`;
}
