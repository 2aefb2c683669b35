import type { Store } from '../store/store.js';
import { createPartnerTotals } from './partnerTotals.js';
import { reportedWorldTotals, WORLD_COVERAGE_MIN } from './coverage.js';
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
  const notes = years.length
    ? ['shares are of the trade with the partner economies in the data (aggregates such as World and EU left out)']
    : ['no partner data for this reporter'];
  let source = 'pt';
  if (p.sources?.length && years.length) {
    // Country groups (group:ASEAN) compete as one partner, with each year's members (EU with the UK to 2019).
    await createSourceBuckets(store, p.sources, years);
    await store.run(`CREATE OR REPLACE TEMP TABLE pt_grouped AS
      SELECT pt.year, coalesce(b.bucket, pt.partner) AS partner, sum(value_usd) AS value_usd, any_value(file_name) AS file_name
      FROM pt LEFT JOIN bucket b ON b.economy = pt.partner AND b.year = pt.year GROUP BY pt.year, coalesce(b.bucket, pt.partner)`);
    source = 'pt_grouped';
    notes.push(`${p.sources.join(', ')} counted as single partners (members at the end of each year)`);
  }
  const rows = await store.all(`
    SELECT * FROM (
      SELECT year, partner, value_usd, 100 * value_usd / sum(value_usd) OVER (PARTITION BY year) AS share_pct,
             rank() OVER (PARTITION BY year ORDER BY value_usd DESC) AS rank, count(*) OVER (PARTITION BY year) AS partners, file_name
      FROM ${source})
    WHERE ${p.partner ? `partner = '${p.partner}'` : `rank <= ${p.top ?? 10}`}
    ORDER BY year, rank`);
  const covered = await coveredYears(store, reporter, p.flow, notes);
  return {
    rows: rows.map((r) => {
      const ok = covered.has(Number(r.year));
      return {
        year: r.year,
        reporter,
        partner: r.partner,
        flow: p.flow,
        rank: ok ? r.rank : null,
        value_usd: finite(r.value_usd),
        share_pct: ok ? finite(r.share_pct) : null,
        partners: r.partners,
        datasets: String(r.file_name),
      };
    }),
    notes,
  };
}

/**
 * Returns the years in which the partners in `pt` hold at least WORLD_COVERAGE_MIN of the reporter's
 * reported world trade (shares, ranks and concentration need every partner), and notes the others.
 */
async function coveredYears(
  store: Store,
  reporter: string,
  flow: IndicatorParams['flow'],
  notes: string[],
): Promise<Set<number>> {
  const directions: Array<'export' | 'import'> = flow === 'total' ? ['export', 'import'] : [flow];
  const totals = await Promise.all(directions.map((d) => reportedWorldTotals(store, reporter, d)));
  // Reconciled world data (BACI) hold every partner by construction.
  const sums = await store.all(
    `SELECT year, sum(value_usd) AS v, count(*) AS n, bool_and(dataset_id IN (SELECT dataset_id FROM datasets WHERE source = 'baci')) AS reconciled
     FROM pt GROUP BY year ORDER BY year`,
  );
  const covered = new Set<number>();
  const gaps: string[] = [];
  for (const r of sums) {
    const year = Number(r.year);
    const world = totals.every((t) => t.has(year)) ? totals.reduce((a, t) => a + t.get(year)!, 0) : undefined;
    if (r.reconciled === true || (world !== undefined && Number(r.v) >= WORLD_COVERAGE_MIN * world)) covered.add(year);
    else
      gaps.push(
        `${year} (${r.n} partners${world ? `, ${((100 * Number(r.v)) / world).toFixed(1)}% of the reported world total` : ', no world total reported'})`,
      );
  }
  if (gaps.length)
    notes.push(
      `not computable: shares, ranks and concentration for ${gaps.join(', ')}: the data do not hold ${reporter}'s trade with every partner; import a source with all partners (IMF DOTS/IMTS: decouple fetch dots; UN Comtrade with ${reporter} as reporter)`,
    );
  return covered;
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
    SELECT year, count(*) AS partners, any_value(file_name) AS file_name,
           -- Σ X_j² / (Σ X_j)², the sums exact (decimals): the same digits in any order of the rows.
           CAST(sum(value_usd * value_usd) AS DOUBLE) / pow(CAST(sum(value_usd) AS DOUBLE), 2) AS hhi,
           CAST(max(value_usd) AS DOUBLE) / CAST(sum(value_usd) AS DOUBLE) AS top_share
    FROM pt WHERE value_usd > 0 GROUP BY year ORDER BY year`);
  const notes = ['over the partner economies in the data (aggregates left out)'];
  const covered = await coveredYears(store, reporter, p.flow, notes);
  return {
    rows: rows
      .filter((r) => covered.has(Number(r.year)))
      .map((r) => {
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
          datasets: String(r.file_name),
        };
      }),
    notes,
  };
}
