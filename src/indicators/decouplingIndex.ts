import type { Iso3 } from '../core/index.js';
import type { Row, Store } from '../store/store.js';
import { firstPrincipalComponent } from '../stats/principalComponents.js';
import { coauthorship } from './coauthorship.js';
import { cycleCorrelation } from './cycleCorrelation.js';
import { round, need, type IndicatorParams, type IndicatorResult, finite } from './params.js';
import { studentsShare } from './studentsShare.js';
import { treasuryHoldings } from './treasuryHoldings.js';

/** The links paper 002 combines into its index of decoupling. */
export type LinkGroup = 'trade' | 'cycle' | 'financial' | 'people' | 'research';

/** One dimension of the index: its values by year, and where they came from. */
export interface IndexDimension {
  id: string;
  group: LinkGroup;
  label: string;
  values: Map<number, number>;
  source: string;
}

/** The index's rows and notes, and the first principal component it weighted by (when it was computed). */
export interface DecouplingIndexResult extends IndicatorResult {
  components?: {
    dimensions: Array<{ id: string; weight: number; loading: number }>;
    explained: number;
    eigenvalue: number;
  };
}

/** The fewest years with every dimension that the index is computed on. */
const MIN_YEARS = 5;

/** Returns the years every dimension has, ascending. */
function commonYears(dims: IndexDimension[]): number[] {
  if (!dims.length) return [];
  return [...dims[0].values.keys()].filter((y) => dims.every((d) => d.values.has(y))).sort((a, b) => a - b);
}

/**
 * Returns the composite rows. Dimensions with fewer than three years are left
 * out; while the years every dimension has are fewer than max(5, D + 2),
 * the dimension whose removal gains the most common years is left out (named in
 * the notes). On the common years T, each dimension is standardised,
 *   z_d,t = (v_d,t − mean_T(v_d)) / sd_T(v_d)   (sd with the n − 1 divisor),
 * and combined with equal weights, index_equal_t = Σ_d z_d,t / D, and with the
 * weights of the first principal component of the dimensions' correlation
 * matrix (squared loadings, OECD/JRC 2008 §6.1), index_pca_t = Σ_d w_d z_d,t.
 * 0 is the pair's average over T; below 0, weaker links than on average.
 */
