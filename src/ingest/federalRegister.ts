import { readFileSync } from 'node:fs';
import type { Store } from '../store/store.js';
import { bulkInsert, columnSpec } from '../store/bulkInsert.js';
import { assertJsonDepth } from '../files/jsonDepth.js';
import { ImportError } from '../files/importError.js';
import { lineExpr, stageCsv } from '../files/csvStage.js';
import { runImport, type ImportOptions, type ImportOutcome, type LoadContext } from './importRun.js';

/** Whether a text is a date that exists in the calendar, written YYYY-MM-DD (2020-13-45 is not). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The columns of a table of Federal Register documents with the entities each adds (a CSV). */
const DOCUMENT_TABLE = {
  columns: [
    { name: 'publication_date', type: 'VARCHAR' as const },
    { name: 'fr_document_number', type: 'VARCHAR' as const },
    { name: 'title', type: 'VARCHAR' as const },
    { name: 'abstract', type: 'VARCHAR' as const, optional: true },
    { name: 'federalregister_url', type: 'VARCHAR' as const, optional: true },
    { name: 'parsed_entities_added_total', type: 'VARCHAR' as const, optional: true },
    { name: 'parsed_entities_added_china', type: 'VARCHAR' as const, optional: true },
    { name: 'china_parse_rule', type: 'VARCHAR' as const, optional: true },
  ],
};

/**
 * Loads a CSV of Federal Register documents (`publication_date, fr_document_number, title, abstract,
 * federalregister_url`, and, where the file's publisher counted them from the abstract,
 * `parsed_entities_added_total, parsed_entities_added_china, china_parse_rule`), as
 * federal-register-entity-list-documents gives them; documents already in the store are kept once.
 */
async function loadDocumentTable(ctx: LoadContext): Promise<void> {
  const { store } = ctx;
  const header = (await stageCsv(store, ctx.file, DOCUMENT_TABLE, 'fr_stage')).map((h) => h.toLowerCase());
  const col = (name: string) => (header.includes(name) ? name : 'NULL');
  await store.run(`CREATE OR REPLACE TEMP TABLE fr_norm AS
    SELECT ${lineExpr('fr_stage')} AS line, trim(fr_document_number) AS num, trim(publication_date) AS date_text,
           trim(title) AS title, ${col('abstract')} AS abstract, ${col('federalregister_url')} AS url,
           trim(${col('parsed_entities_added_total')}) AS total_text, trim(${col('parsed_entities_added_china')}) AS chn_text,
           nullif(trim(${col('china_parse_rule')}), '') AS rule
    FROM fr_stage`);
  const bad = async (where: string) =>
    store.one(`SELECT line, num, date_text, total_text, chn_text FROM fr_norm WHERE ${where} ORDER BY line LIMIT 1`);
  const check = async (where: string, field: string, reason: (r: Record<string, unknown>) => string) => {
    const r = await bad(where);
    if (r) throw new ImportError(ctx.file.original, reason(r), Number(r.line), field);
  };
  await check(`coalesce(num, '') = ''`, 'fr_document_number', () => 'the document number is missing');
  await check(
    `TRY_CAST(date_text AS DATE) IS NULL OR strftime(TRY_CAST(date_text AS DATE), '%Y-%m-%d') <> date_text`,
    'publication_date',
    (r) => `'${r.date_text ?? ''}' is not a publication date (YYYY-MM-DD)`,
  );
  await check(`coalesce(title, '') = ''`, 'title', (r) => `document ${r.num}: the title is missing`);
  for (const [c, field] of [
    ['total_text', 'parsed_entities_added_total'],
    ['chn_text', 'parsed_entities_added_china'],
  ] as const)
    await check(
      `coalesce(${c}, '') <> '' AND NOT regexp_full_match(${c}, '[0-9]{1,6}')`,
      field,
      (r) => `document ${r.num}: '${r[c]}' is not a count of entities (a whole number, or empty)`,
    );
  await check(
    `coalesce(chn_text, '') <> '' AND coalesce(total_text, '') <> '' AND CAST(chn_text AS INTEGER) > CAST(total_text AS INTEGER)`,
    'parsed_entities_added_china',
    (r) => `document ${r.num}: ${r.chn_text} entities in China of ${r.total_text} added in all`,
  );
  const repeats = await store.one(
    `SELECT count(*) - count(DISTINCT num) AS within,
            count(DISTINCT num) FILTER (WHERE num IN (SELECT document_number FROM fr_documents)) AS known FROM fr_norm`,
  );
  if (Number(repeats?.within)) ctx.notes.push(`${repeats?.within} repeated documents in the file kept once`);
  if (Number(repeats?.known)) ctx.notes.push(`${repeats?.known} documents already in the store kept once`);
  await store.run(
    `INSERT INTO fr_documents (dataset_id, document_number, publication_date, doc_type, title, agencies, html_url, abstract,
                               entities_added, entities_added_chn, entity_count_basis)
     SELECT ${ctx.datasetId}, num, CAST(date_text AS DATE), NULL, title, NULL, url, abstract,
            CAST(nullif(total_text, '') AS INTEGER), CAST(nullif(chn_text, '') AS INTEGER),
            CASE WHEN coalesce(total_text, '') <> '' OR coalesce(chn_text, '') <> ''
                 THEN 'counted from the abstract by the file' || coalesce('; China: ' || rule, '') END
     FROM fr_norm WHERE num NOT IN (SELECT document_number FROM fr_documents)
     QUALIFY row_number() OVER (PARTITION BY num ORDER BY line) = 1`,
  );
  const counted = await store.one(
    `SELECT count(*) FILTER (WHERE entities_added IS NOT NULL) AS n, count(*) AS docs FROM fr_documents WHERE dataset_id = ${ctx.datasetId}`,
  );
  ctx.notes.push(`${counted?.docs} documents, ${counted?.n} with a count of the entities they add (from the abstract)`);
  await store.run(`DROP TABLE fr_norm; DROP TABLE fr_stage`);
}

