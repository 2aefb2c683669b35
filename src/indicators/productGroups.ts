import { setting } from '../core/config.js';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ATP_EDITION, ATP_EXPORT_EDITION, requirePack } from '../reference/packs.js';
import { atpCategories } from '../reference/censusAtp.js';
import { htsVintageForYear } from '../reference/hsVintages.js';
import { flowBaseLevel } from './flowBase.js';
import type { Store } from '../store/store.js';
import { readFactFile } from '../util/factFile.js';

/** A named set of product groups over HS codes, with its definition and source. */
export interface ProductGroupSet {
  id: string;
  name: { en: string; zh: string };
  definition: string;
  source: string;
  /** Group names with their Chinese labels. */
  groups: Record<string, { en: string; zh: string }>;
}

/**
 * BEC Rev.4 basic categories by end use, as grouped into the SNA basic
 * classes of goods. Reference: UN Statistics Division, Classification by
 * Broad Economic Categories, Rev.4 (Statistical Papers M/53/Rev.4, 2002),
 * correspondence of BEC to the SNA basic classes (capital goods 41, 521;
 * intermediate goods 111, 121, 21, 22, 31, 322, 42, 53; consumption goods
 * 112, 122, 522, 61, 62, 63; 321, 51 and 7 not assigned).
 */
const BEC_STAGE: Record<string, string> = {
  '111': 'intermediate',
  '121': 'intermediate',
  '21': 'intermediate',
  '22': 'intermediate',
  '31': 'intermediate',
  '322': 'intermediate',
  '42': 'intermediate',
  '53': 'intermediate',
  '41': 'capital',
  '521': 'capital',
  '112': 'consumption',
  '122': 'consumption',
  '522': 'consumption',
  '61': 'consumption',
  '62': 'consumption',
  '63': 'consumption',
  '321': 'unassigned',
  '51': 'unassigned',
  '7': 'unassigned',
};

/** The BEC categories the papers report (table 4), from the same BEC Rev.4 codes. */
const BEC_CATEGORY: Record<string, string> = {
  '111': 'food-industry',
  '121': 'food-industry',
  '21': 'industrial-supplies',
  '22': 'industrial-supplies',
  '31': 'fuels',
  '322': 'fuels',
  '42': 'parts-accessories',
  '53': 'parts-accessories',
  '41': 'capital-goods',
  '521': 'capital-goods',
  '112': 'consumer-goods',
  '122': 'consumer-goods',
  '522': 'consumer-goods',
  '61': 'consumer-goods',
  '62': 'consumer-goods',
  '63': 'consumer-goods',
  '321': 'unassigned',
  '51': 'unassigned',
  '7': 'unassigned',
};

const UNASSIGNED = { en: 'not assigned (motor spirit, passenger cars, n.e.s.)', zh: '未归类（车用汽油、乘用车等）' };

