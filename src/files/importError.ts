import { basename } from 'node:path';

/**
 * An import failure that names the file, the line (1-based, header = line 1) and
 * the field, so a user can open the file at the right place.
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(
      `${basename(file)}${line !== undefined ? `, line ${line}` : ''}${field ? `, field '${field}'` : ''}: ${reason}`,
    );
    this.name = 'ImportError';
  }
}
