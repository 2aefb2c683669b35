import type { Row, Store } from '../store/store.js';
import type { Iso3 } from '../core/index.js';
import { findIndicator } from '../indicators/registry.js';
import { indicatorDefaults } from '../indicators/params.js';
import { groupSet } from '../indicators/productGroups.js';
import { summariseChange } from '../indicators/changeSummary.js';
import { SEED_SOURCE } from '../reference/seedFigures.js';
import type { Lang, ReportChart, ReportTable } from './reportModel.js';

/**
 * A product-group view of the supply-chain section: which set, which groups, and the paper's published series for
 * it.
 */
export interface GroupShareView {
  id: string;
  set: string;
  /** Only these groups of the set (all when absent). */
  groups?: string[];
  title: { en: string; zh: string };
  /** Published series (embedded paper tables) by group: indicator name for a flow. */
  published?: (group: string, flow: 'export' | 'import') => string;
}

const PAPER_BEC: Record<string, string> = {
  'food-industry': 'food_beverages_industry',
  'industrial-supplies': 'industrial_supplies',
  'parts-accessories': 'parts_accessories',
};
const PAPER_ATP: Record<string, string> = {
  biotechnology: 'biotechnology',
  'life-science': 'life_science',
  'opto-electronics': 'opto_electronics',
  'information-communications': 'computers_communications',
  electronics: 'electronics',
  'flexible-manufacturing': 'computer_integrated_manufacturing',
  'advanced-materials': 'materials',
  aerospace: 'aerospace',
};

/**
 * The supply-chain views of the papers: intermediate goods by BEC category, manufacturing, the eight high-tech
 * categories.
 */
export const GROUP_SHARE_VIEWS: GroupShareView[] = [
  {
    id: 'bec',
    set: 'bec-category',
    groups: ['food-industry', 'industrial-supplies', 'parts-accessories'],
    title: { en: 'intermediate goods by BEC category', zh: '按BEC类别的中间品' },
    published: (g, flow) => `bec_${PAPER_BEC[g]}_${flow}_share_pct`,
  },
  {
    id: 'manufacturing',
    set: 'manufacturing',
    groups: ['manufactured'],
    title: { en: 'manufactured goods', zh: '制成品' },
    published: (_g, flow) => `manufacturing_${flow}_share_pct`,
  },
  {
    id: 'hightech',
    set: 'atp',
    groups: Object.keys(PAPER_ATP),
    title: { en: 'the eight high-technology categories', zh: '八类高技术产品' },
    published: (g, flow) => `hightech_${PAPER_ATP[g]}_${flow}_share_pct`,
  },
];

/**
 * Returns the partner's share of the reporter's exports and imports in each
 * group of a view, per year: computed from the flows loaded where the product
 * data allow, else the paper's published figures for the pair (marked as
 * such), else nothing with the reason in `missing`.
 */