export function combineDimensions(dims: IndexDimension[], reporter: string, partner: string): DecouplingIndexResult {
  const notes: string[] = [];
  let usable = dims.filter((d) => d.values.size >= 3);
  for (const d of dims)
    if (d.values.size < 3)
      notes.push(`${d.label}: ${d.values.size === 0 ? 'no data' : `${d.values.size} year(s) only`}, left out`);
  let years = commonYears(usable);
  while (usable.length > 2 && years.length < Math.max(MIN_YEARS, usable.length + 2)) {
    let best = -1;
    let bestYears: number[] = [];
    usable.forEach((d, i) => {
      const rest = commonYears(usable.filter((_, j) => j !== i));
      if (
        rest.length > bestYears.length ||
        (rest.length === bestYears.length && best >= 0 && d.values.size < usable[best].values.size)
      ) {
        best = i;
        bestYears = rest;
      }
    });
    notes.push(
      `${usable[best].label} left out: with it only ${years.length} years have every dimension (${years.join(', ') || 'none'}), without it ${bestYears.length}`,
    );
    usable = usable.filter((_, j) => j !== best);
    years = bestYears;
  }
  const constant = usable.filter((d) => {
    const v = years.map((y) => d.values.get(y)!);
    return v.every((x) => x === v[0]);
  });
  for (const d of constant) notes.push(`${d.label}: constant over the common years, left out`);
  usable = usable.filter((d) => !constant.includes(d));
  if (usable.length < 2 || years.length < 3)
    return {
      rows: [],
      notes: [
        ...notes,
        `not computable: fewer than two dimensions with at least three common years (have ${usable.length} dimension(s), ${years.length} common year(s))`,
      ],
    };
  const stats = usable.map((d) => {
    const v = years.map((y) => d.values.get(y)!);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    return { mean, sd };
  });
  const z = years.map((y) => usable.map((d, i) => (d.values.get(y)! - stats[i].mean) / stats[i].sd));
  const pc = firstPrincipalComponent(z);
  const D = usable.length;
  notes.push(
    `dimensions: ${usable.map((d, i) => `${d.label} [${d.source}] mean ${round(stats[i].mean, 4)}, sd ${round(stats[i].sd, 4)}`).join('; ')}`,
    `standardised on the ${years.length} years every dimension has (${years.join(', ')}): 0 = the pair's average over these years, below 0 = weaker links`,
    `equal weights 1/${D}; principal-component weights (squared loadings of the first component): ${usable.map((d, i) => `${d.id} ${round(pc.weights[i], 4)} (loading ${round(pc.loadings[i], 4)})`).join(', ')}; the first component explains ${round(100 * pc.explained, 2)}% of the variance (eigenvalue ${round(pc.eigenvalue, 4)} of ${D})`,
  );
  const rows: Row[] = years.map((y, t) => {
    const row: Row = { year: y, reporter, partner };
    let eq = 0;
    let pca = 0;
    usable.forEach((d, i) => {
      row[d.id] = finite(d.values.get(y));
      row[`${d.id}_z`] = finite(z[t][i]);
      eq += z[t][i] / D;
      pca += pc.weights[i] * z[t][i];
    });
    row.index_equal = finite(eq);
    row.index_pca = finite(pca);
    row.dimensions = D;
    return row;
  });
  return {
    rows,
    notes,
    components: {
      dimensions: usable.map((d, i) => ({ id: d.id, weight: pc.weights[i], loading: pc.loadings[i] })),
      explained: pc.explained,
      eigenvalue: pc.eigenvalue,
    },
  };
}

type Compute = (store: Store, p: IndicatorParams) => Promise<IndicatorResult>;

/** Returns year → value of one column of an indicator's rows (rows without a number left out). */
function column(rows: Row[], name: string, yearOf: (r: Row) => number = (r) => Number(r.year)): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (typeof r[name] === 'number') out.set(yearOf(r), r[name] as number);
  return out;
}

/**
 * Returns year → the pair's trade intensity in percent: bilateral goods trade
 * over the two economies' total goods trade,
 *   TI_t = 100 × (T_ab,t + T_ba,t) / (T_a,t + T_b,t),
 * T_ab the reporter a's trade with b and T_a its trade with the world, each side
 * from its own reports, on the longest run of years one source gives without a
 * break; with the sources named.
 */
async function tradeIntensityShare(
  store: Store,
  p: IndicatorParams,
  a: Iso3,
  b: Iso3,
  bilateral: Compute,
): Promise<{ values: Map<number, number>; source: string; notes: string[] }> {
  const sides: Array<{ rows: Row[]; source: string }> = [];
  const notes: string[] = [];
  for (const [r, q] of [
    [a, b],
    [b, a],
  ]) {
    const res = await bilateral(store, { ...p, reporter: r, partner: q, flow: 'total', channel: 'goods' });
    const computed = res.rows.filter((x) => String(x.basis ?? '').startsWith('computed') && x.world_value_usd);
    // The longest run of years from one source without a break.
    let best: Row[] = [];
    let run: Row[] = [];
    for (const x of computed) {
      if (run.length && (x.series_break || x.source !== run[0].source)) run = [];
      run.push(x);
      if (run.length > best.length) best = [...run];
    }
    if (computed.length > best.length)
      notes.push(
        `trade intensity: ${r}'s side read on ${best[0]?.year}–${best[best.length - 1]?.year} from one source without a break`,
      );
    sides.push({ rows: best, source: best.length ? `${r}: ${best[0].source}` : '' });
  }
  const [sa, sb] = sides.map((s) => new Map(s.rows.map((x) => [Number(x.year), x])));
  const values = new Map<number, number>();
  for (const [y, x] of sa) {
    const o = sb.get(y);
    if (!o) continue;
    values.set(
      y,
      (100 * (Number(x.partner_value_usd) + Number(o.partner_value_usd))) /
        (Number(x.world_value_usd) + Number(o.world_value_usd)),
    );
  }
  return {
    values,
    source: sides
      .map((s) => s.source)
      .filter(Boolean)
      .join('; '),
    notes,
  };
}