/** The built-in group sets. */
export const GROUP_SETS: ProductGroupSet[] = [
  {
    id: 'bec-stage',
    name: { en: 'BEC Rev.4 stage of processing (end use)', zh: 'BEC第4版最终用途分类' },
    definition:
      'HS6 → BEC Rev.4 (UN correlation table of the same HS vintage) → SNA basic class; an HS6 code correlated with several BEC codes is split equally among them',
    source:
      'UN Statistics Division, Classification by Broad Economic Categories Rev.4 (M/53/Rev.4) and the UN HS–BEC correlation tables (reference pack hs-bec)',
    groups: {
      intermediate: { en: 'intermediate goods', zh: '中间品' },
      capital: { en: 'capital goods', zh: '资本品' },
      consumption: { en: 'consumption goods', zh: '消费品' },
      unassigned: UNASSIGNED,
    },
  },
  {
    id: 'bec-category',
    name: { en: 'BEC Rev.4 categories used in the papers', zh: 'BEC类别（论文口径）' },
    definition:
      'HS6 → BEC Rev.4: food and beverages mainly for industry (111, 121), industrial supplies (21, 22), fuels and lubricants (31, 322), parts and accessories (42, 53), capital goods (41, 521), consumer goods (112, 122, 522, 61–63)',
    source: 'UN Statistics Division, BEC Rev.4 (M/53/Rev.4); UN HS–BEC correlation tables (reference pack hs-bec)',
    groups: {
      'food-industry': { en: 'food and beverages for industry', zh: '工业用食品和饮料' },
      'industrial-supplies': { en: 'industrial supplies', zh: '工业用品' },
      fuels: { en: 'fuels and lubricants', zh: '燃料和润滑剂' },
      'parts-accessories': { en: 'parts and accessories', zh: '零部件' },
      'capital-goods': { en: 'capital goods', zh: '资本品' },
      'consumer-goods': { en: 'consumer goods', zh: '消费品' },
      unassigned: UNASSIGNED,
    },
  },
  {
    id: 'hs-chapter',
    name: { en: 'HS chapters (2 digits)', zh: 'HS章（2位）' },
    definition: 'the first two digits of the HS code; works at any product level',
    source: 'World Customs Organization, Harmonized System nomenclature',
    groups: {},
  },
  {
    id: 'manufacturing',
    name: { en: 'Manufactured goods', zh: '制成品' },
    definition:
      'SITC sections 5–8 less division 68 (non-ferrous metals), through the UN HS→SITC correlation of the same HS vintage (HS2017, HS2022), or the WITS HS→SITC Rev.4 concordance for older vintages; UNCTADstat also leaves out group 667 (pearls, precious stones), kept here',
    source: 'SITC Rev.4 (UN M/34/Rev.4); UN HS–SITC correlation tables and WITS concordance (reference pack hs-sitc)',
    groups: {
      manufactured: { en: 'manufactured goods', zh: '制成品' },
      other: { en: 'primary and other goods', zh: '初级产品及其他' },
    },
  },
  {
    id: 'atp',
    name: { en: 'Advanced technology products (US Census ATP groups)', zh: '高技术产品（美国普查局先进技术产品分类）' },
    definition:
      `HTS10 codes flagged as advanced technology in the Census import concordance (${ATP_EDITION} edition), in ten groups; the papers' eight high-technology categories are groups 01–08. ` +
      `10-digit data take each code's own group. An HS6 subheading is split over the groups by the value of its HTS10 lines in US imports from all partners when such data are loaded (the latest year), else by its number of HTS10 lines; ` +
      `codes of other HS vintages take the mean split of the ${htsVintageForYear(ATP_EDITION)} codes they correspond to (UN conversion tables). ` +
      `Where only the Schedule B export concordance is installed (${ATP_EXPORT_EDITION} edition, pack census-atp-exports), every code is split by its HS6 subheading's number of Schedule B lines in each group: the export schedule's own lines for US exports, an approximation for imports, whose HTS10 lines differ. ` +
      "Limits: ATP flags US tariff lines, so at HS6 a share is an approximation that assumes every partner trades the same mix of lines as the weights; other economies' own high-tech lists (e.g. China's 高新技术产品目录) differ",
    source: `${atpCategories().source} (${atpCategories().url}); reference pack census-atp (or census-atp-exports)`,
    groups: {
      ...Object.fromEntries(atpCategories().categories.map((c) => [c.id, { en: c.en, zh: c.zh }])),
      'not-atp': { en: 'not advanced technology', zh: '非高技术产品' },
    },
  },
];

/** Returns the group set with this id, or throws listing the known ones. */
export function groupSet(id: string): ProductGroupSet {
  const set = GROUP_SETS.find((s) => s.id === id);
  if (set) return set;
  const users = userGroupSets();
  const user = users.find((s) => s.id === id);
  if (user) return user.set;
  throw new Error(
    `unknown product group set '${id}' (known: ${[...GROUP_SETS, ...users].map((s) => s.id).join(', ')}; add your own in $DECOUPLE_PRODUCT_GROUPS)`,
  );
}

