import type { Store } from '../store/store.js';
import type { Flow } from './params.js';

/**
 * Creates the temporary table `pt (year, partner, value_usd, dataset_id, file_name)`:
 * the reporter's trade with each partner economy per year, from its own
 * report (or BACI's reconciled flows), at the coarsest product level each
 * dataset has (TOTAL, else HS2 …; never summed across levels), from the
 * dataset covering the most partners that year. Aggregates (World, EU,
 * "areas nes") are left out. Returns the years with data.
 */
export async function createPartnerTotals(
  store: Store,
  reporter: string,
  flow: Flow,
  years?: [number, number],
  datasets?: number[],
): Promise<number[]> {
  const dirs: Array<[string, string]> = [];
  if (flow !== 'import') dirs.push(['exporter', 'importer']);
  if (flow !== 'export') dirs.push(['importer', 'exporter']);
  const filter = [
    years ? `year BETWEEN ${years[0]} AND ${years[1]}` : 'TRUE',
    datasets?.length ? `dataset_id IN (${datasets.map(Number).join(',')})` : 'TRUE',
  ].join(' AND ');
  const parts = dirs.map(
    ([self, other]) => `
    SELECT '${self}' AS side, dataset_id, year, month, product_level, ${other} AS partner, sum(value_usd) AS value_usd
    FROM flows WHERE ${self} = '${reporter}' AND reporter_side IN ('${self}', 'reconciled') AND ${filter}
      AND ${other} NOT IN (SELECT iso3 FROM countries WHERE is_aggregate)
    GROUP BY dataset_id, year, month, product_level, ${other}
    QUALIFY product_level = min(product_level) OVER (PARTITION BY dataset_id, year, month)`,
  );
  await store.run(`CREATE OR REPLACE TEMP TABLE pt_all AS
    SELECT dataset_id, year, partner, sum(value_usd) AS value_usd FROM (${parts.join(' UNION ALL ')}) GROUP BY ALL`);
  // The dataset with the most partners answers a year; ties go by source and file name, never by import order.
  await store.run(`CREATE OR REPLACE TEMP TABLE pt AS
    SELECT p.year, p.partner, p.value_usd, p.dataset_id, d.file_name FROM pt_all p JOIN datasets d USING (dataset_id)
    WHERE (p.year, p.dataset_id) IN (
      SELECT (year, dataset_id) FROM (
        SELECT c.year, c.dataset_id, count(*) AS n, any_value(d.source) AS source, any_value(d.file_name) AS file_name
        FROM pt_all c JOIN datasets d USING (dataset_id) GROUP BY c.year, c.dataset_id)
      QUALIFY row_number() OVER (PARTITION BY year ORDER BY n DESC, source, file_name) = 1)`);
  return (await store.all('SELECT DISTINCT year FROM pt ORDER BY year')).map((r) => Number(r.year));
}
