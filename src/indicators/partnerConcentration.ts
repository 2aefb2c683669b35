import type { Store } from '../store/store.js';
import { createPartnerTotals } from './partnerTotals.js';
import { createSourceBuckets } from './sourceBuckets.js';
import { need, type IndicatorParams, type IndicatorResult, finite } from './params.js';

/**
 * Partner rank (贸易伙伴排名): the partner's place among the reporter's
 * partners by value (1 = largest), with its share of the reporter's trade
 * over the partners loaded. Without --partner, the top N partners per year;
 * --sources group:ASEAN makes a country group compete as one partner.
 * Returns one row per year and partner.
 */
export async function partnerRank(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'partner-rank');
  const years = await createPartnerTotals(store, reporter, p.flow, p.years, p.datasets);
  const notes = years.length ? ['shares are of the trade with the partner economies loaded (aggregates such as World and EU left out)'] : ['no partner data for this reporter'];
  let source = 'pt';
  if (p.sources?.length && years.length) {
    // Country groups (group:ASEAN) compete as one partner, with each year's members (EU with the UK to 2019).
    await createSourceBuckets(store, p.sources, years);
    await store.run(`CREATE OR REPLACE TEMP TABLE pt_grouped AS
      SELECT pt.year, coalesce(b.bucket, pt.partner) AS partner, sum(value_usd) AS value_usd, any_value(dataset_id) AS dataset_id
      FROM pt LEFT JOIN bucket b ON b.economy = pt.partner AND b.year = pt.year GROUP BY pt.year, coalesce(b.bucket, pt.partner)`);
    source = 'pt_grouped';
    notes.push(`${p.sources.join(', ')} counted as single partners (members at the end of each year)`);
  }
  const rows = await store.all(`
    SELECT * FROM (
      SELECT year, partner, value_usd, 100 * value_usd / sum(value_usd) OVER (PARTITION BY year) AS share_pct,
             rank() OVER (PARTITION BY year ORDER BY value_usd DESC) AS rank, count(*) OVER (PARTITION BY year) AS partners, dataset_id
      FROM ${source})
    WHERE ${p.partner ? `partner = '${p.partner}'` : `rank <= ${p.top ?? 10}`}
    ORDER BY year, rank`);
  return {
    rows: rows.map((r) => ({ year: r.year, reporter, partner: r.partner, flow: p.flow, rank: r.rank, value_usd: finite(r.value_usd), share_pct: finite(r.share_pct), partners: r.partners, datasets: String(r.dataset_id) })),
    notes,
  };
}

/**
 * Partner concentration (贸易伙伴集中度, Herfindahl–Hirschman):
 *   HHI = Σ_j s_j²,  s_j = X_j / Σ X  (0–1; ×10,000 on the antitrust scale)
 *   HHI* = (HHI − 1/N) / (1 − 1/N)   (normalised, 0 = equal shares, 1 = one partner)
 *   equivalent partners = 1 / HHI.
 * Returns one row per year. Reference: Hirschman (1945); WITS "Hirschman
 * Herfindahl index" (which reports the normalised form).
 */
export async function partnerHhi(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'partner-hhi');
  await createPartnerTotals(store, reporter, p.flow, p.years, p.datasets);
  const rows = await store.all(`
    SELECT year, count(*) AS partners, sum(s * s) AS hhi, any_value(dataset_id) AS dataset_id, max(s) AS top_share
    FROM (SELECT year, dataset_id, value_usd / sum(value_usd) OVER (PARTITION BY year) AS s FROM pt WHERE value_usd > 0)
    GROUP BY year ORDER BY year`);
  return {
    rows: rows.map((r) => {
      const n = Number(r.partners);
      const hhi = Number(r.hhi);
      return {
        year: r.year,
        reporter,
        flow: p.flow,
        partners: n,
        hhi: finite(hhi),
        hhi_10000: finite(hhi * 10000),
        hhi_normalised: n > 1 ? finite((hhi - 1 / n) / (1 - 1 / n)) : null,
        equivalent_partners: finite(1 / hhi),
        top_partner_share_pct: finite(100 * Number(r.top_share)),
        datasets: String(r.dataset_id),
      };
    }),
    notes: ['over the partner economies loaded (aggregates left out); a source with few partners understates concentration\'s denominator'],
  };
}
