import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../util/tempFiles.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { Store } from '../store/store.js';
import {
  csvScan,
  lineExpr,
  splitCsvLine,
  sqlString,
  stageCsv,
  takeFirstReject,
  type CsvLayout,
} from '../files/csvStage.js';
import { insertBaciFast } from './baciFastPath.js';
import { FIRST_FLOW_YEAR, loadFlows } from './flowLoad.js';
import { hsVintage } from '../reference/hsVintages.js';
import { ImportError } from '../files/importError.js';
import { HS6_NOMENCLATURE_SQL, hs6Reason, unlistedProductsNote } from './hsCodes.js';
import { runImport, type ImportOptions, type ImportOutcome } from './importRun.js';
import { extractZipMember, zipMembers } from '../files/inputFile.js';

/**
 * CEPII BACI: yearly CSV files `BACI_HS17_Y2019_V202501.csv` with columns
 * t (year), i (exporter), j (importer), k (HS6 product), v (value, thousand
 * US$), q (quantity, metric tons), and `country_codes_V202501.csv` beside them.
 * Documentation: CEPII, "BACI: International Trade Database at the Product-Level",
 * http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37
 */
const BACI_FILE = /^BACI_(HS\d{2})_Y(\d{4})_(V\d{6}[a-z]?)\.csv$/i;

export interface BaciOptions extends ImportOptions {
  hs?: string;
  release?: string;
  countryCodes?: string;
  /** Only the yearly files of these years (from archives). */
  years?: [number, number];
}

function countryCodesBeside(file: string): string | undefined {
  const dir = dirname(file);
  const candidates = readdirSync(dir)
    .filter((n) => /^country_codes_V\d+.*\.csv$/i.test(n))
    .sort();
  return candidates.length ? join(dir, candidates[candidates.length - 1]) : undefined;
}

/**
 * Expands BACI zip archives into their yearly CSVs (and country codes) in a temp folder; returns the files and a
 * cleanup.
 */
async function expandArchives(
  files: string[],
  years?: [number, number],
): Promise<{ files: string[]; origins: Map<string, string>; cleanup: () => void; countryCodes?: string }> {
  const out: string[] = [];
  const origins = new Map<string, string>();
  const dirs: string[] = [];
  let countryCodes: string | undefined;
  for (const f of files) {
    if (!/\.zip$/i.test(f)) {
      out.push(f);
      continue;
    }
    const members = await zipMembers(f);
    const yearly = members.filter((m) => BACI_FILE.test(basename(m)));
    if (yearly.length === 0) {
      throw new ImportError(
        f,
        `the archive has no BACI yearly file (BACI_HSxx_Yyyyy_Vyyyymm.csv); it holds: ${members.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''}`,
      );
    }
    const dir = makeTempDir('baci');
    dirs.push(dir);
    const wanted = yearly.filter((m) => {
      const y = Number(BACI_FILE.exec(basename(m))![2]);
      return !years || (y >= years[0] && y <= years[1]);
    });
    if (wanted.length === 0)
      throw new ImportError(
        f,
        `the archive has no year in ${years![0]}-${years![1]} (it has ${yearly.map((m) => BACI_FILE.exec(basename(m))![2]).join(', ')})`,
      );
    for (const m of wanted) {
      const path = await extractZipMember(f, m, join(dir, basename(m)));
      out.push(path);
      // Provenance names the archive the user gave and the member, not the temporary copy.
      origins.set(path, `${resolve(f)}!${m}`);
    }
    const cc = members.find((m) => /country_codes_V\d+.*\.csv$/i.test(basename(m)));
    if (cc) countryCodes = await extractZipMember(f, cc, join(dir, basename(cc)));
  }
  return { files: out, origins, countryCodes, cleanup: () => dirs.forEach(removeTempDir) };
}

/**
 * Returns the user's country mappings completed with BACI's own country table
 * (when present), which settles codes ISO numeric does not; notes what it used.
 */
async function baciCountryMap(
  store: Store,
  cc: string | undefined,
  given: Map<string, string>,
  notes: string[],
): Promise<Map<string, string>> {
  const userMap = new Map(given);
  if (!cc || !existsSync(cc)) return userMap;
  // Releases since 2023 name the column country_iso3; older ones iso_3digit_alpha.
  const header = splitCsvLine(
    readFileSync(cc, 'utf-8')
      .split(/\r?\n/)[0]
      .replace(/^\ufeff/, ''),
  );
  const isoColumn = header.find((h) => /^(country_iso3|iso_3digit_alpha)$/i.test(h));
  if (!isoColumn || !header.includes('country_code')) {
    throw new ImportError(
      cc,
      `a BACI country table needs the columns country_code and country_iso3 (found: ${header.join(', ')})`,
      1,
    );
  }
  const rows = await store.all(
    `SELECT country_code AS code, "${isoColumn}" AS iso3 FROM read_csv(${sqlString(cc)}, header = true, all_varchar = true)`,
  );
  const known = new Set((await store.all('SELECT iso3 FROM countries')).map((r) => String(r.iso3)));
  let used = 0;
  for (const r of rows) {
    const code = String(r.code).replace(/^0+(?=\d)/, '');
    if (!userMap.has(code) && known.has(String(r.iso3))) {
      userMap.set(code, String(r.iso3));
      used++;
    }
  }
  notes.push(`country codes from ${basename(cc)} (${used} codes)`);
  return userMap;
}

