import { z } from 'zod';

/**
 * The instruments a measure can use: a fixed taxonomy covering the papers'
 * list (tariffs, export controls and entity listings, market access and
 * procurement, talent, inbound and outbound investment, capital markets,
 * subsidies, standards, alliances) and the countermeasure kinds.
 */
export const INSTRUMENTS = {
  tariff: { en: 'Tariff', zh: '关税' },
  'tariff-exclusion': { en: 'Tariff exclusion or suspension', zh: '关税排除或暂停' },
  'export-control': { en: 'Export control', zh: '出口管制' },
  'entity-listing': { en: 'Entity listing', zh: '实体清单' },
  'unreliable-entity-list': { en: 'Unreliable entity list', zh: '不可靠实体清单' },
  sanctions: { en: 'Sanctions on persons or entities', zh: '制裁' },
  'investment-screening-inbound': { en: 'Inbound investment screening', zh: '外资安全审查' },
  'outbound-investment': { en: 'Outbound investment restriction', zh: '对外投资限制' },
  'capital-markets': { en: 'Capital markets, delisting and portfolio investment', zh: '资本市场与退市' },
  'procurement-ban': { en: 'Government procurement ban', zh: '政府采购禁令' },
  'market-access': { en: 'Market access restriction', zh: '市场准入限制' },
  'security-review': { en: 'Security or cybersecurity review', zh: '安全审查' },
  'trade-investigation': { en: 'Trade or antitrust investigation', zh: '贸易或反垄断调查' },
  'talent-visa': { en: 'Talent and visa limits', zh: '人才与签证限制' },
  'research-cooperation': { en: 'Research cooperation', zh: '科研合作' },
  'industrial-subsidy': { en: 'Industrial subsidy or tax credit', zh: '产业补贴与税收抵免' },
  standards: { en: 'Standards', zh: '标准' },
  'alliance-framework': { en: 'Alliance or framework', zh: '联盟与合作框架' },
  'legal-framework': { en: 'Law or legal framework', zh: '法律框架' },
  'trade-agreement': { en: 'Trade agreement or truce', zh: '贸易协议与休战' },
  'strategy-statement': { en: 'Strategy document or official statement', zh: '战略文件与官方表态' },
} as const;
export type Instrument = keyof typeof INSTRUMENTS;

/** The four fields of the papers' assessment. */
export const FIELDS = {
  economic: { en: 'Economy and trade', zh: '经贸' },
  technology: { en: 'Technology', zh: '科技' },
  finance: { en: 'Finance and investment', zh: '金融与投资' },
  people: { en: 'People and research', zh: '人文与科研' },
} as const;
export type Field = keyof typeof FIELDS;

/** A date known to the day (YYYY-MM-DD) or only to the month (YYYY-MM) or year. */
const partialDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number);
    if (m !== undefined && (m < 1 || m > 12)) return false;
    if (d !== undefined) {
      const t = new Date(Date.UTC(y, m - 1, d));
      return t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    }
    return true;
  }, 'not a calendar date');

const fullDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

const bilingual = z.object({ en: z.string().min(3), zh: z.string().min(2) }).strict();

const economy = z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'an ISO3 code (USA, CHN), a country-group id (EU, G7) or ALL');

export const sourceSchema = z
  .object({
    publisher: z.string().min(2),
    title: z.string().min(3),
    date: partialDate,
    url: z.string().url(),
    /** Set when the URL points at the publisher's site rather than the document itself. */
    locator: z.string().optional(),
  })
  .strict();

