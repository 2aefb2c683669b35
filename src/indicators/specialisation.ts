import { exactShareSum, exactSum } from './exactSum.js';
import type { Store } from '../store/store.js';
import { worldBaseProblem } from './coverage.js';
import { createFlowBase, datasetsLabel, type FlowBaseInfo } from './flowBase.js';
import { createProductGroups } from './productGroups.js';
import { need, type IndicatorParams, type IndicatorResult, finite, productLevel } from './params.js';

/**
 * Provides `fbk` (year, exporter, importer, k, v) for the world measures below; returns the base's provenance,
 * or `notComputable` with the reason when the loaded product data are not world trade (then no number is given).
 */
async function base(
  store: Store,
  p: IndicatorParams,
  world = true,
): Promise<{ info: FlowBaseInfo; notes: string[]; productKey: string; notComputable?: string }> {
  const info = await createFlowBase(store, {
    years: p.years,
    level: productLevel(p, 'specialisation'),
    datasets: p.datasets,
    monthly: false,
    side: p.side,
  });
  const notes = [...info.notes];
  const problem = !world
    ? undefined
    : info.years.length
      ? await worldBaseProblem(store)
      : 'no product data are loaded for these years';
  if (problem)
    return { info, notes: [...notes, `not computable: ${problem}`], productKey: 'product', notComputable: problem };
  // With --group the "products" are the groups of the set (values split by weight).
  if (p.group) {
    const uncovered = await createProductGroups(store, p.group.set);
    if (uncovered > 0.05) notes.push(`${uncovered.toFixed(2)}% of the traded value has no group in '${p.group.set}'`);
    await store.run(`CREATE OR REPLACE TEMP TABLE fbk_groups AS
      SELECT fb.year, fb.exporter, fb.importer, pg.group_name AS k, ${exactSum('fb.value_usd * pg.weight')} AS v FROM fb JOIN pg USING (classification, product) GROUP BY ALL`);
    await store.run(`CREATE OR REPLACE TEMP VIEW fbk AS SELECT * FROM fbk_groups`);
  } else {
    // fb has one row per year, pair and product already (annual base): the products are its own rows.
    await store.run(
      `CREATE OR REPLACE TEMP VIEW fbk AS SELECT year, exporter, importer, product AS k, value_usd AS v FROM fb`,
    );
  }
  return { info, notes, productKey: p.group ? 'group' : 'product' };
}

/**
 * Revealed comparative advantage (显示性比较优势, Balassa 1965):
 *   RCA_ik = (x_ik / X_i) / (x_wk / X_w),   RSCA = (RCA − 1) / (RCA + 1)
 * x_ik exports of economy i in product k, X_i its total exports, w the world
 * (all economies loaded). Returns one row per year and product (or group),
 * largest RCA first. Reference: Balassa (1965); WITS "Revealed comparative advantage".
 */
export async function rca(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'rca');
  const { info, notes, notComputable, productKey } = await base(store, p);
  if (notComputable) return { rows: [], notes };
  const rows = await store.all(`
    WITH ik AS (SELECT year, k, sum(v) AS x FROM fbk WHERE exporter = '${reporter}' GROUP BY ALL),
         i AS (SELECT year, sum(v) AS x FROM fbk WHERE exporter = '${reporter}' GROUP BY ALL),
         wk AS (SELECT year, k, sum(v) AS x FROM fbk GROUP BY ALL),
         w AS (SELECT year, sum(v) AS x FROM fbk GROUP BY ALL)
    SELECT ik.year, ik.k, ik.x AS exports_usd, (ik.x / i.x) / (wk.x / w.x) AS rca, 100 * ik.x / wk.x AS world_share_pct
    FROM ik JOIN i USING (year) JOIN wk USING (year, k) JOIN w USING (year)
    ORDER BY year, rca DESC ${p.top ? `LIMIT ${p.top} * (SELECT count(DISTINCT year) FROM ik)` : ''}`);
  return {
    rows: rows.map((r) => ({
      year: r.year,
      reporter,
      [productKey]: r.k,
      exports_usd: finite(r.exports_usd),
      rca: finite(r.rca),
      rsca: finite((Number(r.rca) - 1) / (Number(r.rca) + 1)),
      world_share_pct: finite(r.world_share_pct),
      datasets: datasetsLabel(info, Number(r.year)),
    })),
    notes,
  };
}

