import { ident, raw, sql } from '../core/sql.js';
import type { Row, Store } from '../store/store.js';
import { stackSelect } from '../measures/tariffStack.js';
import { totalRateFileEnd, totalRateStackSelect } from '../measures/totalRateStack.js';
import { htsVintageForYear } from '../reference/hsVintages.js';
import { PUBLISHED_AVERAGE_TARIFFS } from '../measures/publishedAverageTariffs.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { exactShareSum, exactSum } from './exactSum.js';
import { ACTION_CHANGES_LIST } from '../ingest/actionChanges.js';
import { createUnitValues, QUANTITY_UNITS } from './unitValues.js';
import { InvalidInputError } from '../core/index.js';

/**
 * Average tariff (平均关税): at every date in the window on which a layer of the importer's tariff on the
 * exporter changes, the trade-weighted average of the total tariff over the importer's imports from the exporter
 * in the weights year (layers averaged over the lines whose MFN is a number),
 *
 *   T(d) = Σ_p w_p · t_p(d) / Σ_p w_p,   t_p(d) = MFN_p(d) + Σ_layers τ_p,l(d)
 *
 * with each layer's contribution Σ_p w_p τ_p,l(d) / Σ_p w_p, the simple (unweighted) mean over lines, and the
 * share of the weights under any additional duty. Weights are the importer's own imports at the finest level
 * loaded (HTS10: each line its own weight; HS6: the simple mean of the HTS8 lines under it). Lines whose MFN is
 * stated in words carry no MFN number and are left out of the averages (their weight share is given).
 * Reference: Bown (PIIE), "US-China Trade War Tariffs: An Up-to-Date Chart" (2017 import weights).
 */
export async function averageTariff(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const importer = need(p.reporter, '--reporter (the importer applying the tariffs)', 'average-tariff');
  const exporter = need(p.partner, '--partner (the exporter facing them)', 'average-tariff');
  if (p.level !== undefined && ![6, 8, 10].includes(p.level))
    throw new InvalidInputError(
      `average-tariff takes --level 6, 8 or 10 (the HS digits of the weights), not ${p.level}`,
    );
  const years = p.years ?? [p.from ?? 2018, p.to ?? (await lastActionYear(store, importer, exporter))];
  const q: AverageTariffQuery = {
    importer,
    exporter,
    weights: p.weights ?? 2017,
    level: p.level as WeightsLevel | undefined,
    window: { from: p.fromDate ?? `${years[0]}-01-01`, to: p.toDate ?? `${years[1]}-12-31` },
  };
  if (importer === 'USA' && exporter === 'CHN') {
    const res = await lineStackAverage(store, q);
    if (q.level !== undefined && q.weights !== 'current') res.notes.push(...(await levelBias(store, q, res.rows)));
    return res;
  }
  const total = await store.one(
    sql`SELECT count(*) AS n FROM tariff_lines WHERE importer = ${importer} AND exporter = ${exporter} AND rate_kind = 'total' AND digits = 6`,
  );
  if (Number(total?.n)) {
    if (q.level !== undefined && q.level !== 6)
      throw new Error(
        `average-tariff of ${importer} on ${exporter} rests on total rates by HS6: --level ${q.level} is finer than its lines`,
      );
    return totalRateAverage(store, q);
  }
  throw new Error(
    `average-tariff needs the layers of ${importer}'s tariff on ${exporter}: the registry knows the US stack on China; for other pairs import total applied rates by HS6 and date (decouple import tariffs FILE --importer ISO3 --exporter ISO3 --rate-kind total)`,
  );
}

type WeightsLevel = 6 | 8 | 10;

/** Returns the year of the importer's last tariff action on the exporter in the registry (the default window's end). */
async function lastActionYear(store: Store, importer: string, exporter: string): Promise<number> {
  const last = await store.one(
    sql`SELECT max(greatest(l.from_date, coalesce(l.suspended, l.from_date))) AS d FROM measure_tariff_lists l
        JOIN measures m USING (measure_id)
        WHERE m.actor = ${importer} AND (list_contains(string_split(m.targets, ','), ${exporter})
          OR list_contains(string_split(m.targets, ','), 'ALL'))`,
  );
  return Math.max(2018, last?.d ? new Date(String(last.d)).getUTCFullYear() : 2025);
}

/** What an average is asked for: the pair, the weights (a year, or each date's own year), their level, the window. */
interface AverageTariffQuery {
  importer: string;
  exporter: string;
  weights: number | 'current';
  /** HS digits of the weights; undefined: the finest loaded. */
  level?: WeightsLevel;
  window: { from: string; to: string };
}

/** The weights of one year: the level, the HS vintage of the codes, and a note saying what they rest on. */
interface YearWeights {
  year: number;
  level: number;
  /** The HS vintage of the weights' codes. */
  classification: string;
  note: string;
}

/**
 * Returns the finest product level (6, 8 or 10) at which the importer's imports from the exporter in the year are
 * loaded (its own report, else the exporter's mirror), or undefined.
 */
