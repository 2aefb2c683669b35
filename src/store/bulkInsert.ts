import { writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';
import { join } from 'node:path';
import type { Store } from './store.js';

const NULL_MARK = '\\N';

function csvField(v: unknown): string {
  if (v === null || v === undefined) return NULL_MARK;
  const s = String(v);
  return /[",\n\r\\]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Inserts rows built in JavaScript into `table` (inside the caller's
 * transaction) through a temporary CSV file; returns the number of rows.
 */
export async function bulkInsert(
  store: Store,
  table: string,
  columns: Array<{ name: string; type: string }>,
  rows: unknown[][],
): Promise<number> {
  if (rows.length === 0) return 0;
  const dir = makeTempDir('bulk');
  const path = join(dir, 'rows.csv');
  try {
    writeFileSync(path, rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n');
    const spec = columns.map((c) => `'${c.name}': '${c.type}'`).join(', ');
    await store.run(
      `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT * FROM read_csv('${path.replace(/'/g, "''")}', header = false, auto_detect = false, columns = {${spec}}, quote = '"', escape = '"', nullstr = '\\N', allow_quoted_nulls = false)`,
    );
    return rows.length;
  } finally {
    removeTempDir(dir);
  }
}

/** Returns bulkInsert columns from `name` or `name:TYPE` texts (VARCHAR when no type is given). */
export function columnSpec(spec: string[]): Array<{ name: string; type: string }> {
  return spec.map((c) => {
    const [name, type] = c.trim().split(':');
    return { name, type: type ?? 'VARCHAR' };
  });
}
