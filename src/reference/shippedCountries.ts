import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { finishDataset, registerDataset } from '../store/provenance.js';
import { sha256File } from '../files/inputFile.js';
import { shippedDataPath } from '../util/paths.js';
import { applyCodeSystemEconomies } from './countryRows.js';

const PACKAGE = 'i18n-iso-countries';

/** Returns the folder of the installed i18n-iso-countries package and its version. */
function countriesPackage(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve(`${PACKAGE}/package.json`));
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8')) as { version: string }).version;
  return { dir, version };
}

/** One economy's names in the i18n-iso-countries package: its English names (primary first) and its Chinese name. */
export interface IsoCountryNames {
  iso2: string;
  en: string[];
  zh?: string;
}

/** Returns the names of every ISO 3166-1 economy in the i18n-iso-countries package, by alpha-3 code. */
export function isoCountryNames(): Map<string, IsoCountryNames> {
  const pkg = countriesPackage();
  const codes = JSON.parse(readFileSync(join(pkg.dir, 'codes.json'), 'utf-8')) as Array<[string, string, string]>;
  const names = (lang: string) =>
    (
      JSON.parse(readFileSync(join(pkg.dir, 'langs', `${lang}.json`), 'utf-8')) as {
        countries: Record<string, string | string[]>;
      }
    ).countries;
  const [en, zh] = [names('en'), names('zh')];
  const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
  return new Map(codes.map(([iso2, iso3]) => [iso3, { iso2, en: list(en[iso2]), zh: list(zh[iso2])[0] }]));
}

/**
 * Installs the `countries` pack from the country table that ships with the
 * program when no countries pack is installed yet, so that imports work
 * before any `decouple setup`: the ISO 3166-1 alpha-2, alpha-3 and numeric
 * codes with English and Chinese short names of the i18n-iso-countries package
 * (MIT; codes as ISO 3166-1 assigns them), then the aggregates, former
 * economies and name overrides of data/country-code-systems.yaml. `decouple
 * setup --pack countries` replaces it with the UN's table (datasets/
 * country-codes, with the UNTERM names). Returns true when it installed.
 */
export async function ensureShippedCountries(store: Store): Promise<boolean> {
  if (await store.one(`SELECT 1 AS x FROM reference_packs WHERE pack = 'countries'`)) return false;
  const pkg = countriesPackage();
  const files = [join(pkg.dir, 'codes.json'), join(pkg.dir, 'langs', 'en.json'), join(pkg.dir, 'langs', 'zh.json')];
  const codes = JSON.parse(readFileSync(files[0], 'utf-8')) as Array<[string, string, string]>;
  const names = (f: string) =>
    (JSON.parse(readFileSync(f, 'utf-8')) as { countries: Record<string, string | string[]> }).countries;
  const [en, zh] = [names(files[1]), names(files[2])];
  // Where the package gives several names, the first: its primary name (unambiguous: 'Republic of the Congo').
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;
  const sha = (await Promise.all([...files, shippedDataPath('country-code-systems.yaml')].map(sha256File))).join(':');
  await store.transaction(async () => {
    const id = await registerDataset(store, {
      source: 'pack:countries',
      kind: 'reference',
      vintage: `${PACKAGE} ${pkg.version}`,
      file_name: 'codes.json; langs/en.json; langs/zh.json',
      url: `https://www.npmjs.com/package/${PACKAGE}/v/${pkg.version}`,
      sha256: sha,
      notes:
        `ISO 3166-1 codes with English and Chinese short names, shipped with the program (the ${PACKAGE} package ` +
        `${pkg.version}, MIT); decouple setup --pack countries installs the UN's table (UNTERM names) instead`,
    });
    await store.run(`DELETE FROM countries`);
    for (const [iso2, iso3, numeric] of codes) {
      await store.run(
        `INSERT INTO countries (iso3, iso_numeric, name_en, name_zh, is_aggregate, dataset_id, iso2) VALUES ($1, $2, $3, $4, false, $5, $6)`,
        [iso3, Number(numeric), first(en[iso2]) ?? iso3, first(zh[iso2]), id, iso2],
      );
    }
    const n = await applyCodeSystemEconomies(store);
    await finishDataset(store, id, 'other', n);
    await store.run(`INSERT OR REPLACE INTO reference_packs (pack, dataset_id) VALUES ('countries', $1)`, [id]);
  });
  return true;
}
