import type { Row, Store } from '../store/store.js';
import { panelOls } from '../stats/panelOls.js';
import { finite } from '../indicators/params.js';

export interface EventStudyParams {
  measure: string;
  importer: string;
  exporter: string;
  /** Months before and after the event month in the window. */
  before: number;
  after: number;
  /** Share of a product group's HS6 codes on the measure's lists for the group to count as treated. */
  threshold: number;
  /** The event date; default: the measure's entry into force. */
  date?: string;
}

export interface EventStudyResult {
  summary: Row[];
  byMonth: Row[];
  notes: string[];
}

const OUTCOMES = [
  { id: 'share_pct', en: "exporter's share of the importer's imports (%)" },
  { id: 'log_value', en: 'log import value from the exporter' },
] as const;

/**
 * Returns a difference-in-differences event study of a tariff measure on
 * monthly import data: product groups (the data's product level, e.g. HS2)
 * whose HS6 codes are mostly on the measure's lists are treated; groups with no
 * code on any of the importer's tariff lists in force by the end of the window
 * are controls. For the exporter's share of the importer's imports and for the
 * log import value it estimates y_gt = a_g + d_t + b·Treated_g·Post_t + e (and,
 * by month, one b_k per month relative to the event, k = −1 omitted), with
 * standard errors clustered by product group.
 */
