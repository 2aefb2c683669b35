import type { Row, Store } from '../store/store.js';
import { round, need, type IndicatorParams, type IndicatorResult, finite } from './params.js';

/** One dimension of the index: its values (a share in percent) by year, and where they came from. */
export interface IndexDimension {
  id: string;
  label: string;
  values: Map<number, number>;
  source: string;
}

/**
 * Returns the composite rows: for each year where every included dimension
 * has a value, each dimension's index I_d,t = 100 × v_d,t / v_d,base (base =
 * the first such year) and the composite C_t = Σ_d w_d I_d,t with equal
 * weights w_d = 1 / D. Dimensions with fewer than two common years are left
 * out and named in the notes.
 */
export function combineDimensions(dims: IndexDimension[], reporter: string, partner: string): IndicatorResult {
  const notes: string[] = [];
  const usable = dims.filter((d) => d.values.size >= 2);
  for (const d of dims)
    if (d.values.size < 2) notes.push(`${d.label}: ${d.values.size === 0 ? 'no data' : 'one year only'}, left out`);
  let years = usable.length ? [...usable[0].values.keys()] : [];
  for (const d of usable.slice(1)) years = years.filter((y) => d.values.has(y));
  years.sort((a, b) => a - b);
  if (usable.length === 0 || years.length < 2) {
    return { rows: [], notes: [...notes, 'fewer than two years with every dimension: the index cannot be computed'] };
  }
  const base = years[0];
  const w = 1 / usable.length;
  notes.push(
    `dimensions (equal weights ${round(w, 4)}): ${usable.map((d) => `${d.label} [${d.source}]`).join('; ')}; base year ${base} = 100; below 100 means weaker links than in ${base}`,
  );
  const rows: Row[] = years.map((y) => {
    const row: Row = { year: y, reporter, partner };
    let c = 0;
    for (const d of usable) {
      const idx = (100 * d.values.get(y)!) / d.values.get(base)!;
      row[`${d.id}_pct`] = finite(d.values.get(y));
      row[`${d.id}_index`] = finite(idx);
      c += w * idx;
    }
    row.decoupling_index = finite(c);
    row.dimensions = usable.length;
    return row;
  });
  return { rows, notes };
}

type Compute = (store: Store, p: IndicatorParams) => Promise<IndicatorResult>;

/**
 * Composite decoupling index (脱钩指数) for a pair: trade density (the
 * partner's share of the reporter's goods trade), services links (its share of
 * services trade) and intermediate-goods links (its share in BEC intermediate
 * goods), each from the reporter's side or, failing that, the partner's;
 * normalised to a base year and averaged with equal weights
 * (combineDimensions). Investment, high-tech and business-cycle dimensions
 * enter when such series are loaded; the notes say which are missing.
 */
export async function decouplingIndex(store: Store, p: IndicatorParams, bilateral: Compute): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter', 'decoupling-index');
  const partner = need(p.partner, '--partner', 'decoupling-index');
  const specs: Array<{ id: string; label: string; params: Partial<IndicatorParams> }> = [
    { id: 'goods_trade_share', label: 'goods trade share', params: { flow: 'total', channel: 'goods' } },
    { id: 'services_trade_share', label: 'services trade share', params: { flow: 'total', channel: 'services' } },
    {
      id: 'intermediate_share',
      label: 'intermediate goods share (BEC)',
      params: { flow: 'total', channel: 'goods', group: { set: 'bec-stage', name: 'intermediate' }, level: 6 },
    },
  ];
  const dims: IndexDimension[] = [];
  const notes: string[] = [];
  for (const s of specs) {
    let found: IndexDimension | undefined;
    for (const [r, q] of [
      [reporter, partner],
      [partner, reporter],
    ]) {
      try {
        const res = await bilateral(store, { ...p, ...s.params, reporter: r, partner: q } as IndicatorParams);
        const values = new Map<number, number>();
        // Published (seed) figures and shares among a few loaded partners are not comparable over time: left out.
        for (const row of res.rows) {
          if (
            typeof row.share_pct !== 'number' ||
            String(row.basis ?? '').startsWith('published') ||
            row.world_basis === 'sum of loaded partners'
          )
            continue;
          values.set(Number(row.year), row.share_pct);
        }
        if (values.size) {
          found = { id: s.id, label: s.label, values, source: `${r}'s ${s.label.replace(' share', '')} with ${q}` };
          break;
        }
      } catch (err) {
        notes.push(`${s.label} (${r}): ${(err as Error).message.split('\n')[0]}`);
      }
    }
    dims.push(found ?? { id: s.id, label: s.label, values: new Map(), source: '' });
  }
  const out = combineDimensions(dims, reporter, partner);
  return {
    rows: out.rows,
    notes: [...out.notes, ...notes, 'investment, high-tech and business-cycle dimensions: no such series loaded'],
  };
}
