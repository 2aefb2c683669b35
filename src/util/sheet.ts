import type ExcelJS from 'exceljs';
import { excelJs } from './lazyModules.js';

export type Cell = string | number | null;

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
  }
  return String(v);
}

/** A worksheet as rows of cells (1-based row numbers kept in `row`). */
export interface SheetRows {
  name: string;
  rows: Array<{ row: number; cells: Cell[] }>;
}

/** Returns every worksheet of an .xlsx workbook as rows of plain cells (column A = index 0). */
export async function readWorkbook(path: string): Promise<SheetRows[]> {
  const wb = new (await excelJs()).Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (err) {
    throw new Error(`not a readable .xlsx workbook (${(err as Error).message.split('\n')[0]})`);
  }
  const out: SheetRows[] = [];
  wb.eachSheet((ws) => {
    const rows: SheetRows['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
      const values = r.values as ExcelJS.CellValue[];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]));
      rows.push({ row: rowNumber, cells });
    });
    out.push({ name: ws.name, rows });
  });
  return out;
}
