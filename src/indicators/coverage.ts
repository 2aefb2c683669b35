import type { Store } from '../store/store.js';
import { flowBaseToken } from './flowBase.js';

/** Economies counted on each store for the current build of the flow base, by view (years). */
const counted = new WeakMap<Store, { build: number; views: Map<string, { ex: number; im: number }> }>();

/**
 * Returns a note when the flow base `fb` covers too few economies for
 * "world" totals to mean the world (e.g. one reporter's data), naming the
 * economies counted; undefined when it looks like multi-country data.
 */
export async function worldCoverageNote(store: Store, minimum = 20): Promise<string | undefined> {
  const token = flowBaseToken(store);
  let memo = counted.get(store);
  if (token && memo?.build !== token.build) counted.set(store, (memo = { build: token.build, views: new Map() }));
  let c = token ? memo?.views.get(token.view) : undefined;
  if (!c) {
    const r = await store.one(`SELECT count(DISTINCT exporter) AS ex, count(DISTINCT importer) AS im FROM fb`);
    c = { ex: Number(r?.ex ?? 0), im: Number(r?.im ?? 0) };
    if (token) memo?.views.set(token.view, c);
  }
  const { ex, im } = c;
  if (ex >= minimum && im >= minimum) return undefined;
  return `the data loaded covers ${ex} exporting and ${im} importing economies: "world" totals below are sums over these only, not world trade (load BACI or multi-reporter Comtrade data for world measures)`;
}

/** The smallest share of a reported world total a sum over partners must reach to stand for the world. */
export const WORLD_COVERAGE_MIN = 0.95;

/**
 * Returns, by year, the largest world total the economy itself reports for
 * its exports or imports of goods in any loaded dataset: world rows of flows
 * (at each dataset's coarsest level, full years only) and annual BEA-type
 * series (`goods_export`/`goods_import` with partner WLD).
 */
export async function reportedWorldTotals(
  store: Store,
  economy: string,
  direction: 'export' | 'import',
): Promise<Map<number, number>> {
  const [self, other] = direction === 'export' ? ['exporter', 'importer'] : ['importer', 'exporter'];
  const rows = await store.all(
    `WITH w AS (
       SELECT dataset_id, year, product_level, count(DISTINCT month) AS months, sum(value_usd) AS v
       FROM flows WHERE ${self} = $1 AND ${other} = 'WLD' AND reporter_side IN ('${self}', 'reconciled')
       GROUP BY dataset_id, year, product_level QUALIFY product_level = min(product_level) OVER (PARTITION BY dataset_id, year))
     SELECT year, max(v) AS v FROM (
       SELECT year, v FROM w WHERE months = 0 OR months = 12
       UNION ALL
       SELECT year, value FROM series WHERE country = $1 AND partner = 'WLD' AND frequency = 'A' AND indicator = $2)
     GROUP BY year`,
    [economy, `goods_${direction}`],
  );
  return new Map(rows.map((r) => [Number(r.year), Number(r.v)]));
}

/**
 * Where a sum over partners covers too little of the economy's reported world total (or nothing reports one): the
 * years and the reason, for "not computable".
 */
export interface CoverageGap {
  year: number;
  reason: string;
  /** 'partial': a world total is reported and the partners cover `pct` of it; 'no-world': none is reported. */
  kind: 'partial' | 'no-world';
  pct?: number;
  partners: number;
}

/**
 * Returns the years in which the product base `fb` does not hold the
 * economy's trade with the world: the sum over the partners in `fb` is below
 * WORLD_COVERAGE_MIN of a reported world total, or no loaded source reports
 * one. `fbw` world rows (a world row per product) and reconciled data (BACI)
 * count as covering.
 */
