import { ident, list, sql, type Sql } from '../core/sql.js';
import type { Row, Store } from '../store/store.js';

/**
 * The tariff the United States applies to a line of another economy's goods on a date, layer by layer:
 *
 *   total = MFN + Section 301 + Section 232 + IEEPA (fentanyl) + IEEPA (reciprocal) + Section 122
 *
 * - MFN: the column 1 general ad valorem rate of the USITC tariff database of the latest year up to the date
 *   (the rate period in force that day); specific and compound rates count their ad valorem part only.
 * - Section 301: the highest rate in force among the lists that name the line (lists 1–4A and the four-year
 *   review headings; USTR's review raised rates, it did not add a second duty); lists 1–4A do not apply while
 *   a product exclusion in force names the line.
 * - Section 232: the highest rate in force among the 232 scopes that name the line; derivatives (lists ending in
 *   -derivatives) pay it on their steel or aluminium content, which the data do not give, so their rate is shown
 *   (section232_derivative_pct) and not added.
 * - IEEPA: the all-goods lists of the registry (fentanyl; reciprocal), at their rate on the date; the reciprocal
 *   tariff does not apply to lines under an exemption in force (Annex II and its amendments, the semiconductor
 *   and electronics carve-out, pharmaceuticals, statutory) or to goods under Section 232 (Executive Order 14257,
 *   section 3(b)).
 * - Section 122: the registry's all-goods surcharge on every origin (2026), at its rate on the date, except lines
 *   under its exemptions in force (its Annex II, aircraft, drones) and goods under Section 232.
 * A listing at HTS10 applies to that HTS10 only; on an HTS8 line it counts for the whole line (an upper bound).
 */
export const US_STACK = {
  section301Lists: ['us-301-list1', 'us-301-list2', 'us-301-list3', 'us-301-list4'],
  section301Review: 'us-301-four-year-review',
  section301Exclusions: 'us-301-exclusions',
  section232Prefix: 'us-232-',
  /** Section 232 lists of derivatives (taxed on their metal content) end with this. */
  section232DerivativeSuffix: '-derivatives',
  fentanyl: 'us-ieepa-fentanyl-tariff',
  reciprocal: 'us-reciprocal-tariff-china',
  section122: 'us-section122-surcharge',
} as const;

/** The layers of the stack, in the order they are printed. */
export const STACK_LAYERS = [
  'mfn',
  'section301',
  'section232',
  'ieepa_fentanyl',
  'ieepa_reciprocal',
  'section122',
] as const;

/** Returns the MFN database year used on a date (the latest up to it, else the earliest loaded), or undefined. */
export async function mfnYear(store: Store, importer: string, date: string): Promise<number | undefined> {
  const r = await store.one(
    sql`SELECT coalesce(max(year) FILTER (WHERE year <= year(CAST(${date} AS DATE))), min(year)) AS y
        FROM mfn_rates WHERE importer = ${importer}`,
  );
  return r?.y == null ? undefined : Number(r.y);
}

/**
 * Returns a SELECT giving the stack of every line on every date at once: `datesTable` (date DATE, year INTEGER: the
 * MFN schedule used that day) and `linesTable` (year INTEGER, line VARCHAR: HTS8 or HTS10 codes, the lines of each
 * schedule year). Columns: date, line, mfn_pct (NULL where the rate is not a number), mfn_specific (the line has a
 * specific or compound rate), mfn_text, mfn_per_unit and mfn_other (its specific components, US$ per mfn_unit),
 * section301_pct and the list giving it, excluded, section232_pct and its list, section232_derivative_pct (the rate a
 * derivative line pays on its metal content, not in the total), ieepa_fentanyl_pct,
 * reciprocal_exempt with the exemptions and exclusions naming the line (exempt_scope), ieepa_reciprocal_pct,
 * section122_exempt and section122_pct.
 */
