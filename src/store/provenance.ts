import type { Store } from './store.js';

export const IMPORTER_VERSION = '0.1.0';

export interface DatasetRecord {
  source: string;
  kind: 'flows' | 'series' | 'tariffs' | 'screening' | 'documents' | 'reference';
  vintage?: string | null;
  file_name: string;
  file_path?: string | null;
  url?: string | null;
  sha256: string;
  /** Size of the source file in bytes (lets a re-import be recognised before hashing). */
  bytes?: number | null;
  encoding?: string | null;
  notes?: string | null;
  /** `loading` while an import runs (rows not yet committed), `complete` after; default complete. */
  status?: 'loading' | 'complete';
}

/** Registers a dataset (inside the caller's transaction); returns its new id. */
export async function registerDataset(store: Store, d: DatasetRecord): Promise<number> {
  const row = await store.one(
    `INSERT INTO datasets (source, kind, vintage, file_name, file_path, url, sha256, bytes, encoding, notes, importer_version, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING dataset_id`,
    [
      d.source,
      d.kind,
      d.vintage ?? null,
      d.file_name,
      d.file_path ?? null,
      d.url ?? null,
      d.sha256,
      d.bytes ?? null,
      d.encoding ?? null,
      d.notes ?? null,
      IMPORTER_VERSION,
      d.status ?? 'complete',
    ],
  );
  return Number(row!.dataset_id);
}

/** Returns the dataset already imported from the same bytes by the same importer, if any. */
export async function findDatasetBySha(
  store: Store,
  source: string,
  sha256: string,
): Promise<{ dataset_id: number; file_name: string; imported_at: string } | undefined> {
  const row = await store.one(
    `SELECT dataset_id, file_name, CAST(imported_at AS VARCHAR) AS imported_at FROM datasets WHERE source = $1 AND sha256 = $2 AND status = 'complete'`,
    [source, sha256],
  );
  return row
    ? { dataset_id: Number(row.dataset_id), file_name: String(row.file_name), imported_at: String(row.imported_at) }
    : undefined;
}

/** Fills a dataset's row count, years and reporters from what was stored; returns the row count. */
export async function finishDataset(
  store: Store,
  datasetId: number,
  table: 'flows' | 'series' | 'tariffs' | 'screening' | 'documents' | 'other',
  rows?: number,
): Promise<number> {
  if (table === 'flows') {
    await store.run(
      `UPDATE datasets SET rows = s.n, year_min = s.y0, year_max = s.y1, reporters = s.r FROM (
         SELECT count(*) AS n, min(year) AS y0, max(year) AS y1,
                string_agg(DISTINCT CASE reporter_side WHEN 'exporter' THEN exporter WHEN 'importer' THEN importer ELSE 'both sides' END, ',') AS r
         FROM flows WHERE dataset_id = $1) s WHERE dataset_id = $1`,
      [datasetId],
    );
  } else if (table === 'series') {
    await store.run(
      `UPDATE datasets SET rows = s.n, year_min = s.y0, year_max = s.y1, reporters = s.r FROM (
         SELECT count(*) AS n, min(year) AS y0, max(year) AS y1, string_agg(DISTINCT country, ',') AS r FROM series WHERE dataset_id = $1) s
       WHERE dataset_id = $1`,
      [datasetId],
    );
  } else if (table === 'tariffs') {
    await store.run(
      `UPDATE datasets SET rows = s.n, year_min = s.y0, year_max = s.y1, reporters = s.r FROM (
         SELECT count(*) AS n, min(year(from_date)) AS y0, max(year(from_date)) AS y1, string_agg(DISTINCT importer, ',') AS r FROM
           (SELECT from_date, importer FROM tariff_lines WHERE dataset_id = $1
            UNION ALL SELECT from_date, importer FROM tariff_exclusions WHERE dataset_id = $1
            UNION ALL SELECT make_date(year, 1, 1), importer FROM mfn_rates WHERE dataset_id = $1)) s
       WHERE dataset_id = $1`,
      [datasetId],
    );
  } else if (table === 'screening' || table === 'documents') {
    const [t, d] = table === 'screening' ? ['screening_entries', 'snapshot'] : ['fr_documents', 'publication_date'];
    await store.run(
      `UPDATE datasets SET rows = s.n, year_min = s.y0, year_max = s.y1 FROM (
         SELECT count(*) AS n, min(year(${d})) AS y0, max(year(${d})) AS y1 FROM ${t} WHERE dataset_id = $1) s WHERE dataset_id = $1`,
      [datasetId],
    );
  } else {
    await store.run('UPDATE datasets SET rows = $2 WHERE dataset_id = $1', [datasetId, rows ?? 0]);
  }
  const r = await store.one('SELECT rows FROM datasets WHERE dataset_id = $1', [datasetId]);
  return Number(r?.rows ?? 0);
}
