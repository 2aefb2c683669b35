import { basename, resolve } from 'node:path';
import type { Store } from '../store/store.js';
import { finishDataset, findDatasetBySha, registerDataset } from '../store/provenance.js';
import { removeDatasets } from '../store/recovery.js';
import { prepareInputFile, type InputFile, type PrepareOptions } from '../files/inputFile.js';
import { throwIfInterrupted } from '../util/interrupt.js';
import { ImportError } from '../files/importError.js';
import { sweepStaleTempDirs } from '../util/tempFiles.js';

/** What one file's import did. */
export interface ImportOutcome {
  file: string;
  dataset_id: number;
  rows: number;
  status: 'imported' | 'already imported';
  notes: string[];
}

/** What the user says about an import, whatever the source. */
export interface ImportOptions {
  /** Source codes or names mapped to ISO3 by the user (--map-country). */
  userMap: Map<string, string>;
  /** Text encoding given with --encoding; detected when absent. */
  encoding?: string;
  /** Refuse identical repeated rows instead of storing them once (--strict). */
  strict?: boolean;
}

/** Handed to a source's loader for one file, inside the import transaction. */
export interface LoadContext {
  store: Store;
  file: InputFile;
  datasetId: number;
  notes: string[];
  /** Identical repeated rows are refused, not stored once. */
  strict: boolean;
  /** Sets the dataset's vintage (release, HS version, 'last updated'). */
  setVintage(vintage: string): Promise<void>;
}

/**
 * Throws an ImportError naming the file, the line and the field for the first row a check query finds (the query
 * selects `line` and whatever the reason needs, ordered by line, limit 1); returns nothing when it finds none.
 */
export async function refuseFirstRow(
  ctx: LoadContext,
  sql: string,
  field: string,
  reason: (row: Record<string, unknown>) => string,
): Promise<void> {
  const row = await ctx.store.one(sql);
  if (row) throw new ImportError(ctx.file.original, reason(row), Number(row.line), field);
}

export interface ImportSpec {
  source: string;
  kind: 'flows' | 'series' | 'tariffs' | 'screening' | 'documents';
  files: string[];
  prepare?: (path: string) => PrepareOptions;
  encoding?: string;
  strict?: boolean;
  vintage?: (path: string) => string | undefined;
  /** Where a file came from when it is a temporary copy (an archive member): `ARCHIVE!MEMBER`, recorded as its path. */
  origin?: (path: string) => string | undefined;
  load(ctx: LoadContext): Promise<void>;
}

/** Returns a hash of a dataset's stored rows that does not depend on their order, their file's bytes or compression. */
async function contentHash(store: Store, datasetId: number, kind: ImportSpec['kind']): Promise<string> {
  const tables = CONTENT_TABLES[kind];
  const parts: string[] = [];
  for (const t of tables) {
    const r = await store.one(
      `SELECT CAST(coalesce(sum(hash(x)), 0) AS VARCHAR) AS h, count(*) AS n FROM (SELECT * EXCLUDE (dataset_id) FROM ${t} WHERE dataset_id = $1) x`,
      [datasetId],
    );
    parts.push(`${t}:${r?.n}:${r?.h}`);
  }
  return parts.join('|');
}

/** The tables whose rows make up a dataset's content, by kind. */
const CONTENT_TABLES: Record<ImportSpec['kind'], string[]> = {
  flows: ['flow_records', 'reconciled_hs6_flows'],
  series: ['series'],
  tariffs: ['tariff_lines', 'tariff_exclusions', 'mfn_rates'],
  screening: ['screening_entries'],
  documents: ['fr_documents'],
};

/**
 * Imports files of one source in two steps, so that no kill can leave rows
 * without their dataset: first each new file's dataset is recorded in state
 * `loading` (its own short commit); then every file's rows, their provenance
 * and the state `complete` commit together. On any error or interruption the
 * second step rolls back and the loading datasets are removed again; if the
 * process dies before that, the next open of the store removes them
 * (`recoverStore`). A file whose bytes, or whose parsed rows in other bytes
 * (gzipped, other line endings, other row order), were already imported by the
 * same importer adds nothing and is reported as such. Returns one outcome per file.
 */
