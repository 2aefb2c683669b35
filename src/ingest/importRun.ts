import { basename, resolve } from 'node:path';
import type { Store } from '../store/store.js';
import { finishDataset, findDatasetBySha, registerDataset } from '../store/provenance.js';
import { prepareInputFile, type InputFile, type PrepareOptions } from './inputFile.js';

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

export interface ImportSpec {
  source: string;
  kind: 'flows' | 'series' | 'tariffs' | 'screening' | 'documents';
  files: string[];
  prepare?: (path: string) => PrepareOptions;
  encoding?: string;
  strict?: boolean;
  vintage?: (path: string) => string | undefined;
  load(ctx: LoadContext): Promise<void>;
}

/**
 * Imports files of one source, all in one transaction: either every file is
 * stored with its provenance, or (on any error or interruption) nothing is.
 * A file whose bytes were already imported by the same importer is skipped
 * and reported as such. Returns one outcome per file.
 */
export async function runImport(store: Store, spec: ImportSpec): Promise<ImportOutcome[]> {
  const prepared: InputFile[] = [];
  try {
    for (const f of spec.files) {
      prepared.push(await prepareInputFile(f, { encoding: spec.encoding, ...(spec.prepare?.(f) ?? {}) }));
    }
    return await store.transaction(async () => {
      const outcomes: ImportOutcome[] = [];
      const seen = new Set<string>();
      for (const file of prepared) {
        // Only a file of the same size can have the same bytes. When no earlier dataset of this source
        // (and no other file given) has this size, the file is hashed while it is loaded, not before.
        const sameSize = await store.one(
          `SELECT count(*) AS n FROM datasets WHERE source = $1 AND (bytes = $2 OR bytes IS NULL)`,
          [spec.source, file.bytes],
        );
        const mayRepeat = Number(sameSize?.n) > 0 || prepared.some((p) => p !== file && p.bytes === file.bytes);
        const hashing = file.sha256();
        hashing.catch(() => undefined); // awaited below; a failed load must not leave it unhandled
        if (mayRepeat) {
          const sha = await hashing;
          const previous = await findDatasetBySha(store, spec.source, sha);
          if (previous || seen.has(sha)) {
            outcomes.push({
              file: file.original,
              dataset_id: previous?.dataset_id ?? -1,
              rows: 0,
              status: 'already imported',
              notes: [previous ? `same content as dataset ${previous.dataset_id} (${previous.file_name}, imported ${previous.imported_at}); nothing added` : 'given twice; imported once'],
            });
            continue;
          }
        }
        const datasetId = await registerDataset(store, {
          source: spec.source,
          kind: spec.kind,
          vintage: spec.vintage?.(file.original) ?? null,
          file_name: basename(file.original),
          file_path: resolve(file.original),
          sha256: '', // filled in below, once the hash is known
          bytes: file.bytes,
          encoding: file.encoding,
        });
        const notes: string[] = [];
        if (file.encoding !== 'utf-8' && file.encoding !== 'binary') notes.push(`read as ${file.encoding}${spec.encoding ? ' (given)' : ' (detected)'}`);
        await spec.load({
          store,
          file,
          datasetId,
          notes,
          strict: spec.strict ?? false,
          setVintage: (v) => store.run('UPDATE datasets SET vintage = $2 WHERE dataset_id = $1', [datasetId, v]),
        });
        const sha = await hashing;
        seen.add(sha);
        await store.run('UPDATE datasets SET sha256 = $2 WHERE dataset_id = $1', [datasetId, sha]);
        const rows = await finishDataset(store, datasetId, spec.kind);
        if (notes.length) await store.run('UPDATE datasets SET notes = $2 WHERE dataset_id = $1', [datasetId, notes.join('; ')]);
        outcomes.push({ file: file.original, dataset_id: datasetId, rows, status: 'imported', notes });
      }
      return outcomes;
    });
  } finally {
    prepared.forEach((p) => p.cleanup());
  }
}
