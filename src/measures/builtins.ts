import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Store } from '../store/store.js';
import { loadCountryGroups, userGroupFile } from '../countries/groups.js';
import { shippedDataPath } from '../util/paths.js';
import { loadSeedFigures } from '../reference/seedFigures.js';
import { ensureShippedMeasures } from './measureStore.js';
import { ensureShippedCountries } from '../reference/shippedCountries.js';

/**
 * Loads the facts shipped with the program (country codes and names when no
 * countries pack is installed, country groups, the measures registry, the
 * embedded seed-figure dataset) into the store when they are missing or have
 * changed; returns true when anything was (re)loaded.
 */
export async function ensureBuiltins(store: Store): Promise<boolean> {
  const files = [shippedDataPath('country-groups.yaml'), userGroupFile()].filter((f): f is string => Boolean(f));
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(f));
  const digest = hash.digest('hex');
  const current = await store.one(`SELECT value FROM settings WHERE key = 'groups_sha256'`);
  let changed = false;
  if (current?.value !== digest) {
    await store.transaction(async () => {
      await loadCountryGroups(store, userGroupFile());
      await store.run(`INSERT OR REPLACE INTO settings VALUES ('groups_sha256', $1)`, [digest]);
    });
    changed = true;
  }
  const countries = await ensureShippedCountries(store);
  const measures = await ensureShippedMeasures(store);
  return (await loadSeedFigures(store)) || changed || measures || countries;
}
