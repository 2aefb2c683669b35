import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { finishDataset, registerDataset } from '../store/provenance.js';
import { sha256File } from '../files/inputFile.js';
import { shippedDataPath } from '../util/paths.js';
import { applyCodeSystemEconomies } from './countryRows.js';

const PACKAGE = 'i18n-iso-countries';

/** One economy in the i18n-iso-countries package: its codes, English names (primary first) and Chinese name. */
export interface IsoCountryNames {
  iso2: string;
  numeric: number;
  en: string[];
  zh?: string;
}

/** The package's files, version and economies, read once (the files do not change while the program runs). */
let isoPackage: { files: string[]; version: string; economies: Map<string, IsoCountryNames> } | undefined;

/** Returns the i18n-iso-countries package: the files read, its version and every economy by alpha-3 code. */
function countriesPackage(): NonNullable<typeof isoPackage> {
  if (isoPackage) return isoPackage;
  const dir = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  const read = <T>(path: string) => JSON.parse(readFileSync(join(dir, path), 'utf-8')) as T;
  const names = (lang: string) =>
    read<{ countries: Record<string, string | string[]> }>(`langs/${lang}.json`).countries;
  const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
  const [en, zh] = [names('en'), names('zh')];
  const codes = read<Array<[string, string, string]>>('codes.json');
  isoPackage = {
    files: ['codes.json', 'langs/en.json', 'langs/zh.json'].map((f) => join(dir, f)),
    version: read<{ version: string }>('package.json').version,
    economies: new Map(
      codes.map(([iso2, iso3, numeric]) => [
        iso3,
        { iso2, numeric: Number(numeric), en: list(en[iso2]), zh: list(zh[iso2])[0] },
      ]),
    ),
  };
  return isoPackage;
}

/** Returns the names of every ISO 3166-1 economy in the i18n-iso-countries package, by alpha-3 code. */
export function isoCountryNames(): Map<string, IsoCountryNames> {
  return countriesPackage().economies;
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
  const files = pkg.files;
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
    // Where the package gives several names, the first: its primary name (unambiguous: 'Republic of the Congo').
    for (const [iso3, e] of pkg.economies) {
      await store.run(
        `INSERT INTO countries (iso3, iso_numeric, name_en, name_zh, is_aggregate, dataset_id, iso2) VALUES ($1, $2, $3, $4, false, $5, $6)`,
        [iso3, e.numeric, e.en[0] ?? iso3, e.zh ?? null, id, e.iso2],
      );
    }
    const n = await applyCodeSystemEconomies(store);
    await finishDataset(store, id, 'other', n);
    await store.run(`INSERT OR REPLACE INTO reference_packs (pack, dataset_id) VALUES ('countries', $1)`, [id]);
  });
  return true;
}
