import { chapterTitleZh, hsProductZh } from '../reference/hsChapterTitles.js';
import { chartSource, styledSpec, titleWithYears } from './chartStyle.js';
import { cellText, publisherName } from './tablePresentation.js';
import { scenarioSection } from './scenarioSection.js';
import type { Row, Store } from '../store/store.js';
import type { Iso3 } from '../core/index.js';
import { findIndicator } from '../indicators/registry.js';
import { indicatorDefaults } from '../indicators/params.js';
import { headlineChange } from '../indicators/changeSummary.js';
import { measureCounts } from '../measures/measureQueries.js';
import { riskList } from '../risk/riskList.js';
import { readRiskConfig } from '../risk/riskConfig.js';
import { shareSentence } from './findings.js';
import { decouplingIndexSection, linksSection } from './linksSection.js';
import { eventStudy } from '../measures/eventStudy.js';
import { exportControlSection } from './exportControlSection.js';
import { addEntityCheck } from './entityCheckTable.js';
import {
  GROUP_SHARE_VIEWS,
  groupShareChart,
  groupShareFinding,
  groupShareRows,
  groupShareTable,
} from './groupShares.js';
import { maxOf, minOf } from '../util/extremes.js';
import { reportNames, withNames } from './economyNames.js';
import { averageTariffPart } from './averageTariffSection.js';

export type Lang = 'en' | 'zh';

export interface ReportTable {
  id: string;
  title: string;
  rows: Row[];
  notes: string[];
  /** The rows the main text shows (indexes into rows), where the table chooses them; the appendix has all. */
  keyRows?: number[];
  /**
   * Shown in the main text as one row per combination of `keys` and one column per key year, holding the first
   * of `values` that the rows carry (the appendix keeps the long form).
   */
  pivot?: { keys: string[]; values: string[] };
}

export interface ReportChart {
  id: string;
  title: string;
  /** The datasets the chart draws on, as its source line says them. */
  source?: string;
  /** A Vega-Lite specification with its data inline. */
  spec: Record<string, unknown>;
}

export interface ReportSection {
  id: string;
  title: string;
  findings: Array<{ text: string; table: string }>;
  tables: ReportTable[];
  charts: ReportChart[];
  /** Why a part could not be computed from the data loaded. */
  missing: string[];
}

export interface ReportModel {
  title: string;
  reporter: string;
  partner: string;
  years?: [number, number];
  lang: Lang;
  generated: string;
  /** True when no table was computed from imported data (everything is embedded reference data). */
  embeddedOnly: boolean;
  /** Tables whose figures are published reference figures, not computations. */
  published: string[];
  sections: ReportSection[];
  datasets: Row[];
  /** Economies' names in the report's language, by code (for the renderers' economy columns). */
  names: Record<string, string>;
}

const T = {
  title: { en: 'Decoupling and de-risking assessment', zh: '脱钩与去风险评估' },
  summary: { en: 'Summary of findings', zh: '主要发现' },
  measures: { en: 'Measures', zh: '措施概览' },
  trade: { en: 'Trade links', zh: '贸易联系' },
  supply: {
    en: 'Supply chains: intermediate, manufactured and high-tech goods, diversion and connectors',
    zh: '供应链：中间品、制成品、高技术产品、贸易转移与间接关联',
  },
  tariffs: { en: 'Tariff exposure and the effect of tariffs', zh: '加征关税覆盖与关税效应' },
  exportControls: { en: 'Export controls and the trade in controlled goods', zh: '出口管制与受管制物项贸易' },
  links: { en: 'Investment, people, research and financial links', zh: '投资、人员、科研与金融联系' },
  index: { en: 'Composite decoupling index', zh: '综合脱钩指数' },
  risk: { en: 'Risk list', zh: '风险清单' },
  scenarios: { en: 'Scenarios: what further decoupling would do', zh: '情景分析：进一步脱钩的影响' },
  data: { en: 'Data notes', zh: '数据说明' },
} as const;

