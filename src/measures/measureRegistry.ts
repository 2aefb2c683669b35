import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { entryLines, readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';
import { dateEnd, dateStart, measureFileSchema, type Measure } from './measureSchema.js';

/** A measure with the file and line it was read from. */
export interface LocatedMeasure extends Measure {
  file: string;
  line: number;
}

/** Returns the shipped measure files (data/measures/*.yaml, without the paper notes). */
export function shippedMeasureFiles(): string[] {
  const dir = shippedDataPath('measures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'paper-notes.yaml')
    .sort()
    .map((f) => join(dir, f));
}

/** Returns the message prefix naming a measure's file, line and entry. */
export function measureWhere(m: LocatedMeasure): string {
  return `${m.file}, line ${m.line}: measure ${m.id}`;
}

function checkDates(m: LocatedMeasure): void {
  const start = dateStart(m.effective ?? m.announced);
  if (m.ended && dateEnd(m.ended) < start)
    throw new Error(`${measureWhere(m)}: ended ${m.ended} is before it started (${m.effective ?? m.announced})`);
  if (m.effective && dateEnd(m.effective) < dateStart(m.announced) && !m.confidence_note)
    throw new Error(
      `${measureWhere(m)}: effective ${m.effective} is before announced ${m.announced}; if that is right, say why in confidence_note`,
    );
  for (const c of m.changes ?? []) {
    if (dateEnd(c.date) < dateStart(m.announced))
      throw new Error(`${measureWhere(m)}: change dated ${c.date} is before the announcement (${m.announced})`);
  }
  for (const l of m.tariff_lists ?? []) {
    const dates = l.rates.map((r) => r.from);
    if (dates.some((d, i) => i > 0 && d <= dates[i - 1]))
      throw new Error(`${measureWhere(m)}: list ${l.list}: rates must be in date order`);
    if (l.suspended && l.suspended < dateStart(m.announced))
      throw new Error(`${measureWhere(m)}: list ${l.list}: suspended before it was announced`);
  }
}

/**
 * Returns the measures of the given files, validated one by one and across
 * files (unique ids, consistent dates, known references: to measures of these
 * files or to `known`, e.g. the shipped registry's ids); the first problem
 * is thrown naming its file, line and measure.
 */
export function readMeasures(files: string[], known: ReadonlySet<string> = new Set()): LocatedMeasure[] {
  const out: LocatedMeasure[] = [];
  const byId = new Map<string, LocatedMeasure>();
  for (const file of files) {
    const parsed = readFactFile(file, measureFileSchema);
    const lines = entryLines(file, 'measures');
    parsed.measures.forEach((m, i) => {
      const located: LocatedMeasure = { ...m, file, line: lines[i] ?? 0 };
      const twin = byId.get(m.id);
      if (twin) throw new Error(`${measureWhere(located)}: the id is already used at ${twin.file}, line ${twin.line}`);
      checkDates(located);
      byId.set(m.id, located);
      out.push(located);
    });
  }
  for (const m of out) {
    for (const r of m.responds_to ?? []) {
      if (!byId.has(r) && !known.has(r))
        throw new Error(`${measureWhere(m)}: responds_to names an unknown measure '${r}'`);
    }
  }
  return out;
}

/** Returns the first date a measure applied (effective, else announced), as YYYY-MM-DD. */
export function measureStart(m: Measure): string {
  return dateStart(m.effective ?? m.announced);
}
