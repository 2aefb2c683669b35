import { findIndicator, INDICATORS } from '../indicators/registry.js';
import { parseIndicatorParams } from '../indicators/paramSchema.js';
import type { IndicatorParams } from '../indicators/params.js';

/** A request the API refuses: its status (4xx) and a message for the client. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parameters every compute request may carry besides the indicator's own. */
const COMMON = ['lang', 'format'];
const CHOICES: Record<string, string[]> = {
  lang: ['en', 'zh'],
  format: ['json', 'csv', 'xlsx'],
};

/** Returns the value of a single-valued query parameter, or throws 400 if it is repeated or too long. */
function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  if (all.length > 1) throw new ApiError(400, `parameter ${name} given ${all.length} times`);
  const v = all[0];
  if (v !== undefined && v.length > 200) throw new ApiError(400, `parameter ${name} is too long`);
  return v;
}

/** Returns the output format and language a request asks for (json and en by default). */
export function outputChoice(query: URLSearchParams): { format: 'json' | 'csv' | 'xlsx'; lang: 'en' | 'zh' } {
  const format = single(query, 'format') ?? 'json';
  const lang = single(query, 'lang') ?? 'en';
  if (!CHOICES.format.includes(format)) throw new ApiError(400, `format must be one of ${CHOICES.format.join(', ')}`);
  if (!CHOICES.lang.includes(lang)) throw new ApiError(400, `lang must be one of ${CHOICES.lang.join(', ')}`);
  return { format: format as 'json' | 'csv' | 'xlsx', lang: lang as 'en' | 'zh' };
}

/** Returns a checked string parameter from a fixed set of allowed names; throws 400 on any other parameter. */
export function checkParams(query: URLSearchParams, allowed: string[], where: string): void {
  for (const key of new Set(query.keys())) {
    if (!allowed.includes(key))
      throw new ApiError(400, `unknown parameter '${key}' for ${where} (accepted: ${allowed.join(', ')})`);
  }
}

/**
 * Returns the indicator and its parameters from a request's query, validated
 * against the registry: only the parameters the indicator reads are
 * accepted, each parsed by the same code as the command line options.
 * Nothing from the client reaches SQL as text: the parsed values are
 * ISO3 codes, years, dates, numbers and registry names.
 */
export function computeRequest(
  id: string,
  query: URLSearchParams,
): { indicator: ReturnType<typeof findIndicator>; params: IndicatorParams } {
  if (!INDICATORS.some((i) => i.id === id)) throw new ApiError(404, `no indicator '${id}' (see /api/indicators)`);
  const indicator = findIndicator(id);
  checkParams(query, [...indicator.params, ...COMMON], `indicator ${id}`);
  const raw: Record<string, string | undefined> = {};
  for (const name of indicator.params) raw[name] = single(query, name);
  try {
    return { indicator, params: parseIndicatorParams(raw, indicator.params, 'query') };
  } catch (err) {
    throw new ApiError(400, (err as Error).message.replace(/--([a-z-]+)/g, '$1'));
  }
}
