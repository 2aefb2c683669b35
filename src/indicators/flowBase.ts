import type { Store } from '../store/store.js';
import { listValue } from '../store/index.js';
import { BLOC_GROUPS, RESIDUAL_PARTNERS } from '../countries/aggregateKinds.js';

/** Which report of a flow to use when a dataset has both sides' reports. */
export type SidePreference = 'auto' | 'importer' | 'exporter';

export interface FlowBaseOptions {
  years?: [number, number];
  /** Product digits of the base: 2, 4, 6 or 8 (finer data is summed up to this level). */
  level: 2 | 4 | 6 | 8;
  /** Use exactly these datasets; by default each year uses the loaded dataset with the most flows at the level. */
  datasets?: number[];
  /** Keep months (monthly data); otherwise months are summed into years. */
  monthly?: boolean;
  side?: SidePreference;
}

/** Where the base's numbers came from, year by year. */
export interface FlowBaseInfo {
  notes: string[];
  /** year → dataset ids used. */
  datasets: Map<number, number[]>;
  /** year → file names of the datasets used (stable across stores, unlike ids). */
  files: Map<number, string[]>;
  years: number[];
}

/** What one build of the base holds, kept per store so that later requests it covers reuse it. */
interface BuiltBase {
  /** A number for this build, distinct from every other build in the process. */
  build: number;
  key: string;
  level: number;
  years?: [number, number];
  chosen: Array<{ year: number; dataset_id: number; lv: number; months: number; file_name: string }>;
  /** year → flows reported by both sides (when the data has more than one side). */
  bothSides: Map<number, number>;
}

const built = new WeakMap<Store, BuiltBase>();
/** Identifies what `fb` shows now on each store: the build and the years. */
const current = new WeakMap<Store, { build: number; view: string }>();
let builds = 0;

/**
 * Returns what `fb` on this store shows now: the build and the view of it (its years), for memoising results
 * computed from it.
 */
export function flowBaseToken(store: Store): { build: number; view: string } | undefined {
  return current.get(store);
}

/** Returns the product level (digits) of the flow base last provided on this store. */
export function flowBaseLevel(store: Store): number | undefined {
  return built.get(store)?.level;
}

/**
 * Forgets the base built on this store, so the next request builds it again (benchmarks time a session from its
 * start).
 */
export function forgetFlowBase(store: Store): void {
  built.delete(store);
  current.delete(store);
}

function covers(have: [number, number] | undefined, want: [number, number] | undefined): boolean {
  if (!have) return true;
  return want !== undefined && have[0] <= want[0] && want[1] <= have[1];
}

/**
 * Provides the tables every product-level indicator reads:
 *   `fb`  (year, month, exporter, importer, product, classification, value_usd) — one value per flow between two
 * economies;
 *   `fbw` (year, month, economy, direction, product, value_usd) — the source's own world totals (partner WLD),
 * where it has them;
 *   `fb_all` (the chosen flows before the choice of side) and `fb_chosen` (the dataset and product level of each year).
 * One dataset per year (or those given): the one covering the most flows
 * (pairs of economies × products at `level`), then the most rows; one product level per dataset and
 * year (the finest at or above `level`, cut to `level` digits, never summed
 * across levels); for flows reported by both sides, BACI's reconciled value,
 * else the importer's report, else the exporter's (or the side asked for).
 * Aggregates are left out, except residual partners ("areas nes"), which no
 * named partner holds, and a bloc's row (the EU) where its members are not
 * all listed, which then stands for its members (the listed ones are not
 * added again; see countries/aggregateKinds.ts). The choice is
 * made year by year, so a base built for a span serves any years inside it:
 * the four names are views on the last build, which is reused while the
 * store's datasets and the options other than the years are unchanged.
 * Returns the provenance and notes on what was left out.
 */
