import { z } from 'zod';
import { InvalidInputError, parseDate, parseIso3, parseYears } from '../core/index.js';
import type { SidePreference } from './flowBase.js';
import type { Flow, IndicatorParams } from './params.js';

/**
 * The indicator parameters, described once. The command line options of
 * `decouple compute`, the API's validation, the OpenAPI document and the
 * dashboard's explorer controls are all generated from this list, and every
 * value is parsed by the zod schema below, so they cannot drift apart.
 */
export interface ParameterSpec {
  /** The option (`--name`) and query parameter (`name=`). */
  name: string;
  /**
   * How the value is written: an economy, a list, years, a year or a date (period), a date, one of fixed choices,
   * a flag, a count.
   */
  kind:
    | 'economy'
    | 'years'
    | 'year'
    | 'period'
    | 'weights'
    | 'date'
    | 'choice'
    | 'flag'
    | 'count'
    | 'group'
    | 'datasets'
    | 'sources';
  choices?: readonly string[];
  /** The value when not given. */
  fallback?: string;
  /** What the value looks like, for help texts: <ISO3>, <A-B>. */
  placeholder?: string;
  /** For help texts and the OpenAPI document. */
  description: string;
  /** The label of the dashboard's control. */
  label: { en: string; zh: string };
  /** An example value, shown in an empty control. */
  example?: string;
}

/** Every parameter an indicator may read (each indicator's `params` names those it reads). */
export const PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'reporter',
    kind: 'economy',
    placeholder: '<ISO3>',
    description: 'the reporting economy (importer for import-dependence and diversion; origin pole for connectors)',
    label: { en: 'Reporter', zh: '报告方' },
  },
  {
    name: 'partner',
    kind: 'economy',
    placeholder: '<ISO3>',
    description:
      'the partner economy (supplier; destination pole for connectors; second exporter for export-similarity)',
    label: { en: 'Partner', zh: '伙伴方' },
  },
  {
    name: 'flow',
    kind: 'choice',
    choices: ['export', 'import', 'total'],
    fallback: 'export',
    placeholder: '<flow>',
    description: 'trade flow',
    label: { en: 'Flow', zh: '贸易流向' },
  },
  {
    name: 'channel',
    kind: 'choice',
    choices: ['goods', 'services'],
    fallback: 'goods',
    placeholder: '<channel>',
    description: 'goods (flows) or services (series)',
    label: { en: 'Goods or services', zh: '货物或服务' },
  },
  {
    name: 'years',
    example: '2015-2024',
    kind: 'years',
    placeholder: '<A-B>',
    description: 'year range, YYYY or YYYY-YYYY',
    label: { en: 'Years', zh: '年份' },
  },
  {
    name: 'group',
    kind: 'group',
    placeholder: '<SET[:NAME]>',
    description:
      'product group set (bec-stage, bec-category, manufacturing, atp, hs-chapter, a user set), optionally one group',
    label: { en: 'Product groups', zh: '产品分组' },
  },
  {
    name: 'level',
    kind: 'choice',
    choices: ['2', '4', '6', '8', '10'],
    placeholder: '<digits>',
    description:
      "HS digits of product-level indicators (2, 4 or 6; default 6); of average-tariff's weights (6, 8 or 10; default the finest loaded)",
    label: { en: 'HS digits', zh: 'HS 位数' },
  },
  {
    name: 'dataset',
    example: '1,2',
    kind: 'datasets',
    placeholder: '<ids>',
    description: 'use only these datasets (comma-separated ids; see decouple datasets)',
    label: { en: 'Datasets', zh: '数据集' },
  },
  {
    name: 'monthly',
    kind: 'flag',
    description: 'keep months where the data is monthly',
    label: { en: 'Monthly', zh: '按月' },
  },
  {
    name: 'side',
    kind: 'choice',
    choices: ['auto', 'importer', 'exporter'],
    fallback: 'auto',
    placeholder: '<side>',
    description: 'which report when both sides report a flow',
    label: { en: 'Reporting side', zh: '数据来源方' },
  },
  {
    name: 'from',
    example: '2017',
    kind: 'period',
    placeholder: '<year|date>',
    description:
      'first year compared (diversion, connectors, marginal Grubel-Lloyd, --summary); first date (average-tariff, YYYY-MM-DD)',
    label: { en: 'From year', zh: '起始年' },
  },
  {
    name: 'to',
    example: '2024',
    kind: 'period',
    placeholder: '<year|date>',
    description: 'second year compared; last date (average-tariff, YYYY-MM-DD)',
    label: { en: 'To year', zh: '对比年' },
  },
  {
    name: 'market',
    example: 'VNM',
    kind: 'economy',
    placeholder: '<ISO3>',
    description: 'third market (export-similarity)',
    label: { en: 'Third market', zh: '第三方市场' },
  },
  {
    name: 'economy',
    example: 'VNM',
    kind: 'economy',
    placeholder: '<ISO3>',
    description: 'one connector economy only (connectors)',
    label: { en: 'Connector economy', zh: '间接关联经济体' },
  },
  {
    name: 'sources',
    example: 'VNM,group:ASEAN',
    kind: 'sources',
    placeholder: '<list>',
    description: 'sources reported separately (diversion, tariff-exposure): ISO3 codes or group:ID, comma-separated',
    label: { en: 'Sources shown', zh: '单列来源' },
  },
  {
    name: 'top',
    example: '20',
    kind: 'count',
    placeholder: '<n>',
    description: 'keep the first n rows per year (partner-rank, rca, connectors)',
    label: { en: 'Top n', zh: '前 n 项' },
  },
  {
    name: 'world-from-partners',
    kind: 'flag',
    description: 'without a world row, use the sum over the loaded non-aggregate partners',
    label: { en: 'World = sum of partners', zh: '以伙伴合计代替世界' },
  },
  {
    name: 'weights',
    example: '2017',
    kind: 'weights',
    placeholder: '<year|current>',
    description:
      "year of the importer's imports used as weights, or current: each date's own year (average-tariff; default 2017, the year before the tariffs)",
    label: { en: 'Weights year', zh: '权重年份' },
  },
  {
    name: 'on',
    example: '2020-02-14',
    kind: 'date',
    placeholder: '<date>',
    description: 'date on which tariffs in force are read (tariff-exposure; default the latest change)',
    label: { en: 'Tariffs on', zh: '关税日期' },
  },
];

