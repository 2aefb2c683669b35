import { exactSum } from './exactSum.js';
import type { Store } from '../store/store.js';
import { comparedYears, createFlowBase, datasetsLabel, seriesBreakNote } from './flowBase.js';
import { createProductGroups, groupSet } from './productGroups.js';
import { need, type IndicatorParams, type IndicatorResult, finite, productLevel } from './params.js';
import { DEFAULT_SOURCES, createSourceBuckets } from './sourceBuckets.js';
import { listValue } from '../store/index.js';
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
  const seriesBreak = await seriesBreakNote(store, info, from, to);
  const oneSeries = seriesBreak === undefined;
  const sources = [source, ...(p.sources ?? DEFAULT_SOURCES).filter((s) => s !== source)];
  const order = await createSourceBuckets(store, sources, [to]);
  // The base's notes on years other than the two compared (a file's HS10 codes in a year between them) are left out.
  const notes = info.notes.filter((n) => {
    const year = /^(\d{4}): /.exec(n)?.[1];
    return year === undefined || Number(year) === from || Number(year) === to;
  });
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
           count(v0) AS rows0, count(v1) AS rows1,
           sum(coalesce(v1, 0) - coalesce(v0, 0)) FILTER (WHERE fell.product IS NOT NULL) AS gain_where_source_fell,
           count(DISTINCT per.product) FILTER (WHERE coalesce(v1, 0) > 0) AS products_to
    FROM per JOIN tot USING (grp) LEFT JOIN fell ON fell.grp = per.grp AND fell.product = per.product
    GROUP BY per.grp, per.bucket`);
  const rank = (b: string) => (order.includes(b) ? order.indexOf(b) : order.length);
  rows.sort((a, b) => String(a.grp).localeCompare(String(b.grp)) || rank(String(a.bucket)) - rank(String(b.bucket)));
  notes.push(`${importer}'s imports by source, ${from} against ${to}, HS${level}; country groups as of ${to}-12-31`);
  if (seriesBreak) notes.push(seriesBreak);
  // A source with no flow at all in a year's data is not in that data (a file of a few partners), not a zero.
  const absent = (column: 'rows0' | 'rows1') => [
    ...new Set(rows.filter((r) => r.grp === rows[0]?.grp && Number(r[column]) === 0).map((r) => String(r.bucket))),
  ];
  for (const [year, column] of [
    [from, 'rows0'],
    [to, 'rows1'],
  ] as const) {
    const missing = absent(column);
    if (missing.length)
      notes.push(
        `not in the ${year} data: imports from ${missing.join(', ')} (no flow at all), so their values are not given`,
      );
  }
  notes.push(...(await groupsInData(store, importer, [from, to])));
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
        value_from_usd: Number(r.rows0) > 0 ? finite(r.v0) : null,
        value_to_usd: Number(r.rows1) > 0 ? finite(r.v1) : null,
        change_usd:
          oneSeries && Number(r.rows0) > 0 && Number(r.rows1) > 0 ? finite(Number(r.v1) - Number(r.v0)) : null,
        share_from_pct: sharesKnown ? finite((100 * Number(r.v0)) / Number(r.t0)) : null,
        share_to_pct: sharesKnown ? finite((100 * Number(r.v1)) / Number(r.t1)) : null,
        share_change_pp:
          sharesKnown && oneSeries
            ? finite((100 * Number(r.v1)) / Number(r.t1) - (100 * Number(r.v0)) / Number(r.t0))
            : null,
        gain_where_source_fell_usd:
          oneSeries && Number(r.rows0) > 0 && Number(r.rows1) > 0 ? finite(r.gain_where_source_fell ?? 0) : null,
        products_to: r.products_to,
        datasets: [...new Set([datasetsLabel(info, from), datasetsLabel(info, to)])].join('; '),
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

/**
 * Returns a note for each country group among the sources whose members are not all in the importer's data of a
 * year (say, ASEAN in a file of three partners): which members the group's figures hold.
 */
async function groupsInData(store: Store, importer: string, years: number[]): Promise<string[]> {
  const rows = await store.all(
    `SELECT y.year, b.bucket, count(DISTINCT b.economy) AS members,
            count(DISTINCT b.economy) FILTER (WHERE p.exporter IS NOT NULL) AS present,
            string_agg(DISTINCT b.economy, ', ' ORDER BY b.economy) FILTER (WHERE p.exporter IS NOT NULL) AS names
     FROM (SELECT unnest($2::INTEGER[]) AS year) y CROSS JOIN bucket b
     LEFT JOIN (SELECT DISTINCT year, exporter FROM fb WHERE importer = $1) p ON p.year = y.year AND p.exporter = b.economy
     GROUP BY y.year, b.bucket HAVING count(DISTINCT b.economy) > 1 ORDER BY b.bucket, y.year`,
    [importer, listValue(years)],
  );
  return rows
    .filter((r) => Number(r.present) > 0 && Number(r.present) < Number(r.members))
    .map(
      (r) =>
        `${r.bucket} in ${r.year}: ${r.present} of its ${r.members} members ${Number(r.present) === 1 ? 'is' : 'are'} in the data (${r.names}); its figures are theirs alone`,
    );
}
