import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../store/store.js';
import { bulkInsert, columnSpec } from '../store/bulkInsert.js';
import { lineExpr, splitCsvLine, stageCsv } from '../files/csvStage.js';
import { assertJsonDepth } from '../files/jsonDepth.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';
import { firstLine } from '../files/inputFile.js';
import { InvalidInputError } from '../core/index.js';

/**
 * The US Consolidated Screening List (International Trade Administration,
 * https://developer.trade.gov/, bulk files at
 * https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv and .json):
 * one snapshot per file. CSV columns as published (`_id`, `source`,
 * `entity_number`, `type`, `programs`, `name`, `addresses`,
 * `federal_register_notice`, `start_date`, …; addresses end with the ISO
 * alpha-2 country and are separated by `;`); JSON as the API's search
 * response or the bulk file (`results`: objects with `id`, `source`, `name`,
 * `addresses: [{country}]`, `start_date`, …). Each entry is stored once per
 * country of address, with its list (EL, SDN, UVL, MEU, DPL, …).
 */
export interface ScreeningImportOptions extends ImportOptions {
  /** The snapshot date (YYYY-MM-DD); default: a date in the file name. */
  snapshot?: string;
}

interface Entry {
  where: number;
  id: string;
  source: string;
  name: string;
  type: string | null;
  countries: string[];
  start: string | null;
  notice: string | null;
  programs: string | null;
}

/** Returns the list code in a CSL source label ("Entity List (EL) - Bureau of Industry and Security" → EL). */
export function listCode(source: string): string {
  const m = /\(([A-Z0-9-]+)\)/.exec(source);
  return m ? m[1] : source.trim();
}

function snapshotDate(file: string, given?: string): string {
  if (given) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given))
      throw new InvalidInputError(`--snapshot takes a date as YYYY-MM-DD, not '${given}'`);
    return given;
  }
  const m = /(\d{4})-?(\d{2})-?(\d{2})/.exec(basename(file));
  if (!m)
    throw new ImportError(
      file,
      'the file name carries no date: say when the snapshot was taken with --snapshot YYYY-MM-DD',
    );
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = Array.isArray(v) ? v.join('; ') : String(v);
  return s.trim() === '' ? null : s.trim();
}

async function csvEntries(ctx: LoadContext): Promise<Entry[]> {
  const header = splitCsvLine(await firstLine(ctx.file));
  await stageCsv(
    ctx.store,
    ctx.file,
    { columns: header.map((h) => ({ name: h, type: 'VARCHAR' as const, optional: true })) },
    'csl_stage',
  );
  for (const need of ['source', 'name']) {
    if (!header.includes(need))
      throw new ImportError(ctx.file.original, `not a Consolidated Screening List CSV: no '${need}' column`, 1, need);
  }
  const rows = await ctx.store.all(`SELECT *, ${lineExpr('csl_stage')} AS _line FROM csl_stage ORDER BY _line`);
  return rows.map((r) => ({
    where: Number(r._line),
    id: text(r._id) ?? text(r.id) ?? `${r.source}|${r.entity_number ?? ''}|${r.name}`,
    source: String(r.source ?? ''),
    name: String(r.name ?? ''),
    type: text(r.type),
    countries: String(r.addresses ?? '')
      .split(';')
      .map((a) => a.trim().split(',').pop()?.trim() ?? '')
      .filter((c) => c !== ''),
    start: text(r.start_date),
    notice: text(r.federal_register_notice),
    programs: text(r.programs),
  }));
}

async function jsonEntries(ctx: LoadContext): Promise<Entry[]> {
  await assertJsonDepth(ctx.file);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(ctx.file.readable, 'utf-8'));
  } catch (err) {
    throw new ImportError(ctx.file.original, `not valid JSON: ${(err as Error).message}`);
  }
  const results = Array.isArray(doc) ? doc : (doc as { results?: unknown }).results;
  if (!Array.isArray(results))
    throw new ImportError(ctx.file.original, "not a Consolidated Screening List response: no 'results' array");
  return results.map((r: Record<string, unknown>, i) => ({
    where: i + 1,
    id: text(r.id) ?? text(r._id) ?? `${r.source}|${r.entity_number ?? ''}|${r.name}`,
    source: String(r.source ?? ''),
    name: String(r.name ?? ''),
    type: text(r.type),
    countries: (Array.isArray(r.addresses) ? r.addresses : [])
      .map((a: Record<string, unknown>) => String(a?.country ?? '').trim())
      .filter((c) => c !== ''),
    start: text(r.start_date),
    notice: text(r.federal_register_notice),
    programs: text(r.programs),
  }));
}

/** Imports screening-list snapshots (CSV or JSON); returns one outcome per file. */
export async function importScreeningList(
  store: Store,
  files: string[],
  options: ScreeningImportOptions,
): Promise<ImportOutcome[]> {
  const iso2 = new Map(
    (await store.all(`SELECT iso2, iso3 FROM countries WHERE iso2 IS NOT NULL`)).map((r) => [
      String(r.iso2),
      String(r.iso3),
    ]),
  );
  if (iso2.size === 0)
    throw new Error('the country pack with ISO alpha-2 codes is not installed: run decouple setup (again)');
  for (const [code, target] of options.userMap) iso2.set(code, target);
  return runImport(store, {
    source: 'screening-list',
    kind: 'screening',
    files,
    encoding: options.encoding,
    async load(ctx) {
      const snapshot = snapshotDate(ctx.file.original, options.snapshot);
      await ctx.setVintage(`snapshot ${snapshot}`);
      const isJson = /\.json(\.gz)?$/i.test(ctx.file.original);
      const entries = isJson ? await jsonEntries(ctx) : await csvEntries(ctx);
      const at = (e: Entry) => (isJson ? `entry ${e.where} of 'results'` : undefined);
      const rows: unknown[][] = [];
      for (const e of entries) {
        const fail = (field: string, reason: string): never => {
          throw new ImportError(
            ctx.file.original,
            at(e) ? `${at(e)}: ${reason}` : reason,
            isJson ? undefined : e.where,
            field,
          );
        };
        if (!e.source.trim()) fail('source', 'the list (source) is missing');
        if (!e.name.trim()) fail('name', 'the name is missing');
        if (e.start && !/^\d{4}-\d{2}-\d{2}$/.test(e.start))
          fail('start_date', `'${e.start}' is not a date (YYYY-MM-DD)`);
        const countries = [...new Set(e.countries)];
        for (const c of countries)
          if (!iso2.has(c))
            fail('addresses', `unknown country code '${c}'; if it is right, map it with --map-country '${c}=ISO3'`);
        for (const c of countries.length ? countries : [null]) {
          rows.push([
            ctx.datasetId,
            snapshot,
            listCode(e.source),
            e.source,
            e.id,
            e.name,
            e.type,
            c ? iso2.get(c) : null,
            e.start,
            e.notice,
            e.programs,
          ]);
        }
      }
      if (rows.length === 0) throw new ImportError(ctx.file.original, 'the file holds no entries');
      await bulkInsert(
        store,
        'screening_entries',
        columnSpec([
          'dataset_id:INTEGER',
          'snapshot:DATE',
          'list',
          'source',
          'entry_id',
          'name',
          'entity_type',
          'country',
          'start_date:DATE',
          'federal_register_notice',
          'programs',
        ]),
        rows,
      );
      const noCountry = entries.filter((e) => e.countries.length === 0).length;
      if (noCountry) ctx.notes.push(`${noCountry} entries have no address country`);
    },
  });
}
