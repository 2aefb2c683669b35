import type { Store } from '../store/store.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { otherEditionsNote, storedSeries } from './storedSeries.js';

/**
 * Students from the reporter in the partner's universities and their share of
 * all international students there, by academic year:
 *   share_pct = 100 × students(reporter → partner) / students(all places → partner),
 * both from one file that lists every place of origin (IIE Open Doors with
 * regions, where the total is the sum over all places, unspecified and stateless
 * included). Returns one row per academic year.
 */
export async function studentsShare(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const origin = need(p.reporter, '--reporter', 'students');
  const host = need(p.partner, '--partner', 'students');
  const notes: string[] = [];
  const total = await storedSeries(store, { indicator: 'students_in_us', country: 'WLD', partner: host });
  const own = await storedSeries(store, {
    indicator: 'students_in_us',
    country: origin,
    partner: host,
    datasetId: total.dataset?.id,
  });
  const series = own.points.length
    ? own
    : await storedSeries(store, { indicator: 'students_in_us', country: origin, partner: host });
  if (!series.points.length)
    return {
      rows: [],
      notes: [
        `not computable: no students from ${origin} in ${host} are loaded${host === 'USA' ? ' (import IIE Open Doors: decouple import open-doors FILE)' : ' (IIE Open Doors counts students in the United States only)'}`,
      ],
    };
  if (!total.points.length || series !== own)
    notes.push(
      `the share is not computable: no total of international students in ${host} from a file listing every place of origin (import Open Doors by place of origin with regions)`,
    );
  const totals = new Map((series === own ? total.points : []).map((t) => [t.period, t.value]));
  const [from, to] = p.years ?? [-Infinity, Infinity];
  const rows = series.points
    .filter((pt) => pt.year >= from && pt.year <= to)
    .map((pt) => ({
      academic_year: pt.period,
      year: pt.year,
      origin,
      host,
      students: finite(pt.value),
      all_international_students: finite(totals.get(pt.period)),
      share_pct: totals.has(pt.period) ? finite((100 * pt.value) / totals.get(pt.period)!) : null,
      source: series.dataset?.label ?? '',
    }));
  notes.push(...otherEditionsNote('students', series));
  notes.push('academic years (autumn to summer), year = the first calendar year; not converted to calendar years');
  return { rows, notes };
}
