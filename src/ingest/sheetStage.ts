import type { Store } from '../store/store.js';
import { bulkInsert } from '../store/bulkInsert.js';

/**
 * Writes rows read from a workbook or JSON into a temporary staging table
 * whose `line` column keeps the source row (sheet row or record number);
 * returns the number of rows staged.
 */
export async function stageRows(
  store: Store,
  table: string,
  columns: Array<{ name: string; type: string }>,
  rows: unknown[][],
): Promise<number> {
  await store.run(`CREATE OR REPLACE TEMP TABLE ${table} (${columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  return bulkInsert(store, table, columns, rows);
}