async function finestLevel(store: Store, importer: string, exporter: string, year: number) {
  const r = await store.one(
    sql`SELECT max(product_level) AS l FROM flows WHERE importer = ${importer} AND exporter = ${exporter}
          AND year = ${year} AND month IS NULL AND product_level IN (6, 8, 10)
        GROUP BY reporter_side ORDER BY reporter_side = 'importer' DESC LIMIT 1`,
  );
  return r?.l == null ? undefined : Number(r.l);
}

/**
 * Adds to the temp table at_weights (wyear, product, w) the importer's imports from the exporter in the year at the
 * level (codes cut to its digits), from one dataset: the importer's own report first, else the exporter's exports
 * to it (mirror); among datasets at or below the level's detail, the one closest to it, then the largest. Returns
 * what the weights rest on, or undefined when the year is not loaded at that level.
 */
async function addYearWeights(
  store: Store,
  importer: string,
  exporter: string,
  year: number,
  level: number,
): Promise<YearWeights | undefined> {
  for (const side of ['importer', 'exporter'] as const) {
    const pick = await store.one(
      sql`SELECT dataset_id, product_level AS level, sum(value_usd) AS v FROM flows
          WHERE importer = ${importer} AND exporter = ${exporter} AND reporter_side = ${side} AND year = ${year}
            AND month IS NULL AND product_level IN (6, 8, 10) AND product_level >= ${level}
          GROUP BY ALL ORDER BY product_level, v DESC, dataset_id LIMIT 1`,
    );
    if (!pick) continue;
    const from = Number(pick.level);
    const ds = await store.one(sql`SELECT file_name FROM datasets WHERE dataset_id = ${Number(pick.dataset_id)}`);
    const cls = await store.one(
      sql`SELECT any_value(classification) AS c FROM flows WHERE dataset_id = ${Number(pick.dataset_id)} AND year = ${year} AND product_level = ${from}`,
    );
    await store.run(
      sql`INSERT INTO at_weights SELECT ${year}, substr(product, 1, ${level}), CAST(sum(value_usd) AS DOUBLE) FROM flows
          WHERE dataset_id = ${Number(pick.dataset_id)} AND importer = ${importer} AND exporter = ${exporter}
            AND reporter_side = ${side} AND year = ${year} AND month IS NULL AND product_level = ${from}
          GROUP BY 2 HAVING sum(value_usd) > 0`,
    );
    const basis =
      side === 'importer'
        ? `${importer}'s imports from ${exporter}`
        : `${exporter}'s exports to ${importer} (mirror: ${importer}'s own imports by product are not loaded)`;
    return {
      year,
      level,
      classification: String(cls?.c ?? ''),
      note: `${basis} in ${year} at HS${level}${from > level ? ` (summed from HS${from})` : ''} (${ds?.file_name}, US$ ${(Number(pick.v) / 1e9).toFixed(1)} bn)`,
    };
  }
  return undefined;
}

/**
 * Fills the temp tables at_weights (wyear, product, w) and at_dates' weights year (column wyear) for the query: one
 * year for every date, or (current) each date's own year, the latest earlier year loaded where its own is not. One
 * level for the whole series: the one asked for, else the finest every weights year has. Returns the weights of
 * each year used and a note; throws when a year has none.
 */
