import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Row, Store } from '../store/store.js';
import { InvalidInputError } from '../core/index.js';
import { findIndicator, INDICATORS } from './registry.js';
import { parseIndicatorParams } from './paramSchema.js';

const itemSchema = z
  .object({
    /** How the item is named in the output (default: indicator and parameters). */
    name: z.string().optional(),
    indicator: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** The column watched (default: the indicator's headline column). */
    column: z.string().optional(),
    above: z.number().optional(),
    below: z.number().optional(),
  })
  .strict()
  .refine((x) => (x.above === undefined) !== (x.below === undefined), { message: 'give a threshold: above or below' });

const fileSchema = z.object({ watch: z.array(itemSchema).min(1) }).strict();

export type WatchItem = z.infer<typeof itemSchema>;

/**
 * Returns the items of a watch file (YAML `watch: [{indicator, params, column?, above|below}]`); a bad item names
 * its place.
 */
export function readWatchFile(path: string): WatchItem[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf-8'));
  } catch (err) {
    throw new InvalidInputError(`${path}: not a readable YAML file (${(err as Error).message.split('\n')[0]})`);
  }
  const r = fileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InvalidInputError(`${path}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  }
  for (const [n, item] of r.data.watch.entries())
    if (!INDICATORS.some((d) => d.id === item.indicator))
      throw new InvalidInputError(
        `${path}: watch.${n}.indicator: no indicator '${item.indicator}' (decouple indicators lists them)`,
      );
  return r.data.watch;
}

/**
 * Returns, for each watched item, the indicator's latest value in the loaded data and the one before it (one
 * row per period: the item's parameters must select one series), the threshold, and whether the latest value
 * is beyond it: `crossed` when the period before was not, `beyond` when it was too, `within` otherwise, or
 * `not computable` with the indicator's reason.
 */
export async function checkWatch(store: Store, items: WatchItem[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const item of items) {
    const def = findIndicator(item.indicator);
    const raw = Object.fromEntries(
      Object.entries(item.params).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)]),
    );
    const res = await def.compute(store, parseIndicatorParams(raw, def.params));
    const column = item.column ?? def.headline;
    const period = (r: Row) => `${r.year ?? ''}${r.month ? `-${String(r.month).padStart(2, '0')}` : ''}${r.date ?? ''}`;
    const rows = res.rows.filter((r) => typeof r[column] === 'number' && Number.isFinite(r[column]));
    const periods = new Map<string, Row[]>();
    for (const r of rows) periods.set(period(r), [...(periods.get(period(r)) ?? []), r]);
    const many = [...periods.entries()].find(([, rs]) => rs.length > 1);
    if (many)
      throw new InvalidInputError(
        `watch item ${item.name ?? item.indicator}: ${many[1].length} rows for ${many[0]}; give parameters that select one series (e.g. --group SET:NAME)`,
      );
    const sorted = [...periods.keys()].sort();
    const beyond = (v: number) => (item.above !== undefined ? v > item.above : v < (item.below as number));
    const latest = sorted.length ? Number(periods.get(sorted[sorted.length - 1])![0][column]) : null;
    const prev = sorted.length > 1 ? Number(periods.get(sorted[sorted.length - 2])![0][column]) : null;
    out.push({
      item:
        item.name ??
        `${item.indicator} ${Object.entries(item.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      column,
      period: sorted.length ? sorted[sorted.length - 1] : null,
      value: latest,
      previous_period: sorted.length > 1 ? sorted[sorted.length - 2] : null,
      previous_value: prev,
      basis: sorted.length ? (periods.get(sorted[sorted.length - 1])![0].basis ?? null) : null,
      threshold: item.above !== undefined ? `above ${item.above}` : `below ${item.below}`,
      status:
        latest === null
          ? 'not computable'
          : beyond(latest)
            ? prev !== null && !beyond(prev)
              ? 'crossed'
              : 'beyond'
            : 'within',
      note: latest === null ? (res.notes.find((n) => /not computable/.test(n)) ?? res.notes[0] ?? null) : null,
    });
  }
  return out;
}
