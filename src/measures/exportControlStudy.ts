import type { Row, Store } from '../store/store.js';
import { panelOls } from '../stats/panelOls.js';
import { finite } from '../indicators/params.js';

export interface ExportControlStudyParams {
  /** An export control of the registry with product lines (`products`). */
  measure: string;
  /** The destination followed beside all destinations in the data (e.g. USA). */
  partner: string;
  /** Months before the event month in the window. */
  before: number;
  /**
   * Months after the event month. Default 11, ended earlier where a line of the data that is not on this
   * control comes under a control of its own, so that it stays a comparison line throughout.
   */
  after?: number;
  /** The event date; default: the measure's entry into force. */
  date?: string;
}

/** What the report writes its sentences from. */
export interface ExportControlWindow {
  actor: string;
  event: string;
  first: string;
  last: string;
  file: string;
  lines: string[];
  controlLines: string[];
  destinations: number;
}

export interface ExportControlStudyResult {
  /** Mean monthly exports before and after the event, by controlled line and destination. */
  levels: Row[];
  /** Difference-in-differences estimates (products, and the partner against other destinations). */
  summary: Row[];
  /** Monthly exports of the controlled lines to the partner and to all destinations in the data. */
  byMonth: Row[];
  notes: string[];
  window: ExportControlWindow;
}

/** Outcomes of the estimates: logs of the monthly value and quantity of a line's exports to a destination. */
const OUTCOMES = [
  { id: 'log_value', en: 'log monthly export value' },
  { id: 'log_quantity', en: 'log monthly export quantity' },
] as const;

/** Thrown where the store cannot answer: the message names what to load. */
export class ExportControlDataError extends Error {}

/**
 * Returns what an export control did to the controlled goods' exports, from
 * the actor's monthly exports by HS6 line and destination:
 *  - levels: mean monthly exports (value, quantity) of each controlled line to
 *    the partner and to all destinations in the data, in the months before the
 *    event month and from it on (months with no record count as zero);
 *  - products: log y_{d,l,t} = a_{d,l} + m_t + b·Controlled_l·Post_t + e, over
 *    controlled lines and lines under no control of the actor in the window,
 *    standard errors clustered by destination;
 *  - destination: on the controlled lines only, log y = a_{d,l} + m_t +
 *    b·[d = partner]·Post_t + e; with a single treated destination no standard
 *    error is given (a clustered one would understate the uncertainty; Conley
 *    and Taber 2011).
 * exp(b) − 1 is the relative change. Months with no exports leave the log
 * outcomes (counted in a note).
 */
