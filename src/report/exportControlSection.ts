import type { Row, Store } from '../store/store.js';
import { ExportControlDataError, exportControlStudy } from '../measures/exportControlStudy.js';
import type { Lang, ReportSection } from './reportModel.js';
import { fixedNumber } from './localeNumber.js';

/**
 * The report's export controls (出口管制与受管制物项贸易): for each export
 * control of either economy whose registry entry names HS lines, the actor's
 * monthly exports of those lines to the other economy and to all destinations
 * in the data, before and after the control, with the difference-in-differences
 * estimates of `exportControlStudy`. Every number is computed from the loaded
 * monthly data; where they are missing the section says what to import.
 */

const fmt = (lang: Lang, v: number, digits = 1) => fixedNumber(lang, v, digits);

/** A monthly amount in the reader's unit: 万美元 in Chinese, US$ million in English. */
const amount = (lang: Lang, usd: number) =>
  lang === 'zh' ? `${fmt(lang, usd / 1e4)}万美元` : `US$${fmt(lang, usd / 1e6, 2)} million`;

/** A relative change as words: 下降20.1% / 增长5.0% in Chinese, "down 20.1%" / "up 5.0%" in English. */
function change(lang: Lang, pct: unknown): string {
  const v = typeof pct === 'number' && Number.isFinite(pct) ? pct : null;
  if (v === null) return lang === 'zh' ? '无法比较（事件前为零）' : 'not comparable (zero before)';
  if (Math.abs(v) < 0.05) return lang === 'zh' ? '基本不变' : 'about unchanged';
  if (lang === 'zh') return `${v < 0 ? '下降' : '增长'}${fmt(lang, Math.abs(v))}%`;
  return `${v < 0 ? 'down' : 'up'} ${fmt(lang, Math.abs(v))}%`;
}

