/**
 * The DuckDB store: schema and migrations, bulk inserts, provenance, recovery, sandboxed queries. The folder's
 * public face: other folders import from here.
 */
export * from './bulkInsert.js';
export * from './provenance.js';
export * from './recovery.js';
export * from './sandboxedQuery.js';
export * from './schema.js';
export * from './store.js';
export * from './duckdb.js';