export async function exportControlStudy(store: Store, p: ExportControlStudyParams): Promise<ExportControlStudyResult> {
  const m = await store.one(
    `SELECT measure_id, actor, instrument, strftime(coalesce(effective, announced_from), '%Y-%m-%d') AS start,
            strftime(announced_from, '%Y-%m-%d') AS announced
     FROM measures WHERE measure_id = $1`,
    [p.measure],
  );
  if (!m) throw new ExportControlDataError(`no measure '${p.measure}' in the registry (decouple measures lists them)`);
  if (m.instrument !== 'export-control')
    throw new ExportControlDataError(`${p.measure} is a ${m.instrument} measure, not an export control`);
  const actor = String(m.actor);
  const lines = (
    await store.all(`SELECT DISTINCT code FROM measure_products WHERE measure_id = $1 ORDER BY code`, [p.measure])
  ).map((r) => String(r.code));
  if (lines.length === 0)
    throw new ExportControlDataError(`${p.measure} names no HS lines in the registry (its entry has no products)`);
  const onLines = (alias: string) =>
    `EXISTS (SELECT 1 FROM measure_products mp WHERE mp.measure_id = $2 AND left(${alias}.product, length(mp.code)) = mp.code)`;
  const data = await store.one(
    `SELECT f.dataset_id, any_value(d.file_name) AS file_name, count(*) AS n
     FROM flows f JOIN datasets d USING (dataset_id)
     WHERE f.exporter = $1 AND f.reporter_side = 'exporter' AND f.month IS NOT NULL AND f.product_level = 6 AND ${onLines('f')}
     GROUP BY f.dataset_id ORDER BY n DESC, file_name LIMIT 1`,
    [actor, p.measure],
  );
  if (!data)
    throw new ExportControlDataError(
      `no monthly data on ${actor}'s exports of the lines of ${p.measure} (${lines.join(', ')}) by destination: ` +
        `import ${actor}'s monthly exports by HS6 and partner (decouple fetch comtrade --reporter ${actor} --flow X --hs 6 --monthly, or decouple import csv FILE --map MAPPING)`,
    );
  const ds = Number(data.dataset_id);
  const lineInfo = await store.all(
    `SELECT code, any_value(note) AS note, any_value(source) AS source FROM measure_products WHERE measure_id = $1 GROUP BY code ORDER BY code`,
    [p.measure],
  );
  const date = p.date ?? String(m.start);
  // Each line of the data with the first date an export control of the actor covers it.
  const lineDates = await store.all(
    `WITH l AS (SELECT DISTINCT product FROM flows WHERE dataset_id = ${ds} AND exporter = $1 AND product_level = 6)
     SELECT l.product, ${onLines('l')} AS treated,
            (SELECT strftime(min(coalesce(x.effective, x.announced_from)), '%Y-%m-%d') FROM measure_products mp JOIN measures x USING (measure_id)
              WHERE x.actor = $1 AND x.instrument = 'export-control' AND x.measure_id <> $2
                AND left(l.product, length(mp.code)) = mp.code) AS other_control
     FROM l ORDER BY l.product`,
    [actor, p.measure],
  );
  const span = await store.one(
    `SELECT strftime(max(make_date(year, month, 1)), '%Y-%m-%d') AS data_last FROM flows WHERE dataset_id = ${ds}`,
  );
  // Months as their first day, YYYY-MM-01 (strings that sort as dates).
  const addMonths = (a: string, k: number) => {
    const t = Number(a.slice(0, 4)) * 12 + Number(a.slice(5, 7)) - 1 + k;
    return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`;
  };
  const monthsBetween = (a: string, b: string) =>
    (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
  const event = `${date.slice(0, 7)}-01`;
  const first = addMonths(event, -p.before);
  const notes: string[] = [];
  let after = p.after ?? 11;
  const laterControls = lineDates
    .filter((r) => !r.treated && r.other_control && String(r.other_control) > event)
    .map((r) => String(r.other_control).slice(0, 7) + '-01')
    .sort();
  if (p.after === undefined && laterControls.length && monthsBetween(event, laterControls[0]) - 1 < after) {
    after = Math.max(0, monthsBetween(event, laterControls[0]) - 1);
    notes.push(
      `window ended ${after} months after the event month, before another export control of ${actor} (from ${laterControls[0].slice(0, 7)}) covers a comparison line`,
    );
  }
  let last = addMonths(event, after);
  const dataLast = String(span?.data_last);
  if (last > dataLast) {
    last = dataLast;
    notes.push(`the data end in ${dataLast.slice(0, 7)}`);
  }
  if (last < event) throw new ExportControlDataError(`the data end before the event month ${event.slice(0, 7)}`);
  const announced = String(m.announced);
  if (p.date === undefined && announced.slice(0, 7) < event.slice(0, 7))
    notes.push(
      `announced ${announced}, in effect from ${String(m.start)}: the months from the announcement to the event month are in the window before it and may hold exports brought forward`,
    );
  // The window's last day: day 0 of the month after `last`.
  const lastDay = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const treatedLines = lineDates.filter((r) => r.treated).map((r) => String(r.product));
  const controlLines = lineDates
    .filter((r) => !r.treated && (!r.other_control || String(r.other_control) > lastDay))
    .map((r) => String(r.product));
  // Product codes of the store's flows (digits only, checked on import).
  const studied = [...treatedLines, ...controlLines].map((c) => `'${c.replace(/\D/g, '')}'`).join(', ');
  const panel = await store.all(
    `SELECT f.importer AS destination, f.product, strftime(make_date(f.year, f.month, 1), '%Y-%m') AS month,
            datediff('month', $2::DATE, make_date(f.year, f.month, 1)) AS k,
            sum(f.value_usd) AS value, sum(f.quantity) AS quantity
     FROM flows f JOIN countries c ON c.iso3 = f.importer
     WHERE f.dataset_id = ${ds} AND f.exporter = $1 AND f.product_level = 6 AND f.month IS NOT NULL AND NOT c.is_aggregate
       AND make_date(f.year, f.month, 1) BETWEEN $3::DATE AND $4::DATE
       AND f.product IN (${studied})
     GROUP BY ALL ORDER BY destination, product, month`,
    [actor, event, first, last],
  );
  const monthsBefore = monthsBetween(first, event);
  const monthsAfter = monthsBetween(event, last) + 1;
  const destinations = new Set(panel.map((r) => String(r.destination)));
  const window: ExportControlWindow = {
    actor,
    event,
    first,
    last,
    file: String(data.file_name),
    lines: treatedLines,
    controlLines,
    destinations: destinations.size,
  };
  notes.unshift(
    `data: ${data.file_name}, ${actor}'s exports by HS6 line, destination and month, ${first.slice(0, 7)} to ${last.slice(0, 7)} ` +
      `(${monthsBefore} months before, ${monthsAfter} from the event month ${event.slice(0, 7)} on), ${destinations.size} destinations; ` +
      `controlled lines: ${treatedLines.join(', ')}; comparison lines (no export control of ${actor} by ${lastDay}): ${controlLines.join(', ') || 'none in the data'}`,
    `"all destinations in the data" is the sum over the destinations the file holds; it is ${actor}'s world total only if the file holds every destination`,
  );
  const sources = [...new Set(lineInfo.map((r) => r.source).filter(Boolean))];
  notes.push(
    `lines of ${p.measure}: ${lineInfo.map((r) => `${r.code}${r.note ? ` (${r.note})` : ''}`).join('; ')}` +
      (sources.length ? `; line list: ${sources.join('; ')}` : ''),
  );

  // Levels: mean monthly exports before and after, to the partner and to all destinations in the data.
  const levels: Row[] = [];
  for (const line of treatedLines) {
    for (const dest of [p.partner, 'ALL']) {
      const rows = panel.filter((r) => r.product === line && (dest === 'ALL' || r.destination === dest));
      const mean = (post: boolean, col: 'value' | 'quantity') => {
        const xs = rows.filter((r) => Number(r.k) >= 0 === post).map((r) => Number(r[col] ?? 0));
        return xs.reduce((a, b) => a + b, 0) / (post ? monthsAfter : monthsBefore);
      };
      const change = (a: number, b: number) => (a > 0 ? (100 * (b - a)) / a : null);
      const [vb, va, qb, qa] = [
        mean(false, 'value'),
        mean(true, 'value'),
        mean(false, 'quantity'),
        mean(true, 'quantity'),
      ];
      levels.push({
        hs6: line,
        destination: dest,
        before_usd: finite(vb),
        after_usd: finite(va),
        change_pct: finite(change(vb, va)),
        before_quantity: finite(qb),
        after_quantity: finite(qa),
        quantity_change_pct: finite(change(qb, qa)),
      });
    }
  }

  // Estimates.
  const summary: Row[] = [];
  const destIndex = new Map([...destinations].sort().map((d, i) => [d, i]));
  const estimate = (
    design: 'products' | 'destination',
    o: (typeof OUTCOMES)[number],
    rows: Row[],
    treat: (r: Row) => boolean,
    withSe: boolean,
  ) => {
    const usable = rows.filter((r) => {
      const v = Number(o.id === 'log_value' ? r.value : r.quantity);
      return Number.isFinite(v) && v > 0;
    });
    const units = new Map<string, number>();
    const times = new Map<number, number>();
    for (const r of usable) {
      const u = `${r.destination}|${r.product}`;
      if (!units.has(u)) units.set(u, units.size);
      if (!times.has(Number(r.k))) times.set(Number(r.k), times.size);
    }
    const x = Float64Array.from(usable, (r) => (treat(r) && Number(r.k) >= 0 ? 1 : 0));
    const base = {
      design,
      outcome: o.id,
      obs: usable.length,
      destinations: new Set(usable.map((r) => r.destination)).size,
    };
    if (!x.some((v) => v === 1) || !x.some((v, i) => v === 0 && Number(usable[i].k) >= 0)) {
      summary.push({ ...base, estimate: null, relative_change_pct: null, se: null, ci95_low: null, ci95_high: null });
      return;
    }
    const fit = panelOls({
      y: Float64Array.from(usable, (r) => Math.log(Number(o.id === 'log_value' ? r.value : r.quantity))),
      x: [x],
      unit: Int32Array.from(usable, (r) => units.get(`${r.destination}|${r.product}`)!),
      time: Int32Array.from(usable, (r) => times.get(Number(r.k))!),
      cluster: Int32Array.from(usable, (r) => destIndex.get(String(r.destination))!),
    });
    summary.push({
      ...base,
      estimate: finite(fit.beta[0]),
      relative_change_pct: finite(100 * (Math.exp(fit.beta[0]) - 1)),
      se: withSe ? finite(fit.se[0]) : null,
      ci95_low: withSe ? finite(fit.ciLow[0]) : null,
      ci95_high: withSe ? finite(fit.ciHigh[0]) : null,
    });
  };
  for (const o of OUTCOMES) {
    if (controlLines.length) estimate('products', o, panel, (r) => treatedLines.includes(String(r.product)), true);
    estimate(
      'destination',
      o,
      panel.filter((r) => treatedLines.includes(String(r.product))),
      (r) => r.destination === p.partner,
      false,
    );
  }
  const zeros = panel.filter((r) => !(Number(r.value) > 0)).length;
  notes.push(
    `products: controlled lines against comparison lines, log y = a(destination, line) + m(month) + b·Controlled·Post, standard errors clustered by destination` +
      (controlLines.length ? '' : ' (not estimated: no comparison line in the data)') +
      `; destination: on the controlled lines, ${p.partner} against the other destinations, b without a standard error (one treated destination; Conley and Taber 2011); ` +
      `relative change = exp(b) − 1; destination-months with no exports are not in the log outcomes${zeros ? ` (${zeros} records with a zero value left out)` : ''}`,
  );

  // By month: the controlled lines' exports to the partner and to all destinations in the data.
  const byMonth: Row[] = [];
  for (let k = -monthsBefore; k < monthsAfter; k++) {
    const at = panel.filter((r) => Number(r.k) === k && treatedLines.includes(String(r.product)));
    const sum = (rs: Row[], col: 'value' | 'quantity') => rs.reduce((a, r) => a + Number(r[col] ?? 0), 0);
    byMonth.push({
      month: addMonths(event, k).slice(0, 7),
      k,
      partner_usd: sum(
        at.filter((r) => r.destination === p.partner),
        'value',
      ),
      all_usd: sum(at, 'value'),
      partner_quantity: sum(
        at.filter((r) => r.destination === p.partner),
        'quantity',
      ),
      all_quantity: sum(at, 'quantity'),
    });
  }
  return { levels, summary, byMonth, notes, window };
}
