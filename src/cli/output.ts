import type { Row } from '../store/store.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'xlsx' | 'parquet';

/** Returns a CSV cell, neutralising text that a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function displayNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs >= 1000 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2) : v.toPrecision(4);
}

/** Returns rows formatted as an aligned text table, CSV or JSON (always with a header). */
export function formatRows(rows: Row[], format: OutputFormat, columns?: string[]): string {
  if (format === 'xlsx' || format === 'parquet') throw new Error(`--format ${format} is for tables written to a file with --out (decouple compute)`);
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  if (format === 'json') return JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))), null, 2) + '\n';
  if (format === 'csv') return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
  const cells = rows.map((r) => cols.map((c) => (r[c] === null || r[c] === undefined ? '' : typeof r[c] === 'number' ? displayNumber(r[c] as number) : String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => [...row[i]].length)));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const lines = [cols.map(pad).join('  '), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((row) => row.map(pad).join('  '))];
  return lines.join('\n') + '\n';
}
