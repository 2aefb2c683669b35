import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Store } from '../store/store.js';
import { bulkInsert } from '../store/bulkInsert.js';
import { finishDataset, registerDataset } from '../store/provenance.js';
import { prepareInputFile, sha256File } from '../files/inputFile.js';
import { sqlString } from '../files/csvStage.js';
import { readWorkbook } from '../util/sheet.js';
import { shippedDataPath } from '../util/paths.js';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';
import { download, type DownloadOptions } from '../files/download.js';
import { htsVintageForYear } from './hsVintages.js';
import { parseImportConcordance, readImportConcordance } from './censusAtp.js';
import { applyCodeSystemEconomies } from './countryRows.js';

/** One file of a reference pack: where it lives in a mirror and where it is published. */
export interface PackFile {
  mirrorPath: string;
  url: string;
}

/** A reference pack: classification tables installed by `decouple setup`. */
export interface ReferencePack {
  name: string;
  description: string;
  publisher: string;
  files: PackFile[];
  /**
   * Installed with the others only when its files are in the mirror (or downloadable); asked for by name, it must
   * be.
   */
  optional?: boolean;
  load(store: Store, paths: string[], datasetId: number): Promise<number>;
}

const UN_TABLES = 'https://unstats.un.org/unsd/classifications/Econ/tables';
const WITS_CONCORDANCE = 'https://wits.worldbank.org/product_concordance.html';
const BEC_VINTAGES = ['1996', '2002', '2007', '2012', '2017', '2022'];
/** The edition of the Census import concordance the ATP pack installs (HTS 2024, on HS2022). */
export const ATP_EDITION = 2024;
/** The edition of the Schedule B export concordance the census-atp-exports pack installs (2019, on HS2017). */
export const ATP_EXPORT_EDITION = 2019;

/**
 * Returns the concordance rows of ATP lines: each flagged 10-digit code (from
 * `codeClass`) and, for each HS6 subheading (in `hs`), the share of its lines
 * in each ATP group and outside them ('00'), with relationship `shareKind`.
 */
function atpRows(
  lines: Array<{ hts10: string; atp: string | null }>,
  codeClass: string,
  hs: string,
  shareKind: string,
  datasetId: number,
): unknown[][] {
  const rows: unknown[][] = lines
    .filter((l) => l.atp)
    .map((l) => [codeClass, l.hts10, 'ATP', l.atp, 'census', 1, datasetId]);
  const perHs6 = new Map<string, { all: number; atp: Map<string, number> }>();
  for (const l of lines) {
    const k = l.hts10.slice(0, 6);
    const e = perHs6.get(k) ?? { all: 0, atp: new Map<string, number>() };
    e.all++;
    if (l.atp) e.atp.set(l.atp, (e.atp.get(l.atp) ?? 0) + 1);
    perHs6.set(k, e);
  }
  for (const [hs6, e] of perHs6) {
    const flagged = [...e.atp.values()].reduce((a, b) => a + b, 0);
    rows.push([hs, hs6, 'ATP', '00', shareKind, (e.all - flagged) / e.all, datasetId]);
    for (const [code, n] of e.atp) rows.push([hs, hs6, 'ATP', code, shareKind, n / e.all, datasetId]);
  }
  return rows;
}

function csv(path: string): string {
  return `read_csv(${sqlString(path)}, header = true, all_varchar = true, auto_detect = true)`;
}

/** Normalises an HS code from a table cell: digits only, zero-padded to even length. */
export function hsCode(raw: unknown): string {
  const digits = String(raw ?? '').replace(/[^0-9]/g, '');
  return digits.length % 2 === 1 ? `0${digits}` : digits;
}

async function insertConcordance(store: Store, rows: unknown[][]): Promise<number> {
  return bulkInsert(
    store,
    'concordances',
    [
      { name: 'from_classification', type: 'VARCHAR' },
      { name: 'from_code', type: 'VARCHAR' },
      { name: 'to_classification', type: 'VARCHAR' },
      { name: 'to_code', type: 'VARCHAR' },
      { name: 'relationship', type: 'VARCHAR' },
      { name: 'weight', type: 'DOUBLE' },
      { name: 'dataset_id', type: 'INTEGER' },
    ],
    rows,
  );
}