export async function eventStudy(store: Store, p: EventStudyParams): Promise<EventStudyResult> {
  const notes: string[] = [];
  const m = await store.one(
    `SELECT measure_id, strftime(coalesce(effective, announced_from), '%Y-%m-%d') AS start FROM measures WHERE measure_id = $1`,
    [p.measure],
  );
  if (!m) throw new Error(`no measure '${p.measure}' in the registry (decouple measures lists them)`);
  const date = p.date ?? String(m.start);
  const treatedLines = await store.one(
    `SELECT count(DISTINCT line) AS n FROM tariff_lines WHERE measure_id = $1 AND importer = $2 AND exporter = $3`,
    [p.measure, p.importer, p.exporter],
  );
  if (!Number(treatedLines?.n))
    throw new Error(
      `no tariff lines of ${p.measure} are loaded for ${p.importer} on ${p.exporter}: import the lists with decouple import tariffs`,
    );
  const data = await store.one(
    `SELECT dataset_id, any_value(product_level) AS level, count(*) AS n FROM flows
     WHERE importer = $1 AND exporter = $2 AND month IS NOT NULL AND reporter_side = 'importer' AND product_level BETWEEN 2 AND 6
     GROUP BY dataset_id ORDER BY n DESC LIMIT 1`,
    [p.importer, p.exporter],
  );
  if (!data)
    throw new Error(
      `no monthly product data on ${p.importer}'s imports from ${p.exporter} in the store (e.g. decouple import census …)`,
    );
  const level = Number(data.level);
  const ds = Number(data.dataset_id);
  const d = await store.one(
    `SELECT strftime(date_trunc('month', $1::DATE) - to_months(${p.before}), '%Y-%m-%d') AS first,
            strftime(date_trunc('month', $1::DATE) + to_months(${p.after}), '%Y-%m-%d') AS last,
            strftime(last_day(date_trunc('month', $1::DATE) + to_months(${p.after})), '%Y-%m-%d') AS window_end`,
    [date],
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE es_groups AS
     WITH universe AS (SELECT DISTINCT code FROM products WHERE level = 6 AND regexp_full_match(code, '\\d{6}')
                       UNION SELECT DISTINCT substr(line, 1, 6) FROM tariff_lines WHERE importer = $1 AND exporter = $2),
          treated AS (SELECT DISTINCT substr(line, 1, 6) AS code FROM tariff_lines WHERE measure_id = $3 AND importer = $1 AND exporter = $2),
          touched AS (SELECT DISTINCT substr(line, 1, 6) AS code FROM tariff_lines
                      WHERE importer = $1 AND exporter = $2 AND rate_kind = 'additional' AND rate_pct > 0 AND from_date <= $4::DATE
                        AND (to_date IS NULL OR to_date > from_date))
     SELECT substr(u.code, 1, ${level}) AS grp, count(*) AS codes,
            count(t.code) AS treated_codes, count(x.code) AS touched_codes,
            count(t.code) / count(*) AS intensity
     FROM universe u LEFT JOIN treated t ON t.code = u.code LEFT JOIN touched x ON x.code = u.code
     -- Chapters 98 and 99 hold national special provisions, not HS products.
     WHERE substr(u.code, 1, 2) NOT IN ('98', '99')
     GROUP BY 1`,
    [p.importer, p.exporter, p.measure, d?.window_end as string],
  );
  const panel = await store.all(
    `WITH g AS (SELECT grp, CASE WHEN intensity >= ${p.threshold} THEN 1 WHEN touched_codes = 0 THEN 0 END AS treated FROM es_groups),
     v AS (SELECT product AS grp, make_date(year, month, 1) AS month,
                  sum(value_usd) FILTER (WHERE exporter = $2) AS value, sum(value_usd) FILTER (WHERE exporter = 'WLD') AS world
           FROM flows WHERE dataset_id = ${ds} AND importer = $1 AND exporter IN ($2, 'WLD') AND product_level = ${level} AND month IS NOT NULL
             AND make_date(year, month, 1) BETWEEN $3::DATE AND $4::DATE
           GROUP BY ALL)
     SELECT v.grp, strftime(v.month, '%Y-%m') AS month, datediff('month', date_trunc('month', $5::DATE), v.month) AS k, g.treated,
            v.value, v.world, 100 * v.value / nullif(v.world, 0) AS share_pct, CASE WHEN v.value > 0 THEN ln(v.value) END AS log_value
     FROM v JOIN g USING (grp) WHERE g.treated IS NOT NULL ORDER BY v.grp, v.month`,
    [p.importer, p.exporter, d?.first as string, d?.last as string, date],
  );
  const groups = await store.one(
    `SELECT count(*) FILTER (WHERE intensity >= ${p.threshold}) AS treated, count(*) FILTER (WHERE touched_codes = 0) AS control,
            count(*) FILTER (WHERE intensity < ${p.threshold} AND touched_codes > 0) AS excluded,
            string_agg(grp, ' ' ORDER BY grp) FILTER (WHERE touched_codes = 0) AS control_list FROM es_groups`,
  );
  const nTreated = new Set(panel.filter((r) => r.treated === 1).map((r) => r.grp)).size;
  const nControl = new Set(panel.filter((r) => r.treated === 0).map((r) => r.grp)).size;
  if (nTreated === 0 || nControl === 0)
    throw new Error(
      `the window ${d?.first}…${d?.last} has ${nTreated} treated and ${nControl} control product groups with data: a comparison needs both (try a lower --threshold or a shorter window)`,
    );
  // The file, not the dataset id (which depends on the order of import).
  const file = await store.one(`SELECT file_name FROM datasets WHERE dataset_id = ?`, [ds]);
  notes.push(
    `data: ${file?.file_name ?? `dataset ${ds}`}, HS${level} monthly, ${String(d?.first).slice(0, 7)} to ${String(d?.last).slice(0, 7)}; event month ${date.slice(0, 7)} (k = 0); ` +
      `treated: HS${level} groups with at least ${Math.round(p.threshold * 100)}% of their HS6 codes on ${p.measure}'s lists (${nTreated} with data); ` +
      `control: groups with no HS6 code on any ${p.importer} tariff list on ${p.exporter} in force by ${d?.window_end} (${nControl} with data: ${groups?.control_list ?? ''}); ` +
      `${groups?.excluded} partly treated groups left out; standard errors clustered by product group`,
  );
  const summary: Row[] = [];
  const byMonth = new Map<number, Row>();
  for (const o of OUTCOMES) {
    const rows = panel.filter((r) => r[o.id] !== null && Number.isFinite(Number(r[o.id])));
    const grpIndex = new Map<string, number>();
    const timeIndex = new Map<number, number>();
    for (const r of rows) {
      if (!grpIndex.has(String(r.grp))) grpIndex.set(String(r.grp), grpIndex.size);
      if (!timeIndex.has(Number(r.k))) timeIndex.set(Number(r.k), timeIndex.size);
    }
    const unit = Int32Array.from(rows, (r) => grpIndex.get(String(r.grp))!);
    const time = Int32Array.from(rows, (r) => timeIndex.get(Number(r.k))!);
    const y = Float64Array.from(rows, (r) => Number(r[o.id]));
    const did = panelOls({
      y,
      x: [Float64Array.from(rows, (r) => (r.treated === 1 && Number(r.k) >= 0 ? 1 : 0))],
      unit,
      time,
      cluster: unit,
    });
    const dropped = panel.length - rows.length;
    summary.push({
      outcome: o.id,
      estimate: finite(did.beta[0]),
      se: finite(did.se[0]),
      ci95_low: finite(did.ciLow[0]),
      ci95_high: finite(did.ciHigh[0]),
      obs: did.n,
      groups_treated: new Set(rows.filter((r) => r.treated === 1).map((r) => r.grp)).size,
      groups_control: new Set(rows.filter((r) => r.treated === 0).map((r) => r.grp)).size,
      clusters: did.clusters,
      df: did.df,
      note: `${o.en}; b on Treated×Post${dropped ? `; ${dropped} group-months without a value dropped` : ''}`,
    });
    const ks = [...timeIndex.keys()].filter((k) => k !== -1).sort((a, b) => a - b);
    const es = panelOls({
      y,
      x: ks.map((k) => Float64Array.from(rows, (r) => (r.treated === 1 && Number(r.k) === k ? 1 : 0))),
      unit,
      time,
      cluster: unit,
    });
    for (const k of [...timeIndex.keys()].sort((a, b) => a - b)) {
      const at = rows.filter((r) => Number(r.k) === k);
      const mean = (t: number) => {
        const v = at.filter((r) => r.treated === t).map((r) => Number(r[o.id]));
        return v.length ? finite(v.reduce((a, b) => a + b, 0) / v.length) : null;
      };
      const row = byMonth.get(k) ?? { month: at[0]?.month, k };
      const i = ks.indexOf(k);
      row[`${o.id}_treated_mean`] = mean(1);
      row[`${o.id}_control_mean`] = mean(0);
      row[`${o.id}_effect`] = i < 0 ? 0 : finite(es.beta[i]);
      row[`${o.id}_ci95_low`] = i < 0 ? null : finite(es.ciLow[i]);
      row[`${o.id}_ci95_high`] = i < 0 ? null : finite(es.ciHigh[i]);
      byMonth.set(k, row);
    }
  }
  return { summary, byMonth: [...byMonth.values()].sort((a, b) => Number(a.k) - Number(b.k)), notes };
}
