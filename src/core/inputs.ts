import { InvalidInputError } from './codes.js';

/** Parses `A-B` or `A` into a year range; returns undefined when not given. */
export function parseYears(text?: string): [number, number] | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(text.trim());
  if (!m) throw new InvalidInputError(`--years takes YYYY or YYYY-YYYY, not '${text}'`);
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  if (b < a) throw new InvalidInputError(`--years ${text}: the end is before the start`);
  return [a, b];
}

/** Returns a YYYY-MM-DD option value checked, or undefined when not given. */
export function parseDate(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
    throw new InvalidInputError(`${option} takes a date as YYYY-MM-DD, not '${text}'`);
  return text;
}
