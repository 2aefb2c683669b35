import type { Row, Store } from '../store/store.js';

export interface ScreeningFilter {
  country?: string;
  list?: string;
}

function where(f: ScreeningFilter): { sql: string; listOnly: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  let listOnly = '';
  if (f.country) {
    params.push(f.country.toUpperCase());
    parts.push(`country = $${params.length}`);
  }
  if (f.list) {
    params.push(f.list.toUpperCase());
    parts.push(`list = $${params.length}`);
    listOnly = `WHERE list = $${params.length}`;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', listOnly, params };
}

/**
 * Returns, per snapshot and list, the number of entries (with an address in the
 * country, when given) and the additions and removals since the list's
 * previous snapshot in the store.
 */
export async function screeningChanges(store: Store, f: ScreeningFilter): Promise<Row[]> {
  const w = where(f);
  return store.all(
    `WITH e AS (SELECT DISTINCT snapshot, list, entry_id FROM screening_entries ${w.sql}),
     -- Every snapshot of each list counts, even one with no entry in the country.
     s AS (SELECT DISTINCT snapshot, list FROM screening_entries ${w.listOnly}),
     p AS (SELECT snapshot, list, lag(snapshot) OVER (PARTITION BY list ORDER BY snapshot) AS prev FROM s)
     SELECT strftime(p.snapshot, '%Y-%m-%d') AS snapshot, p.list,
            (SELECT count(*) FROM e WHERE e.snapshot = p.snapshot AND e.list = p.list) AS entries,
            CASE WHEN p.prev IS NOT NULL THEN (SELECT count(*) FROM e a WHERE a.snapshot = p.snapshot AND a.list = p.list
               AND a.entry_id NOT IN (SELECT entry_id FROM e b WHERE b.snapshot = p.prev AND b.list = p.list)) END AS added,
            CASE WHEN p.prev IS NOT NULL THEN (SELECT count(*) FROM e b WHERE b.snapshot = p.prev AND b.list = p.list
               AND b.entry_id NOT IN (SELECT entry_id FROM e a WHERE a.snapshot = p.snapshot AND a.list = p.list)) END AS removed,
            strftime(p.prev, '%Y-%m-%d') AS compared_with
     FROM p ORDER BY p.list, p.snapshot`,
    w.params,
  );
}

/**
 * Returns the entries of the latest snapshot by year of their start date (the listing date the source gives), per
 * list.
 */
export async function listingsByYear(store: Store, f: ScreeningFilter): Promise<Row[]> {
  const w = where(f);
  return store.all(
    `WITH e AS (SELECT * FROM screening_entries ${w.sql}),
     latest AS (SELECT list, max(snapshot) AS snapshot FROM e GROUP BY list)
     SELECT year(e.start_date) AS year, e.list, count(DISTINCT e.entry_id) AS entries, strftime(any_value(e.snapshot), '%Y-%m-%d') AS snapshot
     FROM e JOIN latest l ON l.list = e.list AND l.snapshot = e.snapshot
     GROUP BY ALL ORDER BY e.list, year NULLS LAST`,
    w.params,
  );
}

/**
 * Returns Federal Register documents counted by month (or year) and type, optionally only those whose title or
 * abstract contains a term.
 */
export async function federalRegisterCounts(
  store: Store,
  term: string | undefined,
  by: 'month' | 'year',
): Promise<Row[]> {
  const fmt = by === 'month' ? '%Y-%m' : '%Y';
  return store.all(
    `SELECT strftime(publication_date, '${fmt}') AS ${by}, doc_type AS type, count(*) AS documents, string_agg(DISTINCT agencies, ' | ') AS agencies
     FROM fr_documents ${term ? `WHERE title ILIKE $1 OR abstract ILIKE $1` : ''}
     GROUP BY ALL ORDER BY 1, 2`,
    term ? [`%${term}%`] : [],
  );
}