const userFileSchema = z.object({
  sets: z.array(
    z.object({
      id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case kebab-case'),
      name_en: z.string().min(1),
      name_zh: z.string().min(1),
      source: z.string().min(1),
      groups: z.array(
        z.object({
          name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case kebab-case'),
          name_en: z.string().min(1),
          name_zh: z.string().min(1),
          /** HS code prefixes (2, 4 or 6 digits), valid in any vintage the user applies them to. */
          hs: z.array(z.string().regex(/^\d{2}(\d{2}){0,2}$/, 'HS code of 2, 4 or 6 digits')).min(1),
        }),
      ),
    }),
  ),
});

/** Returns the user's product group sets from $DECOUPLE_PRODUCT_GROUPS (a YAML file), if any. */
export function userGroupSets(): Array<{
  id: string;
  set: ProductGroupSet;
  prefixes: Array<{ group: string; hs: string }>;
}> {
  const path = setting('DECOUPLE_PRODUCT_GROUPS');
  if (!path) return [];
  if (!existsSync(path)) throw new Error(`DECOUPLE_PRODUCT_GROUPS names ${path}, which does not exist`);
  const file = readFactFile(path, userFileSchema);
  return file.sets.map((s) => ({
    id: s.id,
    set: {
      id: s.id,
      name: { en: s.name_en, zh: s.name_zh },
      definition: `user-defined HS prefixes (${path})`,
      source: s.source,
      groups: Object.fromEntries(s.groups.map((g) => [g.name, { en: g.name_en, zh: g.name_zh }])),
    },
    prefixes: s.groups.flatMap((g) => g.hs.map((hs) => ({ group: g.name, hs }))),
  }));
}

function valuesSql(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([code, group]) => `('${code}', '${group}')`)
    .join(', ');
}

/**
 * Creates the temporary table `pg (classification, product, group_name,
 * weight)` assigning the HS6 codes of the flow base `fb` to the groups of a
 * set; weights split codes that map to several groups. Returns the share of
 * the base's value that no group covers, in percent.
 */
