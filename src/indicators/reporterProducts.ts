import type { Store } from '../store/store.js';
import type { Flow } from './params.js';

/**
 * Creates the temporary table `rp (year, month, classification, product,
 * partner_usd, total_usd, world_reported)` from the flow base: per product,
 * the reporter's trade with the partner and with all partners in the given
 * direction. The total is the source's own world row where it has one
 * (world_reported = true), else the sum over the partners loaded. Returns
 * the number of product rows whose total had to be summed from partners.
 */
export async function createReporterProducts(
  store: Store,
  reporter: string,
  partner: string | undefined,
  flow: Flow,
): Promise<number> {
  const dirs: Array<['export' | 'import', string, string]> = [];
  if (flow !== 'import') dirs.push(['export', 'exporter', 'importer']);
  if (flow !== 'export') dirs.push(['import', 'importer', 'exporter']);
  const parts = dirs.map(
    ([dir, self, other]) => `
    SELECT coalesce(p.year, w.year) AS year, coalesce(p.month, w.month) AS month, coalesce(p.product, w.product) AS product,
           p.classification, coalesce(p.partner_usd, 0) AS partner_usd, coalesce(w.value_usd, p.partners_sum) AS total_usd, w.value_usd IS NOT NULL AS world_reported
    FROM (SELECT year, month, product, any_value(classification) AS classification,
                 sum(value_usd) FILTER (WHERE ${other} = '${partner ?? ''}') AS partner_usd, sum(value_usd) AS partners_sum
          FROM fb WHERE ${self} = '${reporter}' GROUP BY year, month, product) p
    FULL JOIN (SELECT * FROM fbw WHERE economy = '${reporter}' AND direction = '${dir}') w
      ON w.year = p.year AND w.month IS NOT DISTINCT FROM p.month AND w.product = p.product`,
  );
  await store.run(`CREATE OR REPLACE TEMP TABLE rp AS
    SELECT year, month, any_value(classification) AS classification, product, sum(partner_usd) AS partner_usd, sum(total_usd) AS total_usd,
           bool_and(world_reported) AS world_reported
    FROM (${parts.join(' UNION ALL ')}) GROUP BY year, month, product`);
  // Products known only from a world row carry no vintage; take the year's.
  await store.run(
    `UPDATE rp SET classification = v.c FROM (SELECT year, any_value(classification) AS c FROM fb_chosen GROUP BY year) v WHERE rp.classification IS NULL AND rp.year = v.year`,
  );
  const summed = await store.one(`SELECT count(*) FILTER (WHERE NOT world_reported) AS n FROM rp`);
  return Number(summed?.n ?? 0);
}
