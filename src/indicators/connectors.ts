import type { Store } from '../store/store.js';
import { tCritical95 } from '../stats/studentT.js';
import { worldCoverageNote } from './coverage.js';
import { comparedYears, createFlowBase, seriesBreakNote } from './flowBase.js';
import { need, type IndicatorParams, type IndicatorResult, finite, productLevel } from './params.js';

/**
 * Connector economies (连接者经济体, the papers' "indirect link"): for a third
 * economy C between an origin pole A (--reporter, e.g. CHN) and a
 * destination pole B (--partner, e.g. USA), per product k between --from and --to:
 *   Δm_k = M_k(A→C),to − M_k(A→C),from      Δx_k = X_k(C→B),to − X_k(C→B),from
 * across products: Pearson r(Δm, Δx); the OLS slope β of Δx on Δm with its
 * standard error √(SSR/(n−2) / Σ(Δm−mean)²) and 95% interval β ± t(n−2)·SE;
 * and the connected growth Σ_k min(max(Δm_k, 0), max(Δx_k, 0)) — the value
 * of products whose imports from A and exports to B both grew, by which
 * economies are ranked. Returns one row per economy. Reference: the
 * "connector economies" of Freund et al. (2023), "Is US trade policy
 * reshaping global supply chains?", World Bank WPS 10593, in simplified form.
 */
export async function connectors(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter (the origin pole, e.g. CHN)', 'connectors');
  const b = need(p.partner, '--partner (the destination pole, e.g. USA)', 'connectors');
  const level = productLevel(p, 'connectors');
  const info = await createFlowBase(store, {
    years: p.years,
    level,
    datasets: p.datasets,
    monthly: false,
    side: p.side,
  });
  const period = comparedYears(info, p.from, p.to);
  if (!period)
    return {
      rows: [],
      notes: [
        `connectors needs product data for two different years (--from, --to); loaded: ${info.years.join(', ') || 'none'}`,
      ],
    };
  const { from, to } = period;
  const seriesBreak = await seriesBreakNote(store, info, from, to);
  if (seriesBreak) return { rows: [], notes: [...info.notes, seriesBreak] };
  const notes = [...info.notes];
  const cover = await worldCoverageNote(store);
  if (cover) notes.push(cover);
  const only = p.economy ? `AND c = '${p.economy}'` : '';
  const rows = await store.all(`
    WITH legs AS (
      SELECT importer AS c, product, 'm' AS leg, year, value_usd AS v FROM fb WHERE exporter = '${a}' AND importer NOT IN ('${a}', '${b}')
      UNION ALL
      SELECT exporter AS c, product, 'x' AS leg, year, value_usd AS v FROM fb WHERE importer = '${b}' AND exporter NOT IN ('${a}', '${b}')),
    d AS (
      SELECT c, product,
             coalesce(sum(v) FILTER (WHERE leg = 'm' AND year = ${to}), 0) - coalesce(sum(v) FILTER (WHERE leg = 'm' AND year = ${from}), 0) AS dm,
             coalesce(sum(v) FILTER (WHERE leg = 'x' AND year = ${to}), 0) - coalesce(sum(v) FILTER (WHERE leg = 'x' AND year = ${from}), 0) AS dx,
             coalesce(sum(v) FILTER (WHERE leg = 'm' AND year = ${from}), 0) AS m0, coalesce(sum(v) FILTER (WHERE leg = 'm' AND year = ${to}), 0) AS m1,
             coalesce(sum(v) FILTER (WHERE leg = 'x' AND year = ${from}), 0) AS x0, coalesce(sum(v) FILTER (WHERE leg = 'x' AND year = ${to}), 0) AS x1
      FROM legs WHERE year IN (${from}, ${to}) GROUP BY c, product)
    SELECT c, sum(m0) AS m0, sum(m1) AS m1, sum(x0) AS x0, sum(x1) AS x1, count(*) AS products,
           corr(dx, dm) AS r, regr_slope(dx, dm) AS slope, regr_sxx(dx, dm) AS sxx, regr_syy(dx, dm) AS syy, regr_sxy(dx, dm) AS sxy,
           sum(least(greatest(dm, 0), greatest(dx, 0))) AS connected
    FROM d WHERE c NOT IN (SELECT iso3 FROM countries WHERE is_aggregate) ${only}
    GROUP BY c HAVING sum(m0) + sum(m1) > 0 AND sum(x0) + sum(x1) > 0
    ORDER BY connected DESC, c ${p.top ? `LIMIT ${p.top}` : ''}`);
  return {
    rows: rows.map((r, i) => {
      const n = Number(r.products);
      const sxx = Number(r.sxx);
      const ssr = Number(r.syy) - Number(r.sxy) ** 2 / sxx;
      const se = n > 2 && sxx > 0 ? Math.sqrt(Math.max(ssr, 0) / (n - 2) / sxx) : NaN;
      const t = tCritical95(n - 2);
      const slope = Number(r.slope);
      return {
        rank: i + 1,
        economy: r.c,
        reporter: a,
        partner: b,
        from_year: from,
        to_year: to,
        imports_from_origin_from_usd: finite(r.m0),
        imports_from_origin_to_usd: finite(r.m1),
        exports_to_destination_from_usd: finite(r.x0),
        exports_to_destination_to_usd: finite(r.x1),
        connected_growth_usd: finite(r.connected),
        products: n,
        correlation: finite(r.r),
        slope: finite(r.slope),
        slope_se: finite(se),
        slope_ci95_low: finite(slope - t * se),
        slope_ci95_high: finite(slope + t * se),
      };
    }),
    notes: [
      ...notes,
      `products at HS${level}; the slope says how many dollars of exports to ${b} grew per dollar of imports from ${a}, across products`,
    ],
  };
}
