import { exactSum } from './exactSum.js';
import type { Store } from '../store/store.js';
import { comparedYears, createFlowBase } from './flowBase.js';
import { createProductGroups, groupSet } from './productGroups.js';
import { need, type IndicatorParams, type IndicatorResult, finite, productLevel } from './params.js';
import { DEFAULT_SOURCES, createSourceBuckets } from './sourceBuckets.js';
import { coverageGapNote, productBaseGaps } from './coverage.js';

/**
 * Trade diversion (贸易转移): how an importer's sources changed between two
 * years, product by product, summed by source (economy or country group) and
 * by product group:
 *   share_b,t = 100 × Σ_k M_bk,t / Σ_k M_k,t
 *   Δshare_b = share_b,to − share_b,from   (percentage points)
 *   gain_b = Σ_{k: M_Sk,to < M_Sk,from} (M_bk,to − M_bk,from)
 * where S is the source whose place is taken (--partner) and gain_b is what
 * source b gained in the products where S's sales fell. Where the data has
 * the importer's world total, the part not covered by the sources loaded is
 * its own line ("not in the data"). Returns one row per (product group and)
 * source. Reference: the decomposition used in Fajgelbaum et al. (2024),
 * "The US-China trade war and global reallocations", in simplified form.
 */
export async function diversion(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const importer = need(p.reporter, '--reporter (the importer)', 'diversion');
  const source = need(p.partner, '--partner (the source whose place is taken)', 'diversion');
  const level = productLevel(p, 'diversion');
  const info = await createFlowBase(store, {
    years: p.years,
    level,
    datasets: p.datasets,
    monthly: false,
    side: p.side,
  });
  const period = comparedYears(info, p.from, p.to);
  if (!period)
    return {
      rows: [],
      notes: [
        `diversion needs product data for two different years (--from, --to); loaded: ${info.years.join(', ') || 'none'}`,
      ],
    };
  const { from, to } = period;
  const sources = [source, ...(p.sources ?? DEFAULT_SOURCES).filter((s) => s !== source)];
  const order = await createSourceBuckets(store, sources, [to]);
  const notes = [...info.notes];
  const grouped = Boolean(p.group);
  if (p.group) {
    const uncovered = await createProductGroups(store, p.group.set);
    if (uncovered > 0.05) notes.push(`${uncovered.toFixed(2)}% of the traded value has no group in '${p.group.set}'`);
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE dv AS
    WITH partners AS (
      SELECT fb.year, fb.classification, fb.product, coalesce(b.bucket, 'rest of world') AS bucket, sum(fb.value_usd) AS v
      FROM fb LEFT JOIN bucket b ON b.economy = fb.exporter
      WHERE fb.importer = '${importer}' AND fb.year IN (${from}, ${to}) GROUP BY ALL),
    unallocated AS (
      SELECT w.year, any_value(c.classification) AS classification, w.product, 'not in the data' AS bucket, w.value_usd - coalesce(sum(pa.v), 0) AS v
      FROM fbw w LEFT JOIN partners pa ON pa.year = w.year AND pa.product = w.product
      LEFT JOIN (SELECT year, any_value(classification) AS classification FROM fb GROUP BY year) c ON c.year = w.year
      WHERE w.economy = '${importer}' AND w.direction = 'import' AND w.year IN (${from}, ${to}) GROUP BY w.year, w.product, w.value_usd
      HAVING w.value_usd - coalesce(sum(pa.v), 0) > 0)
    SELECT * FROM partners UNION ALL SELECT * FROM unallocated`);
  notes.push(...(await alignVintages(store, from, to, level)));
  const groupJoin = grouped ? `JOIN pg USING (classification, product)` : '';
  const w = grouped ? 'pg.weight * ' : '';
  const g = grouped ? `pg.group_name` : `'all products'`;
  const rows = await store.all(`
    WITH per AS (
      SELECT ${g} AS grp, product, bucket,
             ${exactSum(`${w}v`, `year = ${from}`)} AS v0, ${exactSum(`${w}v`, `year = ${to}`)} AS v1
      FROM dv ${groupJoin} GROUP BY ALL),
    fell AS (SELECT grp, product FROM per WHERE bucket = '${source}' AND coalesce(v1, 0) < coalesce(v0, 0)),
    tot AS (SELECT grp, sum(v0) AS t0, sum(v1) AS t1 FROM per GROUP BY grp)
    SELECT per.grp, per.bucket, sum(coalesce(v0, 0)) AS v0, sum(coalesce(v1, 0)) AS v1, any_value(tot.t0) AS t0, any_value(tot.t1) AS t1,
           sum(coalesce(v1, 0) - coalesce(v0, 0)) FILTER (WHERE fell.product IS NOT NULL) AS gain_where_source_fell,
           count(DISTINCT per.product) FILTER (WHERE coalesce(v1, 0) > 0) AS products_to
    FROM per JOIN tot USING (grp) LEFT JOIN fell ON fell.grp = per.grp AND fell.product = per.product
    GROUP BY per.grp, per.bucket`);
  const rank = (b: string) => (order.includes(b) ? order.indexOf(b) : order.length);
  rows.sort((a, b) => String(a.grp).localeCompare(String(b.grp)) || rank(String(a.bucket)) - rank(String(b.bucket)));
  notes.push(`${importer}'s imports by source, ${from} against ${to}, HS${level}; country groups as of ${to}-12-31`);
  // Shares of the importer's imports need its imports from every source in both years.
  const gaps = (await productBaseGaps(store, importer, 'import')).filter((g) => g.year === from || g.year === to);
  const sharesKnown = gaps.length === 0;
  const gapNote = coverageGapNote(importer, gaps);
  if (gapNote) notes.push(`${gapNote} (values and changes in US$ are given; shares are not)`);
  if (grouped) notes.push(`groups: ${groupSet(p.group!.set).definition}`);
  return {
    rows: rows
      .filter((r) => !p.group?.name || r.grp === p.group.name)
      .map((r) => ({
        reporter: importer,
        partner: source,
        group: grouped ? `${p.group!.set}:${r.grp}` : 'all products',
        source: r.bucket,
        from_year: from,
        to_year: to,
        value_from_usd: finite(r.v0),
        value_to_usd: finite(r.v1),
        change_usd: finite(Number(r.v1) - Number(r.v0)),
        share_from_pct: sharesKnown ? finite((100 * Number(r.v0)) / Number(r.t0)) : null,
        share_to_pct: sharesKnown ? finite((100 * Number(r.v1)) / Number(r.t1)) : null,
        share_change_pp: sharesKnown
          ? finite((100 * Number(r.v1)) / Number(r.t1) - (100 * Number(r.v0)) / Number(r.t0))
          : null,
        gain_where_source_fell_usd: finite(r.gain_where_source_fell ?? 0),
        products_to: r.products_to,
      })),
    notes,
  };
}

/**
 * Converts the later year's products in `dv` to the earlier year's HS vintage
 * when the two differ, through the installed conversion table (UN/WCO; a code
 * mapped to several is split equally); returns notes saying what was done.
 */
async function alignVintages(store: Store, from: number, to: number, level: number): Promise<string[]> {
  const v = await store.all(
    `SELECT year, string_agg(DISTINCT classification, ',') AS c FROM dv WHERE year IN (${from}, ${to}) GROUP BY year ORDER BY year`,
  );
  if (v.length !== 2 || v[0].c === v[1].c) return [];
  const [a, b] = [String(v[0].c), String(v[1].c)];
  const table = await store.one(
    `SELECT count(*) AS n FROM concordances WHERE from_classification = $1 AND to_classification = $2`,
    [b, a],
  );
  if (level < 6 || a.includes(',') || b.includes(',') || !Number(table?.n)) {
    return [
      `the two years use different HS vintages (${from}: ${a}; ${to}: ${b})${level >= 6 ? ' and no conversion table is installed' : ''}: product-level gains are approximate where codes changed`,
    ];
  }
  const unmatched = await store.one(
    `SELECT count(DISTINCT product) AS n FROM dv WHERE year = ${to} AND product NOT IN (SELECT from_code FROM concordances WHERE from_classification = $1 AND to_classification = $2)`,
    [b, a],
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE dv AS
     SELECT dv.year, CASE WHEN dv.year = ${to} THEN '${a}' ELSE dv.classification END AS classification,
            coalesce(c.to_code, dv.product) AS product, dv.bucket, dv.v * coalesce(c.w, 1) AS v
     FROM dv LEFT JOIN (SELECT from_code, to_code, 1.0 / count(*) OVER (PARTITION BY from_code) AS w FROM concordances
                        WHERE from_classification = '${b}' AND to_classification = '${a}') c
       ON dv.year = ${to} AND c.from_code = dv.product`,
  );
  return [
    `${to}'s ${b} codes converted to ${a} with the HS conversion table (a code mapped to several is split equally)${Number(unmatched?.n) ? `; ${unmatched?.n} codes have no conversion and are kept as they are` : ''}`,
  ];
}