export async function createFlowBase(store: Store, opts: FlowBaseOptions): Promise<FlowBaseInfo> {
  // The store's state (its datasets and aggregates), and whether the last build's tables still exist
  // (a base built inside a transaction that was rolled back is gone with it).
  const state = await store.one(
    `SELECT count(*) AS n, coalesce(max(dataset_id), 0) AS m, (SELECT count(*) FROM countries WHERE is_aggregate) AS a,
            (SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'fb_chosen_base') AS present FROM datasets`,
  );
  const key = JSON.stringify([
    opts.level,
    opts.datasets ?? null,
    Boolean(opts.monthly),
    opts.side ?? 'auto',
    state?.n,
    state?.m,
    state?.a,
  ]);
  let base = built.get(store);
  if (!base || !Number(state?.present) || base.key !== key || !covers(base.years, opts.years)) {
    base = await buildBase(store, opts, key);
    built.set(store, base);
  }
  const inYears = (y: number) => !opts.years || (y >= opts.years[0] && y <= opts.years[1]);
  const filter = opts.years ? `WHERE year BETWEEN ${opts.years[0]} AND ${opts.years[1]}` : '';
  for (const name of ['fb', 'fbw', 'fb_all', 'fb_chosen'])
    await store.run(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT * FROM ${name}_base ${filter}`);
  current.set(store, { build: base.build, view: filter });
  const L = opts.level;
  const info: FlowBaseInfo = { notes: [], datasets: new Map(), files: new Map(), years: [] };
  for (const r of base.chosen.filter((c) => inYears(c.year))) {
    const y = r.year;
    if (!info.datasets.has(y)) info.years.push(y);
    info.datasets.set(y, [...(info.datasets.get(y) ?? []), r.dataset_id]);
    info.files.set(y, [...(info.files.get(y) ?? []), r.file_name]);
    if (r.lv > L) info.notes.push(`${y}: ${r.file_name} has HS${r.lv} codes, summed to HS${L}`);
    if (r.months > 0 && r.months < 12) info.notes.push(`${y}: ${r.file_name} covers ${r.months} months only`);
  }
  const both = [...base.bothSides].filter(([y]) => inYears(y)).reduce((s, [, n]) => s + n, 0);
  if (both) {
    info.notes.push(
      `${both} flows reported by both sides: ${opts.side === 'exporter' ? "the exporter's report" : "the importer's report (BACI's reconciled value where present)"} used`,
    );
  }
  return info;
}

/**
 * Returns the SQL condition on `fb_all_base` rows that keeps each economy once:
 * named economies and residual partners; a bloc's row where the bloc's members
 * are not all listed against the same economy in that year, its listed
 * members then left out (they are inside the bloc's row); other aggregates
 * never. Creates the temporary table `fb_bloc_scope` it reads.
 */
async function partnerRule(store: Store): Promise<string> {
  const blocs = Object.entries(BLOC_GROUPS);
  const residuals = RESIDUAL_PARTNERS.map((c) => `'${c}'`).join(', ');
  const scopes = blocs.map(
    ([code, group]) => `
      SELECT year, self, '${code}' AS bloc FROM (
        SELECT year, importer AS self, exporter AS partner FROM fb_all_base UNION ALL SELECT year, exporter, importer FROM fb_all_base) x
      GROUP BY year, self
      HAVING bool_or(partner = '${code}') AND count(DISTINCT partner) FILTER (WHERE partner IN (
        SELECT m.iso3 FROM country_group_members m WHERE m.group_id = '${group}' AND m.from_date <= make_date(x.year, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(x.year, 7, 1))))
        < (SELECT count(*) FROM country_group_members m WHERE m.group_id = '${group}' AND m.from_date <= make_date(x.year, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(x.year, 7, 1)))`,
  );
  await store.run(
    `CREATE OR REPLACE TEMP TABLE fb_bloc_scope AS ${scopes.length ? scopes.join(' UNION ALL ') : 'SELECT 0 AS year, NULL AS self, NULL AS bloc WHERE false'}`,
  );
  const memberInScope = (side: 'exporter' | 'importer', self: 'exporter' | 'importer') =>
    blocs
      .map(
        ([
          code,
          group,
        ]) => `EXISTS (SELECT 1 FROM fb_bloc_scope s WHERE s.year = fb_all_base.year AND s.self = fb_all_base.${self} AND s.bloc = '${code}')
        AND ${side} IN (SELECT m.iso3 FROM country_group_members m WHERE m.group_id = '${group}' AND m.from_date <= make_date(fb_all_base.year, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(fb_all_base.year, 7, 1)))`,
      )
      .join(' OR ') || 'false';
  const keptSide = (side: 'exporter' | 'importer', other: 'exporter' | 'importer') => `(
      (${side} NOT IN (SELECT iso3 FROM countries WHERE is_aggregate) OR ${side} IN (${residuals})
        OR EXISTS (SELECT 1 FROM fb_bloc_scope s WHERE s.year = fb_all_base.year AND s.self = fb_all_base.${other} AND s.bloc = fb_all_base.${side}))
      AND NOT (${memberInScope(side, other)}))`;
  return `${keptSide('exporter', 'importer')} AND ${keptSide('importer', 'exporter')}`;
}

/**
 * Builds the base tables (`fb_base`, `fbw_base`, `fb_all_base`, `fb_chosen_base`) for the options; returns what it
 * holds.
 */
async function buildBase(store: Store, opts: FlowBaseOptions, key: string): Promise<BuiltBase> {
  const L = opts.level;
  const where = [`product_level >= ${L}`, `classification <> 'TOTAL'`];
  if (opts.years) where.push(`year BETWEEN ${opts.years[0]} AND ${opts.years[1]}`);
  if (opts.datasets?.length) where.push(`dataset_id IN (${opts.datasets.map(Number).join(', ')})`);
  const sideOrder =
    opts.side === 'exporter'
      ? `CASE reporter_side WHEN 'exporter' THEN 0 WHEN 'reconciled' THEN 1 ELSE 2 END`
      : `CASE reporter_side WHEN 'reconciled' THEN 0 WHEN 'importer' THEN 1 ELSE 2 END`;
  const month = opts.monthly ? 'month' : 'CAST(NULL AS TINYINT)';
  await store.run(`CREATE OR REPLACE TEMP TABLE fb_candidates AS
    SELECT dataset_id, year, min(product_level) AS lv, max(product_level) AS lv_max, count(*) AS n, count(DISTINCT month) AS months,
           count(DISTINCT reporter_side) AS sides, count(DISTINCT classification) AS classes, CAST(any_value(classification) AS VARCHAR) AS classification
    FROM flows WHERE ${where.join(' AND ')} GROUP BY dataset_id, year`);
  // The flows covered (pairs of economies × products) decide between datasets of the same year, so a file of a few
  // products for many partners does not displace one of every product; counted only where there is a choice.
  const contested = opts.datasets?.length
    ? undefined
    : await store.one(`SELECT count(*) AS n FROM (SELECT year FROM fb_candidates GROUP BY year HAVING count(*) > 1)`);
  const flowsCovered = Number(contested?.n ?? 0)
    ? `(SELECT count(DISTINCT (exporter, importer, left(product, ${L}))) FROM flows f WHERE f.dataset_id = c.dataset_id AND f.year = c.year AND f.product_level >= ${L} AND f.classification <> 'TOTAL')`
    : '0';
  await store.run(`CREATE OR REPLACE TEMP TABLE fb_chosen_base AS
    SELECT c.*, ${flowsCovered} AS flows_covered, coalesce(d.unique_keys, false) AS unique_keys, coalesce(d.has_aggregates, true) AS has_aggregates
    FROM fb_candidates c JOIN datasets d USING (dataset_id)
    ${opts.datasets?.length ? '' : 'QUALIFY row_number() OVER (PARTITION BY year ORDER BY flows_covered DESC, n DESC, d.source, d.file_name) = 1'}`);
  // Flows that are already one row per flow at this level (no finer codes to cut, no months to add up, one
  // classification, unique keys recorded at import) are read where they are; otherwise they are regrouped once.
  const shape =
    await store.one(`SELECT count(*) FILTER (WHERE lv > ${L} OR classes > 1 OR NOT unique_keys ${opts.monthly ? '' : 'OR months > 0'}) AS regroup,
    max(sides) AS sides, bool_or(has_aggregates) AS aggregates, bool_and(lv = lv_max) AS one_level, sum(n) AS n, (SELECT count(*) FROM flows) AS all_flows FROM fb_chosen_base`);
  const inPlace = Number(shape?.regroup) === 0;
  // When the chosen flows are all the flows there are, they are read without matching them to the choice.
  const allFlows = inPlace && shape?.one_level === true && Number(shape?.n) === Number(shape?.all_flows);
  // With one reporting side per year (BACI's reconciled flows, say) every flow has one report: no choice between sides.
  const oneSide = Number(shape?.sides ?? 0) <= 1;
  // The names other statements read are always views, over the flows themselves or over one regrouped copy.
  if (inPlace) {
    await store.run(`CREATE OR REPLACE TEMP VIEW fb_all_base AS
      SELECT f.year, ${month} AS month, f.exporter, f.importer, f.product, CAST(f.classification AS VARCHAR) AS classification, f.reporter_side, f.value_usd
      FROM flows f ${allFlows ? '' : 'JOIN fb_chosen_base c ON c.dataset_id = f.dataset_id AND c.year = f.year AND f.product_level = c.lv'}`);
  } else {
    await store.run(`CREATE OR REPLACE TEMP TABLE fb_regrouped AS
      SELECT f.year, ${month} AS month, f.exporter, f.importer, left(f.product, ${L}) AS product, any_value(CAST(f.classification AS VARCHAR)) AS classification,
             f.reporter_side, sum(f.value_usd) AS value_usd
      FROM flows f JOIN fb_chosen_base c ON c.dataset_id = f.dataset_id AND c.year = f.year AND f.product_level = c.lv
      GROUP BY ALL`);
    await store.run(`CREATE OR REPLACE TEMP VIEW fb_all_base AS SELECT * FROM fb_regrouped`);
  }
  // Aggregates (EU, "areas nes", the world row) are left out; datasets recorded without any need no filter.
  const economies = shape?.aggregates === false ? 'true' : await partnerRule(store);
  if (oneSide) {
    await store.run(
      `CREATE OR REPLACE TEMP VIEW fb_base AS SELECT year, month, exporter, importer, product, classification, value_usd FROM fb_all_base WHERE ${economies}`,
    );
  } else {
    await store.run(`CREATE OR REPLACE TEMP TABLE fb_one_side AS
      SELECT year, month, exporter, importer, product, classification, value_usd FROM fb_all_base WHERE ${economies}
      QUALIFY row_number() OVER (PARTITION BY year, month, exporter, importer, product ORDER BY ${sideOrder}) = 1`);
    await store.run(`CREATE OR REPLACE TEMP VIEW fb_base AS SELECT * FROM fb_one_side`);
  }
  await store.run(`CREATE OR REPLACE TEMP TABLE fbw_base AS
    SELECT year, month, CASE WHEN importer = 'WLD' THEN exporter ELSE importer END AS economy,
           CASE WHEN importer = 'WLD' THEN 'export' ELSE 'import' END AS direction, product, sum(value_usd) AS value_usd
    FROM fb_all_base WHERE (importer = 'WLD') <> (exporter = 'WLD') GROUP BY ALL`);
  const chosen = await store.all(
    `SELECT c.year, c.dataset_id, c.lv, c.months, d.file_name FROM fb_chosen_base c JOIN datasets d USING (dataset_id) ORDER BY year, d.file_name`,
  );
  const bothSides = new Map<number, number>();
  if (!oneSide) {
    const rows = await store.all(
      `SELECT year, count(*) FILTER (WHERE n > 1) AS both FROM (SELECT year, count(*) AS n FROM fb_all_base GROUP BY year, month, exporter, importer, product) GROUP BY year`,
    );
    for (const r of rows) bothSides.set(Number(r.year), Number(r.both));
  }
  return {
    build: ++builds,
    key,
    level: L,
    years: opts.years,
    chosen: chosen.map((r) => ({
      year: Number(r.year),
      dataset_id: Number(r.dataset_id),
      lv: Number(r.lv),
      months: Number(r.months),
      file_name: String(r.file_name),
    })),
    bothSides,
  };
}

/**
 * Returns where a year's numbers came from (the datasets' file names, `; `-separated), for an indicator's
 * `datasets` column.
 */
export function datasetsLabel(info: FlowBaseInfo, year: number): string {
  return (info.files.get(year) ?? []).join('; ');
}

/**
 * Returns the two years a change-based indicator compares (--from/--to, by
 * default the first and last year of the base), or undefined when the base
 * does not hold both as different years.
 */
export function comparedYears(
  info: FlowBaseInfo,
  from?: number,
  to?: number,
): { from: number; to: number } | undefined {
  const f = from ?? info.years[0];
  const t = to ?? info.years[info.years.length - 1];
  if (f === undefined || t === undefined || f === t || !info.years.includes(f) || !info.years.includes(t))
    return undefined;
  return { from: f, to: t };
}

/**
 * Returns the "not computable" note for a change between two years of the base whose data come from different
 * publishers (UN Comtrade's CIF values one year, a Census customs value the other: not one series), or undefined
 * when both years come from the same ones.
 */
export async function seriesBreakNote(
  store: Store,
  info: FlowBaseInfo,
  from: number,
  to: number,
): Promise<string | undefined> {
  const describe = async (year: number) => {
    const ids = info.datasets.get(year) ?? [];
    const r = await store.one(
      `SELECT string_agg(DISTINCT source, ', ' ORDER BY source) AS sources, string_agg(DISTINCT file_name, '; ' ORDER BY file_name) AS files
       FROM datasets WHERE list_contains($1::INTEGER[], dataset_id)`,
      [listValue(ids)],
    );
    return { sources: String(r?.sources ?? ''), files: String(r?.files ?? '') };
  };
  const [a, b] = [await describe(from), await describe(to)];
  if (a.sources === b.sources) return undefined;
  return `not computable: the changes from ${from} to ${to}, since ${from} comes from ${a.sources} (${a.files}) and ${to} from ${b.sources} (${b.files}); one series needs both years from one source: choose --from and --to within one source's years, or import that source for the other year`;
}

/** Returns years as a reader lists them: runs of consecutive years as ranges (2015–2023, 2025). */
function yearList(years: number[]): string {
  const sorted = [...years].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Returns the note for a yearly table whose years come from different publishers' data (one year from a Census
 * file, the others from UN Comtrade: two series side by side), naming the years of each, or undefined when one
 * publisher's data hold them all.
 */
export async function seriesSplitNote(store: Store, info: FlowBaseInfo, years: number[]): Promise<string | undefined> {
  const bySources = new Map<string, number[]>();
  for (const year of [...new Set(years)]) {
    const r = await store.one(
      `SELECT string_agg(DISTINCT source, ', ' ORDER BY source) AS sources FROM datasets WHERE list_contains($1::INTEGER[], dataset_id)`,
      [listValue(info.datasets.get(year) ?? [])],
    );
    const key = String(r?.sources ?? '');
    bySources.set(key, [...(bySources.get(key) ?? []), year]);
  }
  if (bySources.size < 2) return undefined;
  const parts = [...bySources].sort((a, b) => Math.min(...a[1]) - Math.min(...b[1]));
  return `series break: ${parts.map(([sources, ys]) => `${yearList(ys)} from ${sources}`).join('; ')} (the datasets column names the files): compare years within one source`;
}
