import type { Row, Store } from '../store/store.js';

/**
 * Mirror comparison (镜像数据比较): the same flow as reported by each side,
 *   gap = importer's report − exporter's report,  gap_pct = 100 × gap / exporter's report.
 * The importer's report is usually CIF and the exporter's FOB, so a gap of a
 * few percent is expected; larger gaps point to re-exports via third
 * economies, timing and valuation differences. Reference: WITS, "Mirror data".
 */
export async function mirrorFlows(store: Store, reporter: string, partner: string, years?: [number, number]): Promise<Row[]> {
  const yr = years ? `AND year BETWEEN ${years[0]} AND ${years[1]}` : '';
  const side = (label: string, exporter: string, importer: string, reportedBy: 'exporter' | 'importer') => `
    SELECT '${label}' AS flow, year, dataset_id, product_level, sum(value_usd) AS value_usd, any_value(valuation) AS valuation, count(DISTINCT month) AS months
    FROM flows WHERE exporter = '${exporter}' AND importer = '${importer}' AND reporter_side = '${reportedBy}' ${yr}
    GROUP BY year, dataset_id, product_level
    QUALIFY product_level = min(product_level) OVER (PARTITION BY dataset_id, year) AND dataset_id = max(dataset_id) OVER (PARTITION BY year)`;
  const rows = await store.all(
    `WITH
      a AS (${side('exp', reporter, partner, 'exporter')}),
      b AS (${side('exp', reporter, partner, 'importer')}),
      c AS (${side('imp', partner, reporter, 'importer')}),
      d AS (${side('imp', partner, reporter, 'exporter')})
     SELECT coalesce(a.year, b.year) AS year, '${reporter}→${partner}' AS flow,
            a.value_usd AS exporter_report_usd, a.valuation AS exporter_valuation, a.dataset_id AS exporter_dataset,
            b.value_usd AS importer_report_usd, b.valuation AS importer_valuation, b.dataset_id AS importer_dataset,
            b.value_usd - a.value_usd AS gap_usd, 100 * (b.value_usd - a.value_usd) / a.value_usd AS gap_pct
     FROM a FULL JOIN b ON a.year = b.year
     UNION ALL
     SELECT coalesce(d.year, c.year), '${partner}→${reporter}',
            d.value_usd, d.valuation, d.dataset_id, c.value_usd, c.valuation, c.dataset_id,
            c.value_usd - d.value_usd, 100 * (c.value_usd - d.value_usd) / d.value_usd
     FROM d FULL JOIN c ON d.year = c.year
     ORDER BY flow, year`,
  );
  return rows;
}
