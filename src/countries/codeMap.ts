import { listValue } from '../store/index.js';
import type { Store } from '../store/store.js';
import { bulkInsert } from '../store/bulkInsert.js';
import { requirePack } from '../reference/packs.js';
import { codeSystems, type CodeSystemName } from '../reference/codeSystems.js';
import { InvalidInputError } from '../core/index.js';

/** Parses `--map-country CODE=ISO3` options; returns code → ISO3. */
export function parseCountryMappings(items: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    const m = /^(.*)=([A-Z]{3})$/.exec(item);
    if (!m) throw new InvalidInputError(`--map-country takes CODE=ISO3 (e.g. 'Other Asia, nes=TWN'), not '${item}'`);
    out.set(m[1].trim(), m[2]);
  }
  return out;
}

/**
 * Builds the temporary table `code_map(code, iso3)` for one code system, from
 * the countries pack, the shipped code systems and the user's own mappings;
 * returns the number of codes it knows.
 */
export async function buildCodeMap(
  store: Store,
  system: CodeSystemName,
  user: Map<string, string>,
  table = 'code_map',
): Promise<number> {
  await requirePack(store, 'countries', 'mapping country codes at import');
  await store.run(`CREATE OR REPLACE TEMP TABLE ${table} (code VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL)`);
  const sys = codeSystems();
  const fixed: Array<[string, string]> = [];
  switch (system) {
    case 'iso3':
      await store.run(`INSERT INTO ${table} SELECT iso3, iso3 FROM countries`);
      break;
    case 'name':
      // ISO3 codes, English and Chinese names (a file may mix them).
      await store.run(`INSERT INTO ${table} SELECT DISTINCT ON (code) code, iso3 FROM (
          SELECT iso3 AS code, iso3 FROM countries UNION ALL SELECT name_en, iso3 FROM countries
          UNION ALL SELECT name_zh, iso3 FROM countries WHERE name_zh IS NOT NULL) ORDER BY code`);
      break;
    case 'comtrade-iso':
      fixed.push(...Object.entries(sys.comtrade_iso.codes));
      await store.run(`INSERT INTO ${table} SELECT iso3, iso3 FROM countries`);
      break;
    case 'comtrade':
      fixed.push(...Object.entries(sys.comtrade.codes));
      await store.run(
        `INSERT INTO ${table} SELECT CAST(iso_numeric AS VARCHAR), iso3 FROM countries WHERE iso_numeric IS NOT NULL`,
      );
      break;
    case 'census':
      await requirePack(store, 'census-codes', 'mapping US Census country codes');
      fixed.push(...Object.entries(sys.census.codes));
      await store.run(`INSERT INTO ${table} SELECT code, iso3 FROM country_codes WHERE system = 'census'`);
      break;
    case 'imf':
      fixed.push(...Object.entries(sys.imf.names));
      break;
    case 'bea':
      fixed.push(...Object.entries(sys.bea.names));
      break;
    case 'wits':
    case 'tic':
    case 'iie':
    case 'ncses':
    case 'batis':
      // Sources that name economies in English: the pack's English names (and, outside WITS, ISO3 codes for the
      // side a file does not name), and the source's own spellings.
      await store.run(
        `INSERT INTO ${table} SELECT DISTINCT ON (code) code, iso3 FROM (SELECT name_en AS code, iso3 FROM countries
           ${system === 'wits' ? '' : 'UNION ALL SELECT iso3, iso3 FROM countries'}) ORDER BY code`,
      );
      fixed.push(...Object.entries(sys[system].names));
      break;
  }
  fixed.push(...user.entries());
  // Later entries win: the user's mappings over the shipped ones over the pack's.
  const overrides = [...new Map(fixed).entries()];
  if (overrides.length)
    await store.run(`DELETE FROM ${table} WHERE code IN (SELECT unnest($1::VARCHAR[]))`, [
      listValue(overrides.map(([code]) => code)),
    ]);
  await bulkInsert(
    store,
    table,
    [
      { name: 'code', type: 'VARCHAR' },
      { name: 'iso3', type: 'VARCHAR' },
    ],
    overrides,
  );
  // Every mapped code must land on an economy the store knows.
  const bad = await store.one(`SELECT m.code, m.iso3 FROM ${table} m ANTI JOIN countries c ON c.iso3 = m.iso3 LIMIT 1`);
  if (bad) throw new Error(`the mapping ${bad.code} → ${bad.iso3} names an economy that is not in the countries pack`);
  const n = await store.one(`SELECT count(*) AS n FROM ${table}`);
  return Number(n?.n ?? 0);
}
