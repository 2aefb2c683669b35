import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

/** Returns the 1-based line of the node at `path` in a parsed YAML document, or of its nearest parent. */
export function lineOfPath(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Returns how an entry is named in messages: its path, and its `id` when the entry has one. */
function entryName(raw: unknown, path: (string | number)[]): string {
  let node: unknown = raw;
  let named = '';
  for (let i = 0; i < path.length; i++) {
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[path[i]] : undefined;
    const id = node && typeof node === 'object' ? (node as Record<string, unknown>).id : undefined;
    if (typeof id === 'string' && !named) named = ` (id ${id})`;
  }
  return `${path.join('.') || '(root)'}${named}`;
}

/**
 * Returns the validated content of a YAML fact file. A schema violation is
 * reported with the file name, the line and the entry (with its id if any).
 */
export function readFactFile<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  const lines = new LineCounter();
  let raw: unknown;
  let doc: Document;
  try {
    doc = parseDocument(readFileSync(path, 'utf-8'), { lineCounter: lines });
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
    const p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    const line = lineOfPath(doc, lines, p);
    throw new Error(`${path}${line ? `, line ${line}` : ''}: entry ${entryName(raw, p)}: ${issue.message}`);
  }
  return parsed.data;
}

/** Returns the line of each top-level list entry under `key` (for messages about whole entries). */
export function entryLines(path: string, key: string): number[] {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf-8'), { lineCounter: lines });
  const seq = doc.get(key, true);
  if (!seq || typeof seq !== 'object' || !('items' in seq)) return [];
  return (seq.items as unknown[]).map((n) => (isNode(n) && n.range ? lines.linePos(n.range[0]).line : 0));
}