export async function createProductGroups(store: Store, setId: string): Promise<number> {
  // The user's file is read once; built-in sets are found without it.
  const user = userGroupSets().find((s) => s.id === setId);
  const set = user?.set ?? groupSet(setId);
  if (user) {
    const prefixes = user.prefixes.map((p) => `('${p.group}', '${p.hs}')`).join(', ');
    // The longest matching prefix decides, so a 6-digit entry can carve a code out of a 4-digit one.
    await store.run(`CREATE OR REPLACE TEMP TABLE pg AS
      SELECT DISTINCT fb.classification, fb.product, p.group_name, 1.0 AS weight
      FROM (SELECT DISTINCT classification, product FROM fb) fb JOIN (VALUES ${prefixes}) p(group_name, hs) ON starts_with(fb.product, p.hs)
      QUALIFY length(p.hs) = max(length(p.hs)) OVER (PARTITION BY fb.classification, fb.product)`);
  } else if (setId === 'hs-chapter') {
    await store.run(
      `CREATE OR REPLACE TEMP TABLE pg AS SELECT DISTINCT classification, product, left(product, 2) AS group_name, 1.0 AS weight FROM fb`,
    );
  } else {
    const level = flowBaseLevel(store);
    if (level !== undefined && level < 6)
      throw new Error(
        `the product group set '${setId}' is defined on HS6 codes; compute at --level 6 on HS6 (or finer) data`,
      );
    if (setId.startsWith('bec-')) {
      await requirePack(store, 'hs-bec', `the product groups '${setId}'`);
      const map = setId === 'bec-stage' ? BEC_STAGE : BEC_CATEGORY;
      await store.run(`CREATE OR REPLACE TEMP TABLE pg AS
        SELECT classification, product, group_name, sum(w) AS weight FROM (
          SELECT c.from_classification AS classification, c.from_code AS product, m.group_name,
                 1.0 / count(*) OVER (PARTITION BY c.from_classification, c.from_code) AS w
          FROM concordances c JOIN (VALUES ${valuesSql(map)}) m(bec, group_name) ON m.bec = c.to_code
          WHERE c.to_classification = 'BEC4' AND c.from_classification IN (SELECT DISTINCT classification FROM fb_chosen))
        GROUP BY ALL`);
    } else if (setId === 'manufacturing') {
      await requirePack(store, 'hs-sitc', `the product groups '${setId}'`);
      // Same-vintage UN tables where they exist, else the WITS HS→SITC Rev.4 concordance.
      await store.run(`CREATE OR REPLACE TEMP TABLE pg AS
        WITH vint AS (SELECT DISTINCT classification FROM fb_chosen),
        direct AS (SELECT from_classification AS classification, from_code AS product, to_code AS sitc FROM concordances
                   WHERE to_classification = 'SITC4' AND from_classification IN (SELECT classification FROM vint)),
        fallback AS (SELECT v.classification, c.from_code AS product, c.to_code AS sitc FROM concordances c, vint v
                     WHERE c.from_classification = 'HS' AND c.to_classification = 'SITC4' AND v.classification NOT IN (SELECT classification FROM direct)),
        both_ AS (SELECT * FROM direct UNION ALL SELECT * FROM fallback)
        SELECT classification, product, group_name, sum(w) AS weight FROM (
          SELECT classification, product,
                 CASE WHEN left(sitc, 1) IN ('5', '6', '7', '8') AND left(sitc, 2) <> '68' THEN 'manufactured' ELSE 'other' END AS group_name,
                 1.0 / count(*) OVER (PARTITION BY classification, product) AS w
          FROM both_)
        GROUP BY ALL`);
    } else if (setId === 'atp') {
      await createAtpGroups(store);
    } else {
      throw new Error(`product group set '${set.id}' has no builder`);
    }
  }
  const cover =
    await store.one(`SELECT 100 * sum(fb.value_usd) FILTER (WHERE pg.product IS NULL) / nullif(sum(fb.value_usd), 0) AS uncovered
    FROM (SELECT classification, product, sum(value_usd) AS value_usd FROM fb GROUP BY ALL) fb
    LEFT JOIN (SELECT DISTINCT classification, product FROM pg) pg USING (classification, product)`);
  return Number(cover?.uncovered ?? 0);
}

/**
 * Creates `pg` for the ATP groups (see the set's definition): with the import
 * concordance (pack census-atp), 10-digit codes exactly, HS6 codes split by US
 * import value (else line counts); with only the Schedule B export concordance
 * (pack census-atp-exports), every code through its HS6 subheading's split of
 * Schedule B lines. Other HS vintages go through the UN conversion tables.
 */