/**
 * Trade intensity index (贸易强度指数, Brown 1949; Kojima 1964):
 *   TII_ij = (x_ij / X_i) / (M_j / M_w)                      (WITS form)
 *   TII*_ij = (x_ij / X_i) / (M_j / (M_w − M_i))              (net of the reporter's own imports)
 * > 1: i exports more to j than j's weight in world imports suggests.
 * Returns one row per year. Reference: WITS "Trade intensity".
 */
export async function tradeIntensity(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'trade-intensity');
  const partner = need(p.partner, '--partner', 'trade-intensity');
  const { info, notes, notComputable } = await base(store, p);
  if (notComputable) return { rows: [], notes };
  const rows = await store.all(`
    SELECT year,
           sum(v) FILTER (WHERE exporter = '${reporter}' AND importer = '${partner}') AS xij,
           sum(v) FILTER (WHERE exporter = '${reporter}') AS xi,
           sum(v) FILTER (WHERE importer = '${partner}') AS mj,
           sum(v) FILTER (WHERE importer = '${reporter}') AS mi,
           sum(v) AS mw
    FROM fbk GROUP BY year ORDER BY year`);
  return {
    rows: rows.map((r) => {
      const [xij, xi, mj, mi, mw] = [r.xij, r.xi, r.mj, r.mi, r.mw].map(Number);
      return {
        year: r.year,
        reporter,
        partner,
        partner_share_of_exports_pct: finite((100 * xij) / xi),
        partner_share_of_world_imports_pct: finite((100 * mj) / mw),
        trade_intensity: finite(xij / xi / (mj / mw)),
        trade_intensity_net: finite(xij / xi / (mj / (mw - mi))),
        datasets: datasetsLabel(info, Number(r.year)),
      };
    }),
    notes,
  };
}

/**
 * Trade complementarity (贸易互补性指数, Michaely 1996):
 *   TC_ij = 100 × (1 − Σ_k |m_jk − x_ik| / 2)
 * x_ik the share of product k in the reporter's exports, m_jk its share in
 * the partner's imports; 100 = the reporter exports exactly what the partner
 * imports. Returns one row per year. Reference: WITS "Trade complementarity".
 */
export async function complementarity(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'complementarity');
  const partner = need(p.partner, '--partner', 'complementarity');
  const { info, notes, notComputable } = await base(store, p);
  if (notComputable) return { rows: [], notes };
  const rows = await store.all(`
    WITH x AS (SELECT year, k, sum(v) / sum(sum(v)) OVER (PARTITION BY year) AS s FROM fbk WHERE exporter = '${reporter}' GROUP BY year, k),
         m AS (SELECT year, k, sum(v) / sum(sum(v)) OVER (PARTITION BY year) AS s FROM fbk WHERE importer = '${partner}' GROUP BY year, k)
    SELECT coalesce(x.year, m.year) AS year, 100 * (1 - ${exactShareSum('abs(coalesce(m.s, 0) - coalesce(x.s, 0))')} / 2) AS tc, count(*) AS products
    FROM x FULL JOIN m ON x.year = m.year AND x.k = m.k GROUP BY 1
    HAVING count(x.k) > 0 AND count(m.k) > 0 ORDER BY 1`);
  return {
    rows: rows.map((r) => ({
      year: r.year,
      reporter,
      partner,
      complementarity: finite(r.tc),
      products: r.products,
      datasets: datasetsLabel(info, Number(r.year)),
    })),
    notes,
  };
}

/**
 * Export similarity (出口相似度指数, Finger and Kreinin 1979):
 *   ESI(a, b) = 100 × Σ_k min(s_ak, s_bk)
 * s_ak the share of product k in a's exports (to the world, or to --market).
 * 100 = identical export structures. Returns one row per year.
 */
