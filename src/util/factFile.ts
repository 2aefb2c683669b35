import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';

/**
 * Returns the validated content of a YAML fact file. A schema violation is
 * reported with the file name and the path of the offending entry.
 */
export function readFactFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  let raw: unknown;
  try {
    const doc = parseDocument(readFileSync(path, 'utf-8'));
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw new Error(`line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
    }
    raw = doc.toJS();
  } catch (err) {
    throw new Error(`${path}: not valid YAML (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: entry ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
