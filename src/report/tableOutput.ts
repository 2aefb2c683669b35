import type { Row } from '../store/store.js';
import { maxOf } from '../util/extremes.js';
import { InvalidInputError } from '../core/index.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'xlsx' | 'parquet';

/** Returns a CSV cell, neutralising text that a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : String(value);
  // A text that a spreadsheet would read as a formula is prefixed with a quote; only a plain number is left as it is.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function displayNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs >= 1000 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2) : v.toPrecision(4);
}

/** Returns the width of a text in terminal columns (East Asian wide characters take two). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function padTo(s: string, width: number, left: boolean): string {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return left ? gap + s : s + gap;
}

/** Returns rows formatted as an aligned text table, CSV or JSON (always with a header). */
export function formatRows(rows: Row[], format: OutputFormat, columns?: string[]): string {
  if (format === 'xlsx' || format === 'parquet')
    throw new InvalidInputError(`--format ${format} is for tables written to a file with --out (decouple compute)`);
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  if (format === 'json')
    return (
      JSON.stringify(
        rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c] ?? null]))),
        null,
        2,
      ) + '\n'
    );
  if (format === 'csv')
    return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
  const cells = rows.map((r) =>
    cols.map((c) =>
      r[c] === null || r[c] === undefined
        ? ''
        : typeof r[c] === 'number'
          ? displayNumber(r[c] as number)
          : String(r[c]),
    ),
  );
  const widths = cols.map((c, i) => Math.max(displayWidth(c), maxOf(cells.map((row) => displayWidth(row[i])))));
  const numeric = cols.map(
    (c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'),
  );
  const pad = (s: string, i: number) => padTo(s, widths[i], numeric[i]);
  const lines = [
    cols.map(pad).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map(pad).join('  ')),
  ];
  return lines.join('\n') + '\n';
}
