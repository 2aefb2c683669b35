import type { Store } from '../store/store.js';
import { codeSystems } from './codeSystems.js';

/**
 * Adds the aggregates and former economies of data/country-code-systems.yaml
 * to the countries table (World, the EU as a reporter, …) and applies its name
 * overrides; returns the number of countries then in the table.
 */
export async function applyCodeSystemEconomies(store: Store): Promise<number> {
  const sys = codeSystems();
  for (const s of sys.special.codes) {
    await store.run(
      `INSERT INTO countries (iso3, name_en, name_zh, is_aggregate) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, is_aggregate = excluded.is_aggregate`,
      [s.code, s.name_en, s.name_zh, s.aggregate],
    );
  }
  for (const o of sys.name_overrides.names) {
    await store.run(`UPDATE countries SET name_zh = $2, name_en = $3 WHERE iso3 = $1`, [o.code, o.name_zh, o.name_en]);
  }
  const n = await store.one('SELECT count(*) AS n FROM countries');
  return Number(n?.n ?? 0);
}