/**
 * Composite index of decoupling (脱钩指数) for a pair after paper 002 (Li and Pei 2015): trade intensity (bilateral
 * goods trade over the pair's total trade), business-cycle synchronisation (rolling correlation of real GDP
 * growth), financial linkage (correlation of equity returns; holdings of US Treasury securities), people (students
 * in the United States) and research (co-authored articles), each from its own source, combined by
 * combineDimensions. Dimensions without data are named in the notes.
 */
export async function decouplingIndex(
  store: Store,
  p: IndicatorParams,
  bilateral: Compute,
): Promise<DecouplingIndexResult> {
  const a = need(p.reporter, '--reporter', 'decoupling-index');
  const b = need(p.partner, '--partner', 'decoupling-index');
  const notes: string[] = [];
  const dims: IndexDimension[] = [];
  const all = { ...p, years: undefined };

  const ti = await tradeIntensityShare(store, all, a, b, bilateral);
  notes.push(
    ...ti.notes,
    'the trade intensity index (x_ab / X_a) / (M_b / M_w) is not a dimension: it needs world imports from multi-country product data (BACI); decouple compute trade-intensity gives it where they are loaded',
  );
  dims.push({ id: 'trade_intensity', group: 'trade', label: 'trade intensity', values: ti.values, source: ti.source });

  const cycle = await cycleCorrelation(store, all);
  dims.push({
    id: 'gdp_growth_corr',
    group: 'cycle',
    label: 'real GDP growth correlation',
    values: column(cycle.rows, 'gdp_growth_corr'),
    source: 'IMF WEO',
  });
  dims.push({
    id: 'equity_return_corr',
    group: 'financial',
    label: 'equity return correlation',
    values: column(cycle.rows, 'equity_return_corr'),
    source: 'daily index closes',
  });
  const us = a === 'USA' ? b : b === 'USA' ? a : undefined;
  const USA = 'USA' as Iso3;
  if (us) {
    const th = await treasuryHoldings(store, { ...all, reporter: us, partner: USA, monthly: false });
    dims.push({
      id: 'treasury_share',
      group: 'financial',
      label: `${us}'s share of foreign holdings of US Treasuries`,
      values: column(th.rows, 'share_pct'),
      source: 'US Treasury TIC',
    });
    const st = await studentsShare(store, { ...all, reporter: us, partner: USA });
    dims.push({
      id: 'students_share',
      group: 'people',
      label: `${us}'s share of international students in the US`,
      values: column(st.rows, 'share_pct'),
      source: 'IIE Open Doors (academic year starting in the year)',
    });
    const co = await coauthorship(store, { ...all, reporter: USA, partner: us });
    dims.push({
      id: 'coauthor_share',
      group: 'research',
      label: `share of US international articles with a co-author from ${us}`,
      values: column(co.rows, 'us_intl_articles_with_partner_pct'),
      source: 'NSF NCSES',
    });
  } else
    notes.push(
      'holdings of Treasuries, students and co-authorship are published for links with the United States only: left out',
    );
  const out = combineDimensions(dims, a, b);
  const [from, to] = p.years ?? [-Infinity, Infinity];
  return {
    ...out,
    rows: out.rows.filter((r) => Number(r.year) >= from && Number(r.year) <= to),
    notes: [...out.notes, ...notes],
  };
}