async function buildWeights(store: Store, q: AverageTariffQuery): Promise<Map<number, YearWeights>> {
  const dateYears = (await store.all(`SELECT DISTINCT year(date) AS y FROM at_dates ORDER BY 1`)).map((r) =>
    Number(r.y),
  );
  const missing = (year: number) =>
    new Error(
      `average-tariff needs ${q.importer}'s imports from ${q.exporter} in ${year} by product (HS${q.level ?? 6} or finer) as weights, or ${q.exporter}'s exports to ${q.importer}: import them (UN Comtrade, Census) or choose --weights`,
    );
  // The weights year of each date's year.
  const wyearOf = new Map<number, number>();
  if (q.weights === 'current') {
    const loaded = (
      await store.all(
        sql`SELECT DISTINCT year FROM flows WHERE importer = ${q.importer} AND exporter = ${q.exporter} AND month IS NULL
              AND product_level IN (6, 8, 10) AND product_level >= ${q.level ?? 6} ORDER BY 1`,
      )
    ).map((r) => Number(r.year));
    for (const y of dateYears) {
      const w = loaded.filter((l) => l <= y).pop();
      if (w === undefined) throw missing(y);
      wyearOf.set(y, w);
    }
  } else for (const y of dateYears) wyearOf.set(y, q.weights);
  const wyears = [...new Set(wyearOf.values())].sort();
  let level: number | undefined = q.level;
  if (level === undefined) {
    const finest = await Promise.all(wyears.map((y) => finestLevel(store, q.importer, q.exporter, y)));
    if (finest.some((l) => l === undefined)) throw missing(wyears[finest.findIndex((l) => l === undefined)]);
    level = Math.min(...(finest as number[]));
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE at_weights (wyear INTEGER, product VARCHAR, w DOUBLE)`);
  const out = new Map<number, YearWeights>();
  for (const y of wyears) {
    const w = await addYearWeights(store, q.importer, q.exporter, y, level);
    if (!w) throw missing(y);
    out.set(y, w);
  }
  await store.run(`ALTER TABLE at_dates ADD COLUMN wyear INTEGER`);
  for (const [y, w] of wyearOf) await store.run(sql`UPDATE at_dates SET wyear = ${w} WHERE year(date) = ${y}`);
  return out;
}

/** Returns the note naming the weights: one year, or the year each date's weights come from. */
function weightsNote(q: AverageTariffQuery, weights: Map<number, YearWeights>): string {
  const list = [...weights.values()];
  if (q.weights !== 'current') return `weights: ${list[0].note}`;
  return `weights: each date's own year (current weights; a year not loaded takes the latest earlier one): ${list.map((w) => w.note).join('; ')}`;
}

/**
 * Returns a note comparing the average at the level asked for with the average at the finest level the weights
 * year has, when that is finer: at the last date and the largest gap over the dates (the bias of the coarser level).
 */
async function levelBias(store: Store, q: AverageTariffQuery, rows: Row[]): Promise<string[]> {
  const year = q.weights as number;
  const finest = await finestLevel(store, q.importer, q.exporter, year);
  if (finest === undefined || finest <= q.level!) return [];
  const fine = (await lineStackAverage(store, { ...q, level: undefined })).rows;
  const gaps = rows.map((r, i) => Number(r.average_pct) - Number(fine[i]?.average_pct));
  const widest = gaps.reduce((a, g, i) => (Math.abs(g) > Math.abs(gaps[a]) ? i : a), 0);
  const last = rows.length - 1;
  const f = (x: unknown) => Number(x).toFixed(2);
  return [
    `level: at HS${q.level} the average on ${rows[last].date} is ${f(rows[last].average_pct)}%; at HS${finest}, the finest level of the ${year} weights, ${f(fine[last].average_pct)}% (${gaps[last] >= 0 ? '+' : ''}${f(gaps[last])} pp); the widest gap is ${gaps[widest] >= 0 ? '+' : ''}${f(gaps[widest])} pp on ${rows[widest].date}`,
  ];
}

/**
 * Returns a note for each tariff measure of the importer on the exporter (or on all origins) in force in the window
 * with no line list loaded and no all-goods list, so left out of the average; where Bown's per-action HS6 file is
 * loaded, with the contribution it gives the measure on the same weights (summed to HS6) at its largest.
 */
async function unlistedLayers(store: Store, q: AverageTariffQuery): Promise<string[]> {
  const targets = sql`(list_contains(string_split(m.targets, ','), ${q.exporter}) OR list_contains(string_split(m.targets, ','), 'ALL'))`;
  const unlisted = await store.all(
    sql`SELECT m.measure_id, strftime(m.effective, '%Y-%m-%d') AS eff FROM measures m
        WHERE m.actor = ${q.importer} AND m.instrument = 'tariff' AND ${targets}
          AND m.effective <= CAST(${q.window.to} AS DATE) AND (m.ended IS NULL OR m.ended >= CAST(${q.window.from} AS DATE))
          AND NOT EXISTS (SELECT 1 FROM tariff_lines t WHERE t.measure_id = m.measure_id AND t.digits >= 8)
          AND NOT EXISTS (SELECT 1 FROM measure_tariff_lists l WHERE l.measure_id = m.measure_id AND l.scope = 'all-goods')
        ORDER BY m.effective, m.measure_id`,
  );
  const notes: string[] = [];
  for (const m of unlisted) {
    const layer = await hs6ActionLayer(store, String(m.measure_id));
    const top = layer && [...layer.byDate].reduce((a, b) => (b[1] > a[1] ? b : a));
    const bown = top
      ? `; Bown's per-action HS6 file puts it at ${top[1].toFixed(3)} pp of the average at its largest (${top[0]}), on these weights summed to HS6`
      : '';
    notes.push(
      `${m.measure_id} (from ${m.eff}) has no line list in the data: left out of the average and the coverage${bown}`,
    );
  }
  return notes;
}

/**
 * Returns, by date of at_dates (in date order), the contribution Σ w·τ / Σ w of the measures whose ids start with
 * the prefix in Bown's per-action HS6 file, on the weights of at_weights summed to HS6, and the file's last action
 * date for them; undefined when the file is not loaded.
 */
async function hs6ActionLayer(
  store: Store,
  prefix: string,
): Promise<{ byDate: Map<string, number>; lastAction: string } | undefined> {
  const loaded = await store.one(
    sql`SELECT count(*) AS n, strftime(max(from_date), '%Y-%m-%d') AS last FROM tariff_lines
        WHERE list = ${ACTION_CHANGES_LIST} AND starts_with(measure_id, ${prefix})`,
  );
  if (!Number(loaded?.n)) return undefined;
  const rows = await store.all(
    sql`WITH w AS (SELECT wyear, substr(product, 1, 6) AS hs6, sum(w) AS w FROM at_weights GROUP BY ALL),
        t AS (SELECT line, from_date, to_date, rate_pct FROM tariff_lines
              WHERE list = ${ACTION_CHANGES_LIST} AND starts_with(measure_id, ${prefix})),
        onday AS (SELECT d.date, t.line, sum(t.rate_pct) AS rate
                  FROM (SELECT DISTINCT date FROM at_dates) d
                    JOIN t ON t.from_date <= d.date AND (t.to_date IS NULL OR t.to_date > d.date)
                  GROUP BY ALL),
        p AS (SELECT d.date, w.hs6, w.w, coalesce(o.rate, 0) AS rate
              FROM at_dates d JOIN w ON w.wyear = d.wyear LEFT JOIN onday o ON o.date = d.date AND o.line = w.hs6)
        SELECT strftime(date, '%Y-%m-%d') AS d, ${raw(exactSum('w * rate'))} / ${raw(exactSum('w'))} AS pct
        FROM p GROUP BY date ORDER BY date`,
  );
  return { byDate: new Map(rows.map((r) => [String(r.d), Number(r.pct)])), lastAction: String(loaded!.last) };
}

/**
 * Returns the note on specific and compound MFN rates at the last date: the share of the weights on lines with one,
 * the share turned into ad valorem equivalents (rate per unit × quantity ÷ value of the line's HS6 in the weights
 * year, from the trade data named) and what is left at its ad valorem part.
 */
function specificRateNote(last: Row | undefined, unitValues: Map<number, string>): string {
  const spec = 100 * Number(last?.spec ?? 0);
  const conv = 100 * Number(last?.conv ?? 0);
  const from = [...unitValues].map(([y, f]) => `${f} (${y})`).join(', ');
  return `mfn_specific_ave_pct: specific rates (US$ per unit) as ad valorem equivalents, rate × quantity ÷ value of the line's HS6 in the weights year${from ? ` (unit values from ${from})` : ' (no quantities loaded)'}, included in mfn_pct; on ${last?.date} lines with specific or compound rates carry ${spec.toFixed(2)}% of the weights, ${conv.toFixed(2)}% converted, ${(spec - conv).toFixed(2)}% at their ad valorem part only (units the trade data do not give; units read ${Object.keys(QUANTITY_UNITS).join(', ')}); the second specific part of a compound rate is not converted`;
}

/**
 * Returns the note on Section 232 derivatives (their duty falls on the steel or aluminium they contain, which the
 * data do not give): the weight on their lines and, at the date it is largest, the most they could add (the rate
 * on their full value); undefined when no derivative line is weighted.
 */
function derivativesNote(results: Row[]): string | undefined {
  const top = results.reduce<Row | undefined>((a, r) => (Number(r.s232d) > Number(a?.s232d ?? 0) ? r : a), undefined);
  if (!top) return undefined;
  return `Section 232 derivatives (duty on their steel or aluminium content, which the data do not give) are left out: on ${top.date} their lines carry ${(100 * Number(top.s232d_lines)).toFixed(2)}% of the weights and would add at most ${Number(top.s232d).toFixed(3)} pp on their full value`;
}

/** Returns the note on what the level of the weights does to the average. */
function levelNote(level: number): string {
  if (level === 6)
    return 'each HS6 takes the simple mean of its HTS8 lines, which gives lines of little trade the weight of large ones within a product';
  if (level === 8)
    return 'a listing at HTS10 counts for its whole HTS8 line (an upper bound where it names part of it)';
  return 'HTS10 lines take the HTS8 rates above them and the listings at HTS10';
}

/** The average of the US stack on China, line by line (see US_STACK). */
async function lineStackAverage(store: Store, q: AverageTariffQuery): Promise<IndicatorResult> {
  const { importer, exporter } = q;
  const { from, to } = q.window;
  const notes: string[] = [];
  const mfnLoaded = await store.one(sql`SELECT count(*) AS n FROM mfn_rates WHERE importer = ${importer}`);
  if (!Number(mfnLoaded?.n))
    throw new Error(
      'average-tariff needs the MFN base: import the USITC tariff database (decouple import tariffs tariff_database_YYYY.txt)',
    );
  const dates = await changeDates(store, importer, exporter, from, to);
  // Every date with its schedule year and weights year, and the lines under the weighted products of every
  // (schedule, weights) pair, then one query.
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE at_dates AS
        WITH y AS (SELECT DISTINCT year FROM mfn_rates WHERE importer = ${importer})
        SELECT CAST(d AS DATE) AS date,
               coalesce((SELECT max(year) FROM y WHERE year <= year(CAST(d AS DATE))), (SELECT min(year) FROM y)) AS year
        FROM unnest(CAST(${dates.join(',')} AS VARCHAR).string_split(',')) t(d)`,
  );
  const weights = await buildWeights(store, q);
  const level = [...weights.values()][0].level;
  const unitValues = await createUnitValues(store, importer, exporter);
  const concordedYears = new Set<string>();
  notes.push(`${weightsNote(q, weights)}; ${levelNote(level)}`);
  await store.run(`CREATE OR REPLACE TEMP TABLE at_lines (year INTEGER, wyear INTEGER, line VARCHAR, product VARCHAR)`);
  for (const pair of await store.all(`SELECT DISTINCT year, wyear FROM at_dates ORDER BY 1, 2`)) {
    const year = Number(pair.year);
    const wyear = Number(pair.wyear);
    if (level !== 6) {
      await store.run(
        sql`INSERT INTO at_lines SELECT ${year}, ${wyear}, product, product FROM at_weights WHERE wyear = ${wyear}`,
      );
      continue;
    }
    // The schedule's lines under each weighted HS6; a schedule of another HS vintage is matched through the
    // concordance of its HS6 codes to the weights' vintage where one is installed.
    const classification = weights.get(wyear)!.classification;
    const vintage = htsVintageForYear(year);
    const concorded =
      vintage !== classification &&
      Number(
        (
          await store.one(
            sql`SELECT count(*) AS n FROM concordances WHERE from_classification = ${vintage} AND to_classification = ${classification}`,
          )
        )?.n,
      ) > 0;
    await store.run(
      sql`INSERT INTO at_lines SELECT * FROM (
            SELECT DISTINCT ${year}, ${wyear}, r.line, ${concorded ? sql`coalesce(c.to_code, substr(r.line, 1, 6))` : sql`substr(r.line, 1, 6)`} AS product
            FROM mfn_rates r
            ${concorded ? sql`LEFT JOIN concordances c ON c.from_classification = ${vintage} AND c.to_classification = ${classification} AND c.from_code = substr(r.line, 1, 6)` : sql``}
            WHERE r.importer = ${importer} AND r.year = ${year})
          WHERE product IN (SELECT product FROM at_weights WHERE wyear = ${wyear})`,
    );
    if (concorded) concordedYears.add(`${year} (${vintage} to ${classification})`);
  }
  const results = await store.all(
    sql`WITH s AS (${stackSelect('at_dates', 'at_lines', importer, exporter)}),
        sa AS (SELECT s.*, a.product,
                      CASE WHEN coalesce(s.mfn_per_unit, 0) > 0 AND uv.q > 0
                           THEN 100 * s.mfn_per_unit * uv.q / uv.v ELSE 0 END AS ave,
                      coalesce(s.mfn_per_unit, 0) > 0 OR coalesce(s.mfn_other, 0) > 0 AS specific,
                      coalesce(s.mfn_per_unit, 0) > 0 AND uv.q > 0 AS converted
               FROM s JOIN at_dates d USING (date)
               JOIN at_lines a ON a.year = d.year AND a.wyear = d.wyear AND a.line = s.line
               LEFT JOIN at_unit_values uv ON uv.wyear = d.wyear AND uv.hs6 = substr(a.product, 1, 6) AND uv.unit = s.mfn_unit),
        sl AS (SELECT * EXCLUDE (mfn_pct, ave), mfn_pct + ave AS mfn_pct, ave FROM sa),
        byp AS (
          SELECT date, product, avg(mfn_pct) AS mfn, avg(ave) FILTER (WHERE mfn_pct IS NOT NULL) AS ave,
                 avg(CASE WHEN specific AND mfn_pct IS NOT NULL THEN 1 ELSE 0 END) AS spec,
                 avg(CASE WHEN converted AND mfn_pct IS NOT NULL THEN 1 ELSE 0 END) AS conv,
                 avg(section301_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS s301,
                 avg(section232_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS s232,
                 avg(ieepa_fentanyl_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS fent,
                 avg(ieepa_reciprocal_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS recip,
                 avg(section122_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS s122,
                 avg(section232_derivative_pct) FILTER (WHERE mfn_pct IS NOT NULL) AS s232d,
                 avg(CASE WHEN section232_derivative_pct > 0 AND mfn_pct IS NOT NULL THEN 1 ELSE 0 END) AS s232d_lines,
                 avg(CASE WHEN section301_pct + section232_pct + ieepa_fentanyl_pct + ieepa_reciprocal_pct + section122_pct > 0 THEN 1 ELSE 0 END) AS covered,
                 count(mfn_pct) AS priced
          FROM sl GROUP BY date, product),
        simple AS (
          SELECT date, ${raw(exactShareSum('t'))} / count(t) AS simple
          FROM (SELECT DISTINCT ON (date, line) date,
                       mfn_pct + section301_pct + section232_pct + ieepa_fentanyl_pct + ieepa_reciprocal_pct + section122_pct AS t
                FROM sl)
          GROUP BY date),
        j AS (SELECT d.date, w.w, b.* EXCLUDE (date, product) FROM at_dates d JOIN at_weights w ON w.wyear = d.wyear
              LEFT JOIN byp b ON b.date = d.date AND b.product = w.product)
        SELECT strftime(j.date, '%Y-%m-%d') AS date, any_value(d.year) AS year, any_value(d.wyear) AS wyear,
               ${raw(exactSum('w', 'priced > 0'))} / ${raw(exactSum('w'))} AS priced_share,
               ${raw(exactSum('w * (mfn + s301 + s232 + fent + recip + s122)', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS avg,
               ${raw(exactSum('w * mfn', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS mfn,
               ${raw(exactSum('w * ave', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS ave,
               ${raw(exactSum('w * spec', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS spec,
               ${raw(exactSum('w * conv', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS conv,
               ${raw(exactSum('w * s301', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS s301,
               ${raw(exactSum('w * s232', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS s232,
               ${raw(exactSum('w * fent', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS fent,
               ${raw(exactSum('w * recip', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS recip,
               ${raw(exactSum('w * s122', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS s122,
               ${raw(exactSum('w * s232d', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS s232d,
               ${raw(exactSum('w * s232d_lines', 'priced > 0'))} / ${raw(exactSum('w', 'priced > 0'))} AS s232d_lines,
               ${raw(exactSum('w * covered', 'covered IS NOT NULL'))} / ${raw(exactSum('w', 'covered IS NOT NULL'))} AS covered,
               any_value(si.simple) AS simple
        FROM j JOIN at_dates d USING (date) LEFT JOIN simple si USING (date)
        GROUP BY j.date ORDER BY j.date`,
  );
  const actions = await actionsOnDates(store, importer, exporter, 'at_dates');
  const bown = await hs6ActionLayer(store, 'us-301-');
  // Bown's file ends with its last action: from the next Section 301 action on, it has nothing to compare.
  const bownEnd = bown
    ? results.map((r) => String(r.date)).find((d) => d > bown.lastAction && (actions.get(d) ?? '').includes('us-301-'))
    : undefined;
  const rows: Row[] = [];
  for (const r of results) {
    const date = String(r.date);
    const published = publishedFor(importer, exporter, date);
    rows.push({
      date,
      actions: actions.get(date) ?? null,
      average_pct: finite(r.avg),
      mfn_pct: finite(r.mfn),
      mfn_specific_ave_pct: finite(r.ave),
      section301_pct: finite(r.s301),
      section232_pct: finite(r.s232),
      ieepa_fentanyl_pct: finite(r.fent),
      ieepa_reciprocal_pct: finite(r.recip),
      section122_pct: finite(r.s122),
      simple_average_pct: finite(r.simple),
      covered_pct: finite(Number(r.covered) * 100),
      weights_priced_pct: finite(Number(r.priced_share) * 100),
      ...(bown ? { bown_hs6_section301_pct: bownEnd && date >= bownEnd ? null : finite(bown.byDate.get(date)) } : {}),
      mfn_year: Number(r.year),
      weights_year: Number(r.wyear),
      published_pct: published?.value ?? null,
      published_source: published ? published.source : null,
    });
  }
  if (concordedYears.size)
    notes.push(
      `schedules of another HS vintage than the weights matched through the HS concordance: ${[...concordedYears].join(', ')}`,
    );
  notes.push(
    `${dates.length} dates from ${from} to ${to}: each date on which a layer changes (Section 301 lists and exclusions, Section 232 scopes, IEEPA rates, the MFN schedule of a new year)`,
  );
  notes.push(
    'published_pct: the figure Bown (PIIE) gives for the same period, computed by PIIE with its own weights and scopes; not a computation of this system',
  );
  notes.push(specificRateNote(results[results.length - 1], unitValues));
  const derivatives = derivativesNote(results);
  if (derivatives) notes.push(derivatives);
  if (bown)
    notes.push(
      `bown_hs6_section301_pct: Section 301 from Bown's per-action HS6 file (each HS6 at the average change over its HTS8 lines) on these weights summed to HS6, beside section301_pct from the lines; codes matched as written; empty from the first Section 301 action after the file's last (${bown.lastAction})`,
    );
  notes.push(...(await unlistedLayers(store, q)));
  const lastAction = await store.one(
    sql`SELECT strftime(max(d), '%Y-%m-%d') AS d FROM (
          SELECT from_date AS d FROM measure_tariff_lists UNION ALL SELECT suspended FROM measure_tariff_lists
          UNION ALL SELECT from_date FROM tariff_lines WHERE importer = ${importer})`,
  );
  if (lastAction?.d && String(lastAction.d) < to)
    notes.push(`the registry and the loaded lines end on ${lastAction.d}; later dates carry that state`);
  return { rows, notes };
}

/**
 * The average of total applied rates by HS6 and date (MFN included, as the rate file gives them) with the registry's
 * later actions stacked on them (totalRateStack.ts): at each date a layer changes, Σ w·t / Σ w over the products
 * with a rate, each layer's contribution, the simple mean, and the share of weights whose rate is above the
 * product's first rate in the file (an additional duty, read as the rise).
 */
async function totalRateAverage(store: Store, q: AverageTariffQuery): Promise<IndicatorResult> {
  const { importer, exporter } = q;
  const { from, to } = q.window;
  const fileEnd = (await totalRateFileEnd(store, importer, exporter))!;
  const notes = [
    `rates: total applied rates by HS6 from the tariff files to ${fileEnd} (MFN included; the MFN and the duties in force by then are not separated: ${importer}'s MFN schedule by line is not in the data); later actions from the measures registry stacked on them`,
  ];
  const targets = sql`list_contains(string_split(m.targets, ','), ${exporter})`;
  const dates = (
    await store.all(
      sql`SELECT DISTINCT strftime(d, '%Y-%m-%d') AS d FROM (
            SELECT CAST(${from} AS DATE) AS d
            UNION SELECT from_date FROM tariff_lines WHERE importer = ${importer} AND exporter = ${exporter} AND rate_kind = 'total'
            UNION SELECT TRY_CAST(c.date AS DATE) FROM measure_changes c JOIN measures m USING (measure_id)
              WHERE c.rate_factor IS NOT NULL AND m.actor = ${importer} AND ${targets}
            UNION SELECT x.from_date FROM tariff_lines x JOIN measures m USING (measure_id)
              WHERE x.importer = ${importer} AND x.exporter = ${exporter} AND x.rate_kind = 'additional' AND m.effective > CAST(${fileEnd} AS DATE)
            UNION SELECT l.from_date FROM measure_tariff_lists l JOIN measures m USING (measure_id)
              WHERE l.scope = 'all-goods' AND m.actor = ${importer} AND ${targets} AND m.effective > CAST(${fileEnd} AS DATE))
          WHERE d BETWEEN CAST(${from} AS DATE) AND CAST(${to} AS DATE) ORDER BY 1`,
    )
  ).map((r) => String(r.d));
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE at_dates AS SELECT CAST(d AS DATE) AS date
        FROM unnest(CAST(${dates.join(',')} AS VARCHAR).string_split(',')) t(d)`,
  );
  notes.unshift(weightsNote(q, await buildWeights(store, { ...q, level: 6 })));
  const actions = await actionsOnDates(store, importer, exporter, 'at_dates');
  const results = await store.all(
    sql`WITH s AS (${totalRateStackSelect('at_dates', importer, exporter, fileEnd)}),
        j AS (SELECT d.date, d.wyear, w.w, s.* EXCLUDE (date, line) FROM at_dates d JOIN at_weights w ON w.wyear = d.wyear
              LEFT JOIN s ON s.date = d.date AND s.line = w.product),
        simple AS (SELECT date, ${raw(exactShareSum('total_pct'))} / count(total_pct) AS simple FROM s GROUP BY date)
        SELECT strftime(j.date, '%Y-%m-%d') AS date, any_value(j.wyear) AS wyear,
               ${raw(exactSum('w * total_pct', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS avg,
               ${raw(exactSum('w * (file_pct + cut_pct)', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS applied,
               ${raw(exactSum('w * cut_pct', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS cut,
               ${raw(exactSum('w * later_lines_pct', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS lines,
               ${raw(exactSum('w * later_all_goods_pct', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS all_goods,
               ${raw(exactSum('w', 'file_pct + cut_pct > base_pct OR later_lines_pct > 0 OR later_all_goods_pct > 0'))} / ${raw(exactSum('w', 'total_pct IS NOT NULL'))} AS covered,
               ${raw(exactSum('w', 'total_pct IS NOT NULL'))} / ${raw(exactSum('w'))} AS priced,
               any_value(si.simple) AS simple
        FROM j LEFT JOIN simple si USING (date) GROUP BY j.date ORDER BY j.date`,
  );
  const rows: Row[] = results.map((r) => {
    const date = String(r.date);
    const published = publishedFor(importer, exporter, date);
    return {
      date,
      actions: actions.get(date) ?? null,
      average_pct: finite(r.avg),
      applied_pct: finite(r.applied),
      rate_cuts_pct: finite(r.cut),
      later_lines_pct: finite(r.lines),
      later_all_goods_pct: finite(r.all_goods),
      simple_average_pct: finite(r.simple),
      covered_pct: finite(Number(r.covered) * 100),
      weights_priced_pct: finite(Number(r.priced) * 100),
      weights_year: Number(r.wyear),
      published_pct: published?.value ?? null,
      published_source: published ? published.source : null,
    };
  });
  notes.push(...(await totalRateStackNotes(store, importer, exporter, fileEnd)));
  const last = dates[dates.length - 1];
  if (last && last < to) notes.push(`the rate files and the registry end on ${last}; later dates carry that state`);
  return { rows, notes };
}

/** Returns what the stack on total rates derives, adds or leaves out, as notes. */
async function totalRateStackNotes(store: Store, importer: string, exporter: string, fileEnd: string) {
  const notes: string[] = [];
  const targets = sql`list_contains(string_split(m.targets, ','), ${exporter})`;
  for (const c of await store.all(
    sql`SELECT c.measure_id, c.date, c.rate_factor, strftime(m.effective, '%Y-%m-%d') AS eff FROM measure_changes c JOIN measures m USING (measure_id)
        WHERE c.rate_factor IS NOT NULL AND m.actor = ${importer} AND ${targets} AND TRY_CAST(c.date AS DATE) > CAST(${fileEnd} AS DATE) ORDER BY c.date`,
  ))
    notes.push(
      `rate_cuts_pct (derived): from ${c.date} the duties of ${c.measure_id} are multiplied by ${c.rate_factor}; what it added to each line is the rise of the file's rate on ${c.eff} over the date before`,
    );
  const later = await store.all(
    sql`SELECT m.measure_id, any_value(l.scope) AS scope,
               (SELECT count(DISTINCT x.line) FROM tariff_lines x WHERE x.measure_id = m.measure_id AND x.importer = ${importer}) AS n
        FROM measures m JOIN measure_tariff_lists l USING (measure_id)
        WHERE m.actor = ${importer} AND ${targets} AND m.effective > CAST(${fileEnd} AS DATE) GROUP BY m.measure_id ORDER BY 1`,
  );
  for (const m of later)
    if (m.scope !== 'all-goods')
      notes.push(
        Number(m.n)
          ? `later_lines_pct: ${m.measure_id}, ${m.n} lines of 8 digits; an HS6 counts at the highest rate of its listed lines (an upper bound where not every line under it is listed)`
          : `${m.measure_id} has no lines loaded (import its line lists with decouple import tariffs FILE --list NAME): left out`,
      );
  const unlisted = await store.all(
    sql`SELECT m.measure_id, strftime(m.effective, '%Y-%m-%d') AS eff FROM measures m
        WHERE m.actor = ${importer} AND ${targets} AND m.instrument = 'tariff' AND m.effective > CAST(${fileEnd} AS DATE)
          AND m.measure_id NOT IN (SELECT measure_id FROM measure_tariff_lists) ORDER BY 1`,
  );
  for (const m of unlisted)
    notes.push(
      `${m.measure_id} (from ${m.eff}) has no line list in the registry or the data: left out, so the average is a lower bound from that date`,
    );
  return notes;
}

/** Returns the dates in [from, to] on which a layer of the importer's tariff on the exporter changes, with from. */
async function changeDates(
  store: Store,
  importer: string,
  exporter: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await store.all(
    sql`SELECT DISTINCT strftime(d, '%Y-%m-%d') AS d FROM (
          SELECT CAST(${from} AS DATE) AS d
          UNION SELECT from_date FROM tariff_lines WHERE importer = ${importer} AND exporter IN (${exporter}, 'ALL') AND rate_kind = 'additional' AND measure_id IS NOT NULL AND digits >= 8
          UNION SELECT to_date FROM tariff_lines WHERE importer = ${importer} AND exporter IN (${exporter}, 'ALL') AND rate_kind = 'additional' AND measure_id IS NOT NULL AND digits >= 8
          UNION SELECT from_date FROM tariff_exclusions WHERE importer = ${importer} AND from_date IS NOT NULL
          UNION SELECT to_date FROM tariff_exclusions WHERE importer = ${importer}
          UNION SELECT from_date FROM measure_tariff_lists WHERE scope = 'all-goods'
          UNION SELECT suspended FROM measure_tariff_lists WHERE scope = 'all-goods' AND suspended IS NOT NULL
          UNION SELECT make_date(year, 1, 1) FROM mfn_rates WHERE importer = ${importer})
        WHERE d BETWEEN CAST(${from} AS DATE) AND CAST(${to} AS DATE) ORDER BY 1`,
  );
  return rows.map((r) => String(r.d));
}

/** Returns the published average for the pair whose period holds the date, if any. */
function publishedFor(importer: string, exporter: string, date: string) {
  return PUBLISHED_AVERAGE_TARIFFS.find(
    (f) => f.importer === importer && f.exporter === exporter && f.from <= date && (!f.to || date <= f.to),
  );
}

/**
 * Returns what changes on each date of a table (column date), by date, comma-separated: registry lists whose rate
 * starts or stops, changes that scale a measure's duties, and loaded scopes (232 lines, exemptions, exclusions)
 * that start or end.
 */
async function actionsOnDates(
  store: Store,
  importer: string,
  exporter: string,
  datesTable: string,
): Promise<Map<string, string>> {
  const rows = await store.all(
    sql`WITH d AS (SELECT DISTINCT date FROM ${ident(datesTable)}),
        a AS (
          SELECT d.date, l.measure_id AS a FROM d JOIN measure_tariff_lists l ON l.from_date = d.date OR l.suspended = d.date
            JOIN measures m USING (measure_id)
          WHERE m.actor = ${importer} AND (list_contains(string_split(m.targets, ','), ${exporter}) OR list_contains(string_split(m.targets, ','), 'ALL'))
          UNION SELECT d.date, c.measure_id FROM d JOIN measure_changes c ON TRY_CAST(c.date AS DATE) = d.date
            JOIN measures m USING (measure_id)
          WHERE c.rate_factor IS NOT NULL AND m.actor = ${importer} AND list_contains(string_split(m.targets, ','), ${exporter})
          UNION SELECT d.date, t.measure_id FROM d JOIN tariff_lines t ON t.from_date = d.date OR t.to_date = d.date
          WHERE t.importer = ${importer} AND t.exporter IN (${exporter}, 'ALL') AND t.measure_id IS NOT NULL
            AND coalesce(t.list, '') <> ${ACTION_CHANGES_LIST}
          UNION SELECT d.date, e.measure_id || ' (' || coalesce(e.scope, 'exclusions') || ')' FROM d
            JOIN tariff_exclusions e ON e.from_date = d.date OR e.to_date = d.date
          WHERE e.importer = ${importer} AND e.exporter IN (${exporter}, 'ALL'))
        SELECT strftime(date, '%Y-%m-%d') AS d, string_agg(DISTINCT a, ', ' ORDER BY a) AS m FROM a GROUP BY date`,
  );
  return new Map(rows.map((r) => [String(r.d), String(r.m)]));
}
