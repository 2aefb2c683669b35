import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, rmSync } from 'node:fs';
const db0 = '/tmp/scratch-imp.duckdb'; rmSync(db0, { force: true }); copyFileSync('/tmp/decouple-bench/base-countries.duckdb', db0);
const db = await DuckDBInstance.create(db0); const con = await db.connect();
const F = process.argv[2];
await con.run(`CREATE TEMP TABLE code_map AS SELECT CAST(iso_numeric AS VARCHAR) AS code, iso3 FROM countries WHERE iso_numeric IS NOT NULL`);
await con.run(`CREATE TEMP TABLE code_int AS SELECT iso_numeric AS code, iso3 FROM countries WHERE iso_numeric IS NOT NULL`);
const csv = (rej) => `read_csv('${F}', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'DOUBLE'}, ${rej ? "store_rejects = true, rejects_table = 'r1', rejects_scan = 'r2'," : ''} nullstr = ['', 'NA'], null_padding = false, strict_mode = true)`;
const prod = `CASE WHEN length(trim(k)) = 5 THEN '0' || trim(k) ELSE trim(k) END`;
const V = {
  current: `INSERT INTO flows (dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product, value_usd, quantity, quantity_unit, valuation, cif_usd, fob_usd, duty_usd, flag) SELECT 2, coalesce(v.year, 0), v.month, coalesce(e.iso3, '?' || coalesce(v.exporter_code, '')), coalesce(i.iso3, '?' || coalesce(v.importer_code, '')), v.reporter_side, v.classification, coalesce(v.product_level, 0), coalesce(v.product, ''), coalesce(v.value_usd, -1), v.quantity, v.quantity_unit, v.valuation, v.cif_usd, v.fob_usd, v.duty_usd, v.flag FROM ( SELECT t AS year, CAST(NULL AS TINYINT) AS month, CAST(i AS VARCHAR) AS exporter_code, CAST(j AS VARCHAR) AS importer_code, 'reconciled' AS reporter_side, 'HS2017' AS classification, CAST(length(${prod}) AS TINYINT) AS product_level, ${prod} AS product, v * 1000 AS value_usd, q AS quantity, 't' AS quantity_unit, 'FOB' AS valuation, CAST(NULL AS DOUBLE) AS cif_usd, CAST(NULL AS DOUBLE) AS fob_usd, CAST(NULL AS DOUBLE) AS duty_usd, CAST(NULL AS VARCHAR) AS flag FROM ${csv(true)}) v LEFT JOIN code_map e ON e.code = v.exporter_code LEFT JOIN code_map i ON i.code = v.importer_code`,
  norejects: null,
  intjoin: `INSERT INTO flows (dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product, value_usd, quantity, quantity_unit, valuation) SELECT 2, coalesce(t, 0), NULL, coalesce(e.iso3, '?' || coalesce(CAST(v.i AS VARCHAR), '')), coalesce(im.iso3, '?' || coalesce(CAST(v.j AS VARCHAR), '')), 'reconciled', 'HS2017', CAST(length(${prod}) AS TINYINT), coalesce(${prod}, ''), coalesce(v.v * 1000, -1), q, 't', 'FOB' FROM ${csv(true)} v LEFT JOIN code_int e ON e.code = v.i LEFT JOIN code_int im ON im.code = v.j`,
  intjoin_norej: null,
  plain6: `INSERT INTO flows (dataset_id, year, month, exporter, importer, reporter_side, classification, product_level, product, value_usd, quantity, valuation) SELECT 2, t, NULL, 'USA', 'CHN', 'reconciled', 'HS2017', 6, k, v, q, 'FOB' FROM ${csv(false)}`,
  readonly: `CREATE OR REPLACE TEMP TABLE x AS SELECT * FROM ${csv(false)}`,
};
V.norejects = V.current.replace(csv(true), csv(false));
V.intjoin_norej = V.intjoin.replace(csv(true), csv(false));
for (const [k, sql] of Object.entries(V)) {
  await con.run('SET preserve_insertion_order = false');
  await con.run('BEGIN');
  const t = performance.now(); await con.run(sql); const t1 = performance.now(); await con.run('COMMIT'); console.log(k, (t1 - t).toFixed(0), 'ms + commit', (performance.now() - t1).toFixed(0));
  await con.run(`DELETE FROM flows`); await con.run('CHECKPOINT');
}
