import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

/**
 * The DuckDB Node API, loaded with `require`: the package is CommonJS, and importing it as an ES module makes
 * Node scan each of its hundred files for export names first, which measured about 0.1 s of every command's
 * start (0.28 s against 0.16 s to load it). Types come from the package as usual.
 */
const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

export const DuckDBInstance = duckdb.DuckDBInstance;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export const DuckDBConnection = duckdb.DuckDBConnection;
export type DuckDBConnection = DuckDB.DuckDBConnection;
export const listValue = duckdb.listValue;
export type { DuckDBValue } from '@duckdb/node-api';
