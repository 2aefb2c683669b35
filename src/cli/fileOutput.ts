import type ExcelJS from 'exceljs';
import { excelJs } from '../util/lazyModules.js';
import { writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';
import { join, resolve } from 'node:path';
import { sqlString } from '../files/csvStage.js';
import type { Row, Store } from '../store/store.js';

/** Formats that are written to a file rather than printed. */
export const FILE_FORMATS = ['xlsx', 'parquet'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/**
 * Writes rows to an Excel workbook (one sheet, header row, notes on a second
 * sheet; text cells stay text, never formulas) or a Parquet file; returns the
 * path written.
 */
export async function writeRowsFile(
  store: Store,
  rows: Row[],
  format: FileFormat,
  out: string,
  sheet = 'table',
  notes: string[] = [],
): Promise<string> {
  const path = resolve(out);
  const cols = rows.length ? Object.keys(rows[0]) : [];
  if (format === 'xlsx') {
    const wb = new (await excelJs()).Workbook();
    const ws = wb.addWorksheet(sheet.slice(0, 31));
    ws.addRow(cols);
    ws.getRow(1).font = { bold: true };
    // Values go in as plain numbers and strings: ExcelJS stores a string starting with '=' as text, not as a formula.
    for (const r of rows) ws.addRow(cols.map((c) => (r[c] === undefined ? null : (r[c] as ExcelJS.CellValue))));
    if (notes.length) {
      const ns = wb.addWorksheet('notes');
      notes.forEach((n) => ns.addRow([n]));
    }
    await wb.xlsx.writeFile(path);
    return path;
  }
  const dir = makeTempDir('out');
  try {
    const json = join(dir, 'rows.json');
    writeFileSync(json, JSON.stringify(rows));
    await store.run(
      `COPY (SELECT * FROM read_json(${sqlString(json)}, format = 'array')) TO ${sqlString(path)} (FORMAT parquet)`,
    );
  } finally {
    removeTempDir(dir);
  }
  return path;
}
