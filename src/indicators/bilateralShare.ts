import type { Row, Store } from '../store/store.js';

export type Flow = 'export' | 'import' | 'total';
export type Channel = 'goods' | 'services';

export interface BilateralShareQuery {
  reporter: string;
  partner: string;
  flow: Flow;
  channel: Channel;
  years?: [number, number];
  /** Restrict to one dataset; by default each year uses the newest dataset that has both numbers. */
  datasetId?: number;
  /** Compute the world total as the sum over the loaded non-aggregate partners when the data has no world row. */
  worldFromPartners?: boolean;
}

/**
 * Bilateral share (双边贸易占比): the partner's share of the reporter's trade,
 *   share_pct = 100 × X(reporter→partner) / X(reporter→world)
 * for exports (imports: partner→reporter over world→reporter; total: exports
 * plus imports). Uses the reporter's own report (reporter_side = the
 * reporter's side, or BACI's reconciled flows); the world total is the
 * source's own world row (WLD), or, when asked, the sum over the loaded
 * non-aggregate partners. Reference: WITS, "Partner share".
 */
function goodsSql(q: BilateralShareQuery): { sql: string; params: (string | number)[] } {
  const sides: Array<['export' | 'import', string, string]> = [];
  if (q.flow !== 'import') sides.push(['export', 'exporter', 'importer']);
  if (q.flow !== 'export') sides.push(['import', 'importer', 'exporter']);
  const parts = sides.map(
    ([dir, self, other]) => `
      SELECT '${dir}' AS dir, f.dataset_id, f.year, f.month, f.product_level,
             sum(f.value_usd) FILTER (WHERE f.${other} = $2) AS partner_value,
             sum(f.value_usd) FILTER (WHERE f.${other} = 'WLD') AS world_row,
             sum(f.value_usd) FILTER (WHERE f.${other} <> 'WLD' AND NOT coalesce(c.is_aggregate, false)) AS partners_sum,
             count(DISTINCT f.${other}) FILTER (WHERE f.${other} <> 'WLD' AND NOT coalesce(c.is_aggregate, false)) AS partners
      FROM flows f LEFT JOIN countries c ON c.iso3 = f.${other}
      WHERE f.${self} = $1 AND f.reporter_side IN ('${self}', 'reconciled')
      GROUP BY ALL`,
  );
  const years = q.years ? `AND year BETWEEN ${q.years[0]} AND ${q.years[1]}` : '';
  const dataset = q.datasetId ? `AND dataset_id = ${q.datasetId}` : '';
  // One product level per dataset, year and month: the coarsest one present (TOTAL, else HS2 …) — never a sum across levels.
  const sql = `
    WITH by_level AS (${parts.join(' UNION ALL ')}),
    one_level AS (
      SELECT * FROM by_level WHERE 1=1 ${years} ${dataset}
      QUALIFY product_level = min(product_level) OVER (PARTITION BY dir, dataset_id, year, month)
    ),
    yearly AS (
      SELECT dir, dataset_id, year, count(DISTINCT month) AS months, sum(partner_value) AS partner_value,
             sum(world_row) AS world_row, sum(partners_sum) AS partners_sum, max(partners) AS partners,
             bool_and(world_row IS NOT NULL) AS has_world
      FROM one_level GROUP BY ALL
    ),
    combined AS (
      SELECT dataset_id, year, max(months) AS months, sum(partner_value) AS partner_value,
             CASE WHEN bool_and(has_world) THEN sum(world_row) END AS world_row, sum(partners_sum) AS partners_sum, max(partners) AS partners,
             count(*) AS dirs
      FROM yearly GROUP BY dataset_id, year HAVING count(*) = ${sides.length}
    )
    SELECT c.*, d.source, d.file_name FROM combined c JOIN datasets d USING (dataset_id)
    ORDER BY year, dataset_id DESC`;
  return { sql, params: [q.reporter, q.partner] };
}