async function createAtpGroups(store: Store): Promise<void> {
  const imports = await store.one(`SELECT 1 AS x FROM reference_packs WHERE pack = 'census-atp'`);
  if (!imports) await requirePack(store, 'census-atp-exports', `the product groups 'atp' (without census-atp)`);
  const edition = htsVintageForYear(imports ? ATP_EDITION : ATP_EXPORT_EDITION);
  const tenDigit = imports ? 'HTS10' : 'NONE';
  const ids = valuesSql({
    ...Object.fromEntries(atpCategories().categories.map((c) => [c.code, c.id])),
    '00': 'not-atp',
  });
  if (imports) {
    await store.run(`CREATE OR REPLACE TEMP TABLE atp_hs6 AS
    WITH lines AS (SELECT from_code AS hs6, to_code AS code, weight FROM concordances WHERE to_classification = 'ATP' AND relationship = 'line-share' AND from_classification = '${edition}'),
    us AS (
      SELECT f.product AS hts10, sum(f.value_usd) AS v FROM flows f
      WHERE f.importer = 'USA' AND f.product_level = 10 AND f.classification = '${edition}'
        AND f.exporter NOT IN (SELECT iso3 FROM countries WHERE is_aggregate)
        AND f.year = (SELECT max(year) FROM flows WHERE importer = 'USA' AND product_level = 10 AND classification = '${edition}')
      GROUP BY ALL),
    coded AS (
      SELECT left(us.hts10, 6) AS hs6, coalesce(c.to_code, '00') AS code, sum(us.v) AS v
      FROM us LEFT JOIN concordances c ON c.from_classification = 'HTS10' AND c.to_classification = 'ATP' AND c.from_code = us.hts10
      GROUP BY ALL),
    valued AS (SELECT hs6, code, v / sum(v) OVER (PARTITION BY hs6) AS weight FROM coded QUALIFY sum(v) OVER (PARTITION BY hs6) > 0)
    SELECT hs6, code, weight FROM valued
    UNION ALL SELECT hs6, code, weight FROM lines WHERE hs6 NOT IN (SELECT hs6 FROM valued)`);
  } else {
    await store.run(`CREATE OR REPLACE TEMP TABLE atp_hs6 AS
      SELECT from_code AS hs6, to_code AS code, weight FROM concordances
      WHERE to_classification = 'ATP' AND relationship = 'export-line-share' AND from_classification = '${edition}'`);
  }
  // Without HTS10 flags, a 10-digit code is placed through its HS6 subheading (key6).
  await store.run(`CREATE OR REPLACE TEMP TABLE pg AS
    WITH prods AS (SELECT DISTINCT classification, product, CASE WHEN length(product) = 6 OR '${tenDigit}' = 'NONE' THEN left(product, 6) END AS key6 FROM fb),
    exact AS (
      SELECT p.classification, p.product, coalesce(c.to_code, '00') AS code, 1.0 AS weight FROM prods p
      LEFT JOIN concordances c ON c.from_classification = '${tenDigit}' AND c.to_classification = 'ATP' AND c.from_code = p.product
      WHERE length(p.product) = 10 AND p.key6 IS NULL),
    same AS (
      SELECT p.classification, p.product, a.code, a.weight FROM prods p JOIN atp_hs6 a ON a.hs6 = p.key6
      WHERE p.classification = '${edition}'),
    links AS (
      SELECT DISTINCT p.classification, p.product, c.from_code AS hs6 FROM prods p
      JOIN concordances c ON c.from_classification = '${edition}' AND c.to_classification = p.classification AND c.to_code = p.key6
      WHERE p.classification <> '${edition}' AND c.from_code IN (SELECT hs6 FROM atp_hs6)
      UNION
      SELECT DISTINCT p.classification, p.product, c.to_code AS hs6 FROM prods p
      JOIN concordances c ON c.from_classification = p.classification AND c.to_classification = '${edition}' AND c.from_code = p.key6
      WHERE p.classification <> '${edition}' AND c.to_code IN (SELECT hs6 FROM atp_hs6)),
    n AS (SELECT classification, product, count(*) AS n FROM links GROUP BY ALL),
    other AS (
      SELECT l.classification, l.product, a.code, sum(a.weight) / any_value(n.n) AS weight
      FROM links l JOIN n USING (classification, product) JOIN atp_hs6 a ON a.hs6 = l.hs6
      GROUP BY l.classification, l.product, a.code)
    SELECT classification, product, m.group_name, sum(weight) AS weight
    FROM (SELECT * FROM exact UNION ALL SELECT * FROM same UNION ALL SELECT * FROM other) x JOIN (VALUES ${ids}) m(code, group_name) USING (code)
    GROUP BY ALL HAVING sum(weight) > 0`);
}