/** Reads the first sheet of a UN conversion workbook: returns [from, to] pairs. */
async function conversionPairs(path: string): Promise<Array<[string, string]>> {
  const [sheet] = await readWorkbook(path);
  const pairs: Array<[string, string]> = [];
  for (const { cells } of sheet.rows.slice(1)) {
    const vals = cells.filter((c) => c !== null && String(c).trim() !== '');
    if (vals.length >= 2) pairs.push([String(vals[0]).trim(), String(vals[1]).trim()]);
  }
  return pairs;
}

export const PACKS: ReferencePack[] = [
  {
    name: 'countries',
    description: 'ISO 3166 economies with numeric codes and English and Chinese names; aggregates and former economies',
    publisher: 'ISO 3166 / UN M49 via the datasets/country-codes package (PDDL)',
    files: [
      {
        mirrorPath: 'countries/country-codes.csv',
        url: 'https://raw.githubusercontent.com/datasets/country-codes/main/data/country-codes.csv',
      },
    ],
    async load(store, [path], datasetId) {
      await store.run(`DELETE FROM countries`);
      await store.run(
        `INSERT INTO countries (iso3, iso_numeric, name_en, name_zh, is_aggregate, dataset_id, iso2)
         SELECT DISTINCT ON (iso3) iso3, TRY_CAST(num AS INTEGER), name_en, name_zh, false, $1, iso2 FROM (
           SELECT "ISO3166-1-Alpha-3" AS iso3, "ISO3166-1-numeric" AS num, nullif("ISO3166-1-Alpha-2", '') AS iso2,
                  coalesce(nullif("CLDR display name", ''), "UNTERM English Short", official_name_en) AS name_en,
                  coalesce(nullif("UNTERM Chinese Short", ''), nullif(official_name_cn, '')) AS name_zh
           FROM ${csv(path)} WHERE "ISO3166-1-Alpha-3" ~ '^[A-Z]{3}$')`,
        [datasetId],
      );
      return applyCodeSystemEconomies(store);
    },
  },
  {
    name: 'census-codes',
    description: 'US Census Bureau country codes (Schedule C) mapped to ISO 3166 alpha-3',
    publisher:
      'US Census Bureau, Schedule C; ISO3 mapping as published by the Federal Reserve Bank of Atlanta trade tracker',
    files: [
      {
        mirrorPath: 'census-hs10-2024/CensusCountryMapping_FRBAtl_short.csv',
        url: 'https://raw.githubusercontent.com/tradewartracker/trade-war-redux-2025/main/data/CensusCountryMapping_FRBAtl_short.csv',
      },
    ],
    async load(store, [path], datasetId) {
      await store.run(`DELETE FROM country_codes WHERE system = 'census' AND dataset_id IS NOT NULL`);
      await store.run(
        `INSERT INTO country_codes (system, code, iso3, dataset_id)
         SELECT 'census', lpad(trim(CTY_CODE), 4, '0'), trim(ISO3), $1 FROM ${csv(path)}
         WHERE trim(ISO3) ~ '^[A-Z]{3}$' AND trim(CTY_CODE) ~ '^[0-9]+$' ON CONFLICT DO NOTHING`,
        [datasetId],
      );
      const n = await store.one(`SELECT count(*) AS n FROM country_codes WHERE dataset_id = $1`, [datasetId]);
      return Number(n?.n ?? 0);
    },
  },
  {
    name: 'hs',
    description:
      'Harmonized System 2022 nomenclature: sections, chapters (HS2), headings (HS4), subheadings (HS6) with descriptions',
    publisher: 'World Customs Organization HS 2022 via UN Statistics Division / datasets/harmonized-system (PDDL)',
    files: [
      {
        mirrorPath: 'classifications/harmonized-system.csv',
        url: 'https://raw.githubusercontent.com/datasets/harmonized-system/master/data/harmonized-system.csv',
      },
    ],
    async load(store, [path], datasetId) {
      await store.run(`DELETE FROM products WHERE classification = 'HS2022'`);
      await store.run(
        `INSERT INTO products (classification, code, level, description, parent, section, dataset_id)
         SELECT 'HS2022', hscode, CAST(level AS TINYINT), description, parent, section, $1 FROM ${csv(path)}
         WHERE hscode ~ '^[0-9]+$'`,
        [datasetId],
      );
      const n = await store.one(`SELECT count(*) AS n FROM products WHERE dataset_id = $1`, [datasetId]);
      return Number(n?.n ?? 0);
    },
  },
  {
    name: 'hs-bec',
    description: 'HS (1996, 2002, 2007, 2012, 2017, 2022) to BEC Rev.4 correlation tables, with BEC Rev.4 descriptions',
    publisher: 'UN Statistics Division, HS to BEC conversion and correlation tables',
    files: [
      ...BEC_VINTAGES.map((v) => ({
        mirrorPath: `classifications/un-correlation-tables/HS${v} to BEC Conversion and Correlation Tables.csv`,
        url: `${UN_TABLES}/HS${v}%20to%20BEC%20Conversion%20and%20Correlation%20Tables.xlsx`,
      })),
      { mirrorPath: 'classifications/un-correlation-tables/BEC4_DESC.xlsx', url: `${UN_TABLES}/BEC4_DESC.xlsx` },
    ],
    async load(store, paths, datasetId) {
      await store.run(`DELETE FROM concordances WHERE to_classification = 'BEC4'`);
      await store.run(`DELETE FROM products WHERE classification = 'BEC4'`);
      let n = 0;
      for (let i = 0; i < BEC_VINTAGES.length; i++) {
        const rows = await store.all(`SELECT * FROM ${csv(paths[i])}`);
        const out: unknown[][] = [];
        for (const r of rows) {
          const vals = Object.values(r);
          const hs = hsCode(vals[0]);
          const bec = String(vals[1] ?? '').trim();
          if (hs.length === 6 && /^\d{1,3}$/.test(bec))
            out.push([`HS${BEC_VINTAGES[i]}`, hs, 'BEC4', bec, vals[2] ? String(vals[2]) : null, 1, datasetId]);
        }
        n += await insertConcordance(store, out);
      }
      const [sheet] = await readWorkbook(paths[BEC_VINTAGES.length]);
      const descRows: unknown[][] = [];
      for (const { cells } of sheet.rows.slice(1)) {
        const [, code, desc, parent, level] = cells;
        if (code !== null)
          descRows.push([
            'BEC4',
            String(code),
            Number(level),
            desc,
            parent === 'TOTAL' ? null : parent,
            null,
            datasetId,
          ]);
      }
      n += await bulkInsert(
        store,
        'products',
        ['classification', 'code', 'level', 'description', 'parent', 'section', 'dataset_id'].map((name, i) => ({
          name,
          type: i === 2 ? 'TINYINT' : i === 6 ? 'INTEGER' : 'VARCHAR',
        })),
        descRows,
      );
      return n;
    },
  },
  {
    name: 'hs-vintages',
    description: 'HS vintage conversions: HS2022 to HS2017 and HS2012, HS2017 to HS2012',
    publisher: 'UN Statistics Division, HS conversion and correlation tables',
    files: ['HS2022toHS2017', 'HS2022toHS2012', 'HS2017toHS2012'].map((t) => ({
      mirrorPath: `classifications/un-correlation-tables/${t}ConversionAndCorrelationTables.xlsx`,
      url: `${UN_TABLES}/${t}ConversionAndCorrelationTables.xlsx`,
    })),
    async load(store, paths, datasetId) {
      let n = 0;
      for (const path of paths) {
        const m = /HS(\d{4})toHS(\d{4})/.exec(basename(path))!;
        const [from, to] = [`HS${m[1]}`, `HS${m[2]}`];
        await store.run(`DELETE FROM concordances WHERE from_classification = $1 AND to_classification = $2`, [
          from,
          to,
        ]);
        const rows = (await conversionPairs(path)).map(([a, b]) => [
          from,
          hsCode(a),
          to,
          hsCode(b),
          'conversion',
          1,
          datasetId,
        ]);
        n += await insertConcordance(
          store,
          rows.filter((r) => String(r[1]).length === 6),
        );
      }
      return n;
    },
  },
  {
    name: 'hs-sitc',
    description:
      'HS to SITC: HS2022 to SITC Rev.3 and Rev.4, HS2017 to SITC Rev.4 (UN); HS combined to SITC Rev.4 (WITS)',
    publisher: 'UN Statistics Division conversion tables; World Bank WITS product concordance',
    files: [
      ...['HS2022toSITC3', 'HS2022toSITC4', 'HS2017toSITC4'].map((t) => ({
        mirrorPath: `classifications/un-correlation-tables/${t}ConversionAndCorrelationTables.xlsx`,
        url: `${UN_TABLES}/${t}ConversionAndCorrelationTables.xlsx`,
      })),
      { mirrorPath: 'classifications/un-correlation-tables/JobID-70_Concordance_HS_to_S4.CSV', url: WITS_CONCORDANCE },
    ],
    async load(store, paths, datasetId) {
      let n = 0;
      for (const path of paths.slice(0, 3)) {
        const m = /HS(\d{4})toSITC(\d)/.exec(basename(path))!;
        const [from, to] = [`HS${m[1]}`, `SITC${m[2]}`];
        await store.run(`DELETE FROM concordances WHERE from_classification = $1 AND to_classification = $2`, [
          from,
          to,
        ]);
        const rows = (await conversionPairs(path)).map(([a, b]) => [
          from,
          hsCode(a),
          to,
          b.replace(/\D/g, ''),
          'conversion',
          1,
          datasetId,
        ]);
        n += await insertConcordance(
          store,
          rows.filter((r) => String(r[1]).length === 6),
        );
      }
      n += await loadWits(store, paths[3], 'SITC4', datasetId);
      return n;
    },
  },
  {
    name: 'hs-isic',
    description: 'HS (combined vintages) to ISIC Rev.2 and Rev.3 (WITS), with the ISIC Rev.3 and Rev.4 structures',
    publisher: 'World Bank WITS product concordance; UN Statistics Division ISIC structures',
    files: [
      { mirrorPath: 'classifications/un-correlation-tables/JobID-63_Concordance_HS_to_I2.CSV', url: WITS_CONCORDANCE },
      { mirrorPath: 'classifications/un-correlation-tables/JobID-64_Concordance_HS_to_I3.CSV', url: WITS_CONCORDANCE },
      {
        mirrorPath: 'classifications/un-correlation-tables/ISIC_Rev_3_english_structure.txt',
        url: 'https://unstats.un.org/unsd/classifications/Econ/Download/In%20Text/ISIC_Rev_3_english_structure.txt',
      },
      {
        mirrorPath: 'classifications/un-correlation-tables/ISIC_Rev_4_english_structure.txt',
        url: 'https://unstats.un.org/unsd/classifications/Econ/Download/In%20Text/ISIC_Rev_4_english_structure.txt',
      },
    ],
    async load(store, paths, datasetId) {
      let n =
        (await loadWits(store, paths[0], 'ISIC2', datasetId)) + (await loadWits(store, paths[1], 'ISIC3', datasetId));
      for (const [path, cls] of [
        [paths[2], 'ISIC3'],
        [paths[3], 'ISIC4'],
      ] as const) {
        await store.run(`DELETE FROM products WHERE classification = $1`, [cls]);
        const text = readFileSync(path, 'utf-8');
        const rows: unknown[][] = [];
        for (const line of text.split(/\r?\n/).slice(1)) {
          const m = /^"?([A-Z0-9]+)"?[\s,]+"?(.*?)"?\s*$/.exec(line);
          if (m) rows.push([cls, m[1], /^[A-Z]$/.test(m[1]) ? 1 : m[1].length, m[2], null, null, datasetId]);
        }
        n += await bulkInsert(
          store,
          'products',
          ['classification', 'code', 'level', 'description', 'parent', 'section', 'dataset_id'].map((name, i) => ({
            name,
            type: i === 2 ? 'TINYINT' : i === 6 ? 'INTEGER' : 'VARCHAR',
          })),
          rows,
        );
      }
      return n;
    },
  },
  {
    name: 'census-atp',
    optional: true,
    description: `US Advanced Technology Products: the HTS10 codes of the ${ATP_EDITION} Census import concordance with their ATP group, and for each HS6 subheading the share of its HTS10 lines in each group`,
    publisher:
      'US Census Bureau, Foreign Trade Division: IMP-CODE.TXT (HITECH field) in the Schedule B download sbsdf.zip',
    files: [
      {
        mirrorPath: 'census-atp/imp-code.txt',
        url: `https://www.census.gov/foreign-trade/schedules/b/${ATP_EDITION}/sbsdf.zip`,
      },
    ],
    async load(store, [path], datasetId) {
      const lines = parseImportConcordance(await readImportConcordance(path), path);
      const hs = htsVintageForYear(ATP_EDITION);
      await store.run(
        `DELETE FROM concordances WHERE to_classification = 'ATP' AND (from_classification = 'HTS10' OR relationship = 'line-share')`,
      );
      // HS6 line shares: of the subheading's HTS10 lines, the fraction in each ATP group.
      return insertConcordance(store, atpRows(lines, 'HTS10', hs, 'line-share', datasetId));
    },
  },
  {
    name: 'census-atp-exports',
    optional: true,
    description: `US Advanced Technology Products on the export side: the Schedule B codes of the ${ATP_EXPORT_EDITION} Census export concordance with their ATP group, and for each HS6 subheading the share of its Schedule B lines in each group (used for ATP groups when the import concordance is not installed)`,
    publisher:
      'US Census Bureau, Foreign Trade Division: EXP-CODE.TXT (HITECH field) in the Schedule B download sbsdf.zip',
    files: [
      {
        mirrorPath: `census-atp-scheduleb-${ATP_EXPORT_EDITION}/hs-10d-${ATP_EXPORT_EDITION}-exp-code.txt.gz`,
        url: `https://www.census.gov/foreign-trade/schedules/b/${ATP_EXPORT_EDITION}/sbsdf.zip`,
      },
    ],
    async load(store, [path], datasetId) {
      const lines = parseImportConcordance(await readImportConcordance(path, 'exp-code'), path, 'EXP-CODE.TXT');
      const hs = htsVintageForYear(ATP_EXPORT_EDITION);
      await store.run(
        `DELETE FROM concordances WHERE to_classification = 'ATP' AND (from_classification = 'SCHB10' OR relationship = 'export-line-share')`,
      );
      return insertConcordance(store, atpRows(lines, 'SCHB10', hs, 'export-line-share', datasetId));
    },
  },
];

