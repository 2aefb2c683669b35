import type { Store } from '../store/store.js';
import { createFlowBase, datasetsLabel, seriesSplitNote } from './flowBase.js';
import { createReporterProducts } from './reporterProducts.js';
import { coverageGapNote, productBaseGaps } from './coverage.js';
import { createProductGroups, groupSet } from './productGroups.js';
import { exactSum } from './exactSum.js';
import { need, type IndicatorParams, type IndicatorResult, finite } from './params.js';

/**
 * Bilateral share by product group (分产品组的双边贸易占比):
 *   share_pct(g) = 100 × Σ_{k∈g} w_k · X_k(reporter↔partner) / Σ_{k∈g} w_k · X_k(reporter↔world)
 * with w_k the weight of product k in group g (1, or split when a code maps
 * to several groups). Returns one row per year (and month) and group, with
 * the basis of the world total stated. Reference: WITS, "Partner share";
 * groups as in the product group registry.
 */
export async function productGroupShare(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'bilateral-share');
  const partner = need(p.partner, '--partner', 'bilateral-share');
  const set = need(p.group, '--group SET[:NAME]', 'bilateral-share by group');
  const level = set.set === 'hs-chapter' ? 2 : 6;
  const info = await createFlowBase(store, {
    years: p.years,
    level,
    datasets: p.datasets,
    monthly: p.monthly,
    side: p.side,
  });
  if (info.years.length === 0)
    return { rows: [], notes: [`no HS${level} (or finer) product data loaded for these years`] };
  const summed = await createReporterProducts(store, reporter, partner, p.flow);
  const uncovered = await createProductGroups(store, set.set);
  const def = groupSet(set.set);
  const rows = await store.all(`
    SELECT rp.year, rp.month, pg.group_name AS "group", ${exactSum('pg.weight * rp.partner_usd')} AS partner_usd, ${exactSum('pg.weight * rp.total_usd')} AS total_usd,
           100 * ${exactSum('pg.weight * rp.partner_usd')} / nullif(${exactSum('pg.weight * rp.total_usd')}, 0) AS share_pct,
           count(DISTINCT rp.product) AS products, bool_and(rp.world_reported) AS world_reported
    FROM rp JOIN pg USING (classification, product)
    ${set.name ? `WHERE pg.group_name = '${set.name.replace(/'/g, "''")}'` : ''}
    GROUP BY ALL ORDER BY rp.year, rp.month, "group"`);
  const notes = [...info.notes, `groups: ${def.name.en} — ${def.definition}. Source: ${def.source}`];
  if (uncovered > 0.05)
    notes.push(
      `${uncovered.toFixed(2)}% of the traded value has no group in '${set.set}' (codes missing from the correspondence)`,
    );
  // A share needs the reporter's trade with every partner: years whose product data hold less are not computable.
  const directions: Array<'export' | 'import'> = p.flow === 'total' ? ['export', 'import'] : [p.flow];
  const gaps = (await Promise.all(directions.map((d) => productBaseGaps(store, reporter, d)))).flat();
  const gapYears = new Set(gaps.map((g) => g.year));
  const gapNote = coverageGapNote(reporter, gaps);
  if (gapNote) notes.push(gapNote);
  if (gaps.length && set.set.startsWith('bec-')) {
    // World totals by stage from WITS would seem to fill the gap, but on another product definition.
    const wits = await store.one(
      `SELECT count(*) AS n FROM series WHERE country = $1 AND partner = 'WLD' AND indicator LIKE 'goods_%:wits-stage:%'`,
      [reporter],
    );
    if (Number(wits?.n)) {
      notes.push(
        `${reporter}'s world totals by stage of processing are loaded (WITS Trade Summary) but rest on WITS's own product correspondence, not on the BEC Rev.4 groups used here: a share of the partner's report over them would mix two definitions, so they are not used`,
      );
    }
  }
  const split = await seriesSplitNote(
    store,
    info,
    rows.map((r) => Number(r.year)),
  );
  if (split) notes.push(split);
  if (summed && rows.some((r) => !gapYears.has(Number(r.year)) && !r.world_reported)) {
    notes.push(
      `product totals without a world row are sums over all partners in the data, which hold at least 95% of ${reporter}'s reported world total`,
    );
  }
  return {
    rows: rows.map((r) => ({
      year: r.year,
      ...(p.monthly ? { month: r.month } : {}),
      reporter,
      partner,
      group: `${set.set}:${r.group}`,
      group_zh: def.groups[String(r.group)]?.zh ?? (set.set === 'hs-chapter' ? `第${r.group}章` : ''),
      flow: p.flow,
      partner_usd: finite(r.partner_usd),
      total_usd: finite(r.total_usd),
      share_pct: gapYears.has(Number(r.year)) ? null : finite(r.share_pct),
      products: r.products,
      world_basis: gapYears.has(Number(r.year))
        ? 'not computable: the data do not hold the world total'
        : r.world_reported
          ? 'reported world total'
          : 'sum over all partners (≥95% of the reported world total)',
      datasets: datasetsLabel(info, Number(r.year)),
    })),
    notes,
  };
}
