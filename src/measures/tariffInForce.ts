import type { Row, Store } from '../store/store.js';

export interface TariffQuery {
  importer: string;
  exporter: string;
  hs6: string[];
  date: string;
}

/**
 * Returns, for each HS6 code and each imported tariff dataset, the additional
 * tariff in force on the date. National lines (HTS8) are aggregated to HS6 as:
 * lines covered (rate above zero in force), lines known (HTS8 lines under the
 * HS6 seen in any tariff file or in the importer's 8- and 10-digit import
 * data), their share, the maximum rate and the simple mean over covered lines.
 * HS6 datasets give the rate as published. For files of total applied rates
 * the additional duty is the rise over the line's first rate in the file.
 * Exclusions are counted, not applied.
 */
export async function tariffInForce(store: Store, q: TariffQuery): Promise<Row[]> {
  const params = [q.importer, q.exporter, q.date];
  const codes = q.hs6.map((c) => `('${c}')`).join(', ');
  return store.all(
    `WITH codes(hs6) AS (VALUES ${codes}),
     lines AS (
       -- additional_pct: the duty on top of the normal rate; for files of total applied rates, the rise over the line's first rate in the file.
       SELECT *, rate_pct - CASE WHEN rate_kind = 'total' THEN first_value(rate_pct) OVER (PARTITION BY dataset_id, line ORDER BY from_date) ELSE 0 END AS additional_pct
       FROM tariff_lines WHERE importer = $1 AND exporter = $2),
     known AS (
       SELECT DISTINCT line FROM lines WHERE digits = 8
       UNION SELECT DISTINCT substr(product, 1, 8) FROM flows WHERE importer = $1 AND product_level >= 8 AND reporter_side = 'importer'
     ),
     known_n AS (SELECT c.hs6, count(k.line) AS n FROM codes c LEFT JOIN known k ON starts_with(k.line, c.hs6) GROUP BY c.hs6),
     in_force AS (SELECT * FROM lines WHERE from_date <= $3::DATE AND (to_date IS NULL OR to_date > $3::DATE))
     SELECT c.hs6, d.file_name AS source, d.dataset_id AS dataset, CASE WHEN ds.digits = 8 THEN 'HTS8' ELSE 'HS6' END AS line_level, ds.rate_kind,
            count(DISTINCT f.line) FILTER (WHERE f.additional_pct > 0) AS lines_covered,
            CASE WHEN ds.digits = 8 THEN any_value(kn.n) END AS lines_known,
            CASE WHEN ds.digits = 8 THEN round(100.0 * count(DISTINCT f.line) FILTER (WHERE f.additional_pct > 0) / nullif(any_value(kn.n), 0), 1) END AS lines_share_pct,
            coalesce(max(f.additional_pct), 0) AS max_additional_pct,
            round(avg(f.additional_pct) FILTER (WHERE f.additional_pct > 0), 3) AS mean_additional_covered_pct,
            max(f.rate_pct) AS max_rate_in_file_pct,
            string_agg(DISTINCT f.list, ',' ORDER BY f.list) AS lists,
            string_agg(DISTINCT f.measure_id, ',' ORDER BY f.measure_id) AS measures,
            (SELECT string_agg(DISTINCT a.list, ',' ORDER BY a.list) FROM lines a WHERE a.dataset_id = ds.dataset_id AND starts_with(a.line, c.hs6)) AS listed_in,
            (SELECT count(DISTINCT e.line) FROM tariff_exclusions e WHERE e.importer = $1 AND e.exporter = $2 AND starts_with(e.line, c.hs6)) AS excluded_hts10
     FROM codes c
     JOIN known_n kn ON kn.hs6 = c.hs6
     CROSS JOIN (SELECT DISTINCT dataset_id, digits, rate_kind FROM lines) ds
     JOIN datasets d ON d.dataset_id = ds.dataset_id
     LEFT JOIN in_force f ON f.dataset_id = ds.dataset_id AND (f.line = c.hs6 OR (f.digits > 6 AND starts_with(f.line, c.hs6)))
     GROUP BY c.hs6, d.file_name, d.dataset_id, ds.dataset_id, ds.digits, ds.rate_kind
     ORDER BY c.hs6, d.dataset_id`,
    params,
  );
}