async function loadWits(store: Store, path: string, to: string, datasetId: number): Promise<number> {
  // WITS concordance files are Windows-1252 text: read them through a UTF-8 copy.
  const file = await prepareInputFile(path, { encoding: 'windows-1252' });
  try {
    await store.run(`DELETE FROM concordances WHERE from_classification = 'HS' AND to_classification = $1`, [to]);
    await store.run(
      `INSERT INTO concordances SELECT 'HS', lpad(regexp_replace(c0, '[^0-9]', '', 'g'), 6, '0'), $1, trim(c2), 'wits', 1, $2
       FROM read_csv(${sqlString(file.readable)}, header = true, all_varchar = true, columns = {'c0': 'VARCHAR', 'c1': 'VARCHAR', 'c2': 'VARCHAR', 'c3': 'VARCHAR'})`,
      [to, datasetId],
    );
  } finally {
    file.cleanup();
  }
  const n = await store.one(`SELECT count(*) AS n FROM concordances WHERE dataset_id = $1 AND to_classification = $2`, [
    datasetId,
    to,
  ]);
  return Number(n?.n ?? 0);
}

/** Returns the packs by name (all when `names` is empty, the optional ones included); throws for an unknown name. */
export function selectPacks(names: string[]): ReferencePack[] {
  if (names.length === 0) return PACKS;
  return names.map((n) => {
    const p = PACKS.find((x) => x.name === n);
    if (!p) throw new Error(`unknown reference pack '${n}' (packs: ${PACKS.map((x) => x.name).join(', ')})`);
    return p;
  });
}

