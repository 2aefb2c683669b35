import { ident, sql, type Sql } from '../core/sql.js';
import type { Store } from '../store/store.js';

/**
 * The tariff an importer applies to an exporter's goods by HS6 on a date when its rates are known as totals from
 * a dated rate file (MFN included, as the file gives them: China's applied rates on US goods, 2018–2019) and
 * later actions come from the measures registry:
 *
 *   total_p(d) = file_p(d) − Σ_m (1 − f_m) · added_m,p + max_{listed lines l ⊂ p} τ_l(d) + Σ_all-goods τ(d)
 *
 * - file_p(d): the file's rate in force on d (the last one carried forward after the file ends);
 * - a registry change that scales a measure's own duties by f_m (China's halving of 14 February 2020) after the
 *   file ends takes off (1 − f_m) of what the measure added: added_m,p = max(0, file_p(E_m) − file_p(E_m − 1)),
 *   the rise of the line's rate on the measure's effective date E_m (derived, not stated line by line; an MFN cut
 *   on the same line between the two file dates understates it);
 * - lines listed by measures that took effect after the file ends, at their rates by date (8-digit lines: an HS6
 *   counts at the highest rate of its listed lines, an upper bound when not every line under it is listed);
 * - registry lists on all goods of the exporter that took effect after the file ends.
 * Measures in force by the file's last date are in its rates already and are not added again.
 */

/** Returns the last date on which the importer's total rates on the exporter change in the loaded rate files. */
export async function totalRateFileEnd(store: Store, importer: string, exporter: string): Promise<string | undefined> {
  const r = await store.one(
    sql`SELECT strftime(max(from_date), '%Y-%m-%d') AS d FROM tariff_lines
        WHERE importer = ${importer} AND exporter = ${exporter} AND rate_kind = 'total' AND digits = 6`,
  );
  return r?.d ? String(r.d) : undefined;
}

/**
 * Returns a SELECT giving the stack of every HS6 line of the rate file on every date of `datesTable` (date DATE):
 * date, line, file_pct, base_pct (the line's first rate in the file), cut_pct (≤ 0), later_lines_pct,
 * later_all_goods_pct and total_pct.
 */
export function totalRateStackSelect(datesTable: string, importer: string, exporter: string, fileEnd: string): Sql {
  const end = sql`CAST(${fileEnd} AS DATE)`;
  const targets = sql`list_contains(string_split(m.targets, ','), ${exporter})`;
  return sql`
    WITH d AS (SELECT DISTINCT date FROM ${ident(datesTable)}),
    t AS (
      SELECT line, rate_pct, from_date, to_date,
             first_value(rate_pct) OVER (PARTITION BY dataset_id, line ORDER BY from_date) AS base
      FROM tariff_lines
      WHERE importer = ${importer} AND exporter = ${exporter} AND rate_kind = 'total' AND digits = 6),
    file AS (
      SELECT d.date, t.line, arg_max(t.rate_pct, t.from_date) AS rate, arg_max(t.base, t.from_date) AS base
      FROM d JOIN t ON t.from_date <= d.date AND (t.to_date IS NULL OR t.to_date > d.date)
      GROUP BY d.date, t.line),
    scaling AS (
      SELECT c.measure_id, CAST(c.date AS DATE) AS on_date, c.rate_factor AS f, m.effective AS eff
      FROM measure_changes c JOIN measures m USING (measure_id)
      WHERE c.rate_factor IS NOT NULL AND m.actor = ${importer} AND ${targets}
        AND m.effective <= ${end} AND TRY_CAST(c.date AS DATE) > ${end}),
    added AS (
      SELECT s.measure_id, s.on_date, s.f, a.line,
             greatest(0, arg_max(a.rate_pct, a.from_date) - coalesce(any_value(b.rate), 0)) AS added
      FROM scaling s JOIN t a ON a.from_date <= s.eff AND (a.to_date IS NULL OR a.to_date > s.eff)
        LEFT JOIN (SELECT s2.measure_id, t2.line, arg_max(t2.rate_pct, t2.from_date) AS rate
                   FROM scaling s2 JOIN t t2 ON t2.from_date < s2.eff AND (t2.to_date IS NULL OR t2.to_date >= s2.eff)
                   GROUP BY s2.measure_id, t2.line) b ON b.measure_id = s.measure_id AND b.line = a.line
      GROUP BY s.measure_id, s.on_date, s.f, a.line),
    cuts AS (
      SELECT d.date, a.line, -sum((1 - a.f) * a.added) AS cut
      FROM d JOIN added a ON a.on_date <= d.date GROUP BY d.date, a.line),
    later_lines AS (
      SELECT d.date, substr(x.line, 1, 6) AS line, max(x.rate_pct) AS rate
      FROM d JOIN tariff_lines x ON x.from_date <= d.date AND (x.to_date IS NULL OR x.to_date > d.date)
        JOIN measures m USING (measure_id)
      WHERE x.importer = ${importer} AND x.exporter = ${exporter} AND x.rate_kind = 'additional'
        AND m.effective > ${end}
      GROUP BY d.date, substr(x.line, 1, 6)),
    all_goods AS (
      SELECT date, sum(rate) AS rate FROM (
        SELECT d.date, l.measure_id, arg_max(l.rate_pct, l.from_date) AS rate
        FROM d JOIN measure_tariff_lists l ON l.from_date <= d.date AND (l.suspended IS NULL OR l.suspended > d.date)
          JOIN measures m USING (measure_id)
        WHERE l.scope = 'all-goods' AND m.actor = ${importer} AND ${targets} AND m.effective > ${end}
        GROUP BY d.date, l.measure_id)
      GROUP BY date)
    SELECT f.date, f.line, f.rate AS file_pct, f.base AS base_pct, coalesce(c.cut, 0) AS cut_pct,
           coalesce(ll.rate, 0) AS later_lines_pct, coalesce(g.rate, 0) AS later_all_goods_pct,
           f.rate + coalesce(c.cut, 0) + coalesce(ll.rate, 0) + coalesce(g.rate, 0) AS total_pct
    FROM file f LEFT JOIN cuts c USING (date, line) LEFT JOIN later_lines ll USING (date, line)
      LEFT JOIN all_goods g USING (date)`;
}
