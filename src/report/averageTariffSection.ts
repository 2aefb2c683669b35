import type { Row, Store } from '../store/store.js';
import type { Iso3 } from '../core/index.js';
import { findIndicator } from '../indicators/registry.js';
import { indicatorDefaults } from '../indicators/params.js';
import type { ReportChart, ReportTable } from './reportModel.js';

type Lang = 'en' | 'zh';

/** The layers of the stack as the report names them, in stacking order. */
const LAYERS: Array<{ column: string; en: string; zh: string }> = [
  { column: 'mfn_pct', en: 'MFN', zh: '最惠国税率' },
  { column: 'section301_pct', en: 'Section 301', zh: '301条款' },
  { column: 'section232_pct', en: 'Section 232', zh: '232条款' },
  { column: 'ieepa_fentanyl_pct', en: 'IEEPA (fentanyl)', zh: 'IEEPA（芬太尼）' },
  { column: 'ieepa_reciprocal_pct', en: 'IEEPA (reciprocal)', zh: 'IEEPA（对等关税）' },
];

/** Chinese names of the exemption and exclusion scopes the action column may carry. */
const SCOPES_ZH: Record<string, string> = {
  'IEEPA Annex II': '附件二豁免清单',
  'IEEPA Semiconductor': '半导体及电子产品豁免',
  'Pharmaceutical Agreement': '药品豁免',
  'IEEPA Statute': '法定豁免',
  exclusions: '产品排除',
};

export interface AverageTariffPart {
  table: ReportTable;
  chart: ReportChart;
  finding: string;
}

const pct = (v: unknown) => `${Number(v).toFixed(2)}%`;
const pp = (v: unknown) => Number(v).toFixed(2);

/** Returns "1 January 2018" or "2018年1月1日". */
function dateText(d: string, lang: Lang): string {
  const [y, m, day] = d.split('-').map(Number);
  if (lang === 'zh') return `${y}年${m}月${day}日`;
  const month = new Date(Date.UTC(y, m - 1, day)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${day} ${month} ${y}`;
}

/** Returns the actions column with measure ids replaced by the short titles of the measures, in the language. */
async function actionNames(store: Store, rows: Row[], lang: Lang): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const m of await store.all(`SELECT measure_id, title_en, title_zh FROM measures`))
    titles.set(String(m.measure_id), String(lang === 'zh' ? m.title_zh : m.title_en).split(/ — |——/)[0]);
  const out = new Map<string, string>();
  for (const r of rows) {
    if (!r.actions) continue;
    const parts = String(r.actions)
      .split(', ')
      .map((a) => {
        const m = /^([a-z0-9-]+)(?: \((.*)\))?$/.exec(a);
        if (!m) return a;
        const title = titles.get(m[1]) ?? m[1];
        if (!m[2]) return title;
        const scope = lang === 'zh' ? (SCOPES_ZH[m[2]] ?? m[2]) : m[2];
        return lang === 'zh' ? `${title}（${scope}）` : `${title} (${scope})`;
      });
    out.set(String(r.actions), [...new Set(parts)].join(lang === 'zh' ? '；' : '; '));
  }
  return out;
}

/**
 * Returns the average US tariff on imports from China at every action date (table, stacked step chart by layer
 * with PIIE's published figures as points, and a finding); throws what is missing when it cannot be computed.
 */
export async function averageTariffPart(
  store: Store,
  importer: string,
  exporter: string,
  lang: Lang,
): Promise<AverageTariffPart> {
  const res = await findIndicator('average-tariff').compute(
    store,
    indicatorDefaults({ reporter: importer as Iso3, partner: exporter as Iso3, years: [2018, 2025], weights: 2017 }),
  );
  const names = await actionNames(store, res.rows, lang);
  const rows = res.rows.map((r) => ({
    date: r.date,
    actions: r.actions ? (names.get(String(r.actions)) ?? r.actions) : null,
    average_pct: r.average_pct,
    ...Object.fromEntries(LAYERS.map((l) => [l.column, r[l.column]])),
    covered_pct: r.covered_pct,
    published_pct: r.published_pct,
  }));
  const id = `average-tariff-${importer}-${exporter}`;
  const table: ReportTable = {
    id,
    title:
      lang === 'zh'
        ? `${importer}对${exporter}商品的贸易加权平均关税（按税目逐层计算）`
        : `${importer}'s trade-weighted average tariff on goods from ${exporter}, layer by layer from the tariff lines`,
    rows,
    notes: res.notes,
  };
  const points = res.rows.flatMap((r) =>
    LAYERS.map((l, k) => ({ date: r.date, layer: l[lang], order: k, value: r[l.column] })),
  );
  const published = res.rows
    .filter((r) => r.published_pct !== null)
    .map((r) => ({ date: r.date, published: r.published_pct }));
  const chart: ReportChart = {
    id: `${id}-chart`,
    title:
      lang === 'zh'
        ? `${importer}对${exporter}商品的平均关税（%，按2017年进口加权；黑点：PIIE公布值）`
        : `${importer}'s average tariff on goods from ${exporter} (%, 2017 import weights; dots: PIIE's published figures)`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 600,
      height: 260,
      layer: [
        {
          data: { values: points },
          mark: { type: 'area', interpolate: 'step-after' },
          encoding: {
            x: { field: 'date', type: 'temporal', title: lang === 'zh' ? '日期' : 'date' },
            y: { field: 'value', type: 'quantitative', stack: 'zero', title: '%' },
            color: {
              field: 'layer',
              type: 'nominal',
              sort: LAYERS.map((l) => l[lang]),
              scale: { scheme: 'colorblind' },
              title: lang === 'zh' ? '关税层' : 'layer',
            },
            order: { field: 'order' },
            tooltip: [
              { field: 'date', type: 'temporal' },
              { field: 'layer', type: 'nominal' },
              { field: 'value', type: 'quantitative', format: '.2f' },
            ],
          },
        },
        {
          data: { values: published },
          mark: { type: 'point', filled: true, color: 'black' },
          encoding: {
            x: { field: 'date', type: 'temporal' },
            y: { field: 'published', type: 'quantitative' },
          },
        },
      ],
    },
  };
  const first = res.rows[0];
  const last = res.rows[res.rows.length - 1];
  const peak = res.rows.reduce((a, b) => (Number(b.average_pct) > Number(a.average_pct) ? b : a));
  const finding =
    lang === 'zh'
      ? `按2017年进口结构加权，${importer}对${exporter}商品的平均关税${dateText(String(first.date), lang)}为${pct(first.average_pct)}，${dateText(String(peak.date), lang)}达到最高的${pct(peak.average_pct)}，${dateText(String(last.date), lang)}为${pct(last.average_pct)}；其中301条款${pp(last.section301_pct)}个百分点、IEEPA ${pp(Number(last.ieepa_fentanyl_pct) + Number(last.ieepa_reciprocal_pct))}个百分点、232条款${pp(last.section232_pct)}个百分点。`
      : `At 2017 import weights, ${importer}'s average tariff on goods from ${exporter} was ${pct(first.average_pct)} on ${dateText(String(first.date), lang)}, peaked at ${pct(peak.average_pct)} on ${dateText(String(peak.date), lang)} and stood at ${pct(last.average_pct)} on ${dateText(String(last.date), lang)}: Section 301 ${pp(last.section301_pct)} pp, IEEPA ${pp(Number(last.ieepa_fentanyl_pct) + Number(last.ieepa_reciprocal_pct))} pp, Section 232 ${pp(last.section232_pct)} pp.`;
  return { table, chart, finding };
}
