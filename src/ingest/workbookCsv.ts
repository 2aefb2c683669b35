import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFile } from '../files/inputFile.js';
import { ImportError } from '../files/importError.js';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';
import { readImportWorkbook } from './sheetStage.js';

/** Returns a cell as CSV text, quoted where it holds a delimiter, a quote or a line break. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Returns the first worksheet of a workbook as a file the CSV readers take: a temporary UTF-8 CSV whose lines are
 * the sheet's rows (row n is line n; empty rows are kept as empty lines, so errors name the sheet row). Columns
 * named in `codeDigits` that hold numbers (codes whose leading zeros a spreadsheet drops) are padded to their
 * digits. The original name stays the one errors and provenance give; `cleanup` removes the temporary CSV only.
 */
export async function workbookAsCsv(file: InputFile, codeDigits: Record<string, number> = {}): Promise<InputFile> {
  const sheets = await readImportWorkbook(file);
  const sheet = sheets.find((s) => s.rows.length > 0);
  if (!sheet) throw new ImportError(file.original, 'the workbook has no rows');
  const header = sheet.rows[0].cells.map((c) => String(c ?? '').trim());
  const pad = header.map((h) => codeDigits[h.toLowerCase()]);
  const lines: string[] = [];
  let next = sheet.rows[0].row;
  for (const r of sheet.rows) {
    while (next < r.row) {
      lines.push('');
      next++;
    }
    // Trailing empty cells are not in a sheet row: pad each row to the header's width.
    const cells = [...r.cells, ...Array<null>(Math.max(0, header.length - r.cells.length)).fill(null)];
    lines.push(
      cells
        .map((c, i) => (typeof c === 'number' && pad[i] && r !== sheet.rows[0] ? String(c).padStart(pad[i], '0') : c))
        .map(csvCell)
        .join(','),
    );
    next++;
  }
  const dir = makeTempDir('sheet');
  const readable = join(dir, 'sheet.csv');
  writeFileSync(readable, lines.join('\n') + '\n');
  return {
    ...file,
    readable,
    compression: 'none',
    encoding: 'utf-8',
    cleanup: () => removeTempDir(dir),
  };
}