/** Returns the spec of a parameter; throws for a name not in the list. */
export function parameterSpec(name: string): ParameterSpec {
  const p = PARAMETERS.find((x) => x.name === name);
  if (!p) throw new Error(`no indicator parameter '${name}'`);
  return p;
}

/** Returns a zod schema that parses text with `parse` (which throws InvalidInputError), reporting its message. */
function parsed<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx): T => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
}

/** Returns the zod schema of one parameter's text value, with messages naming it as `field` (--name or name). */
function valueSchema(p: ParameterSpec, field: string): z.ZodType {
  switch (p.kind) {
    case 'economy':
      return parsed((t) => parseIso3(t, field));
    case 'years':
      return parsed((t) => parseYears(t));
    case 'year':
      return parsed((t) => {
        if (!/^\d{4}$/.test(t.trim())) throw new InvalidInputError(`${field} takes a year (YYYY), not '${t}'`);
        return Number(t);
      });
    case 'period':
      return parsed((t) => {
        const text = t.trim();
        if (/^\d{4}$/.test(text)) return { year: Number(text) };
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
          throw new InvalidInputError(`${field} takes a year (YYYY) or a date (YYYY-MM-DD), not '${t}'`);
        const date = parseDate(text, field)!;
        return { year: Number(date.slice(0, 4)), date };
      });
    case 'weights':
      return parsed((t) => {
        if (t.trim() === 'current') return 'current';
        if (!/^\d{4}$/.test(t.trim()))
          throw new InvalidInputError(`${field} takes a year (YYYY) or current, not '${t}'`);
        return Number(t);
      });
    case 'date':
      return parsed((t) => parseDate(t, field));
    case 'choice':
      return parsed((t) => {
        if (!p.choices!.includes(t)) throw new InvalidInputError(`${field} takes ${p.choices!.join(', ')}, not '${t}'`);
        return t;
      });
    case 'flag':
      return z.union([
        z.boolean(),
        parsed((t) => {
          if (!['true', 'false', '1', '0', ''].includes(t))
            throw new InvalidInputError(`${field} is true or false, not '${t}'`);
          return ['true', '1', ''].includes(t);
        }),
      ]);
    case 'count':
      return parsed((t) => {
        const n = Number(t);
        if (!(Number.isInteger(n) && n > 0))
          throw new InvalidInputError(`${field} takes a positive whole number, not '${t}'`);
        return n;
      });
    case 'group':
      return parsed((t) => {
        const m = /^([a-z0-9-]+)(?::([a-z0-9-]+))?$/.exec(t);
        if (!m) throw new InvalidInputError(`${field} takes SET or SET:NAME (e.g. bec-stage:intermediate), not '${t}'`);
        return { set: m[1], name: m[2] };
      });
    case 'datasets':
      return parsed((t) =>
        t.split(',').map((d) => {
          if (!/^\d+$/.test(d.trim()))
            throw new InvalidInputError(`${field} takes dataset ids (see decouple datasets), not '${d}'`);
          return Number(d);
        }),
      );
    case 'sources':
      return parsed((t) =>
        t
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => (/^group:[A-Za-z0-9-]+$/.test(s) ? s : parseIso3(s, field))),
      );
  }
}

