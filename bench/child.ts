/**
 * One measured task of the benchmark, run in its own process so that its wall
 * time and peak memory (DuckDB's included) are its own. Prints one JSON line:
 * { task, seconds, rows, maxRssMb }.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { importBaci } from '../src/ingest/baci.js';
import { Store } from '../src/store/store.js';
import { main } from '../src/cli/main.js';

const [task, file, db, storageVersion, source, mapping] = process.argv.slice(2);

/** The BACI layout, given to read_csv as a user who knows the file would. */
const BACI_COLUMNS = `header = true, auto_detect = false,
  columns = {'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'DOUBLE'}`;

/**
 * DuckDB's own read_csv into a plain table, with the given options (none: its own detection of the layout): in a
 * new file of DuckDB's default format, or of the given storage version.
 */
async function readCsvIntoTable(options?: string): Promise<number> {
  const instance = await DuckDBInstance.create(
    db,
    storageVersion ? { storage_compatibility_version: storageVersion } : {},
  );
  const con = await instance.connect();
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}'${options ? `, ${options}` : ''})`);
  const r = await con.runAndReadAll('SELECT count(*) FROM t');
  const n = Number(r.getRows()[0][0]);
  con.closeSync();
  return n;
}

/** `decouple import SOURCE FILE` as the command runs it (checks, provenance, commit); returns the rows stored. */
async function importWithCommand(): Promise<number> {
  await main(['node', 'decouple', '--db', db, 'import', source, file, ...(mapping ? ['--map', mapping] : [])]);
  if (process.exitCode) throw new Error(`decouple import ${source} ${file} failed`);
  const store = await Store.open(db, { readOnly: true });
  try {
    // A user CSV's source is `csv:MAPPING@SHA256`.
    const row = await store.one(`SELECT sum("rows") AS n FROM datasets WHERE source = $1 OR source LIKE $1 || ':%'`, [
      source,
    ]);
    return Number(row?.n ?? 0);
  } finally {
    store.close();
  }
}

async function importWithDecouple(): Promise<number> {
  const store = await Store.open(db);
  try {
    const outcomes = await importBaci(store, [file], { userMap: new Map() });
    return outcomes.reduce((s, o) => s + o.rows, 0);
  } finally {
    store.close();
  }
}

const tasks: Record<string, () => Promise<number>> = {
  'read-csv': () => readCsvIntoTable(BACI_COLUMNS),
  'import-baci': importWithDecouple,
  'read-csv-detected': () => readCsvIntoTable(),
  'import-command': importWithCommand,
};
const started = process.hrtime.bigint();
const rows = await tasks[task]();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ task, seconds, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