/** BACI writes HS6 codes as integers, so chapters 01–09 lose their leading zero. */
const BACI_PRODUCT = `CASE WHEN length(trim(k)) = 5 THEN '0' || trim(k) ELSE trim(k) END`;

const BACI_LAYOUT: CsvLayout = {
  columns: [
    { name: 't', type: 'SMALLINT' },
    { name: 'i', type: 'INTEGER' },
    { name: 'j', type: 'INTEGER' },
    { name: 'k', type: 'VARCHAR' },
    { name: 'v', type: 'DOUBLE' },
    { name: 'q', type: 'DOUBLE' },
  ],
  nullstr: ['NA'],
  exact: true,
};

/** Imports BACI yearly files (CSV, gzip or zip); returns one outcome per yearly file. */
export async function importBaci(store: Store, files: string[], options: BaciOptions): Promise<ImportOutcome[]> {
  const expanded = await expandArchives(files, options.years);
  try {
    return await runImport(store, {
      source: 'baci',
      kind: 'flows',
      files: expanded.files,
      origin: (path) => expanded.origins.get(path),
      encoding: options.encoding,
      strict: options.strict,
      vintage: (path) => {
        const m = BACI_FILE.exec(basename(path).replace(/\.gz$/i, ''));
        const hs = options.hs ?? m?.[1];
        const release = options.release ?? m?.[3];
        return [release, hs && hsVintage(hs)].filter(Boolean).join(' ');
      },
      async load(ctx) {
        const name = basename(ctx.file.original).replace(/\.gz$/i, '');
        const m = BACI_FILE.exec(name);
        const vintage = hsVintage(options.hs ?? m?.[1] ?? '');
        if (!vintage) {
          throw new ImportError(
            ctx.file.original,
            `cannot tell the HS vintage from the file name; give it with --hs HS17 (HS92, HS96, HS02, HS07, HS12, HS17, HS22)`,
          );
        }
        const userMap = await baciCountryMap(
          ctx.store,
          options.countryCodes ?? expanded.countryCodes ?? countryCodesBeside(ctx.file.original),
          options.userMap,
          ctx.notes,
        );
        // BACI files hold millions of rows: insert in one pass and check afterwards; only a
        // file that fails a check is staged again, line by line, to name the first bad line.
        const scan = await csvScan(ctx.file, BACI_LAYOUT, 'baci_fast');
        const fileYear = m ? Number(m[2]) : undefined;
        const fast = await insertBaciFast(ctx, {
          scan: scan.sql,
          fileYear,
          vintage,
          userMap,
          label: `BACI ${name}`,
          readCleanly: async () => !(await takeFirstReject(ctx.store, scan)),
        });
        if (fast === undefined) {
          await stageCsv(ctx.store, ctx.file, BACI_LAYOUT, 'baci_stage');
          if (fileYear !== undefined) {
            const other = await ctx.store.one(
              `SELECT ${lineExpr('baci_stage')} AS line, t FROM baci_stage WHERE t <> $1 AND t BETWEEN $2 AND $3 ORDER BY line LIMIT 1`,
              [fileYear, FIRST_FLOW_YEAR, new Date().getUTCFullYear()],
            );
            if (other)
              throw new ImportError(
                ctx.file.original,
                `the year ${other.t ?? '(missing)'} is not the file's year ${fileYear} (from its name)`,
                Number(other.line),
                't',
              );
          }
          await ctx.store.run(`CREATE OR REPLACE TEMP VIEW baci_norm AS
            SELECT ${lineExpr('baci_stage')} AS line, t AS year, CAST(NULL AS TINYINT) AS month,
                   CAST(i AS VARCHAR) AS exporter_code, CAST(j AS VARCHAR) AS importer_code, 'reconciled' AS reporter_side,
                   ${sqlString(vintage)} AS classification, CAST(length(${BACI_PRODUCT}) AS TINYINT) AS product_level,
                   ${BACI_PRODUCT} AS product, v * 1000 AS value_usd, q AS quantity, 't' AS quantity_unit, 'FOB' AS valuation,
                   CAST(NULL AS DOUBLE) AS cif_usd, CAST(NULL AS DOUBLE) AS fob_usd, CAST(NULL AS DOUBLE) AS duty_usd, CAST(NULL AS VARCHAR) AS flag
            FROM baci_stage`);
          await loadFlows(ctx, {
            view: 'baci_norm',
            system: 'comtrade',
            userMap,
            fields: { year: 't', exporter: 'i', importer: 'j', product: 'k', value: 'v', quantity: 'q' },
            productRule: { sql: HS6_NOMENCLATURE_SQL('product'), reason: hs6Reason },
            label: `BACI ${name} (checking)`,
          });
          await ctx.store.run('DROP VIEW baci_norm; DROP TABLE baci_stage');
        }
        const unlisted = await unlistedProductsNote(ctx.store, ctx.datasetId, vintage);
        if (unlisted) ctx.notes.push(unlisted);
      },
    });
  } finally {
    expanded.cleanup();
  }
}