export function stackSelect(datesTable: string, linesTable: string, importer: string, exporter: string): Sql {
  return sql`
    WITH d AS (SELECT DISTINCT date, year FROM ${ident(datesTable)}),
    mfn AS (
      SELECT d.date, r.line, arg_max({ad: r.ad_valorem_pct, specific: coalesce(r.specific_rate, 0) + coalesce(r.other_rate, 0),
                            text: r.rate_text, per_unit: r.specific_rate, other: r.other_rate, unit: r.quantity_unit},
                           coalesce(r.from_date, DATE '1900-01-01')) AS r
      FROM d JOIN mfn_rates r ON r.year = d.year AND (r.from_date IS NULL OR r.from_date <= d.date)
      WHERE r.importer = ${importer}
      GROUP BY d.date, r.line),
    tl AS (
      SELECT d.date, t.line, substr(t.line, 1, 8) AS key8, t.measure_id, t.list, t.rate_pct
      FROM d JOIN tariff_lines t ON t.from_date <= d.date AND (t.to_date IS NULL OR t.to_date > d.date)
      WHERE t.importer = ${importer} AND t.exporter IN (${exporter}, 'ALL') AND t.rate_kind = 'additional'
        AND t.measure_id IS NOT NULL),
    ex AS (
      SELECT d.date, e.line, substr(e.line, 1, 8) AS key8, e.measure_id, coalesce(e.scope, e.measure_id) AS scope
      FROM d JOIN tariff_exclusions e ON e.from_date <= d.date AND (e.to_date IS NULL OR e.to_date > d.date)
      WHERE e.importer = ${importer} AND e.exporter IN (${exporter}, 'ALL')),
    all_goods AS (
      SELECT d.date, l.measure_id, arg_max(l.rate_pct, l.from_date) AS rate
      FROM d JOIN measure_tariff_lists l ON l.from_date <= d.date AND (l.suspended IS NULL OR l.suspended > d.date)
        JOIN measures m USING (measure_id)
      WHERE l.scope = 'all-goods' AND m.actor = ${importer}
        AND (list_contains(string_split(m.targets, ','), ${exporter}) OR list_contains(string_split(m.targets, ','), 'ALL'))
      GROUP BY d.date, l.measure_id),
    l AS (SELECT DISTINCT d.date, a.line, substr(a.line, 1, 8) AS key8 FROM d JOIN ${ident(linesTable)} a ON a.year = d.year),
    listed AS (
      SELECT l.date, l.line,
        max(tl.rate_pct) FILTER (WHERE tl.measure_id IN (${list(US_STACK.section301Lists)})) AS s301_lists,
        max(tl.rate_pct) FILTER (WHERE tl.measure_id = ${US_STACK.section301Review}) AS s301_review,
        max(tl.rate_pct) FILTER (WHERE starts_with(tl.measure_id, ${US_STACK.section232Prefix})
                                   AND NOT ends_with(coalesce(tl.list, ''), ${US_STACK.section232DerivativeSuffix})) AS s232,
        max(tl.rate_pct) FILTER (WHERE starts_with(tl.measure_id, ${US_STACK.section232Prefix})
                                   AND ends_with(coalesce(tl.list, ''), ${US_STACK.section232DerivativeSuffix})) AS s232_derivative,
        arg_max(tl.list, tl.rate_pct) FILTER (WHERE starts_with(tl.measure_id, 'us-301-')) AS s301_list,
        arg_max(tl.list, tl.rate_pct) FILTER (WHERE starts_with(tl.measure_id, ${US_STACK.section232Prefix})
                                              AND NOT ends_with(coalesce(tl.list, ''), ${US_STACK.section232DerivativeSuffix})) AS s232_list
      FROM l JOIN tl ON tl.date = l.date AND tl.key8 = l.key8 AND (starts_with(l.line, tl.line) OR length(l.line) = 8)
      GROUP BY l.date, l.line),
    exempt AS (
      SELECT l.date, l.line,
        bool_or(ex.measure_id = ${US_STACK.section301Exclusions}) AS excluded,
        bool_or(ex.measure_id = ${US_STACK.reciprocal}) AS reciprocal_exempt,
        bool_or(ex.measure_id = ${US_STACK.section122}) AS section122_exempt,
        string_agg(DISTINCT ex.scope, '; ' ORDER BY ex.scope) AS exempt_scope
      FROM l JOIN ex ON ex.date = l.date AND ex.key8 = l.key8 AND starts_with(l.line, ex.line)
      GROUP BY l.date, l.line),
    per_line AS (
      SELECT l.date, l.line, x.s301_lists, x.s301_review, x.s232, x.s232_derivative, x.s301_list, x.s232_list, e.exempt_scope,
             coalesce(e.excluded, false) AS excluded,
             coalesce(e.reciprocal_exempt, false) AS reciprocal_exempt,
             coalesce(e.section122_exempt, false) AS section122_exempt
      FROM l LEFT JOIN listed x USING (date, line) LEFT JOIN exempt e USING (date, line))
    SELECT p.date, p.line, m.r.ad AS mfn_pct, coalesce(m.r.specific, 0) > 0 AS mfn_specific, m.r.text AS mfn_text,
           m.r.per_unit AS mfn_per_unit, m.r.other AS mfn_other, m.r.unit AS mfn_unit,
           greatest(CASE WHEN p.excluded THEN 0 ELSE coalesce(p.s301_lists, 0) END, coalesce(p.s301_review, 0)) AS section301_pct,
           p.s301_list AS section301_list, p.excluded AND coalesce(p.s301_lists, 0) > 0 AS excluded,
           coalesce(p.s232, 0) AS section232_pct, p.s232_list AS section232_list,
           CASE WHEN coalesce(p.s232, 0) = 0 THEN coalesce(p.s232_derivative, 0) ELSE 0 END AS section232_derivative_pct,
           coalesce(f.rate, 0) AS ieepa_fentanyl_pct,
           p.reciprocal_exempt, p.exempt_scope,
           CASE WHEN p.reciprocal_exempt OR coalesce(p.s232, 0) > 0 THEN 0 ELSE coalesce(rc.rate, 0) END AS ieepa_reciprocal_pct,
           p.section122_exempt,
           CASE WHEN p.section122_exempt OR coalesce(p.s232, 0) > 0 THEN 0 ELSE coalesce(s122.rate, 0) END AS section122_pct
    FROM per_line p LEFT JOIN mfn m ON m.date = p.date AND m.line = substr(p.line, 1, 8)
      LEFT JOIN all_goods f ON f.date = p.date AND f.measure_id = ${US_STACK.fentanyl}
      LEFT JOIN all_goods rc ON rc.date = p.date AND rc.measure_id = ${US_STACK.reciprocal}
      LEFT JOIN all_goods s122 ON s122.date = p.date AND s122.measure_id = ${US_STACK.section122}`;
}

