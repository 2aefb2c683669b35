/**
 * The house style every chart shares (the report's and the dashboard's):
 * the Okabe–Ito palette, distinguishable under the common colour-vision
 * deficiencies (Okabe and Ito 2008, "Color Universal Design"), yellow last
 * for its low contrast on white; legends wide enough for the series names of
 * both languages. web/app.js holds the same configuration for the charts it
 * builds itself (a unit test keeps the two equal).
 */
export const CHART_CONFIG = {
  range: { category: ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] },
  legend: { labelLimit: 360 },
} as const;

/**
 * Room on the right for legend labels: headless rendering measures text with a Latin-width estimate, which
 * falls short for Chinese characters, so a long Chinese label would run past the chart's edge.
 */
const PADDING = { left: 5, top: 5, bottom: 5, right: 64 };

/** Returns a Vega-Lite specification with the house style under its own configuration (its own settings win). */
export function styledSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const own = (spec.config ?? {}) as Record<string, unknown>;
  return { padding: PADDING, ...spec, config: { ...CHART_CONFIG, ...own } };
}

/** Returns the first and last year of a chart's inline data (year, date, academic year or period fields). */
function chartYears(spec: Record<string, unknown>): [number, number] | undefined {
  const years: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'values' && Array.isArray(x)) {
        for (const row of x as Array<Record<string, unknown>>) {
          for (const f of ['year', 'date', 'academic_year', 'x', 'period']) {
            const y = Number(String(row?.[f] ?? '').slice(0, 4));
            if (row?.[f] !== undefined && Number.isInteger(y) && y > 1900 && y < 2100) {
              years.push(y);
              break;
            }
          }
        }
      } else walk(x);
    }
  };
  walk(spec);
  if (!years.length) return undefined;
  return [Math.min(...years), Math.max(...years)];
}

/** Returns a chart title that says when: the data's years appended where the title does not give them. */
export function titleWithYears(title: string, spec: Record<string, unknown>, lang: 'en' | 'zh'): string {
  const span = chartYears(spec);
  if (!span) return title;
  const [a, b] = span;
  if (title.includes(String(a)) && title.includes(String(b))) return title;
  const when = a === b ? (lang === 'zh' ? `${a}年` : String(a)) : lang === 'zh' ? `${a}—${b}年` : `${a}–${b}`;
  return lang === 'zh' ? `${title}，${when}` : `${title}, ${when}`;
}

const FILE = /[A-Za-z0-9_.+-]+\.(?:csv|xlsx|xls|gz|txt|zip|parquet)\b/g;

/**
 * Returns the source line of a chart: the datasets its table rows name (their `source` column), else the source
 * its table's notes give ("Source: …" / "来源：…"), else the files its notes name (weights, event-study data), with
 * the tariff files and the measures registry for tariff charts; undefined when none of these says it.
 */
export function chartSource(
  chartId: string,
  tables: Array<{ id: string; rows: Array<Record<string, unknown>>; notes: string[] }>,
  lang: 'en' | 'zh',
  sourceText: (value: string) => string,
): string | undefined {
  const base = chartId.replace(/-chart$/, '');
  const own =
    chartId === 'trade-shares-chart'
      ? tables.filter((t) => /^(share-|services-)/.test(t.id))
      : tables.filter((t) => t.id === base || t.id.startsWith(`${base}-`));
  const sep = lang === 'zh' ? '；' : '; ';
  if (base.startsWith('index-'))
    return lang === 'zh'
      ? '本系统根据上文各维度的数据计算（各维度的来源见其表注）'
      : "computed here from the dimensions above (each dimension's source is under its table)";
  const named = new Set<string>();
  for (const t of own)
    for (const r of t.rows) if (typeof r.source === 'string' && r.source) named.add(sourceText(r.source));
  if (named.size) return [...named].join(sep);
  for (const t of own)
    for (const n of t.notes) {
      const m = /^(?:来源|Sources?)[：:]\s*(.+)$/.exec(n);
      if (!m) continue;
      // The first part names the source; later parts count where they name another (a publication, an index).
      const [first, ...rest] = m[1].replace(/[。.]$/, '').split(lang === 'zh' ? '；' : '; ');
      return [first, ...rest.filter((x) => /《|数据库|股指|indices|index|database/i.test(x))].join(sep);
    }
  const files = new Set(own.flatMap((t) => t.notes.flatMap((n) => n.match(FILE) ?? [])));
  const tariff = base.startsWith('average-tariff') || base.startsWith('event-study');
  if (!files.size && !tariff) return undefined;
  const parts = [
    ...(tariff
      ? [
          lang === 'zh'
            ? '关税文件与措施库（见“数据说明”）'
            : 'the tariff files and the measures registry (see the data notes)',
        ]
      : []),
    ...(files.size
      ? [`${lang === 'zh' ? '贸易数据：' : 'trade data: '}${[...files].join(lang === 'zh' ? '、' : ', ')}`]
      : []),
  ];
  return parts.join(sep);
}
