import type { Row } from '../store/store.js';
import type { Lang, ReportModel, ReportTable } from './reportModel.js';
import { cellText, columnLabel } from './tablePresentation.js';

/**
 * The dashboard's overview: one card per headline finding of the report,
 * with the latest value of the finding's table, the change since 2017 where
 * one consistent series covers it, a sparkline of that series and its
 * source. Every number is a cell of a report table; nothing is computed
 * here but a difference of two cells of one series.
 */
export interface OverviewCard {
  /** A sparkline of `points` (Vega-Lite), when there are two or more. */
  spark?: Record<string, unknown>;
  /** The table the finding rests on. */
  table: string;
  title: string;
  finding: string;
  /** The latest value as the reader sees it, with the column's name and unit; absent for tables without a series. */
  latest?: { period: string; value: string; label: string };
  /** The change since 2017 within the same series, as the reader sees it. */
  since2017?: string;
  /** The series the sparkline draws (one source, no break). */
  points: Array<{ period: string; x: number; value: number }>;
  source?: string;
}

/** The column each kind of summary table is read by. */
function headlineColumn(t: ReportTable): string | undefined {
  const cols = t.rows.length ? Object.keys(t.rows[0]) : [];
  const known = ['share_pct', 'average_pct', 'relative_gdp_pct', 'index_equal'].find((c) => cols.includes(c));
  return known ?? cols.find((c) => c.endsWith('_pct'));
}

/** The period column of a table and a number for each period (a date's year and month as a fraction). */
function periodOf(r: Row): { period: string; x: number } | undefined {
  if (r.year !== undefined && r.year !== null) return { period: String(r.year), x: Number(r.year) };
  if (typeof r.academic_year === 'string') return { period: r.academic_year, x: Number(r.academic_year.slice(0, 4)) };
  if (typeof r.date === 'string') {
    const [y, m] = r.date.split('-').map(Number);
    return { period: r.date, x: y + ((m || 1) - 1) / 12 };
  }
  return undefined;
}

/** The key that must stay the same along one series: its source, or its basis where rows carry no source. */
const seriesKey = (r: Row) => JSON.stringify([r.source ?? null, r.basis ?? null, r.valuation ?? null]);

/**
 * Returns the latest consistent series of a table's headline column: rows with a value, not projections, computed
 * where the table has computed rows, from the last series break (or change of source or basis) to the end.
 */
function latestSeries(t: ReportTable, column: string): Array<{ row: Row; period: string; x: number }> {
  // Computed rows where there are any (the findings rest on them); the papers' published figures otherwise.
  const published = (r: Row) => typeof r.basis === 'string' && r.basis.startsWith('published');
  const valued = t.rows.filter((r) => typeof r[column] === 'number' && r.projection !== true);
  const rows = (valued.some((r) => !published(r)) ? valued.filter((r) => !published(r)) : valued)
    .map((row) => ({ row, ...periodOf(row)! }))
    .filter((r) => r.period !== undefined && Number.isFinite(r.x))
    .sort((a, b) => a.x - b.x);
  // A table of several series (by group or flow) has no one headline series.
  if (new Set(rows.map((r) => r.period)).size < rows.length) return [];
  const out: typeof rows = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i];
    if (out.length && seriesKey(r.row) !== seriesKey(out[0].row)) break;
    // A gap in a yearly series ends it too (no line across missing years).
    if (out.length && r.row.year !== undefined && out[0].x - r.x > 1) break;
    out.unshift(r);
    if (r.row.series_break === true) break;
  }
  return out;
}

/** Returns the overview cards of a report, one per summary finding, in the summary's order. */
export function overviewCards(m: ReportModel): OverviewCard[] {
  const lang: Lang = m.lang;
  const tables = new Map(m.sections.flatMap((s) => s.tables).map((t) => [t.id, t]));
  const summary = m.sections.find((s) => s.id === 'summary');
  const cards: OverviewCard[] = [];
  for (const f of summary?.findings ?? []) {
    const t = tables.get(f.table);
    if (!t) continue;
    const card: OverviewCard = { table: t.id, title: t.title, finding: f.text, points: [] };
    const column = headlineColumn(t);
    const series = column ? latestSeries(t, column) : [];
    if (column && series.length) {
      const last = series[series.length - 1];
      card.latest = {
        period: last.period,
        value: cellText(column, last.row[column], lang, m.names),
        label: columnLabel(column, lang),
      };
      card.points = series.map((s) => ({ period: s.period, x: s.x, value: Number(s.row[column]) }));
      const base = series.find((s) => s.x >= 2017 && s.x < 2018);
      if (base && base !== last) {
        const change = Number(last.row[column]) - Number(base.row[column]);
        const pct = column.endsWith('_pct');
        const text = cellText(pct ? 'share_change_pp' : column, change, lang, m.names);
        const size = cellText(pct ? 'share_change_pp' : column, Math.abs(change), lang, m.names);
        const when = base.row.academic_year ? `${base.period}学年` : `${base.period}年`;
        card.since2017 =
          lang === 'zh'
            ? `较${when}${change < 0 ? '下降' : change > 0 ? '上升' : '持平'}${change === 0 ? '' : `${size}${pct ? '个百分点' : ''}`}`
            : `${change > 0 ? `+${text}` : text}${pct ? ' pp' : ''} since ${base.period}`;
      }
      const source = last.row.source ?? last.row.basis;
      if (typeof source === 'string' && source) card.source = cellText('source', source, lang, m.names);
    }
    if (card.points.length >= 2) card.spark = sparkline(card, lang);
    cards.push(card);
  }
  return cards;
}

/** Returns a sparkline of a card's series as a Vega-Lite spec: a line without axes, each point's value on hover. */
function sparkline(card: OverviewCard, lang: Lang): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: lang === 'zh' ? `${card.title}：走势` : `${card.title}: trend`,
    width: 220,
    height: 48,
    data: { values: card.points },
    mark: { type: 'line', point: { size: 10 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', axis: null, scale: { zero: false } },
      y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false } },
      tooltip: [
        { field: 'period', type: 'nominal', title: lang === 'zh' ? '时间' : 'Period' },
        { field: 'value', type: 'quantitative', format: '.2f', title: card.latest?.label ?? '' },
      ],
    },
    config: { view: { stroke: null } },
  };
}
