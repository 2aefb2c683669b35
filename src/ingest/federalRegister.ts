import { readFileSync } from 'node:fs';
import type { Store } from '../store/store.js';
import { bulkInsert, columnSpec } from '../store/bulkInsert.js';
import { assertJsonDepth } from '../files/jsonDepth.js';
import { ImportError } from '../files/importError.js';
import { runImport, type ImportOptions, type ImportOutcome } from './importRun.js';

/** Whether a text is a date that exists in the calendar, written YYYY-MM-DD (2020-13-45 is not). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Federal Register document metadata from its public API
 * (https://www.federalregister.gov/developers/documentation/api/v1, e.g.
 * /api/v1/documents.json?conditions[term]=entity+list): each file is one page
 * of a search response, `{count, results: [{document_number, publication_date,
 * type, title, abstract, html_url, agencies: [{name, raw_name}]}]}`. A document
 * already in the store (pages that overlap) is kept once and reported.
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
