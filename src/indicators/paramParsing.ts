import type { SidePreference } from './flowBase.js';
import type { Flow, IndicatorParams } from './params.js';
import { parseDate, parseYears } from '../core/inputs.js';
import { InvalidInputError, parseIso3, type Iso3 } from '../core/index.js';

function iso3(text: string | undefined, option: string): Iso3 | undefined {
  return text === undefined ? undefined : parseIso3(text, option);
}

function year(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text.trim())) throw new InvalidInputError(`${option} takes a year (YYYY), not '${text}'`);
  return Number(text);
}

/** Indicator parameters as text, as the command line and the web API receive them. */
export interface ComputeOptions {
  reporter?: string;
  partner?: string;
  flow: Flow;
  channel: 'goods' | 'services';
  years?: string;
  group?: string;
  level: string;
  dataset?: string;
  monthly?: boolean;
  side: SidePreference;
  from?: string;
  to?: string;
  market?: string;
  economy?: string;
  sources?: string;
  top?: string;
  worldFromPartners?: boolean;
  summary?: boolean | string;
  out?: string;
  on?: string;
}

/** Returns the indicator parameters from the command line, validated. */
export function indicatorParams(o: ComputeOptions): IndicatorParams {
  const group = o.group ? /^([a-z0-9-]+)(?::([a-z0-9-]+))?$/.exec(o.group) : undefined;
  if (o.group && !group)
    throw new InvalidInputError(`--group takes SET or SET:NAME (e.g. bec-stage:intermediate), not '${o.group}'`);
  const level = Number(o.level);
  if (![2, 4, 6].includes(level)) throw new InvalidInputError(`--level takes 2, 4 or 6, not '${o.level}'`);
  const datasets = o.dataset
    ? o.dataset.split(',').map((d) => {
        if (!/^\d+$/.test(d.trim()))
          throw new InvalidInputError(`--dataset takes dataset ids (see decouple datasets), not '${d}'`);
        return Number(d);
      })
    : undefined;
  const top = o.top !== undefined ? Number(o.top) : undefined;
  if (top !== undefined && !(Number.isInteger(top) && top > 0))
    throw new InvalidInputError(`--top takes a positive whole number, not '${o.top}'`);
  return {
    reporter: iso3(o.reporter, '--reporter'),
    partner: iso3(o.partner, '--partner'),
    flow: o.flow,
    channel: o.channel,
    years: parseYears(o.years),
    group: group ? { set: group[1], name: group[2] } : undefined,
    level: level as 2 | 4 | 6,
    datasets,
    monthly: Boolean(o.monthly),
    side: o.side,
    on: parseDate(o.on, '--on'),
    from: year(o.from, '--from'),
    to: year(o.to, '--to'),
    market: iso3(o.market, '--market'),
    economy: iso3(o.economy, '--economy'),
    sources: o.sources?.split(',').map((s) => (s.startsWith('group:') ? s : iso3(s, '--sources')!)),
    top,
    worldFromPartners: Boolean(o.worldFromPartners),
  };
}
