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
  { column: 'section122_pct', en: 'Section 122', zh: '122条款' },
];

/** The layers of a stack on total applied rates (China on the US), in stacking order; cuts are net in the first. */
const TOTAL_RATE_LAYERS: Array<{ column: string; en: string; zh: string }> = [
  {
    column: 'applied_pct',
    en: 'Applied rates of the rate file, net of later cuts',
    zh: '税率文件所载实际适用税率（扣除其后减税）',
  },
  { column: 'later_lines_pct', en: 'Later duties on listed lines', zh: '其后按税目加征' },
  { column: 'later_all_goods_pct', en: 'Later duty on all goods', zh: '其后对全部商品加征' },
];

/** The Okabe–Ito palette (Okabe and Ito 2008, "Color Universal Design"), distinguishable with colour blindness. */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442'];

/** Chinese names of the exemption and exclusion scopes the action column may carry. */
const SCOPES_ZH: Record<string, string> = {
  'IEEPA Annex II': '附件二豁免清单',
  'IEEPA Semiconductor': '半导体及电子产品豁免',
  'Pharmaceutical Agreement': '药品豁免',
  'IEEPA Statute': '法定豁免',
  exclusions: '产品排除',
  'Section 122 Annex II': '122条款附件二豁免',
  'Section 122 Annex II (Ex)': '122条款附件二豁免（税目内部分商品）',
  'Section 122 Annex II Aircraft (drones)': '122条款附件二航空器豁免（无人机）',
  'Section 122 Annex II Aircraft (generalisation)': '122条款附件二航空器豁免',
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
    // One entry per measure, its scopes (exemptions, exclusions) listed together.
    const byTitle = new Map<string, string[]>();
    for (const a of String(r.actions).split(', ')) {
      const m = /^([a-z0-9-]+)(?: \((.*)\))?$/.exec(a);
      const title = m ? (titles.get(m[1]) ?? m[1]) : a;
      const scopes = byTitle.get(title) ?? [];
      if (m?.[2]) scopes.push(lang === 'zh' ? (SCOPES_ZH[m[2]] ?? m[2]) : m[2]);
      byTitle.set(title, scopes);
    }
    const parts = [...byTitle].map(([title, scopes]) =>
      scopes.length === 0
        ? title
        : lang === 'zh'
          ? `${title}（${scopes.join('、')}）`
          : `${title} (${scopes.join(', ')})`,
    );
    out.set(String(r.actions), parts.join(lang === 'zh' ? '；' : '; '));
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
    indicatorDefaults({ reporter: importer as Iso3, partner: exporter as Iso3, weights: 2017 }),
  );
  const names = await actionNames(store, res.rows, lang);
  // Layers where the stack is known line by line (the US on China); total rates with later layers otherwise.
  const layered = res.rows.length > 0 && 'mfn_pct' in res.rows[0];
  const onTotals = res.rows.length > 0 && 'applied_pct' in res.rows[0];
  const mirror = res.notes.some((n) => n.includes('(mirror'));
  const rows = res.rows.map((r) => ({
    date: r.date,
    actions: r.actions ? (names.get(String(r.actions)) ?? r.actions) : null,
    average_pct: r.average_pct,
    ...(layered ? Object.fromEntries(LAYERS.map((l) => [l.column, r[l.column]])) : {}),
    ...(onTotals
      ? Object.fromEntries([...TOTAL_RATE_LAYERS.map((l) => l.column), 'rate_cuts_pct'].map((c) => [c, r[c]] as const))
      : {}),
    covered_pct: r.covered_pct,
    ...('bown_hs6_section301_pct' in r ? { bown_hs6_section301_pct: r.bown_hs6_section301_pct } : {}),
    published_pct: r.published_pct,
  }));
  const id = `average-tariff-${importer}-${exporter}`;
  // The main text: the first and last dates and those on which the average moves by half a point or more.
  const keyRows = rows
    .map((r, i) => ({ r, i }))
    .filter(
      ({ r, i }) =>
        i === 0 || i === rows.length - 1 || Math.abs(Number(r.average_pct) - Number(rows[i - 1].average_pct)) >= 0.5,
    )
    .map(({ i }) => i);
  const table: ReportTable = {
    id,
    keyRows,
    title:
      lang === 'zh'
        ? `${importer}对${exporter}商品的贸易加权平均关税（${layered ? '按税目逐层计算' : '按HS6位实际适用总税率及其后措施计算'}）`
        : `${importer}'s trade-weighted average tariff on goods from ${exporter}, ${layered ? 'layer by layer from the tariff lines' : 'from total applied rates by HS6 and the later actions'}`,
    rows,
    notes: res.notes,
  };
  const totalLayer = { column: 'average_pct', en: 'Total applied rate', zh: '实际适用总税率' };
  const layers = layered ? LAYERS : onTotals ? TOTAL_RATE_LAYERS : [totalLayer];
  const points = res.rows.flatMap((r) =>
    layers.map((l, k) => ({ date: r.date, layer: l[lang], order: k, value: r[l.column] })),
  );
  const published = res.rows
    .filter((r) => r.published_pct !== null)
    .map((r) => ({ date: r.date, published: r.published_pct }));
  const chart: ReportChart = {
    id: `${id}-chart`,
    title:
      lang === 'zh'
        ? `${importer}对${exporter}商品的平均关税（%，按2017年${mirror ? `${exporter}对${importer}出口（镜像）` : '进口'}加权；黑点：PIIE公布值）`
        : `${importer}'s average tariff on goods from ${exporter} (%, 2017 ${mirror ? `weights from ${exporter}'s exports to ${importer} (mirror)` : 'import weights'}; dots: PIIE's published figures)`,
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
              sort: layers.map((l) => l[lang]),
              scale: { range: OKABE_ITO },
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
  const weightsZh = mirror ? `按2017年${exporter}对${importer}出口（镜像数据）加权` : '按2017年进口结构加权';
  const weightsEn = mirror
    ? `At 2017 weights from ${exporter}'s exports to ${importer} (mirror)`
    : 'At 2017 import weights';
  // The additional layers in force on the last date, in stacking order.
  const added = [
    { en: 'Section 301', zh: '301条款', v: Number(last.section301_pct) },
    { en: 'IEEPA', zh: 'IEEPA', v: Number(last.ieepa_fentanyl_pct) + Number(last.ieepa_reciprocal_pct) },
    { en: 'Section 232', zh: '232条款', v: Number(last.section232_pct) },
    { en: 'Section 122', zh: '122条款', v: Number(last.section122_pct) },
  ].filter((l) => l.v > 0);
  const layersZh =
    layered && added.length
      ? [`；其中${added.map((l) => `${l.zh}${l.zh === 'IEEPA' ? ' ' : ''}${pp(l.v)}个百分点`).join('、')}`]
      : onTotals
        ? ['；']
        : [];
  const layersEn = layered && added.length ? [`: ${added.map((l) => `${l.en} ${pp(l.v)} pp`).join(', ')}`] : [];
  if (onTotals) {
    const later = Number(last.later_lines_pct) + Number(last.later_all_goods_pct);
    const cut = Number(last.rate_cuts_pct);
    if (lang === 'zh') {
      layersZh.push(`其中税率文件所载税率${pp(last.applied_pct)}个百分点`);
      if (cut < 0) layersZh.push(`（已扣除其后减税${pp(-cut)}个百分点）`);
      if (later > 0) layersZh.push(`、其后加征${pp(later)}个百分点`);
    } else {
      layersEn.push(`: the rate file's applied rates ${pp(last.applied_pct)} pp`);
      if (cut < 0) layersEn.push(` (net of later cuts of ${pp(-cut)} pp)`);
      if (later > 0) layersEn.push(`, later duties ${pp(later)} pp`);
    }
  }
  const finding =
    lang === 'zh'
      ? `${weightsZh}，${importer}对${exporter}商品的平均关税${dateText(String(first.date), lang)}为${pct(first.average_pct)}，${dateText(String(peak.date), lang)}达到最高的${pct(peak.average_pct)}，${dateText(String(last.date), lang)}为${pct(last.average_pct)}${layersZh.join('')}。`
      : `${weightsEn}, ${importer}'s average tariff on goods from ${exporter} was ${pct(first.average_pct)} on ${dateText(String(first.date), lang)}, peaked at ${pct(peak.average_pct)} on ${dateText(String(peak.date), lang)} and stood at ${pct(last.average_pct)} on ${dateText(String(last.date), lang)}${layersEn.join('')}.`;
  return { table, chart, finding };
}