export async function runImport(store: Store, spec: ImportSpec): Promise<ImportOutcome[]> {
  const prepared: InputFile[] = [];
  const registered: Array<{ file: InputFile; datasetId: number }> = [];
  sweepStaleTempDirs();
  try {
    for (const f of spec.files) {
      throwIfInterrupted();
      prepared.push(await prepareInputFile(f, { encoding: spec.encoding, ...(spec.prepare?.(f) ?? {}) }));
    }
    throwIfInterrupted();
    const outcomes = new Map<InputFile, ImportOutcome>();
    // Step 1: which files are new, and a `loading` dataset for each of them.
    await store.transaction(async () => {
      const seen = new Set<string>();
      for (const file of prepared) {
        // Only a file of the same size can have the same bytes. When no earlier dataset of this source
        // (and no other file given) has this size, the file is hashed while it is loaded, not before.
        const sameSize = await store.one(
          `SELECT count(*) AS n FROM datasets WHERE source = $1 AND (bytes = $2 OR bytes IS NULL)`,
          [spec.source, file.bytes],
        );
        if (Number(sameSize?.n) > 0 || prepared.some((p) => p !== file && p.bytes === file.bytes)) {
          const sha = await file.sha256();
          const previous = await findDatasetBySha(store, spec.source, sha);
          if (previous || seen.has(sha)) {
            outcomes.set(file, {
              file: file.original,
              dataset_id: previous?.dataset_id ?? -1,
              rows: 0,
              status: 'already imported',
              notes: [
                previous
                  ? `same content as dataset ${previous.dataset_id} (${previous.file_name}, imported ${previous.imported_at}); nothing added`
                  : 'given twice; imported once',
              ],
            });
            continue;
          }
          seen.add(sha);
        }
        const datasetId = await registerDataset(store, {
          source: spec.source,
          kind: spec.kind,
          vintage: spec.vintage?.(file.original) ?? null,
          file_name: basename(file.original),
          file_path: spec.origin?.(file.original) ?? resolve(file.original),
          sha256: '', // filled in below, once the hash is known
          bytes: file.bytes,
          encoding: file.encoding,
          status: 'loading',
        });
        registered.push({ file, datasetId });
      }
    });
    // Step 2: the rows, their provenance and the state `complete`, in one commit.
    await store.transaction(async () => {
      const hashes = new Map<string, number>();
      for (const { file, datasetId } of registered) {
        throwIfInterrupted();
        const hashing = file.sha256();
        hashing.catch(() => undefined); // awaited below; a failed load must not leave it unhandled
        const notes: string[] = [];
        if (file.encoding !== 'utf-8' && file.encoding !== 'binary')
          notes.push(`read as ${file.encoding}${spec.encoding ? ' (given)' : ' (detected)'}`);
        await spec.load({
          store,
          file,
          datasetId,
          notes,
          strict: spec.strict ?? false,
          setVintage: (v) => store.run('UPDATE datasets SET vintage = $2 WHERE dataset_id = $1', [datasetId, v]),
        });
        throwIfInterrupted();
        const sha = await hashing;
        const content = await contentHash(store, datasetId, spec.kind);
        const sameRows =
          (await store.one(
            `SELECT dataset_id, file_name FROM datasets WHERE source = $1 AND content_hash = $2 AND status = 'complete' AND dataset_id <> $3 LIMIT 1`,
            [spec.source, content, datasetId],
          )) ??
          (hashes.has(content) ? { dataset_id: hashes.get(content), file_name: 'a file given before it' } : undefined);
        if (sameRows) {
          await removeDatasets(store, [datasetId]);
          outcomes.set(file, {
            file: file.original,
            dataset_id: Number(sameRows.dataset_id),
            rows: 0,
            status: 'already imported',
            notes: [
              `the same rows as dataset ${sameRows.dataset_id} (${sameRows.file_name}) in other bytes (compression, line endings or row order); nothing added`,
            ],
          });
          continue;
        }
        hashes.set(content, datasetId);
        await store.run(
          `UPDATE datasets SET sha256 = $2, content_hash = $3, status = 'complete' WHERE dataset_id = $1`,
          [datasetId, sha, content],
        );
        const rows = await finishDataset(store, datasetId, spec.kind);
        if (notes.length)
          await store.run('UPDATE datasets SET notes = $2 WHERE dataset_id = $1', [datasetId, notes.join('; ')]);
        outcomes.set(file, { file: file.original, dataset_id: datasetId, rows, status: 'imported', notes });
      }
    });
    registered.length = 0;
    return prepared.map((p) => outcomes.get(p)!);
  } finally {
    if (registered.length) {
      // Step 2 failed or was stopped: remove the loading datasets (if this is cut short too, the next open does it).
      await store
        .transaction(
          () =>
            removeDatasets(
              store,
              registered.map((r) => r.datasetId),
            ),
          { honourInterrupt: false },
        )
        .catch(() => undefined);
    }
    prepared.forEach((p) => p.cleanup());
  }
}
