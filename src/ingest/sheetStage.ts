import type { Store } from '../store/store.js';
import { bulkInsert } from '../store/bulkInsert.js';
import { readWorkbook, type SheetRows } from '../util/sheet.js';
import { ImportError } from '../files/importError.js';
import type { InputFile } from '../files/inputFile.js';

/** Returns the sheets of an imported workbook; an unreadable one is an ImportError naming the file. */
export async function readImportWorkbook(file: InputFile): Promise<SheetRows[]> {
  try {
    return await readWorkbook(file.readable);
  } catch (err) {
    throw new ImportError(file.original, (err as Error).message);
  }
}

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