export interface PackResult {
  pack: string;
  rows: number;
  origin: string;
  skipped?: boolean;
  /** Why an optional pack was left out (its files are not in the mirror). */
  absent?: string;
}

/**
 * Installs reference packs from a mirror folder (same layout as the publishers'
 * files) or from their official URLs (through the download core), each in one transaction recorded as a
 * dataset; returns what was installed. An optional pack whose files are not in the
 * mirror is left out (said in its result) unless it was `named`.
 */
export async function installPacks(
  store: Store,
  packs: ReferencePack[],
  from?: string,
  fetchOptions: DownloadOptions = {},
  named = false,
): Promise<PackResult[]> {
  const results: PackResult[] = [];
  for (const pack of packs) {
    if (from && pack.optional && !named) {
      const gone = pack.files.map((f) => join(from, f.mirrorPath)).find((p) => !existsSync(p));
      if (gone) {
        results.push({
          pack: pack.name,
          rows: 0,
          origin: from,
          skipped: true,
          absent: `${gone} is not in the mirror (optional: decouple setup --pack ${pack.name})`,
        });
        continue;
      }
    }
    const tmp = makeTempDir('pack');
    try {
      const paths: string[] = [];
      for (const f of pack.files) {
        if (from) {
          const p = join(from, f.mirrorPath);
          if (!existsSync(p))
            throw new Error(`reference pack '${pack.name}': ${p} is missing from the mirror folder ${from}`);
          paths.push(p);
        } else {
          // Official address: retried, resumable and cached (or a host/path mirror, --mirror / $DECOUPLE_MIRROR).
          const got = await download(f.url, fetchOptions).catch((err: Error) => {
            throw new Error(
              `${err.message.split('\n')[0]}; without a network, install from a local mirror: decouple setup --from DIR`,
            );
          });
          const dest = join(tmp, basename(f.mirrorPath));
          copyFileSync(got.path, dest);
          paths.push(dest);
        }
      }
      // The shipped code systems shape what a pack loads, so they count in its version.
      const hashes = await Promise.all([...paths, shippedDataPath('country-code-systems.yaml')].map(sha256File));
      const sha = hashes.join(':');
      const previous = await store.one(
        `SELECT d.sha256 FROM reference_packs p JOIN datasets d USING (dataset_id) WHERE p.pack = $1`,
        [pack.name],
      );
      if (previous && previous.sha256 === sha) {
        results.push({ pack: pack.name, rows: 0, origin: from ?? 'official', skipped: true });
        continue;
      }
      const rows = await store.transaction(async () => {
        const id = await registerDataset(store, {
          source: `pack:${pack.name}`,
          kind: 'reference',
          file_name: pack.files.map((f) => basename(f.mirrorPath)).join('; '),
          file_path: from ? paths.join('; ') : null,
          url: pack.files.map((f) => f.url).join(' '),
          sha256: sha,
          notes: `${pack.description}. Publisher: ${pack.publisher}`,
        });
        const n = await pack.load(store, paths, id);
        await finishDataset(store, id, 'other', n);
        await store.run(`INSERT OR REPLACE INTO reference_packs (pack, dataset_id) VALUES ($1, $2)`, [pack.name, id]);
        return n;
      });
      results.push({ pack: pack.name, rows, origin: from ?? 'official' });
    } finally {
      removeTempDir(tmp);
    }
  }
  return results;
}

/** Returns install results as table rows: pack, status, rows, origin. */
export function packResultRows(results: PackResult[]): Array<Record<string, string | number>> {
  return results.map((r) => ({
    pack: r.pack,
    status: r.absent ?? (r.skipped ? 'already installed (same files)' : 'installed'),
    rows: r.rows,
    origin: r.origin,
  }));
}

/** Returns the names of installed packs. */
export async function installedPacks(store: Store): Promise<string[]> {
  return (await store.all('SELECT pack FROM reference_packs ORDER BY pack')).map((r) => String(r.pack));
}

/** Throws a clear error naming the command to run when a pack is missing. */
export async function requirePack(store: Store, pack: string, forWhat: string): Promise<void> {
  const row = await store.one('SELECT 1 AS x FROM reference_packs WHERE pack = $1', [pack]);
  if (!row) {
    throw new Error(
      `${forWhat} needs the '${pack}' reference pack, which is not installed: run \`decouple setup\` (or \`decouple setup --from DIR\` with a local mirror)`,
    );
  }
}