export async function productBaseGaps(
  store: Store,
  economy: string,
  direction: 'export' | 'import',
): Promise<CoverageGap[]> {
  const self = direction === 'export' ? 'exporter' : 'importer';
  // Reconciled data (BACI) hold every economy's trade with every partner: complete by construction.
  const complete = await store.all(
    `SELECT year FROM fb_all GROUP BY year HAVING bool_and(reporter_side = 'reconciled')`,
  );
  const [world, sums, rowsWithWorld] = await Promise.all([
    reportedWorldTotals(store, economy, direction),
    store.all(
      `SELECT year, sum(value_usd) AS v, count(DISTINCT ${direction === 'export' ? 'importer' : 'exporter'}) AS partners FROM fb WHERE ${self} = $1 GROUP BY year ORDER BY year`,
      [economy],
    ),
    store.all(`SELECT DISTINCT year FROM fbw WHERE economy = $1 AND direction = $2`, [economy, direction]),
  ]);
  const total = direction === 'export' ? 'exports to the world' : 'imports from the world';
  const withWorld = new Set([...rowsWithWorld, ...complete].map((r) => Number(r.year)));
  const gaps: CoverageGap[] = [];
  for (const r of sums) {
    const year = Number(r.year);
    if (withWorld.has(year)) continue;
    const reported = world.get(year);
    const partners = `${Number(r.partners)} partner${Number(r.partners) === 1 ? '' : 's'}`;
    if (reported === undefined) {
      gaps.push({
        year,
        kind: 'no-world',
        partners: Number(r.partners),
        reason: `${year}: the product data hold ${economy}'s ${direction}s with ${partners} and no loaded source reports ${economy}'s ${total}`,
      });
    } else if (Number(r.v) < WORLD_COVERAGE_MIN * reported) {
      const pct = (100 * Number(r.v)) / reported;
      gaps.push({
        year,
        kind: 'partial',
        pct,
        partners: Number(r.partners),
        reason: `${year}: the product data hold ${pct.toFixed(1)}% of ${economy}'s ${total} (${partners})`,
      });
    }
  }
  return gaps;
}

/**
 * Returns the reasons of some gaps with runs of consecutive years of the same
 * kind and partner count said once ("2015–2020: … 17.6–23.1% of …").
 */
function mergedGapReasons(gaps: CoverageGap[]): string[] {
  const sorted = [...gaps].sort((a, b) => a.year - b.year);
  const runs: CoverageGap[][] = [];
  for (const g of sorted) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && g.year === last.year + 1 && g.kind === last.kind && g.partners === last.partners) run.push(g);
    else runs.push([g]);
  }
  return runs.map((run) => {
    if (run.length === 1) return run[0].reason;
    const years = `${run[0].year}–${run.at(-1)!.year}`;
    let reason = run[0].reason.replace(/^\d{4}:/, `${years}:`);
    if (run[0].kind === 'partial') {
      const pcts = run.map((g) => g.pct!.toFixed(1));
      const lo = Math.min(...run.map((g) => g.pct!));
      const hi = Math.max(...run.map((g) => g.pct!));
      const range = new Set(pcts).size === 1 ? pcts[0] : `${lo.toFixed(1)}–${hi.toFixed(1)}`;
      reason = reason.replace(/hold [\d.]+% of/, `hold ${range}% of`);
    }
    return reason;
  });
}

/**
 * Returns the note for years whose shares are not computable for lack of a world total, with what to import;
 * undefined when there are none.
 */
export function coverageGapNote(economy: string, gaps: CoverageGap[]): string | undefined {
  if (!gaps.length) return undefined;
  return `not computable: ${mergedGapReasons(gaps).join('; ')}: a share needs ${economy}'s trade with all partners. Import ${economy}'s own product data by partner (UN Comtrade with ${economy} as reporter: decouple fetch comtrade) or world product data (CEPII BACI: decouple fetch baci)`;
}

/**
 * Returns why `fb` cannot stand for world trade by product (for RCA, trade
 * intensity, complementarity, export similarity), or undefined when it can:
 * reconciled data (BACI), or at least `minimum` economies each shown exporting
 * to five or more partners.
 */
export async function worldBaseProblem(store: Store, minimum = 30): Promise<string | undefined> {
  const reconciled = await store.one(`SELECT bool_and(reporter_side = 'reconciled') AS all_reconciled FROM fb_all`);
  if (reconciled?.all_reconciled === true) return undefined;
  const r = await store.one(
    `SELECT count(*) FILTER (WHERE partners >= 5) AS reporters, string_agg(exporter, ', ' ORDER BY partners DESC) FILTER (WHERE partners >= 5) AS names
     FROM (SELECT exporter, count(DISTINCT importer) AS partners FROM fb GROUP BY exporter)`,
  );
  const n = Number(r?.reporters ?? 0);
  if (n >= minimum) return undefined;
  return `world trade by product is not loaded: the product data show ${n} economies exporting to five or more partners${n ? ` (${String(r?.names).split(', ').slice(0, 5).join(', ')})` : ''}, where world measures need the exports of every economy. Import CEPII BACI (decouple fetch baci) or UN Comtrade data with all reporters`;
}