async function attempt<T>(missing: string[], label: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    missing.push(`${label}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/**
 * Returns chart points with a `segment` per series that changes at every
 * series break or missing year, and the basis (computed or published), so a
 * line is drawn only within one consistent run.
 */
function withSegments(rows: Row[], basisLabels: { published: string; computed: string }): Row[] {
  const out: Row[] = [];
  const last = new Map<string, { year: number; segment: number; published: boolean }>();
  for (const r of [...rows].sort((a, b) => Number(a.year) - Number(b.year))) {
    if (r.share_pct === null || r.share_pct === undefined) continue;
    const key = String(r.series);
    const year = Number(r.year);
    const published = String(r.basis ?? '').startsWith('published');
    const prev = last.get(key);
    const segment = !prev
      ? 0
      : r.series_break === true || year !== prev.year + 1 || published !== prev.published
        ? prev.segment + 1
        : prev.segment;
    last.set(key, { year, segment, published });
    out.push({
      year,
      share_pct: r.share_pct,
      series: r.series,
      segment: `${key}-${segment}`,
      basis: published ? basisLabels.published : basisLabels.computed,
    });
  }
  return out;
}

/** Returns the line chart of shares over time with measure years marked, as a Vega-Lite spec. */
function shareChart(rows: Row[], marks: Row[], title: string, lang: Lang): ReportChart {
  const markYears = measureYears(marks, lang);
  return {
    id: 'trade-shares-chart',
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 680,
      height: 280,
      layer: [
        {
          data: {
            values: withSegments(
              rows,
              lang === 'zh'
                ? { published: '论文公布值', computed: '计算值' }
                : { published: 'published', computed: 'computed' },
            ),
          },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'year', type: 'quantitative', axis: { format: 'd' }, title: lang === 'zh' ? '年份' : 'Year' },
            y: { field: 'share_pct', type: 'quantitative', title: lang === 'zh' ? '占比（%）' : 'Share (%)' },
            color: { field: 'series', type: 'nominal', title: null },
            // A new line at each series break or gap: no line joins two sources, two bases or across missing years.
            detail: { field: 'segment', type: 'nominal' },
            shape: { field: 'basis', type: 'nominal', title: null },
          },
        },
        {
          data: { values: markYears },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
          encoding: { x: { field: 'year', type: 'quantitative' }, tooltip: { field: 'ids' } },
        },
        // Each year's count of measures at the top, on two alternating rows so neighbouring labels do not collide.
        {
          data: { values: markYears },
          mark: { type: 'text', fontSize: 9, color: '#555', baseline: 'middle' },
          encoding: {
            x: { field: 'year', type: 'quantitative' },
            y: { field: 'py', type: 'quantitative', scale: null },
            text: { field: 'label' },
          },
        },
      ],
    },
  };
}

/** Returns the measures of a chart grouped by year: one rule mid-year with the count as its label. */
function measureYears(marks: Row[], lang: Lang): Row[] {
  const byYear = new Map<number, string[]>();
  for (const m of marks) {
    const y = Number(String(m.effective ?? m.announced).slice(0, 4));
    byYear.set(y, [...(byYear.get(y) ?? []), String(m.id)]);
  }
  return [...byYear]
    .sort((a, b) => a[0] - b[0])
    .map(([y, ids], i) => ({
      year: y + 0.5,
      label: lang === 'zh' ? `${ids.length}项` : String(ids.length),
      ids: ids.join(', '),
      py: i % 2 === 0 ? 6 : 17,
    }));
}

/**
 * Returns the assessment report for a pair: summary, measures, trade links,
 * tariff exposure, risk list and data notes, every table computed from the
 * store through the indicator registry (or, on a fresh machine, the embedded
 * published figures, said so), each finding a sentence built from a table.
 */
export async function buildReport(
  store: Store,
  o: { reporter: Iso3; partner: Iso3; years?: [number, number]; lang: Lang },
): Promise<ReportModel> {
  const { reporter: R, partner: P, lang } = o;
  const names = await reportNames(store, lang);
  const sections: ReportSection[] = [];
  const summary: ReportSection = {
    id: 'summary',
    title: T.summary[lang],
    findings: [],
    tables: [],
    charts: [],
    missing: [],
  };
  sections.push(summary);

  // Measures.
  const measures: ReportSection = {
    id: 'measures',
    title: T.measures[lang],
    findings: [],
    tables: [],
    charts: [],
    missing: [],
  };
  // The measures between the two (one's against the other, or against all); third parties' are counted in a note.
  const filter = {
    from: o.years ? `${o.years[0]}-01-01` : undefined,
    to: o.years ? `${o.years[1]}-12-31` : undefined,
    pair: [R, P] as [string, string],
  };
  const thirdParty = await store.one(
    `SELECT count(*) AS n FROM measures m WHERE m.actor NOT IN ($1, $2)
       AND (list_contains(string_split(m.targets, ','), $1) OR list_contains(string_split(m.targets, ','), $2))`,
    [R, P],
  );
  const byYear = await measureCounts(store, 'year', filter, lang);
  const byField = await measureCounts(store, 'field', filter, lang);
  const byActor = await measureCounts(store, 'actor', filter, lang);
  measures.tables.push({
    id: 'measures-by-year',
    title: lang === 'zh' ? '按年份的措施数' : 'Measures by year',
    rows: byYear,
    notes: [],
  });
  measures.tables.push({
    id: 'measures-by-field',
    title: lang === 'zh' ? '按领域的措施数' : 'Measures by field',
    rows: byField,
    notes: [],
  });
  measures.tables.push({
    id: 'measures-by-actor',
    title: lang === 'zh' ? '按实施方的措施数' : 'Measures by actor',
    rows: byActor,
    notes: [],
  });
  const total = byYear.reduce((s, r) => s + Number(r.measures), 0);
  const counter = byYear.reduce((s, r) => s + Number(r.countermeasures), 0);
  const top = byField[0];
  measures.findings.push({
    table: 'measures-by-field',
    text: !top
      ? lang === 'zh'
        ? '措施库中没有这一时期的措施。'
        : 'The measures registry holds no measures for this period.'
      : lang === 'zh'
        ? `措施库收录${R}与${P}之间的措施${total}项（其中反制措施${counter}项），数量最多的领域是“${top.field}”（${top.measures}项）。`
        : `The measures registry holds ${total} measures between ${R} and ${P} in this period (${counter} of them countermeasures); the field with the most is "${top.field}" (${top.measures}).`,
  });
  if (Number(thirdParty?.n))
    measures.tables
      .find((t) => t.id === 'measures-by-actor')
      ?.notes.push(
        lang === 'zh'
          ? `以上只计${R}与${P}之间的措施；措施库另有${thirdParty?.n}项第三方针对其中一方的措施（如盟友的出口管制），可用 decouple measures --target 查看。`
          : `Only measures between ${R} and ${P} are counted; the registry holds ${thirdParty?.n} more taken by third parties against one of them (allies' export controls, for instance): decouple measures --target lists them.`,
      );
  await addEntityCheck(store, R, P, lang, measures);
  sections.push(measures);

  // Trade links: the partner's share of the reporter's exports, imports and total trade.
  const trade: ReportSection = { id: 'trade', title: T.trade[lang], findings: [], tables: [], charts: [], missing: [] };
  const share = findIndicator('bilateral-share');
  const series: Row[] = [];
  const published: string[] = [];
  for (const flow of ['export', 'import', 'total'] as const) {
    const res = await attempt(trade.missing, `bilateral-share ${flow}`, () =>
      share.compute(store, indicatorDefaults({ reporter: R, partner: P, flow, years: o.years })),
    );
    if (!res || res.rows.length === 0) continue;
    const id = `share-${flow}`;
    if (res.rows.some((r) => String(r.basis ?? '').startsWith('published'))) published.push(id);
    trade.tables.push({
      id,
      title:
        lang === 'zh'
          ? `${P}在${R}${{ export: '出口', import: '进口', total: '贸易总额' }[flow]}中的占比`
          : `${P}'s share of ${R}'s ${flow === 'total' ? 'total trade' : `${flow}s`}`,
      rows: res.rows,
      notes: res.notes,
    });
    for (const r of res.rows)
      series.push({
        year: r.year,
        share_pct: r.share_pct,
        series:
          lang === 'zh'
            ? { export: '出口', import: '进口', total: '贸易总额' }[flow]
            : `${flow === 'total' ? 'total trade' : `${flow}s`}`,
        series_break: r.series_break,
        basis: r.basis,
      });
    const s = headlineChange(res.rows);
    const onlyPublished = !res.rows.some((x) => String(x.basis ?? '').startsWith('computed'));
    const mark = onlyPublished
      ? lang === 'zh'
        ? '（赵春磊、刘子林（2025）公布的数值，非本系统计算）'
        : ' (figures published in Zhao and Liu (2025), not computed here)'
      : '';
    if (s) trade.findings.push({ table: id, text: `${shareSentence(s, R, P, flow, lang)}${mark}` });
  }
  // Services: from the reporter's side, else the partner's (BEA reports US services by partner).
  for (const [r, q] of [
    [R, P],
    [P, R],
  ]) {
    const res = await attempt(trade.missing, `services ${r}–${q}`, () =>
      share.compute(
        store,
        indicatorDefaults({ reporter: r, partner: q, flow: 'total', channel: 'services', years: o.years }),
      ),
    );
    if (!res || !res.rows.some((x) => String(x.basis ?? '').startsWith('computed'))) continue;
    const id = `services-${r}-${q}`;
    trade.tables.push({
      id,
      title: lang === 'zh' ? `${q}在${r}服务贸易中的占比` : `${q}'s share of ${r}'s services trade`,
      rows: res.rows,
      notes: res.notes,
    });
    const sum = headlineChange(res.rows);
    if (sum)
      trade.findings.push({
        table: id,
        text: shareSentence(sum, r, q, 'total', lang).replace(
          lang === 'zh' ? '贸易总额' : 'total trade',
          lang === 'zh' ? '服务贸易' : 'services trade',
        ),
      });
    for (const x of res.rows)
      series.push({
        year: x.year,
        share_pct: x.share_pct,
        series:
          lang === 'zh'
            ? `服务贸易（${names.economies[r] ?? r}申报）`
            : `services (as ${names.economies[r] ?? r} reports)`,
        series_break: x.series_break,
        basis: x.basis,
      });
    break;
  }
  if (series.length) {
    const span = [minOf(series.map((r) => Number(r.year))), maxOf(series.map((r) => Number(r.year)))];
    const marks = await store.all(
      `SELECT measure_id AS id, announced, strftime(effective, '%Y-%m-%d') AS effective FROM measures
       WHERE instrument IN ('tariff', 'export-control') AND actor IN ($1, $2) AND list_contains(string_split(targets, ','), CASE actor WHEN $1 THEN $2 ELSE $1 END)
         AND year(coalesce(effective, announced_from)) BETWEEN $3 AND $4`,
      [R, P, ...span],
    );
    trade.charts.push(
      shareChart(
        series,
        marks,
        lang === 'zh'
          ? `${P}在${R}贸易中的占比（%），${span[0]}—${span[1]}年；虚线为关税和出口管制措施，标注为当年措施数`
          : `${P}'s share of ${R}'s trade (%), ${span[0]}–${span[1]}; dashed lines: tariff and export-control measures, labelled with the year's count`,
        lang,
      ),
    );
  }
  sections.push(trade);

  // Supply chains: diversion of each side's imports away from the other, between the first and last years with
  // product data.
  const supply: ReportSection = {
    id: 'supply',
    title: T.supply[lang],
    findings: [],
    tables: [],
    charts: [],
    missing: [],
  };
  for (const [imp, src] of [
    [P, R],
    [R, P],
  ]) {
    const res = await attempt(supply.missing, `diversion of ${imp}'s imports from ${src}`, () =>
      findIndicator('diversion').compute(store, indicatorDefaults({ reporter: imp, partner: src, years: o.years })),
    );
    if (!res) continue;
    if (res.rows.length === 0) {
      supply.missing.push(`diversion of ${imp}'s imports from ${src}: ${res.notes.join('; ')}`);
      continue;
    }
    if (!res.rows.some((r) => r.source !== src)) {
      supply.missing.push(`${imp}'s imports: only ${src} is loaded as a source, so there is no diversion to measure`);
      continue;
    }
    const id = `diversion-${imp}-${src}`;
    supply.tables.push({
      id,
      title:
        lang === 'zh'
          ? `${imp}进口来源的变化（${src}与其他来源）`
          : `Sources of ${imp}'s imports: ${src} and the others`,
      rows: res.rows,
      notes: res.notes,
    });
    const own = res.rows.find((r) => r.source === src && r.group === 'all products');
    const gainers = res.rows
      .filter((r) => r.source !== src && r.group === 'all products' && Number(r.share_change_pp) > 0)
      .sort((a, b) => Number(b.share_change_pp) - Number(a.share_change_pp));
    // Whose data the comparison reads (one publisher: a change across two is not computed).
    const publishers = own
      ? await store.one(
          `SELECT string_agg(DISTINCT source, ', ' ORDER BY source) AS s FROM datasets WHERE list_contains(string_split($1, '; '), file_name)`,
          [String(own.datasets ?? '')],
        )
      : undefined;
    const basis = publishers?.s
      ? String(publishers.s)
          .split(', ')
          .map((x) => publisherName(x, lang))
          .join(lang === 'zh' ? '、' : ', ')
      : undefined;
    if (own && own.change_usd === null) {
      // The two years come from different publishers' data (the table's notes say so): no change to state.
    } else if (own && own.share_from_pct === null) {
      // Shares of the importer's imports need all its sources: the finding is stated in values only.
      const bn = (v: unknown) => (Number(v) / 1e9).toFixed(1);
      const yi = (v: unknown) => (Number(v) / 1e8).toFixed(0);
      supply.findings.push({
        table: id,
        text:
          lang === 'zh'
            ? `${imp}自${src}的进口从${own.from_year}年的${yi(own.value_from_usd)}亿美元变为${own.to_year}年的${yi(own.value_to_usd)}亿美元${basis ? `（${basis}数据）` : ''}；所载数据未涵盖${imp}的全部进口来源，无法计算份额。`
            : `${imp}'s imports from ${src} went from US$${bn(own.value_from_usd)} bn in ${own.from_year} to US$${bn(own.value_to_usd)} bn in ${own.to_year}${basis ? ` (${basis} data)` : ''}; shares of ${imp}'s imports are not computable, since the data do not hold all its sources.`,
      });
    } else if (own) {
      const g = gainers
        .slice(0, 3)
        .map((r) => `${r.source} ${Number(r.share_change_pp) >= 0 ? '+' : ''}${Number(r.share_change_pp).toFixed(2)}`)
        .join(', ');
      supply.findings.push({
        table: id,
        text:
          lang === 'zh'
            ? `${src}在${imp}进口中的份额从${own.from_year}年的${Number(own.share_from_pct).toFixed(2)}%变为${own.to_year}年的${Number(own.share_to_pct).toFixed(2)}%（${Number(own.share_change_pp).toFixed(2)}个百分点）${g ? `；份额上升最多的来源：${g}个百分点` : ''}。`
            : `${src}'s share of ${imp}'s imports went from ${Number(own.share_from_pct).toFixed(2)}% in ${own.from_year} to ${Number(own.share_to_pct).toFixed(2)}% in ${own.to_year} (${Number(own.share_change_pp).toFixed(2)} pp)${g ? `; largest gains: ${g} pp` : ''}.`,
      });
      supply.charts.push({
        id: `${id}-chart`,
        title: lang === 'zh' ? `${imp}进口来源份额变化（百分点）` : `Change in shares of ${imp}'s imports (pp)`,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          width: 480,
          height: 220,
          data: {
            values: res.rows
              .filter((r) => r.group === 'all products')
              .map((r) => ({ source: r.source, pp: r.share_change_pp })),
          },
          mark: 'bar',
          encoding: {
            y: { field: 'source', type: 'nominal', sort: '-x', title: lang === 'zh' ? '进口来源' : 'Source' },
            x: { field: 'pp', type: 'quantitative', title: lang === 'zh' ? '百分点' : 'pp' },
          },
        },
      });
    }
  }
  // Intermediate goods by BEC category, manufacturing, the high-tech categories: the partner's share by group.
  for (const view of GROUP_SHARE_VIEWS) {
    const got = await groupShareRows(store, view, R, P, o.years, supply.missing);
    if (got.rows.length === 0) continue;
    const id = `groups-${view.id}-${R}-${P}`;
    if (got.published) published.push(id);
    supply.tables.push(groupShareTable(id, got.rows, got.notes, view, R, P, lang));
    const finding = groupShareFinding(got.rows, view, R, P, lang);
    if (finding)
      supply.findings.push({
        table: id,
        text: got.published
          ? `${finding}${lang === 'zh' ? '（赵春磊、刘子林（2025）公布的数值，非本系统计算）' : ' (figures published in Zhao and Liu (2025), not computed here)'}`
          : finding,
      });
    const title =
      lang === 'zh'
        ? `${P}在${R}${view.title.zh}进出口中的占比（%）`
        : `${P}'s share of ${R}'s exports and imports of ${view.title.en} (%)`;
    // A chart only where there are shares to draw (values alone are in the table).
    if (got.rows.some((r) => typeof r.share_pct === 'number'))
      supply.charts.push(groupShareChart(`${id}-chart`, got.rows, title, lang));
  }
  // Connector economies between the two: imports from the reporter and exports to the partner that grew together.
  const conn = await attempt(supply.missing, `connector economies between ${R} and ${P}`, () =>
    findIndicator('connectors').compute(store, indicatorDefaults({ reporter: R, partner: P, years: o.years, top: 15 })),
  );
  if (conn && conn.rows.length === 0)
    supply.missing.push(`connector economies between ${R} and ${P}: ${conn.notes.join('; ')}`);
  if (conn && conn.rows.length > 0) {
    const id = `connectors-${R}-${P}`;
    supply.tables.push({
      id,
      title: lang === 'zh' ? `${R}与${P}之间的间接关联经济体` : `Connector economies between ${R} and ${P}`,
      rows: conn.rows,
      notes: conn.notes,
    });
    const first = conn.rows[0];
    supply.findings.push({
      table: id,
      text:
        lang === 'zh'
          ? `${first.from_year}—${first.to_year}年，自${R}进口与对${P}出口同时增长的产品价值最大的经济体是${first.economy}（同步增长${(Number(first.connected_growth_usd) / 1e8).toFixed(2)}亿美元；${first.products}种产品上两者变化的相关系数为${first.correlation ?? '—'}）。`
          : `From ${first.from_year} to ${first.to_year}, the economy whose imports from ${R} and exports to ${P} grew together in the most value is ${first.economy} (US$${(Number(first.connected_growth_usd) / 1e9).toFixed(2)} bn; correlation across ${first.products} products ${first.correlation ?? '—'}).`,
    });
    supply.charts.push({
      id: `${id}-chart`,
      title:
        lang === 'zh'
          ? `间接关联经济体：两段贸易同步增长的金额（亿美元）`
          : `Connector economies: value that grew on both legs (US$ bn)`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 480,
        height: 16 * conn.rows.length,
        data: {
          values: conn.rows.map((r) => ({
            economy: r.economy,
            value: Number(r.connected_growth_usd) / (lang === 'zh' ? 1e8 : 1e9),
          })),
        },
        mark: 'bar',
        encoding: {
          y: { field: 'economy', type: 'nominal', sort: '-x', title: lang === 'zh' ? '经济体' : 'Economy' },
          x: { field: 'value', type: 'quantitative', title: lang === 'zh' ? '亿美元' : 'US$ bn' },
        },
      },
    });
  }
  sections.push(supply);

  // Tariff exposure of the imports each side takes from the other.
  const tariffs: ReportSection = {
    id: 'tariffs',
    title: T.tariffs[lang],
    findings: [],
    tables: [],
    charts: [],
    missing: [],
  };
  // The average tariff each side applies to the other: the US stack on China by line, China's total rates by HS6.
  for (const [imp, exp] of [
    [P, R],
    [R, P],
  ].filter(([i, e]) => (i === 'USA' && e === 'CHN') || (i === 'CHN' && e === 'USA'))) {
    const part = await attempt(tariffs.missing, `average tariff of ${imp} on ${exp}`, () =>
      averageTariffPart(store, imp, exp, lang),
    );
    if (!part) continue;
    tariffs.tables.push(part.table);
    tariffs.charts.push(part.chart);
    tariffs.findings.push({ text: part.finding, table: part.table.id });
  }
  for (const [imp, exp] of [
    [P, R],
    [R, P],
  ]) {
    const res = await attempt(tariffs.missing, `${imp} on ${exp}`, () =>
      findIndicator('tariff-exposure').compute(
        store,
        indicatorDefaults({ reporter: imp, partner: exp, years: o.years }),
      ),
    );
    if (!res || res.rows.length === 0) continue;
    const id = `tariff-exposure-${imp}-${exp}`;
    tariffs.tables.push({
      id,
      title:
        lang === 'zh' ? `${imp}自${exp}进口按加征关税档次` : `${imp}'s imports from ${exp} by the tariff they face`,
      rows: res.rows,
      notes: res.notes,
    });
    const last = maxOf(res.rows.map((r) => Number(r.year)));
    const untariffed = res.rows.find((r) => Number(r.year) === last && r.group === 'none');
    if (untariffed && untariffed.partner_share_pct !== null) {
      // Duties on all goods (no line list) apply to the untariffed group too: the finding says so.
      const all = Number(untariffed.all_goods_pct ?? 0);
      const on = String(untariffed.tariffs_on);
      const share = Number(untariffed.share_of_partner_imports_pct).toFixed(1);
      const held = Number(untariffed.partner_share_pct).toFixed(1);
      tariffs.findings.push({
        table: id,
        text:
          lang === 'zh'
            ? all > 0
              ? `按${on}有效的关税，${last}年${imp}自${exp}的进口中有${share}%不在加征关税清单内，但对全部商品加征的${all}%关税仍然适用（豁免项除外）；${exp}在这些商品进口中的份额为${held}%。`
              : `${last}年，${imp}自${exp}的进口中有${share}%不在加征关税清单内；${exp}在这些商品进口中的份额为${held}%。`
            : all > 0
              ? `At the tariffs in force on ${on}, ${share}% of ${imp}'s ${last} imports from ${exp} were on no tariff list, though the duties of ${all}% on all goods applied to them (less their exemptions); ${exp} held ${held}% of ${imp}'s imports of those goods.`
              : `In ${last}, ${share}% of ${imp}'s imports from ${exp} faced no additional tariff; ${exp} held ${held}% of ${imp}'s imports of those goods.`,
      });
    }
  }
  const tariffMeasure = await store.one(
    `SELECT m.measure_id FROM measures m WHERE m.instrument = 'tariff' AND m.actor = $1 AND list_contains(string_split(m.targets, ','), $2)
       AND EXISTS (SELECT 1 FROM tariff_lines t WHERE t.measure_id = m.measure_id)
     ORDER BY (SELECT count(DISTINCT line) FROM tariff_lines t WHERE t.measure_id = m.measure_id) DESC LIMIT 1`,
    [P, R],
  );
  if (tariffMeasure) {
    const es = await attempt(tariffs.missing, `event study of ${tariffMeasure.measure_id}`, () =>
      eventStudy(store, {
        measure: String(tariffMeasure.measure_id),
        importer: P,
        exporter: R,
        before: 12,
        after: 11,
        threshold: 0.5,
      }),
    );
    if (es) {
      const id = `event-study-${tariffMeasure.measure_id}`;
      tariffs.tables.push({
        id,
        title: lang === 'zh' ? `事件研究：${tariffMeasure.measure_id}` : `Event study: ${tariffMeasure.measure_id}`,
        rows: es.summary,
        notes: es.notes,
      });
      tariffs.tables.push({
        id: `${id}-by-month`,
        title: lang === 'zh' ? '按月效应（相对事件前一个月）' : 'Effect by month (relative to the month before)',
        rows: es.byMonth,
        notes: [],
      });
      const sh = es.summary.find((r) => r.outcome === 'share_pct')!;
      tariffs.findings.push({
        table: id,
        text:
          lang === 'zh'
            ? `${tariffMeasure.measure_id}生效后，受影响产品中${R}占${P}进口的份额相对未受影响产品变化${Number(sh.estimate).toFixed(2)}个百分点（95%置信区间${Number(sh.ci95_low).toFixed(2)}至${Number(sh.ci95_high).toFixed(2)}）。`
            : `After ${tariffMeasure.measure_id}, ${R}'s share of ${P}'s imports in the products it covers changed by ${Number(sh.estimate).toFixed(2)} pp relative to untouched products (95% CI ${Number(sh.ci95_low).toFixed(2)} to ${Number(sh.ci95_high).toFixed(2)}).`,
      });
      tariffs.charts.push({
        id: `${id}-chart`,
        title:
          lang === 'zh'
            ? `受影响与未受影响产品中${R}份额之差（百分点，95%置信区间）`
            : `${R}'s share, treated minus untouched products (pp, 95% CI)`,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          width: 560,
          height: 220,
          data: {
            values: es.byMonth.map((r) => ({
              k: r.k,
              effect: r.share_pct_effect,
              lo: r.share_pct_ci95_low ?? r.share_pct_effect,
              hi: r.share_pct_ci95_high ?? r.share_pct_effect,
            })),
          },
          layer: [
            {
              mark: { type: 'errorband', opacity: 0.3 },
              encoding: {
                x: {
                  field: 'k',
                  type: 'quantitative',
                  title: lang === 'zh' ? '相对事件的月份' : 'months from the event',
                },
                y: { field: 'lo', type: 'quantitative', title: lang === 'zh' ? '百分点' : 'pp' },
                y2: { field: 'hi' },
              },
            },
            {
              mark: { type: 'line', point: true },
              encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'effect', type: 'quantitative' } },
            },
            {
              data: { values: [{ k: 0 }] },
              mark: { type: 'rule', strokeDash: [4, 3] },
              encoding: { x: { field: 'k', type: 'quantitative' } },
            },
          ],
        },
      });
    }
  }
  sections.push(tariffs);
  sections.push(await exportControlSection(store, R, P, lang, T.exportControls[lang]));

  // Investment, people, research and financial links, and the composite index built on them.
  sections.push(await linksSection(store, R, P, lang, T.links[lang], o.years));
  sections.push(await decouplingIndexSection(store, R, P, lang, T.index[lang]));

  // Risk list, both directions.
  const risk: ReportSection = { id: 'risk', title: T.risk[lang], findings: [], tables: [], charts: [], missing: [] };
  const cfg = readRiskConfig();
  for (const [imp, sup] of [
    [R, P],
    [P, R],
  ]) {
    const res = await attempt(risk.missing, `${imp} from ${sup}`, () =>
      riskList(store, { importer: imp, supplier: sup, year: o.years?.[1], allies: [], top: 15, lang }, cfg),
    );
    if (!res || res.rows.length === 0) continue;
    const id = `risk-${imp}-${sup}`;
    // The Chinese edition gives each product's chapter in Chinese beside its official English description.
    const rows =
      lang === 'zh'
        ? res.rows.map((r) =>
            Object.fromEntries(
              Object.entries(r).flatMap(([k, v]) =>
                k === 'description'
                  ? [
                      [k, v],
                      ['chapter_zh', chapterTitleZh(String(r.hs6)) ?? null],
                    ]
                  : [[k, v]],
              ),
            ),
          )
        : res.rows;
    risk.tables.push({
      id,
      title: lang === 'zh' ? `${imp}对${sup}的依赖：前15项产品` : `${imp}'s dependence on ${sup}: top 15 products`,
      rows,
      notes: [
        `settings: ${res.settings}`,
        ...res.notes,
        ...(lang === 'zh'
          ? [
              '产品描述为HS官方英文原文；所属章的章名为本项目参照《中华人民共和国进出口税则》章名所作的译名，并非官方文本。',
            ]
          : []),
      ],
    });
    const critical = res.rows.filter((r) => r.category === 'critical').length;
    const first = res.rows[0];
    if (res.rows.every((r) => r.category === 'not rated')) {
      risk.findings.push({
        table: id,
        text:
          lang === 'zh'
            ? `现有数据无法计算${sup}在${imp}进口中的份额，因此无法评定依赖程度；${imp}自${sup}进口额最大的产品是${hsProductZh(String(first.hs6))}。`
            : `${sup}'s share of ${imp}'s imports cannot be computed from the data loaded, so dependence is not rated; ${imp}'s largest import from ${sup} is ${first.hs6} (${first.description ?? ''}).`,
      });
      continue;
    }
    risk.findings.push({
      table: id,
      text:
        lang === 'zh'
          ? `在${imp}对${sup}依赖度最高的15项产品中，${critical}项风险等级为“极高”；排名第一的是${hsProductZh(String(first.hs6))}：${first.why}`
          : `Of the 15 products where ${imp} depends most on ${sup}, ${critical} are in the "critical" category; first is HS ${first.hs6} (${first.description ?? ''}): ${first.why}`,
    });
  }
  sections.push(risk);
  sections.push(await scenarioSection(store, R, P, lang, T.scenarios[lang]));

  for (const sec of sections.slice(1)) summary.findings.push(...sec.findings.slice(0, 2));
  const datasets = await store.all(
    // What the data are, not when or in which order they came: the same files give the same table.
    `SELECT source, vintage, file_name, rows, year_min, year_max, left(sha256, 12) AS sha256 FROM datasets WHERE kind <> 'reference' ORDER BY source, file_name, sha256`,
  );
  const data: ReportSection = {
    id: 'data',
    title: T.data[lang],
    findings: [],
    tables: [
      { id: 'datasets', title: lang === 'zh' ? '所用数据集' : 'Datasets in the store', rows: datasets, notes: [] },
    ],
    charts: [],
    missing: [],
  };
  sections.push(data);
  const named = withNames(
    {
      names: {},
      title: lang === 'zh' ? `${T.title.zh}：${R}与${P}` : `${T.title.en}: ${R} and ${P}`,
      reporter: R,
      partner: P,
      years: o.years,
      lang,
      generated: new Date().toISOString().slice(0, 10),
      embeddedOnly: sections.every((sec) =>
        sec.tables.every((t) => published.includes(t.id) || t.id.startsWith('measures') || t.id === 'datasets'),
      ),
      published,
      sections,
      datasets,
    },
    names,
  );
  // Every chart in the house style, its title saying when and its source line taken from its tables as the
  // reader sees them.
  for (const sec of named.sections)
    sec.charts = sec.charts.map((c) => ({
      ...c,
      title: titleWithYears(c.title, c.spec, lang),
      spec: styledSpec(c.spec),
      source: chartSource(c.id, sec.tables, lang, (v) => cellText('source', v, lang, named.names)),
    }));
  return named;
}