export async function groupShareRows(
  store: Store,
  view: GroupShareView,
  R: Iso3,
  P: Iso3,
  years: [number, number] | undefined,
  missing: string[],
): Promise<{ rows: Row[]; notes: string[]; published: boolean }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const def = groupSet(view.set);
  const wanted = (g: string) => !view.groups || view.groups.includes(g);
  for (const flow of ['export', 'import'] as const) {
    try {
      const res = await findIndicator('bilateral-share').compute(
        store,
        indicatorDefaults({ reporter: R, partner: P, flow, years, group: { set: view.set } }),
      );
      for (const r of res.rows) {
        const g = String(r.group).slice(view.set.length + 1);
        if (wanted(g))
          rows.push({
            year: r.year,
            group: g,
            group_label: def.groups[g]?.en ?? g,
            group_zh: def.groups[g]?.zh ?? g,
            flow,
            share_pct: r.share_pct,
            partner_usd: r.partner_usd,
            basis: 'computed',
          });
      }
      notes.push(...res.notes.filter((n) => !notes.includes(n)));
    } catch (err) {
      missing.push(`${view.title.en}, ${flow}s: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (rows.length || !view.published) return { rows, notes, published: false };
  const indicators = (view.groups ?? []).flatMap((g) =>
    (['export', 'import'] as const).map((flow) => ({ g, flow, indicator: view.published!(g, flow) })),
  );
  const published = await store.all(
    `SELECT s.indicator, s.year, s.value, s.note FROM series s JOIN datasets d USING (dataset_id)
     WHERE d.source = $1 AND s.country = $2 AND s.partner = $3 AND s.indicator IN (${indicators.map((i) => `'${i.indicator}'`).join(', ')})
       ${years ? `AND s.year BETWEEN ${years[0]} AND ${years[1]}` : ''} ORDER BY s.year`,
    [SEED_SOURCE, R, P],
  );
  for (const s of published) {
    const i = indicators.find((x) => x.indicator === s.indicator)!;
    rows.push({
      year: s.year,
      group: i.g,
      group_label: def.groups[i.g]?.en ?? i.g,
      group_zh: def.groups[i.g]?.zh ?? i.g,
      flow: i.flow,
      share_pct: s.value,
      partner_usd: null,
      basis: `published (not computed): Zhao & Liu (2025), ${String(s.note).replace(/, column.*/, '')}`,
    });
  }
  if (published.length)
    notes.push(
      'published figures from the embedded paper tables, not computations: import product-level data (and for high technology the census-atp pack) to compute them',
    );
  return { rows, notes, published: published.length > 0 };
}

/** Returns small multiples (one panel per group) of the share over time, exports and imports, as a Vega-Lite spec. */
export function groupShareChart(id: string, rows: Row[], title: string, lang: Lang): ReportChart {
  return {
    id,
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: {
        values: rows.map((r) => ({
          year: Number(r.year),
          share_pct: r.share_pct,
          flow: lang === 'zh' ? { export: '出口', import: '进口' }[String(r.flow)] : r.flow,
          group: lang === 'zh' ? r.group_zh : r.group_label,
        })),
      },
      facet: { field: 'group', type: 'nominal', title: null },
      columns: 4,
      spec: {
        width: 130,
        height: 90,
        mark: { type: 'line', point: { size: 12 } },
        encoding: {
          x: {
            field: 'year',
            type: 'quantitative',
            axis: { format: 'd', tickCount: 4 },
            title: lang === 'zh' ? '年份' : 'Year',
          },
          y: { field: 'share_pct', type: 'quantitative', title: lang === 'zh' ? '占比（%）' : 'Share (%)' },
          color: { field: 'flow', type: 'nominal', title: null },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/** Returns the finding for a view: the group whose share changed most between the first and last years, per flow. */
export function groupShareFinding(rows: Row[], view: GroupShareView, R: Iso3, P: Iso3, lang: Lang): string | undefined {
  const parts: string[] = [];
  for (const flow of ['export', 'import'] as const) {
    const changes = [...new Set(rows.filter((r) => r.flow === flow).map((r) => String(r.group)))]
      .flatMap((g) =>
        summariseChange(
          rows.filter((r) => r.flow === flow && r.group === g),
          'share_pct',
        ).map((s) => ({ g, s })),
      )
      .filter((c) => c.s.change_pp !== null);
    if (changes.length === 0) continue;
    const most = changes.sort((a, b) => Math.abs(Number(b.s.change_pp)) - Math.abs(Number(a.s.change_pp)))[0];
    const label = rows.find((r) => r.group === most.g)!;
    const pp = Number(most.s.change_pp);
    parts.push(
      lang === 'zh'
        ? `${{ export: '出口', import: '进口' }[flow]}中变化最大的是${label.group_zh}：从${most.s.from_year}年的${Number(most.s.from_value).toFixed(2)}%${pp < 0 ? '降至' : '升至'}${most.s.to_year}年的${Number(most.s.to_value).toFixed(2)}%（${pp >= 0 ? '+' : ''}${pp.toFixed(2)}个百分点）`
        : `in ${flow}s the largest change is in ${label.group_label}: from ${Number(most.s.from_value).toFixed(2)}% in ${most.s.from_year} to ${Number(most.s.to_value).toFixed(2)}% in ${most.s.to_year} (${pp >= 0 ? '+' : ''}${pp.toFixed(2)} pp)`,
    );
  }
  if (parts.length === 0) return undefined;
  return lang === 'zh'
    ? `${P}在${R}${view.title.zh}贸易中的占比：${parts.join('；')}。`
    : `${P}'s share of ${R}'s trade in ${view.title.en}: ${parts.join('; ')}.`;
}

/** Returns the table for a view. */
export function groupShareTable(
  id: string,
  rows: Row[],
  notes: string[],
  view: GroupShareView,
  R: Iso3,
  P: Iso3,
  lang: Lang,
): ReportTable {
  // Where no share is computable the table gives the values traded with the partner, and its title says so.
  const shares = rows.some((r) => typeof r.share_pct === 'number');
  return {
    id,
    title: shares
      ? lang === 'zh'
        ? `${P}在${R}${view.title.zh}进出口中的占比`
        : `${P}'s share of ${R}'s exports and imports of ${view.title.en}`
      : lang === 'zh'
        ? `${R}与${P}之间${view.title.zh}的进出口额（占比无法计算，原因见注）`
        : `${R}'s exports to and imports from ${P} of ${view.title.en} (shares not computable: see the notes)`,
    rows,
    notes,
    pivot: { keys: ['flow', 'group_label'], values: ['share_pct', 'partner_usd'] },
  };
}
