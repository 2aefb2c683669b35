import type { Store } from '../store/store.js';

/** Which store flows make a gravity panel: one dataset, one reporting side, a span of years. */
export interface FlowPanelOptions {
  /** A dataset id, or a source name (dots, baci...) for its dataset with the most annual totals. */
  dataset: number | string;
  /** Whose reports to use: 'importer' (imports, usually CIF) or 'exporter' (exports, usually FOB). */
  side: 'importer' | 'exporter';
  years?: [number, number];
}

/**
 * Returns the id of the flows dataset named by an id, or by a source name:
 * the dataset of that source with the most annual total flows in the years.
 */
export async function flowDatasetId(store: Store, dataset: number | string, years?: [number, number]): Promise<number> {
  if (typeof dataset === 'number') return dataset;
  if (/^\d+$/.test(dataset)) return Number(dataset);
  const within = years ? `AND f.year BETWEEN ${years[0]} AND ${years[1]}` : '';
  const row = await store.one(
    `SELECT d.dataset_id FROM datasets d JOIN flows f USING (dataset_id)
     WHERE d.source = ? AND f.product_level = 0 AND f.month IS NULL ${within}
     GROUP BY d.dataset_id ORDER BY count(*) DESC, d.dataset_id DESC LIMIT 1`,
    [dataset],
  );
  if (!row)
    throw new Error(
      `no ${dataset} dataset with annual totals${years ? ` in ${years[0]}-${years[1]}` : ''} in the store (see: decouple datasets)`,
    );
  return Number(row.dataset_id);
}

/**
 * Returns a SQL query giving a square gravity panel from the store's annual
 * total flows of one dataset: every ordered pair of economies that appear in
 * it (aggregates left out) for every year, with columns exporter, importer,
 * year, pair and value (US$, 0 where nothing is reported). Internal flows are
 * not in trade datasets and are not made up.
 */
export async function flowPanelSql(store: Store, options: FlowPanelOptions): Promise<string> {
  const o = { ...options, dataset: await flowDatasetId(store, options.dataset, options.years) };
  const ds = await store.one(`SELECT dataset_id, source, kind FROM datasets WHERE dataset_id = ?`, [o.dataset]);
  if (!ds) throw new Error(`no dataset ${o.dataset} in the store (see: decouple datasets)`);
  if (ds.kind !== 'flows') throw new Error(`dataset ${o.dataset} holds ${ds.kind}, not trade flows`);
  const years = o.years ? `AND year BETWEEN ${o.years[0]} AND ${o.years[1]}` : '';
  const found = await store.one(
    `SELECT count(*) AS n FROM flows WHERE dataset_id = ${o.dataset} AND product_level = 0 AND month IS NULL AND reporter_side = '${o.side}' ${years}`,
  );
  if (Number(found?.n ?? 0) === 0) {
    throw new Error(
      `dataset ${o.dataset} has no annual total flows reported by the ${o.side}${o.years ? ` in ${o.years[0]}-${o.years[1]}` : ''}`,
    );
  }
  return `WITH f AS (
      SELECT year, exporter, importer, sum(value_usd) AS value FROM flows
      WHERE dataset_id = ${o.dataset} AND product_level = 0 AND month IS NULL AND reporter_side = '${o.side}' ${years}
        AND exporter <> importer
        AND exporter IN (SELECT iso3 FROM countries WHERE NOT is_aggregate)
        AND importer IN (SELECT iso3 FROM countries WHERE NOT is_aggregate)
      GROUP BY ALL),
    e AS (SELECT exporter AS c FROM f UNION SELECT importer FROM f),
    y AS (SELECT DISTINCT year FROM f)
    SELECT a.c AS exporter, b.c AS importer, y.year, a.c || '-' || b.c AS pair, coalesce(f.value, 0) AS value
    FROM e a CROSS JOIN e b CROSS JOIN y
    LEFT JOIN f ON f.exporter = a.c AND f.importer = b.c AND f.year = y.year
    WHERE a.c <> b.c`;
}
