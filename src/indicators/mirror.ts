import type { Row, Store } from '../store/store.js';
import { raw, sql, type Iso3 } from '../core/index.js';
import { maxOf, minOf } from '../util/extremes.js';

/**
 * Mirror comparison (镜像数据比较): the same flow as reported by each side,
 *   gap = importer's report − exporter's report,  gap_pct = 100 × gap / exporter's report.
 * The importer's report is usually CIF and the exporter's FOB, so a gap of a
 * few percent is expected; larger gaps point to re-exports via third
 * economies, timing and valuation differences. Reference: WITS, "Mirror data".
 */
export async function mirrorFlows(
  store: Store,
  reporter: Iso3,
  partner: Iso3,
  years?: [number, number],
): Promise<Row[]> {
  const yr = years ? sql`AND year BETWEEN ${years[0]} AND ${years[1]}` : raw('');
  const side = (label: string, exporter: Iso3, importer: Iso3, reportedBy: 'exporter' | 'importer') => sql`
    SELECT * FROM (
      SELECT ${label} AS flow, f.year, d.file_name AS dataset_id, f.product_level, sum(f.value_usd) AS value_usd, any_value(f.valuation) AS valuation,
             count(DISTINCT f.month) AS months, any_value(d.source) AS source
      FROM flows f JOIN datasets d USING (dataset_id) WHERE f.exporter = ${exporter} AND f.importer = ${importer} AND f.reporter_side = ${reportedBy} ${yr}
      GROUP BY f.year, d.file_name, f.product_level
      QUALIFY f.product_level = min(f.product_level) OVER (PARTITION BY d.file_name, f.year))
    -- One dataset a year: a full year first, then by source and file name (never by import order).
    QUALIFY row_number() OVER (PARTITION BY year ORDER BY months NOT IN (0, 12), source, dataset_id) = 1`;
  const rows = await store.all(
    sql`WITH
      a AS (${side('exp', reporter, partner, 'exporter')}),
      b AS (${side('exp', reporter, partner, 'importer')}),
      c AS (${side('imp', partner, reporter, 'importer')}),
      d AS (${side('imp', partner, reporter, 'exporter')})
     SELECT coalesce(a.year, b.year) AS year, ${`${reporter}→${partner}`} AS flow,
            a.value_usd AS exporter_report_usd, a.valuation AS exporter_valuation, a.dataset_id AS exporter_dataset,
            b.value_usd AS importer_report_usd, b.valuation AS importer_valuation, b.dataset_id AS importer_dataset,
            b.value_usd - a.value_usd AS gap_usd, 100 * (b.value_usd - a.value_usd) / a.value_usd AS gap_pct
     FROM a FULL JOIN b ON a.year = b.year
     UNION ALL
     SELECT coalesce(d.year, c.year), ${`${partner}→${reporter}`},
            d.value_usd, d.valuation, d.dataset_id, c.value_usd, c.valuation, c.dataset_id,
            c.value_usd - d.value_usd, 100 * (c.value_usd - d.value_usd) / d.value_usd
     FROM d FULL JOIN c ON d.year = c.year
     ORDER BY flow, year`,
  );
  return rows;
}

/**
 * A gap between the two sides' reports larger than this share of the exporter's report (percent) asks for causes
 * beyond valuation.
 */
const VALUATION_GAP_PCT = 10;

/**
 * Returns notes on what the loaded data can and cannot say about the mirror
 * gaps of `rows` (from mirrorFlows): valuation (CIF against FOB, or both at
 * the exporter's border), re-exports through Hong Kong (whether Hong Kong's
 * trade with the importer is loaded, and that it is not split by origin), and
 * timing (not measurable without shipment dates). Causes the data do not
 * support are named as such, never given a size.
 */
export async function mirrorGapNotes(store: Store, rows: Row[], reporter: Iso3, partner: Iso3): Promise<string[]> {
  const notes: string[] = [];
  for (const flow of [`${reporter}→${partner}`, `${partner}→${reporter}`]) {
    const both = rows.filter((r) => r.flow === flow && r.gap_pct !== null && r.gap_pct !== undefined);
    if (!both.length) continue;
    const [exporter, importer] = flow.split('→');
    const gaps = both.map((r) => Number(r.gap_pct));
    const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}%`;
    const range = `${signed(minOf(gaps))} to ${signed(maxOf(gaps))}`;
    const valuations = new Set(both.map((r) => `${r.importer_valuation}`));
    const valuation = valuations.has('CIF')
      ? `${importer}'s report is CIF (freight and insurance to its border included), ${exporter}'s FOB: part of the gap is that margin, whose size for this flow the data do not carry`
      : `Both reports value the goods at ${exporter}'s border (${importer}'s ${[...valuations].join('/')} value, ${exporter}'s FOB): valuation explains little of the gap`;
    const large = both.filter((r) => Math.abs(Number(r.gap_pct)) > VALUATION_GAP_PCT).map((r) => Number(r.year));
    let reexport = '';
    if (exporter === 'CHN' || importer === 'CHN') {
      const other = exporter === 'CHN' ? importer : exporter;
      const hk = await store.one(
        `SELECT count(DISTINCT year) AS years FROM flows WHERE exporter = 'HKG' AND importer = $1 AND reporter_side IN ('exporter', 'importer')`,
        [other],
      );
      // The importer records goods by origin; the exporter, shipping them to Hong Kong, records Hong Kong.
      const how = `goods of ${exporter}'s origin re-exported through Hong Kong are ${importer}'s imports from ${exporter} but ${exporter}'s exports to Hong Kong`;
      reexport = Number(hk?.years)
        ? `; ${how}: Hong Kong's trade with ${other} is loaded (${hk?.years} years) but not split into re-exports by origin, so this part cannot be measured (Hong Kong's re-export statistics by origin and destination would measure it)`
        : `; ${how}, which may explain part of it, but Hong Kong's trade is not loaded (import IMF DOTS with Hong Kong as reporter)`;
    }
    notes.push(
      `${flow}: the importer's report differs from the exporter's by ${range}. ${valuation}${large.length ? `; in ${large.join(', ')} the gap exceeds ${VALUATION_GAP_PCT}%, more than a freight margin` : ''}${reexport}; goods shipped late in a year and received early in the next fall in different years on the two sides, which the data, without shipment dates, cannot measure`,
    );
  }
  return notes;
}
