import { groupMembersOn } from '../countries/groups.js';
import type { Store } from '../store/store.js';

/**
 * The sources diversion reports separately by default: China, ASEAN, Mexico, Canada, India, the EU, Japan, Korea,
 * Taiwan.
 */
export const DEFAULT_SOURCES = ['CHN', 'group:ASEAN', 'MEX', 'CAN', 'IND', 'group:EU', 'JPN', 'KOR', 'TWN'];

/**
 * Creates the temporary table `bucket (year, economy, bucket)` assigning
 * economies to the sources asked for (ISO3 codes, or `group:ID` with the
 * membership at the end of each year given); the first match wins, anything
 * else is 'rest of world'. Returns the bucket names in order.
 */
export async function createSourceBuckets(store: Store, sources: string[], years: number[]): Promise<string[]> {
  const rows: string[] = [];
  for (const year of years) {
    const seen = new Set<string>();
    for (const s of sources) {
      const date = `${year}-12-31`;
      const members = s.startsWith('group:') ? await groupMembersOn(store, s.slice(6), date) : [s];
      if (members.length === 0)
        throw new Error(`the country group '${s.slice(6)}' has no members on ${date} (see decouple groups)`);
      for (const m of members) {
        if (seen.has(m)) continue;
        seen.add(m);
        rows.push(`(${year}, '${m}', '${s.replace(/^group:/, '').replace(/'/g, "''")}')`);
      }
    }
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE bucket (year SMALLINT, economy VARCHAR, bucket VARCHAR)`);
  if (rows.length) await store.run(`INSERT INTO bucket VALUES ${rows.join(', ')}`);
  return [...sources.map((s) => s.replace(/^group:/, '')), 'rest of world'];
}
