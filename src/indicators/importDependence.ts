import type { Store } from '../store/store.js';
import { createFlowBase, datasetsLabel } from './flowBase.js';
import { createReporterProducts } from './reporterProducts.js';
import { coverageGapNote, productBaseGaps } from './coverage.js';
import { need, type IndicatorParams, type IndicatorResult, finite, productLevel } from './params.js';

/** Supplier-share thresholds (percent) at which an import is counted as dependent. */
export const DEPENDENCE_THRESHOLDS = [50, 70, 90] as const;

/**
 * Import dependence (进口依赖度): for the reporter's imports of each product,
 * the partner's share s_k = 100 × M_k(partner) / M_k(all sources); per year,
 * the number of products and the share of import value in products where
 * s_k ≥ 50, 70 and 90%, and the partner's overall share. Returns one row per
 * year. Reference: European Commission (2021), "Strategic dependencies and
 * capacities", SWD(2021) 352, which screens products by supplier concentration.
 */
export async function importDependence(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter (the importer)', 'import-dependence');
  const partner = need(p.partner, '--partner (the supplier)', 'import-dependence');
  const level = productLevel(p, 'import-dependence');
  const info = await createFlowBase(store, {
    years: p.years,
    level,
    datasets: p.datasets,
    monthly: false,
    side: p.side,
  });
  const summed = await createReporterProducts(store, reporter, partner, 'import');
  const cols = DEPENDENCE_THRESHOLDS.map(
    (t) =>
      `count(*) FILTER (WHERE s >= ${t}) AS products_${t}, 100 * sum(total_usd) FILTER (WHERE s >= ${t}) / sum(total_usd) AS value_share_${t}`,
  ).join(', ');
  const rows = await store.all(`
    SELECT year, count(*) AS products, 100 * sum(partner_usd) / sum(total_usd) AS partner_share, ${cols}, bool_and(world_reported) AS world_reported
    FROM (SELECT *, 100 * partner_usd / nullif(total_usd, 0) AS s FROM rp WHERE total_usd > 0) GROUP BY year ORDER BY year`);
  const notes = [...info.notes, `product shares at HS${level}`];
  // Shares need the importer's imports from every source: years whose product data hold less give no row.
  const gaps = await productBaseGaps(store, reporter, 'import');
  const gapYears = new Set(gaps.map((g) => g.year));
  const gapNote = coverageGapNote(reporter, gaps);
  if (gapNote) notes.push(gapNote);
  if (summed > 0 && rows.some((r) => !gapYears.has(Number(r.year)) && !r.world_reported)) {
    notes.push(
      `product totals without a world row are sums over all sources in the data, which hold at least 95% of ${reporter}'s reported world imports`,
    );
  }
  return {
    rows: rows
      .filter((r) => !gapYears.has(Number(r.year)))
      .map((r) => ({
        year: r.year,
        reporter,
        partner,
        products: r.products,
        partner_share_pct: finite(r.partner_share),
        ...Object.fromEntries(
          DEPENDENCE_THRESHOLDS.flatMap((t) => [
            [`products_share_ge_${t}`, r[`products_${t}`]],
            [`import_value_in_them_pct_ge_${t}`, finite(r[`value_share_${t}`] ?? 0)],
          ]),
        ),
        world_basis: r.world_reported
          ? 'reported world total'
          : 'sum over all sources (≥95% of the reported world total)',
        datasets: datasetsLabel(info, Number(r.year)),
      })),
    notes,
  };
}
