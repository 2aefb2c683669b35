import type { Store } from './store.js';

/** What the consistency check found and removed. */
export interface RecoveryReport {
  /** Datasets of imports that never finished (state `loading`), removed with their rows. */
  interrupted: Array<{ dataset_id: number; source: string; file_name: string }>;
  /** Rows that pointed to no dataset at all (a commit cut short), removed, by table. */
  orphanRows: Record<string, number>;
  /** Complete datasets whose stored rows no longer match their count, removed (import them again). */
  damaged: Array<{ dataset_id: number; source: string; file_name: string; expected: number; found: number }>;
}

/** Returns the base tables that hold rows of datasets (a dataset_id column), other than `datasets`. */
async function datasetTables(store: Store): Promise<string[]> {
  const rows = await store.all(
    `SELECT c.table_name AS t FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.column_name = 'dataset_id' AND t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND c.table_name <> 'datasets'
     ORDER BY 1`,
  );
  return rows.map((r) => String(r.t));
}

/**
 * Removes datasets and their rows from every table that holds rows of datasets; returns nothing (runs in the
 * caller's transaction).
 */
export async function removeDatasets(store: Store, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const list = ids.join(',');
  for (const t of await datasetTables(store))
    await store.run(`DELETE FROM "${t}" WHERE list_contains(CAST(string_split($1, ',') AS INTEGER[]), dataset_id)`, [
      list,
    ]);
  await store.run(`DELETE FROM datasets WHERE list_contains(CAST(string_split($1, ',') AS INTEGER[]), dataset_id)`, [
    list,
  ]);
}

/** Returns the datasets left in state `loading` (an import that was killed before it finished). */
export async function interruptedDatasets(store: Store): Promise<RecoveryReport['interrupted']> {
  const rows = await store.all(
    `SELECT dataset_id, source, file_name FROM datasets WHERE status = 'loading' ORDER BY dataset_id`,
  );
  return rows.map((r) => ({
    dataset_id: Number(r.dataset_id),
    source: String(r.source),
    file_name: String(r.file_name),
  }));
}

/**
 * Brings the store back to a state in which every row belongs to a complete
 * dataset: removes the datasets of interrupted imports with their rows, and,
 * with `deep` (after an unclean stop: a write-ahead log was left behind), also
 * rows that point to no dataset and complete datasets of flows or series whose
 * row count does not match. Runs in one transaction; returns what it removed.
 */
export async function recoverStore(store: Store, deep: boolean): Promise<RecoveryReport> {
  const report: RecoveryReport = { interrupted: await interruptedDatasets(store), orphanRows: {}, damaged: [] };
  if (!deep && report.interrupted.length === 0) return report;
  await store.transaction(async () => {
    await removeDatasets(
      store,
      report.interrupted.map((d) => d.dataset_id),
    );
    if (!deep) return;
    for (const t of await datasetTables(store)) {
      const n = await store.one(
        `SELECT count(*) AS n FROM "${t}" WHERE dataset_id IS NOT NULL AND dataset_id NOT IN (SELECT dataset_id FROM datasets)`,
      );
      if (Number(n?.n) > 0) {
        report.orphanRows[t] = Number(n?.n);
        await store.run(
          `DELETE FROM "${t}" WHERE dataset_id IS NOT NULL AND dataset_id NOT IN (SELECT dataset_id FROM datasets)`,
        );
      }
    }
    const counted = await store.all(
      `SELECT d.dataset_id, d.source, d.file_name, d.rows AS expected, coalesce(c.n, 0) AS found
       FROM datasets d LEFT JOIN (
         SELECT dataset_id, count(*) AS n FROM flows GROUP BY 1
         UNION ALL SELECT dataset_id, count(*) FROM series GROUP BY 1) c USING (dataset_id)
       WHERE d.kind IN ('flows', 'series') AND d.status = 'complete' AND d.rows <> coalesce(c.n, 0)`,
    );
    for (const r of counted) {
      report.damaged.push({
        dataset_id: Number(r.dataset_id),
        source: String(r.source),
        file_name: String(r.file_name),
        expected: Number(r.expected),
        found: Number(r.found),
      });
    }
    await removeDatasets(
      store,
      report.damaged.map((d) => d.dataset_id),
    );
  });
  return report;
}

/** Returns the report as lines for the user, or none when nothing was found. */
export function describeRecovery(store: Store, r: RecoveryReport): string[] {
  const lines: string[] = [];
  for (const d of r.interrupted) {
    lines.push(
      `an interrupted import of ${d.file_name} (${d.source}, dataset ${d.dataset_id}) was removed from ${store.path}; import the file again`,
    );
  }
  for (const [t, n] of Object.entries(r.orphanRows)) {
    lines.push(
      `${n.toLocaleString('en-US')} rows of ${t} belonged to no dataset (an import stopped during its commit) and were removed; import the file again`,
    );
  }
  for (const d of r.damaged) {
    lines.push(
      `dataset ${d.dataset_id} (${d.file_name}) had ${d.found} of its ${d.expected} rows after an unclean stop and was removed; import the file again`,
    );
  }
  return lines;
}