/** Returns the stack of each line on the date, with total_pct; lines are HTS8 or HTS10 codes. */
export async function tariffStack(
  store: Store,
  q: { importer: string; exporter: string; date: string; lines: string[] },
): Promise<{ rows: Row[]; mfnYear?: number }> {
  const year = await mfnYear(store, q.importer, q.date);
  await store.run(
    sql`CREATE OR REPLACE TEMP TABLE stack_dates AS SELECT CAST(${q.date} AS DATE) AS date, ${year ?? 0} AS year`,
  );
  await store.run(`CREATE OR REPLACE TEMP TABLE stack_lines (year INTEGER, line VARCHAR)`);
  for (const l of q.lines) await store.run(sql`INSERT INTO stack_lines VALUES (${year ?? 0}, ${l})`);
  const rows = await store.all(
    sql`SELECT s.* EXCLUDE (date, mfn_per_unit, mfn_other, mfn_unit), s.mfn_pct + s.section301_pct + s.section232_pct + s.ieepa_fentanyl_pct + s.ieepa_reciprocal_pct
             + s.section122_pct AS total_pct
        FROM (${stackSelect('stack_dates', 'stack_lines', q.importer, q.exporter)}) s ORDER BY s.line`,
  );
  return { rows, mfnYear: year };
}
