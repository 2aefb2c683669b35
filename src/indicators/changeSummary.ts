import type { Row } from '../store/store.js';
import { finite } from './params.js';

/** Columns that identify a series within an indicator's rows (everything else is a measure). */
const KEY_COLUMNS = ['reporter', 'partner', 'product', 'group', 'economy', 'market', 'flow', 'channel', 'month'];

/**
 * Change summary (变化概述) of one column of an indicator's yearly rows, per
 * series (reporter, partner, product, group …):
 *   change = v_to − v_from   (in percentage points, `_pp`, for columns in percent)
 *   change_pct = 100 × (v_to / v_from − 1)   (for levels)
 *   CAGR = 100 × ((v_to / v_from)^(1/(to − from)) − 1)   (for levels)
 *   peak = the year of the largest value in the span.
 * Returns one row per series.
 */
export function summariseChange(rows: Row[], column: string, from?: number, to?: number): Row[] {
  const series = new Map<string, Row[]>();
  for (const r of rows) {
    const y = Number(r.year);
    if (!Number.isInteger(y) || r[column] === null || r[column] === undefined) continue;
    if ((from !== undefined && y < from) || (to !== undefined && y > to)) continue;
    const key = KEY_COLUMNS.map((k) => r[k] ?? '').join('\u0001');
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  const percent = column.endsWith('_pct');
  const out: Row[] = [];
  for (const list of series.values()) {
    list.sort((a, b) => Number(a.year) - Number(b.year));
    const first = list[0];
    const last = list[list.length - 1];
    const v0 = Number(first[column]);
    const v1 = Number(last[column]);
    const peak = list.reduce((best, r) => (Number(r[column]) > Number(best[column]) ? r : best), first);
    const low = list.reduce((best, r) => (Number(r[column]) < Number(best[column]) ? r : best), first);
    const span = Number(last.year) - Number(first.year);
    const ids = Object.fromEntries(KEY_COLUMNS.filter((k) => first[k] !== undefined).map((k) => [k, first[k]]));
    out.push({
      ...ids,
      measure: column,
      from_year: first.year,
      from_value: v0,
      to_year: last.year,
      to_value: v1,
      ...(percent
        ? { change_pp: finite(v1 - v0) }
        : {
            change: finite(v1 - v0),
            change_pct: v0 ? finite(100 * (v1 / v0 - 1)) : null,
            cagr_pct: v0 > 0 && v1 > 0 && span > 0 ? finite(100 * ((v1 / v0) ** (1 / span) - 1)) : null,
          }),
      peak_year: peak.year,
      peak_value: peak[column],
      low_year: low.year,
      low_value: low[column],
      years: list.length,
    });
  }
  return out;
}

/** The year before the first US Section 301 tariffs on China (July 2018): the default base of a change summary. */
export const BASE_YEAR = 2017;

/**
 * Returns the rows of the latest consistent run of a series, for sentences
 * that compare years: computed rows only (published figures only where nothing
 * is computed, as a series of their own), from the last
 * `series_break` (another source, valuation or a gap) to the end. Returns
 * the rows in year order.
 */
export function latestConsistentRun(rows: Row[]): Row[] {
  const valued = rows.filter((r) => r.share_pct !== null && r.share_pct !== undefined);
  const isComputed = (r: Row) => String(r.basis ?? 'computed').startsWith('computed');
  // Published figures (one table of one paper) are a series of their own, used only where nothing is computed.
  const computed = (valued.some(isComputed) ? valued.filter(isComputed) : valued)
    .map((r) => (isComputed(r) ? r : { ...r, series_break: false }))
    .sort((a, b) => Number(a.year) - Number(b.year));
  let start = 0;
  computed.forEach((r, i) => {
    const gap = i > 0 && Number(r.year) !== Number(computed[i - 1].year) + 1;
    if (r.series_break === true || gap) start = i;
  });
  return computed.slice(start);
}

/**
 * Returns the change summary an analyst would state for a share series: within
 * its latest consistent run, from BASE_YEAR (or the run's first year when it
 * starts later) to the latest year, with the run's peak; undefined when the
 * run holds fewer than two years.
 */
export function headlineChange(rows: Row[], column = 'share_pct'): Row | undefined {
  const run = latestConsistentRun(rows);
  if (run.length < 2) return undefined;
  const first = Number(run[0].year);
  const from = first <= BASE_YEAR && run.some((r) => Number(r.year) === BASE_YEAR) ? BASE_YEAR : first;
  const [s] = summariseChange(run, column, from);
  return s && Number(s.from_year) !== Number(s.to_year) ? s : undefined;
}