function servicesSql(q: BilateralShareQuery): { sql: string; params: (string | number)[] } {
  const indicators = q.flow === 'total' ? ['services_export', 'services_import'] : [`services_${q.flow}`];
  const years = q.years ? `AND s.year BETWEEN ${q.years[0]} AND ${q.years[1]}` : '';
  const dataset = q.datasetId ? `AND s.dataset_id = ${q.datasetId}` : '';
  const sql = `
    SELECT s.dataset_id, s.year, NULL AS months,
           sum(s.value) FILTER (WHERE s.partner = $2) AS partner_value,
           sum(s.value) FILTER (WHERE s.partner = 'WLD') AS world_row,
           NULL AS partners_sum, NULL AS partners, d.source, d.file_name
    FROM series s JOIN datasets d USING (dataset_id)
    WHERE s.country = $1 AND s.frequency = 'A' AND s.indicator IN (${indicators.map((i) => `'${i}'`).join(', ')}) ${years} ${dataset}
      AND d.source <> 'seed-figures'
    GROUP BY s.dataset_id, s.year, d.source, d.file_name
    HAVING count(DISTINCT s.indicator) = ${indicators.length}
    ORDER BY s.year, s.dataset_id DESC`;
  return { sql, params: [q.reporter, q.partner] };
}

/** Returns the published figure rows (embedded seed dataset) for the same share, if the paper has them. */
async function publishedShares(store: Store, q: BilateralShareQuery): Promise<Row[]> {
  const indicator = `${q.channel}_${q.flow}_share_pct`;
  const years = q.years ? `AND s.year BETWEEN ${q.years[0]} AND ${q.years[1]}` : '';
  return store.all(
    `SELECT s.year, s.value AS share_pct, s.note, s.dataset_id, d.source FROM series s JOIN datasets d USING (dataset_id)
     WHERE d.source = 'seed-figures' AND s.indicator = $1 AND s.country = $2 AND s.partner = $3 ${years} ORDER BY s.year`,
    [indicator, q.reporter, q.partner],
  );
}

/**
 * Returns one row per year: the partner's value, the world total, the share in
 * percent, and where it came from (`basis` computed from a dataset, or
 * published in the embedded paper tables when nothing loaded covers the year).
 */
export async function bilateralShare(store: Store, q: BilateralShareQuery): Promise<{ rows: Row[]; notes: string[] }> {
  const { sql, params } = q.channel === 'goods' ? goodsSql(q) : servicesSql(q);
  const candidates = await store.all(sql, params);
  const notes: string[] = [];
  const rows: Row[] = [];
  const byYear = new Map<number, Row[]>();
  for (const c of candidates) byYear.set(Number(c.year), [...(byYear.get(Number(c.year)) ?? []), c]);
  let missingWorld = 0;
  for (const [year, list] of byYear) {
    // Newest dataset first; take the first with both numbers.
    const pick = list.find((c) => c.partner_value !== null && (c.world_row !== null || (q.worldFromPartners && c.partners_sum !== null)));
    if (!pick) {
      if (list.some((c) => c.partner_value !== null)) missingWorld++;
      continue;
    }
    const world = pick.world_row !== null ? Number(pick.world_row) : Number(pick.partners_sum);
    const basisWorld = pick.world_row !== null ? 'world row' : `sum over ${pick.partners} partners`;
    if (pick.months !== null && Number(pick.months) > 0 && Number(pick.months) < 12) notes.push(`${year}: ${pick.months} months only`);
    rows.push({
      year,
      reporter: q.reporter,
      partner: q.partner,
      flow: q.flow,
      channel: q.channel,
      partner_value_usd: Number(pick.partner_value),
      world_value_usd: world,
      share_pct: world > 0 ? (100 * Number(pick.partner_value)) / world : null,
      basis: `computed (${basisWorld})`,
      dataset_id: pick.dataset_id,
      source: `${pick.source}: ${pick.file_name}`,
    });
  }
  if (missingWorld) {
    notes.push(
      `${missingWorld} year(s) have the partner's value but no world total in the data; add --world-from-partners to use the sum over the loaded partners (only right when the file covers all partners)`,
    );
  }
  const covered = new Set(rows.map((r) => Number(r.year)));
  const published = (await publishedShares(store, q)).filter((p) => !covered.has(Number(p.year)) && !q.datasetId);
  for (const p of published) {
    rows.push({
      year: Number(p.year),
      reporter: q.reporter,
      partner: q.partner,
      flow: q.flow,
      channel: q.channel,
      partner_value_usd: null,
      world_value_usd: null,
      share_pct: Number(p.share_pct),
      basis: 'published (not computed)',
      dataset_id: p.dataset_id,
      source: `Zhao & Liu (2025), ${String(p.note).replace(/, column.*/, '')}`,
    });
  }
  if (published.length) notes.push(`${published.length} year(s) are published figures from the embedded paper tables, not computations: import data (see README) to compute them`);
  rows.sort((a, b) => Number(a.year) - Number(b.year));
  return { rows, notes };
}
