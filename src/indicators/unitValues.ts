import { join, sql } from '../core/sql.js';
import type { Store } from '../store/store.js';

/**
 * Tariff quantity units (the USITC tariff database's quantity_1_code) and the trade-data units (UN Comtrade's
 * qtyUnitAbbr) they can be read from, with how many tariff units one trade unit makes.
 */
export const QUANTITY_UNITS: Readonly<Record<string, ReadonlyArray<{ unit: string; factor: number }>>> = {
  KG: [{ unit: 'kg', factor: 1 }],
  T: [{ unit: 'kg', factor: 0.001 }],
  GM: [{ unit: 'kg', factor: 1000 }],
  NO: [{ unit: 'u', factor: 1 }],
  PCS: [{ unit: 'u', factor: 1 }],
  THS: [
    { unit: 'u', factor: 0.001 },
    { unit: '1000u', factor: 1 },
  ],
  DOZ: [
    { unit: 'u', factor: 1 / 12 },
    { unit: '12u', factor: 1 },
  ],
  PRS: [
    { unit: '2u', factor: 1 },
    { unit: 'u', factor: 0.5 },
  ],
  DPR: [{ unit: '2u', factor: 1 / 12 }],
  M2: [{ unit: 'm²', factor: 1 }],
  M3: [{ unit: 'm³', factor: 1 }],
  L: [{ unit: 'l', factor: 1 }],
};

/**
 * Fills the temp table at_unit_values (wyear, hs6, unit, v, q) for every weights year of at_weights: the importer's
 * imports from the exporter by HS6 in that year with quantities, from the dataset reporting the most quantities,
 * as value (US$) and quantity in each tariff unit the trade unit converts to. The unit value of a tariff line is
 * v / q of its HS6 in its unit; returns the datasets used, by year.
 */
export async function createUnitValues(store: Store, importer: string, exporter: string): Promise<Map<number, string>> {
  const units = Object.entries(QUANTITY_UNITS).flatMap(([tariff, list]) =>
    list.map((u) => sql`(${tariff}, ${u.unit}, ${u.factor})`),
  );
  await store.run(`CREATE OR REPLACE TEMP TABLE at_unit_map (tariff_unit VARCHAR, trade_unit VARCHAR, factor DOUBLE)`);
  await store.run(sql`INSERT INTO at_unit_map VALUES ${join(units)}`);
  await store.run(
    `CREATE OR REPLACE TEMP TABLE at_unit_values (wyear INTEGER, hs6 VARCHAR, unit VARCHAR, v DOUBLE, q DOUBLE)`,
  );
  const used = new Map<number, string>();
  for (const r of await store.all(`SELECT DISTINCT wyear FROM at_weights ORDER BY 1`)) {
    const year = Number(r.wyear);
    const pick = await store.one(
      sql`SELECT f.dataset_id, any_value(d.file_name) AS file FROM flows f JOIN datasets d USING (dataset_id)
          WHERE f.importer = ${importer} AND f.exporter = ${exporter} AND f.year = ${year} AND f.month IS NULL
            AND f.product_level = 6 AND f.quantity > 0
          GROUP BY f.dataset_id ORDER BY count(*) DESC, f.dataset_id LIMIT 1`,
    );
    if (!pick) continue;
    used.set(year, String(pick.file));
    await store.run(
      sql`INSERT INTO at_unit_values
          SELECT ${year}, f.product, m.tariff_unit, sum(f.value_usd), sum(f.quantity * m.factor)
          FROM flows f JOIN at_unit_map m ON m.trade_unit = f.quantity_unit
          WHERE f.dataset_id = ${Number(pick.dataset_id)} AND f.importer = ${importer} AND f.exporter = ${exporter}
            AND f.year = ${year} AND f.month IS NULL AND f.product_level = 6 AND f.quantity > 0 AND f.value_usd > 0
          GROUP BY ALL`,
    );
  }
  return used;
}
