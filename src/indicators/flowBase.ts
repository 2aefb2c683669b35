import type { Store } from '../store/store.js';

/** Which report of a flow to use when a dataset has both sides' reports. */
export type SidePreference = 'auto' | 'importer' | 'exporter';

export interface FlowBaseOptions {
  years?: [number, number];
  /** Product digits of the base: 2, 4, 6 or 8 (finer data is summed up to this level). */
  level: 2 | 4 | 6 | 8;
  /** Use exactly these datasets; by default each year uses the loaded dataset with the most flows at the level. */
  datasets?: number[];
  /** Keep months (monthly data); otherwise months are summed into years. */
  monthly?: boolean;
  side?: SidePreference;
}

/** Where the base's numbers came from, year by year. */
export interface FlowBaseInfo {
  notes: string[];
  /** year → dataset ids used. */
  datasets: Map<number, number[]>;
  years: number[];
}

/**
 * Builds the temporary tables every product-level indicator reads:
 *   `fb`  (year, month, exporter, importer, product, classification, value_usd) — one value per flow between two economies;
 *   `fbw` (year, month, economy, direction, product, value_usd) — the source's own world totals (partner WLD), where it has them.
 * One dataset per year (or those given): the one covering the most pairs of
 * economies, then the most flows; one product level per dataset and
 * year (the finest at or above `level`, cut to `level` digits, never summed
 * across levels); for flows reported by both sides, BACI's reconciled value,
 * else the importer's report, else the exporter's (or the side asked for).
 * Aggregates other than WLD (EU, "areas nes") are left out. Returns the
 * provenance and notes on what was left out.
 */
export async function createFlowBase(store: Store, opts: FlowBaseOptions): Promise<FlowBaseInfo> {
  const L = opts.level;
  const where = [`product_level >= ${L}`, `classification <> 'TOTAL'`];
  if (opts.years) where.push(`year BETWEEN ${opts.years[0]} AND ${opts.years[1]}`);
  if (opts.datasets?.length) where.push(`dataset_id IN (${opts.datasets.map(Number).join(', ')})`);
  const sideOrder =
    opts.side === 'exporter'
      ? `CASE reporter_side WHEN 'exporter' THEN 0 WHEN 'reconciled' THEN 1 ELSE 2 END`
      : `CASE reporter_side WHEN 'reconciled' THEN 0 WHEN 'importer' THEN 1 ELSE 2 END`;
  const month = opts.monthly ? 'month' : 'CAST(NULL AS TINYINT)';
  await store.run(`CREATE OR REPLACE TEMP TABLE fb_chosen AS
    WITH per_dataset AS (
      SELECT dataset_id, year, min(product_level) AS lv, count(*) AS n, count(DISTINCT (exporter, importer)) AS pairs, count(DISTINCT month) AS months
      FROM flows WHERE ${where.join(' AND ')} GROUP BY dataset_id, year)
    SELECT * FROM per_dataset
    ${opts.datasets?.length ? '' : 'QUALIFY row_number() OVER (PARTITION BY year ORDER BY pairs DESC, n DESC, dataset_id DESC) = 1'}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE fb_all AS
    SELECT f.year, ${month} AS month, f.exporter, f.importer, left(f.product, ${L}) AS product, any_value(CAST(f.classification AS VARCHAR)) AS classification,
           f.reporter_side, sum(f.value_usd) AS value_usd
    FROM flows f JOIN fb_chosen c ON c.dataset_id = f.dataset_id AND c.year = f.year AND f.product_level = c.lv
    GROUP BY ALL`);
  // With one reporting side in the chosen data (BACI's reconciled flows, say) every flow has one report:
  // no choice between sides, so no window over the whole table.
  const sideKinds = await store.one(`SELECT count(DISTINCT reporter_side) AS n FROM fb_all`);
  const oneSide = Number(sideKinds?.n ?? 0) <= 1;
  await store.run(`CREATE OR REPLACE TEMP TABLE fb AS
    SELECT year, month, exporter, importer, product, classification, value_usd FROM fb_all
    WHERE exporter NOT IN (SELECT iso3 FROM countries WHERE is_aggregate) AND importer NOT IN (SELECT iso3 FROM countries WHERE is_aggregate)
    ${oneSide ? '' : `QUALIFY row_number() OVER (PARTITION BY year, month, exporter, importer, product ORDER BY ${sideOrder}) = 1`}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE fbw AS
    SELECT year, month, CASE WHEN importer = 'WLD' THEN exporter ELSE importer END AS economy,
           CASE WHEN importer = 'WLD' THEN 'export' ELSE 'import' END AS direction, product, sum(value_usd) AS value_usd
    FROM fb_all WHERE (importer = 'WLD') <> (exporter = 'WLD') GROUP BY ALL`);
  const chosen = await store.all(`SELECT c.year, c.dataset_id, c.lv, c.months, d.source, d.file_name FROM fb_chosen c JOIN datasets d USING (dataset_id) ORDER BY year, dataset_id`);
  const info: FlowBaseInfo = { notes: [], datasets: new Map(), years: [] };
  for (const r of chosen) {
    const y = Number(r.year);
    if (!info.datasets.has(y)) info.years.push(y);
    info.datasets.set(y, [...(info.datasets.get(y) ?? []), Number(r.dataset_id)]);
    if (Number(r.lv) > L) info.notes.push(`${y}: dataset ${r.dataset_id} (${r.file_name}) has HS${r.lv} codes, summed to HS${L}`);
    if (Number(r.months) > 0 && Number(r.months) < 12) info.notes.push(`${y}: dataset ${r.dataset_id} covers ${r.months} months only`);
  }
  const sides = oneSide ? undefined : await store.one(`SELECT count(*) FILTER (WHERE n > 1) AS both FROM (SELECT count(*) AS n FROM fb_all GROUP BY year, month, exporter, importer, product)`);
  if (Number(sides?.both ?? 0)) {
    info.notes.push(`${sides?.both} flows reported by both sides: ${opts.side === 'exporter' ? "the exporter's report" : "the importer's report (BACI's reconciled value where present)"} used`);
  }
  return info;
}

/** Returns where a year's numbers came from (dataset ids, comma-separated), for an indicator's `datasets` column. */
export function datasetsLabel(info: FlowBaseInfo, year: number): string {
  return (info.datasets.get(year) ?? []).join(',');
}

/**
 * Returns the two years a change-based indicator compares (--from/--to, by
 * default the first and last year of the base), or undefined when the base
 * does not hold both as different years.
 */
export function comparedYears(info: FlowBaseInfo, from?: number, to?: number): { from: number; to: number } | undefined {
  const f = from ?? info.years[0];
  const t = to ?? info.years[info.years.length - 1];
  if (f === undefined || t === undefined || f === t || !info.years.includes(f) || !info.years.includes(t)) return undefined;
  return { from: f, to: t };
}