/** One Section 301-style list: which heading it uses and its rate over time. */
export const tariffListSchema = z
  .object({
    list: z.string().min(1),
    /** Chapter 99 heading that carries the additional duty (e.g. 9903.88.01). */
    heading: z
      .string()
      .regex(/^9903\.\d{2}\.\d{2}$/)
      .optional(),
    /** Trade value the publisher stated for the list when announced, billion US$. */
    value_usd_bn: z.number().positive().optional(),
    rates: z
      .array(z.object({ from: fullDate, rate_pct: z.number().min(0).max(1000), note: z.string().optional() }).strict())
      .min(1),
    /** The list's duties never took effect or stopped on this date. */
    suspended: fullDate.optional(),
    /**
     * What the list covers: the lines filed under its heading or name (`lines`, the default) or every good of
     * the target (`all-goods`), less the exemptions and exclusions loaded for the measure.
     */
    scope: z.enum(['lines', 'all-goods']).optional(),
    /** The list's lines are excluded from the measure's other lists while it is in force (product exclusions). */
    exclusion: z.boolean().optional(),
  })
  .strict();

export const productSchema = z
  .object({
    hs: z.string().regex(/^\d{2}(\d{2}){0,2}$/, 'an HS code of 2, 4 or 6 digits'),
    vintage: z.enum(['HS1996', 'HS2002', 'HS2007', 'HS2012', 'HS2017', 'HS2022']),
    rate_pct: z.number().min(0).max(1000).optional(),
    from: fullDate.optional(),
    note: z.string().optional(),
    /** Where the line list comes from, where it is not the measure's own text. */
    source: z.string().optional(),
  })
  .strict();

/** Where a seed paper mentions the measure, with the date as printed there. */
export const paperMentionSchema = z
  .object({ paper: z.enum(['000', '001', '002', '003', '004']), date: partialDate })
  .strict();

export const measureSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id'),
    announced: partialDate,
    effective: partialDate.optional(),
    ended: partialDate.optional(),
    changes: z
      .array(
        z
          .object({
            date: partialDate,
            en: z.string(),
            zh: z.string(),
            rate_pct: z.number().optional(),
            /** From this date the measure's own additional duties are multiplied by this factor (0.5: halved). */
            rate_factor: z.number().min(0).max(1).optional(),
          })
          .strict(),
      )
      .optional(),
    actor: economy,
    target: z.array(economy).min(1),
    instrument: z.enum(Object.keys(INSTRUMENTS) as [Instrument, ...Instrument[]]),
    field: z.enum(Object.keys(FIELDS) as [Field, ...Field[]]),
    countermeasure: z.boolean().optional(),
    responds_to: z.array(z.string()).optional(),
    title: bilingual,
    summary: bilingual,
    legal_basis: z.string().min(3),
    sources: z.array(sourceSchema).min(1, 'at least one source is required'),
    tariff_lists: z.array(tariffListSchema).optional(),
    products: z.array(productSchema).optional(),
    entities: z.object({ count: z.number().int().nonnegative(), note: z.string().optional() }).strict().optional(),
    confidence: z.enum(['high', 'medium', 'low']),
    confidence_note: z.string().optional(),
    papers: z.array(paperMentionSchema).optional(),
  })
  .strict();

export type Measure = z.infer<typeof measureSchema>;
export type TariffList = z.infer<typeof tariffListSchema>;

/** The registry format's version; files say which version they follow. */
export const MEASURE_FORMAT_VERSION = 1;

export const measureFileSchema = z
  .object({
    version: z.literal(MEASURE_FORMAT_VERSION, {
      error: `the registry format version (this program reads version ${MEASURE_FORMAT_VERSION})`,
    }),
    measures: z.array(measureSchema).min(1),
  })
  .strict();

/** A paper's dated mention that is not a measure, with the reason. */
export const paperNoteSchema = z.object({
  notes: z.array(
    z
      .object({
        paper: paperMentionSchema.shape.paper,
        date: partialDate,
        what: z.string().min(3),
        why_not_a_measure: z.string().min(3),
      })
      .strict(),
  ),
});

/** Returns the first day a partial date can mean (2021-03 → 2021-03-01). */
export function dateStart(d: string): string {
  return d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d;
}

/** Returns the last day a partial date can mean (2021-03 → 2021-03-31). */
export function dateEnd(d: string): string {
  if (d.length === 10) return d;
  if (d.length === 4) return `${d}-12-31`;
  const [y, m] = d.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