/**
 * Federal Register document metadata from its public API
 * (https://www.federalregister.gov/developers/documentation/api/v1, e.g.
 * /api/v1/documents.json?conditions[term]=entity+list): each file is one page
 * of a search response, `{count, results: [{document_number, publication_date,
 * type, title, abstract, html_url, agencies: [{name, raw_name}]}]}`. A document
 * already in the store (pages that overlap) is kept once and reported. A CSV
 * file is read as a table of documents (see `loadDocumentTable`).
 */
export async function importFederalRegister(
  store: Store,
  files: string[],
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  return runImport(store, {
    source: 'federal-register',
    kind: 'documents',
    files,
    encoding: options.encoding,
    async load(ctx) {
      if (/\.csv(\.gz)?$/i.test(ctx.file.original)) return loadDocumentTable(ctx);
      await assertJsonDepth(ctx.file);
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(ctx.file.readable, 'utf-8'));
      } catch (err) {
        throw new ImportError(ctx.file.original, `not valid JSON: ${(err as Error).message}`);
      }
      const results = (doc as { results?: unknown }).results;
      if (!Array.isArray(results))
        throw new ImportError(ctx.file.original, "not a Federal Register API response: no 'results' array");
      const known = new Set(
        (await store.all(`SELECT document_number FROM fr_documents`)).map((r) => String(r.document_number)),
      );
      const rows: unknown[][] = [];
      let repeated = 0;
      results.forEach((r: Record<string, unknown>, i) => {
        const where = `result ${i + 1}`;
        const num = typeof r.document_number === 'string' ? r.document_number.trim() : '';
        if (!num)
          throw new ImportError(
            ctx.file.original,
            `${where}: document_number is missing`,
            undefined,
            'document_number',
          );
        const date = String(r.publication_date ?? '');
        if (!isCalendarDate(date))
          throw new ImportError(
            ctx.file.original,
            `${where} (${num}): '${date}' is not a publication date (YYYY-MM-DD)`,
            undefined,
            'publication_date',
          );
        if (typeof r.title !== 'string' || !r.title.trim())
          throw new ImportError(ctx.file.original, `${where} (${num}): the title is missing`, undefined, 'title');
        if (known.has(num)) {
          repeated++;
          return;
        }
        known.add(num);
        const agencies = Array.isArray(r.agencies)
          ? r.agencies
              .map((a: Record<string, unknown>) => String(a?.name ?? a?.raw_name ?? ''))
              .filter(Boolean)
              .join('; ')
          : null;
        const text = (field: string): string | null => {
          const v = r[field];
          if (v === undefined || v === null) return null;
          if (typeof v !== 'string')
            throw new ImportError(
              ctx.file.original,
              `${where} (${num}): ${field} is ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}, not text`,
              undefined,
              field,
            );
          return v;
        };
        rows.push([
          ctx.datasetId,
          num,
          date,
          text('type'),
          r.title.trim(),
          agencies,
          text('html_url'),
          text('abstract'),
        ]);
      });
      if (repeated) ctx.notes.push(`${repeated} documents already in the store kept once`);
      await bulkInsert(
        store,
        'fr_documents',
        columnSpec([
          'dataset_id:INTEGER',
          'document_number',
          'publication_date:DATE',
          'doc_type',
          'title',
          'agencies',
          'html_url',
          'abstract',
        ]),
        rows,
      );
    },
  });
}
