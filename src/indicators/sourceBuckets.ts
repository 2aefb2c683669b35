import { groupMembersOn } from '../countries/groups.js';
import type { Store } from '../store/store.js';

/** The sources diversion reports separately by default: China, ASEAN, Mexico, Canada, India, the EU, Japan, Korea, Taiwan. */
export const DEFAULT_SOURCES = ['CHN', 'group:ASEAN', 'MEX', 'CAN', 'IND', 'group:EU', 'JPN', 'KOR', 'TWN'];

/**
 * Creates the temporary table `bucket (economy, bucket)` assigning economies
 * to the sources asked for (ISO3 codes, or `group:ID` with membership on
 * `date`); the first match wins, everything else is 'rest of world'. Returns
 * the bucket names in order.
 */
export async function createSourceBuckets(store: Store, sources: string[], date: string): Promise<string[]> {
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const s of sources) {
    const members = s.startsWith('group:') ? await groupMembersOn(store, s.slice(6), date) : [s];
    if (members.length === 0) throw new Error(`the country group '${s.slice(6)}' has no members on ${date} (see decouple groups)`);
    for (const m of members) if (!seen.has(m)) (seen.add(m), pairs.push([m, s.replace(/^group:/, '')]));
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE bucket (economy VARCHAR, bucket VARCHAR)`);
  if (pairs.length) await store.run(`INSERT INTO bucket VALUES ${pairs.map(([e, b]) => `('${e}', '${b.replace(/'/g, "''")}')`).join(', ')}`);
  return [...sources.map((s) => s.replace(/^group:/, '')), 'rest of world'];
}