/** Returns the export-control section for the pair (R, P). */
export async function exportControlSection(
  store: Store,
  R: string,
  P: string,
  lang: Lang,
  title: string,
): Promise<ReportSection> {
  const sec: ReportSection = { id: 'export-controls', title, findings: [], tables: [], charts: [], missing: [] };
  const measures = await store.all(
    `SELECT m.measure_id, m.actor FROM measures m
     WHERE m.instrument = 'export-control' AND m.actor IN ($1, $2)
       AND EXISTS (SELECT 1 FROM measure_products mp WHERE mp.measure_id = m.measure_id)
     ORDER BY coalesce(m.effective, m.announced_from), m.measure_id`,
    [R, P],
  );
  const unmeasured: string[] = [];
  for (const m of measures) {
    const id = String(m.measure_id);
    const actor = String(m.actor);
    const partner = actor === R ? P : R;
    let r;
    try {
      r = await exportControlStudy(store, { measure: id, partner, before: 12 });
    } catch (e) {
      if (!(e instanceof ExportControlDataError)) throw e;
      unmeasured.push(id);
      continue;
    }
    const w = r.window;
    const lines = w.lines.join(lang === 'zh' ? '、' : ', ');
    const months = r.byMonth.filter((b) => Number(b.k) >= 0).length;
    const before = r.byMonth.length - months;
    const levelsOf = (dest: string) => {
      const rows = r.levels.filter((l) => l.destination === dest);
      const b = rows.reduce((a, l) => a + Number(l.before_usd ?? 0), 0);
      const a = rows.reduce((s, l) => s + Number(l.after_usd ?? 0), 0);
      return { before: b, after: a, pct: b > 0 ? (100 * (a - b)) / b : null };
    };
    const p = levelsOf(partner);
    const all = levelsOf('ALL');
    const event = w.event.slice(0, 7);
    sec.findings.push({
      table: `export-control-${id}`,
      text:
        lang === 'zh'
          ? `${id}生效（${event}）后的${months}个月，${actor}受管制物项所在HS6子目（${lines}，范围宽于受管制物项）对${partner}月均出口${amount(lang, p.after)}，较此前${before}个月的${amount(lang, p.before)}${change(lang, p.pct)}；对数据所含${w.destinations}个目的地合计月均出口${amount(lang, all.after)}，${change(lang, all.pct)}。`
          : `In the ${months} months from ${id} (${event}) on, ${actor}'s exports of the HS6 lines holding the controlled items (${lines}, wider than the items) to ${partner} averaged ${amount(lang, p.after)} a month, ${change(lang, p.pct)} on the ${before} months before (${amount(lang, p.before)}); to all ${w.destinations} destinations in the data, ${amount(lang, all.after)}, ${change(lang, all.pct)}.`,
    });
    const did = r.summary.find((s) => s.design === 'products' && s.outcome === 'log_value' && s.estimate !== null);
    if (did) {
      const rel = (b: unknown) => 100 * (Math.exp(Number(b)) - 1);
      const controls = w.controlLines.join(lang === 'zh' ? '、' : ', ');
      sec.findings.push({
        table: `export-control-${id}-estimates`,
        text:
          lang === 'zh'
            ? `与同期未受管制的HS6子目（${controls}）相比，受管制物项所在子目的月出口额${change(lang, did.relative_change_pct)}（95%置信区间${fmt(lang, rel(did.ci95_low))}%至${fmt(lang, rel(did.ci95_high))}%，按目的地聚类）。`
            : `Relative to HS6 lines under no control in the same months (${controls}), monthly exports of the lines holding the controlled items were ${change(lang, did.relative_change_pct)} (95% CI ${fmt(lang, rel(did.ci95_low))}% to ${fmt(lang, rel(did.ci95_high))}%, clustered by destination).`,
      });
    }
    sec.tables.push({
      id: `export-control-${id}`,
      title:
        lang === 'zh'
          ? `${id}：${actor}受管制子目在管制前后的月均出口`
          : `${id}: ${actor}'s monthly exports of the controlled lines, before and after`,
      rows: r.levels.map((l) => ({
        ...l,
        destination: l.destination === 'ALL' ? 'all destinations in the data' : l.destination,
      })),
      notes: r.notes,
    });
    sec.tables.push({
      id: `export-control-${id}-estimates`,
      title: lang === 'zh' ? `${id}：双重差分估计` : `${id}: difference-in-differences estimates`,
      rows: r.summary,
      notes: [],
    });
    // Each destination's exports as an index of its mean before the event (= 100), so both fit one scale.
    const base = (col: 'partner_usd' | 'all_usd') => {
      const xs = r.byMonth.filter((b) => Number(b.k) < 0).map((b) => Number(b[col]));
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    };
    const series: Row[] = [];
    for (const [col, who] of [
      ['all_usd', lang === 'zh' ? '数据所含全部目的地' : 'all destinations in the data'],
      ['partner_usd', partner],
    ] as const) {
      const b = base(col);
      if (!(b > 0)) continue;
      for (const m of r.byMonth) series.push({ month: m.month, destination: who, index: (100 * Number(m[col])) / b });
    }
    sec.charts.push({
      id: `export-control-${id}-chart`,
      title:
        lang === 'zh'
          ? `${actor}受管制子目（${lines}）的月出口额指数（事件前${before}个月均值=100）`
          : `${actor}'s monthly exports of the controlled lines (${lines}), index (mean of the ${before} months before = 100)`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 560,
        height: 220,
        data: { values: series },
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'month',
                type: 'temporal',
                title: lang === 'zh' ? '月份' : 'month',
                axis: { format: '%Y-%m', labelAngle: -45 },
              },
              y: { field: 'index', type: 'quantitative', title: lang === 'zh' ? '指数' : 'index' },
              color: { field: 'destination', type: 'nominal', title: lang === 'zh' ? '目的地' : 'destination' },
            },
          },
          {
            data: { values: [{ month: w.event }] },
            mark: { type: 'rule', strokeDash: [4, 3] },
            encoding: { x: { field: 'month', type: 'temporal' } },
          },
        ],
      },
    });
  }
  if (unmeasured.length)
    sec.missing.push(
      `no monthly export data by HS6 line and destination for ${unmeasured.join(', ')}: import the actor's monthly exports by HS6 and partner ` +
        `(decouple fetch comtrade --reporter ISO3 --monthly, or decouple import csv FILE with a mapping file, e.g. docs/mappings/china-critical-minerals-hs6.yaml)`,
    );
  return sec;
}