export async function exportSimilarity(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter', 'export-similarity');
  const b = need(p.partner, '--partner (the second exporter)', 'export-similarity');
  const market = p.market ? `AND importer = '${p.market}'` : '';
  const { info, notes, notComputable } = await base(store, p);
  if (notComputable) return { rows: [], notes };
  const rows = await store.all(`
    WITH s AS (SELECT year, exporter, k, sum(v) / sum(sum(v)) OVER (PARTITION BY year, exporter) AS s FROM fbk
               WHERE exporter IN ('${a}', '${b}') ${market} GROUP BY year, exporter, k)
    SELECT sa.year, 100 * ${exactShareSum('least(sa.s, sb.s)')} AS esi, count(*) AS common_products
    FROM s sa JOIN s sb ON sa.year = sb.year AND sa.k = sb.k AND sa.exporter = '${a}' AND sb.exporter = '${b}'
    GROUP BY 1 ORDER BY 1`);
  return {
    rows: rows.map((r) => ({
      year: r.year,
      reporter: a,
      partner: b,
      market: p.market ?? 'world',
      export_similarity: finite(r.esi),
      common_products: r.common_products,
      datasets: datasetsLabel(info, Number(r.year)),
    })),
    notes,
  };
}

/**
 * Grubel–Lloyd intra-industry trade (产业内贸易指数, Grubel and Lloyd 1975):
 *   GL_k = 1 − |X_k − M_k| / (X_k + M_k);  GL = Σ_k (X_k + M_k − |X_k − M_k|) / Σ_k (X_k + M_k)
 * and its marginal form between --from and --to (Brülhart 1994):
 *   A = 1 − |ΔX − ΔM| / (|ΔX| + |ΔM|), aggregated with weights |ΔX_k| + |ΔM_k|.
 * X, M the reporter's exports to and imports from the partner. Returns one
 * row per year (and one marginal row for the period).
 */
export async function grubelLloyd(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'grubel-lloyd');
  const partner = need(p.partner, '--partner', 'grubel-lloyd');
  const { info, notes } = await base(store, p, false);
  await store.run(`CREATE OR REPLACE TEMP TABLE gl AS
    SELECT year, k, coalesce(sum(v) FILTER (WHERE exporter = '${reporter}'), 0) AS x, coalesce(sum(v) FILTER (WHERE importer = '${reporter}'), 0) AS m
    FROM fbk WHERE (exporter = '${reporter}' AND importer = '${partner}') OR (exporter = '${partner}' AND importer = '${reporter}') GROUP BY ALL`);
  const rows = await store.all(
    `SELECT year, sum(x + m - abs(x - m)) / sum(x + m) AS gl, sum(x) AS x, sum(m) AS m, count(*) AS products FROM gl GROUP BY year ORDER BY year`,
  );
  const out = rows.map((r) => ({
    year: String(r.year),
    reporter,
    partner,
    grubel_lloyd: finite(r.gl),
    exports_usd: finite(r.x),
    imports_usd: finite(r.m),
    products: r.products,
    datasets: datasetsLabel(info, Number(r.year)),
  }));
  const years = rows.map((r) => Number(r.year));
  const from = p.from ?? years[0];
  const to = p.to ?? years[years.length - 1];
  if (years.includes(from) && years.includes(to) && from !== to) {
    const m = await store.one(`
      WITH d AS (SELECT k, coalesce(b.x, 0) - coalesce(a.x, 0) AS dx, coalesce(b.m, 0) - coalesce(a.m, 0) AS dm
                 FROM (SELECT * FROM gl WHERE year = ${from}) a FULL JOIN (SELECT * FROM gl WHERE year = ${to}) b USING (k))
      SELECT ${exactSum('(abs(dx) + abs(dm)) * (1 - abs(dx - dm) / nullif(abs(dx) + abs(dm), 0))')} / nullif(sum(abs(dx) + abs(dm)), 0) AS a, count(*) AS products FROM d`);
    out.push({
      year: `${from}-${to}`,
      reporter,
      partner,
      grubel_lloyd: finite(m?.a),
      exports_usd: null,
      imports_usd: null,
      products: m?.products,
      datasets: 'marginal (Brülhart A)',
    });
  }
  return { rows: out, notes };
}