/** The IndicatorParams key of a parameter name (world-from-partners → worldFromPartners, dataset → datasets). */
function paramKey(name: string): keyof IndicatorParams {
  if (name === 'dataset') return 'datasets';
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof IndicatorParams;
}

/**
 * Returns the zod schema of the given parameters as raw values keyed by name
 * (text, or true for a flag given on the command line), strict: any other key
 * is refused. `style` names fields as options (--reporter) or query
 * parameters (reporter) in the messages.
 */
export function parametersSchema(names: readonly string[], style: 'option' | 'query') {
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) {
    const spec = parameterSpec(name);
    shape[name] = valueSchema(spec, style === 'option' ? `--${name}` : name).optional();
  }
  return z.strictObject(shape);
}

/**
 * Returns the indicator parameters from raw values keyed by parameter name
 * (command line options or query parameters), each parsed and checked by the
 * schema of PARAMETERS, with the defaults filled in; throws InvalidInputError
 * with the first problem, naming its field.
 */
export function parseIndicatorParams(
  raw: Record<string, string | boolean | undefined>,
  names: readonly string[] = PARAMETERS.map((p) => p.name),
  style: 'option' | 'query' = 'option',
): IndicatorParams {
  const given: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) given[k] = v;
  const result = parametersSchema(names, style).safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new InvalidInputError(`unknown parameter '${issue.keys[0]}' (accepted: ${names.join(', ')})`);
    }
    throw new InvalidInputError(issue.message);
  }
  const values = result.data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of PARAMETERS) {
    const v = values[p.name] ?? (p.fallback !== undefined ? valueSchema(p, p.name).parse(p.fallback) : undefined);
    if (p.kind === 'period') {
      // The year for the indicators that compare years; the date, when one is given, for those that take dates.
      const period = v as { year: number; date?: string } | undefined;
      out[paramKey(p.name)] = period?.year;
      out[`${paramKey(p.name)}Date`] = period?.date;
      continue;
    }
    out[paramKey(p.name)] = p.kind === 'flag' ? Boolean(v) : p.name === 'level' && v !== undefined ? Number(v) : v;
  }
  return out as unknown as IndicatorParams & { flow: Flow; side: SidePreference };
}

/** Returns an OpenAPI parameter object for a parameter. */
export function openApiParameter(p: ParameterSpec): Record<string, unknown> {
  const schema: Record<string, unknown> =
    p.kind === 'flag'
      ? { type: 'boolean' }
      : p.kind === 'period'
        ? { type: 'string', pattern: '^\\d{4}(-\\d{2}-\\d{2})?$' }
        : p.kind === 'year' || p.kind === 'count'
          ? { type: 'integer', ...(p.kind === 'count' ? { minimum: 1 } : {}) }
          : p.kind === 'choice'
            ? { type: 'string', enum: p.choices, default: p.fallback }
            : p.kind === 'economy'
              ? { type: 'string', pattern: '^[A-Za-z]{3}$' }
              : p.kind === 'years'
                ? { type: 'string', pattern: '^\\d{4}(-\\d{4})?$' }
                : p.kind === 'weights'
                  ? { type: 'string', pattern: '^(\\d{4}|current)$' }
                  : p.kind === 'date'
                    ? { type: 'string', format: 'date' }
                    : p.kind === 'datasets'
                      ? { type: 'string', pattern: '^\\d+(,\\d+)*$' }
                      : { type: 'string' };
  return { name: p.name, in: 'query', required: false, description: p.description, schema };
}
