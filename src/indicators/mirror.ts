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
    SELECT * FROM (
      SELECT '${label}' AS flow, f.year, d.file_name AS dataset_id, f.product_level, sum(f.value_usd) AS value_usd, any_value(f.valuation) AS valuation,
             count(DISTINCT f.month) AS months, any_value(d.source) AS source
      FROM flows f JOIN datasets d USING (dataset_id) WHERE f.exporter = '${exporter}' AND f.importer = '${importer}' AND f.reporter_side = '${reportedBy}' ${yr}
      GROUP BY f.year, d.file_name, f.product_level
      QUALIFY f.product_level = min(f.product_level) OVER (PARTITION BY d.file_name, f.year))
    -- One dataset a year: a full year first, then by source and file name (never by import order).
    QUALIFY row_number() OVER (PARTITION BY year ORDER BY months NOT IN (0, 12), source, dataset_id) = 1`;
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
