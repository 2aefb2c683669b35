import { literal } from '../core/sql.js';
import type { Store } from '../store/store.js';
import { ImportError } from './importError.js';
import { firstLine, type InputFile } from './inputFile.js';

/** DuckDB column types used when staging CSV files. */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'SMALLINT';

export interface CsvLayout {
  /** Column names as they appear in the header (matched case-insensitively), with their types. */
  columns: Array<{ name: string; type: ColumnType; optional?: boolean }>;
  delimiter?: string;
  /** The quote character; '' for files that do not quote (text in them may hold a lone `"`). Default `"`. */
  quote?: string;
  /**
   * The file mixes CRLF and LF line ends (DuckDB's strict mode refuses it): read it leniently; the loader trims
   * the carriage return from the last column.
   */
  mixedLineEnds?: boolean;
  /** Texts read as missing values (besides the empty field). */
  nullstr?: string[];
  /** The header must hold these columns and no others (a file of a fixed layout). */
  exact?: boolean;
  /** The file has no header: its fields are the layout's columns, in order, from line 1. */
  noHeader?: boolean;
}

/** Returns the fields of one CSV line (RFC 4180 quoting). */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Returns a SQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Returns a SQL string literal. */
export function sqlString(value: string): string {
  return literal(value);
}

/**
 * Checks the header of a CSV against a layout; returns the header's column
 * names in file order. Throws naming line 1 and the missing field otherwise.
 */
export async function checkHeader(file: InputFile, layout: CsvLayout): Promise<string[]> {
  if (layout.noHeader) return layout.columns.map((c) => c.name);
  const header = splitCsvLine(await firstLine(file), layout.delimiter ?? ',');
  const lower = header.map((h) => h.toLowerCase());
  for (const col of layout.columns) {
    if (!col.optional && !lower.includes(col.name.toLowerCase())) {
      throw new ImportError(
        file.original,
        `the header has no column '${col.name}' (found: ${header.join(', ')})`,
        1,
        col.name,
      );
    }
  }
  if (layout.exact) {
    const known = new Set(layout.columns.map((c) => c.name.toLowerCase()));
    const extra = header.find((h) => !known.has(h.toLowerCase()));
    if (extra !== undefined) {
      throw new ImportError(
        file.original,
        `the header has a column '${extra}' that this layout does not have (expected exactly: ${layout.columns.map((c) => c.name).join(', ')})`,
        1,
        extra,
      );
    }
  }
  return header;
}

/** A typed scan of a CSV file whose malformed lines are collected, not thrown. */
export interface CsvScan {
  /** The `read_csv(...)` table expression. */
  sql: string;
  /** The header's column names in file order. */
  header: string[];
  /** Temporary tables collecting malformed lines (DuckDB's rejects table and its scan table). */
  rejects: string;
  rejectsScan: string;
}

/**
 * Returns a typed `read_csv` expression for a file after checking its header
 * (other columns as VARCHAR); malformed lines go to a rejects table that
 * `throwFirstReject` turns into an error naming the line and the field.
 */
export async function csvScan(file: InputFile, layout: CsvLayout, name: string): Promise<CsvScan> {
  const header = await checkHeader(file, layout);
  const typeOf = new Map(layout.columns.map((c) => [c.name.toLowerCase(), c.type]));
  const columns = header
    .map((h, i) => `${sqlString(h || `column${i}`)}: '${typeOf.get(h.toLowerCase()) ?? 'VARCHAR'}'`)
    .join(', ');
  const rejects = `${name}_rejects`;
  const rejectsScan = `${name}_scan`;
  const sql = `read_csv(${sqlString(file.readable)},
      header = ${!layout.noHeader}, auto_detect = false, delim = ${sqlString(layout.delimiter ?? ',')}, quote = ${sqlString(layout.quote ?? '"')}, escape = ${sqlString(layout.quote ?? '"')},
      columns = {${columns}}, store_rejects = true, rejects_table = ${sqlString(rejects)}, rejects_scan = ${sqlString(rejectsScan)},
      nullstr = [${['', ...(layout.nullstr ?? [])].map(sqlString).join(', ')}], null_padding = false, strict_mode = ${layout.mixedLineEnds ? 'false' : 'true'})`;
  return { sql, header, rejects, rejectsScan };
}

/** Runs a statement reading a CSV scan; returns nothing. A file DuckDB cannot parse at all becomes an ImportError. */
export async function runCsvScan(store: Store, file: InputFile, statement: string): Promise<void> {
  try {
    await store.run(statement);
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw new ImportError(file.original, `cannot be read as CSV: ${msg}`);
  }
}

/** Returns the first malformed line a scan collected, if any, and drops the rejects tables. */
export async function takeFirstReject(store: Store, scan: CsvScan): Promise<Record<string, unknown> | undefined> {
  const bad = await store.one(
    `SELECT line, column_name, error_type, error_message FROM ${quoteIdent(scan.rejects)} ORDER BY line LIMIT 1`,
  );
  await store.run(
    `DROP TABLE IF EXISTS ${quoteIdent(scan.rejects)}; DROP TABLE IF EXISTS ${quoteIdent(scan.rejectsScan)}`,
  );
  return bad;
}

/**
 * Throws an ImportError for the first malformed line a scan collected
 * (missing or extra fields, text in a number column, bad quoting); drops the
 * rejects tables either way. Returns nothing when the file was clean.
 */
export async function throwFirstReject(store: Store, file: InputFile, layout: CsvLayout, scan: CsvScan): Promise<void> {
  const typeOf = new Map(layout.columns.map((c) => [c.name.toLowerCase(), c.type]));
  const bad = await takeFirstReject(store, scan);
  if (!bad) return;
  const kind = String(bad.error_type);
  const field = bad.column_name ? String(bad.column_name) : undefined;
  const reason =
    kind === 'CAST'
      ? `the value is not a ${typeOf.get(String(field).toLowerCase()) === 'VARCHAR' ? 'text' : 'number'}: ${String(bad.error_message).split('\n')[0]}`
      : kind === 'MISSING COLUMNS'
        ? `the line has fewer fields than the header (truncated file?)`
        : kind === 'TOO MANY COLUMNS'
          ? 'the line has more fields than the header'
          : String(bad.error_message).split('\n')[0];
  throw new ImportError(file.original, reason, Number(bad.line), field);
}

/**
 * Stages a CSV into the temporary table `table` with the layout's types (other
 * columns as VARCHAR). Every malformed line becomes an ImportError naming the
 * line and the field. `lineExpr(table)` gives the file line of each staged
 * row. Returns the header's column names.
 */
export async function stageCsv(store: Store, file: InputFile, layout: CsvLayout, table: string): Promise<string[]> {
  const scan = await csvScan(file, layout, table);
  await runCsvScan(store, file, `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT * FROM ${scan.sql}`);
  await throwFirstReject(store, file, layout, scan);
  const count = await store.one(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  if (Number(count?.n ?? 0) === 0)
    throw new ImportError(
      file.original,
      layout.noHeader ? 'the file is empty' : 'the file has a header but no data rows',
      layout.noHeader ? 1 : 2,
    );
  return scan.header;
}

/**
 * Returns a SQL expression for the source line of each row of a staged table
 * (rows keep file order; `first` is the line of the first data row). Row ids
 * of tables created inside a transaction do not start at 0, hence the offset.
 */
export function lineExpr(table: string, first = 2): string {
  return `(rowid - (SELECT min(rowid) FROM ${quoteIdent(table)}) + ${first})`;
}
