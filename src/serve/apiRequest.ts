import { findIndicator, INDICATORS } from '../indicators/registry.js';
import { indicatorParams, type ComputeOptions } from '../indicators/paramParsing.js';
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
const FLAGS = new Set(['monthly', 'world-from-partners']);
const CHOICES: Record<string, string[]> = {
  flow: ['export', 'import', 'total'],
  channel: ['goods', 'services'],
  level: ['2', '4', '6'],
  side: ['auto', 'importer', 'exporter'],
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
  const text = (name: string) => single(query, name);
  for (const [name, choices] of Object.entries(CHOICES)) {
    const v = text(name);
    if (v !== undefined && !choices.includes(v))
      throw new ApiError(400, `${name} must be one of ${choices.join(', ')}, not '${v}'`);
  }
  for (const f of FLAGS) {
    const v = text(f);
    if (v !== undefined && !['true', 'false', '1', '0', ''].includes(v))
      throw new ApiError(400, `${f} is true or false, not '${v}'`);
  }
  const flag = (name: string) => ['true', '1', ''].includes(text(name) ?? 'false');
  const options: ComputeOptions = {
    reporter: text('reporter'),
    partner: text('partner'),
    flow: (text('flow') ?? 'export') as ComputeOptions['flow'],
    channel: (text('channel') ?? 'goods') as ComputeOptions['channel'],
    years: text('years'),
    group: text('group'),
    level: text('level') ?? '6',
    dataset: text('dataset'),
    monthly: flag('monthly'),
    side: (text('side') ?? 'auto') as ComputeOptions['side'],
    from: text('from'),
    to: text('to'),
    market: text('market'),
    economy: text('economy'),
    sources: text('sources'),
    top: text('top'),
    worldFromPartners: flag('world-from-partners'),
    on: text('on'),
  };
  try {
    return { indicator, params: indicatorParams(options) };
  } catch (err) {
    throw new ApiError(400, (err as Error).message.replace(/--([a-z-]+)/g, '$1'));
  }
}
