import type { Store } from '../store/store.js';

/** One value of a stored series. */
export interface SeriesPoint {
  period: string;
  year: number;
  value: number;
  flag: string | null;
  note: string | null;
}

/** A stored series read from one dataset, and the other datasets that hold it (other editions, not spliced in). */
export interface StoredSeries {
  points: SeriesPoint[];
  /** The dataset read: id and a label (source, vintage, file). */
  dataset?: { id: number; label: string; first: string; last: string };
  /** Other datasets holding the same series, by label and span. */
  others: string[];
}

/**
 * Returns one series (indicator, country, partner, frequency) from a single
 * dataset — the one that reaches the latest period (then the newest import) —
 * ordered by period, with the other datasets that hold it named: editions are
 * never spliced. Published reference figures (seed figures) are not read.
 */
export async function storedSeries(
  store: Store,
  q: { indicator: string; country: string; partner: string; frequency?: string; datasetId?: number },
): Promise<StoredSeries> {
  const sets = await store.all(
    `SELECT s.dataset_id, d.source, coalesce(d.vintage, '') AS vintage, d.file_name, min(s.period) AS first, max(s.period) AS last
     FROM series s JOIN datasets d USING (dataset_id)
     WHERE s.indicator = $1 AND s.country = $2 AND s.partner = $3 AND d.source <> 'seed-figures'
       ${q.frequency ? `AND s.frequency = '${q.frequency.replace(/'/g, "''")}'` : ''}
       ${q.datasetId !== undefined ? `AND s.dataset_id = ${Number(q.datasetId)}` : ''}
     GROUP BY ALL ORDER BY last DESC, s.dataset_id DESC`,
    [q.indicator, q.country, q.partner],
  );
  if (!sets.length) return { points: [], others: [] };
  const label = (r: (typeof sets)[number]) =>
    `${r.source}${r.vintage ? ` (${r.vintage})` : ''}: ${r.file_name}, ${r.first}–${r.last}`;
  const chosen = sets[0];
  const points = await store.all(
    `SELECT period, year, value, flag, note FROM series
     WHERE dataset_id = $1 AND indicator = $2 AND country = $3 AND partner = $4
       ${q.frequency ? `AND frequency = '${q.frequency.replace(/'/g, "''")}'` : ''}
     ORDER BY period`,
    [Number(chosen.dataset_id), q.indicator, q.country, q.partner],
  );
  return {
    points: points.map((p) => ({
      period: String(p.period),
      year: Number(p.year),
      value: Number(p.value),
      flag: p.flag === null || p.flag === undefined ? null : String(p.flag),
      note: p.note === null || p.note === undefined ? null : String(p.note),
    })),
    dataset: {
      id: Number(chosen.dataset_id),
      label: label(chosen),
      first: String(chosen.first),
      last: String(chosen.last),
    },
    others: sets.slice(1).map(label),
  };
}

/** Returns the note naming editions that were not spliced in, or nothing. */
export function otherEditionsNote(name: string, s: StoredSeries): string[] {
  return s.others.length
    ? [`${name}: read from ${s.dataset?.label}; also loaded and not spliced in: ${s.others.join('; ')}`]
    : [];
}
