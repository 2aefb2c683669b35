/**
 * High-dimensional fixed effects: the weighted within transformation by
 * alternating projections (the method of Guimarães and Portugal 2010 and
 * Gaure 2013, as in reghdfe, ppmlhdfe and fixest), accelerated by the
 * Irons–Tuck extrapolation (Irons and Tuck 1969; used by fixest, Bergé 2018).
 *
 * One sweep projects the residual on each fixed-effect set in turn:
 * r ← r − D_g (D_g'WD_g)⁻¹ D_g'W r, i.e. it subtracts the weighted mean of r
 * within each level. Convergence: the largest change of any element in one
 * sweep (bounded by the sum over sets of the largest level mean removed),
 * relative to the largest absolute value of the input, is below `tol`.
 */

/** One set of fixed effects: a level id per observation, in 0..levels−1. */
export interface FixedEffectSet {
  name: string;
  ids: Int32Array;
  levels: number;
}

/** Returns the fixed-effect set's level ids re-numbered densely after keeping only `keep` observations. */
export function subsetFixedEffect(set: FixedEffectSet, keep: Uint8Array): FixedEffectSet {
  const map = new Int32Array(set.levels).fill(-1);
  let levels = 0;
  let n = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) n++;
  const ids = new Int32Array(n);
  for (let i = 0, j = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    const old = set.ids[i];
    if (map[old] < 0) map[old] = levels++;
    ids[j++] = map[old];
  }
  return { name: set.name, ids, levels };
}

/** Returns the elements of `v` at the kept observations. */
export function subsetColumn(v: Float64Array, keep: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) n++;
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) out[j++] = v[i];
  return out;
}

/** Partials fixed effects out of columns with observation weights. */
export class Absorber {
  private readonly weightSums: Float64Array[];
  private readonly sums: Float64Array[];
  private weights: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  /** The Irons–Tuck products of the last 'ironsTuck' sweep. */
  private num = 0;
  private den = 0;

  constructor(
    readonly sets: FixedEffectSet[],
    readonly n: number,
  ) {
    this.weightSums = sets.map((s) => new Float64Array(s.levels));
    this.sums = sets.map((s) => new Float64Array(s.levels));
    this.weights = new Float64Array(n).fill(1);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.setWeights(this.weights);
  }

  /** Sets the observation weights (IRLS weights); returns nothing. */
  setWeights(w: Float64Array): void {
    this.weights = w;
    this.sets.forEach((s, g) => {
      const ws = this.weightSums[g];
      ws.fill(0);
      const ids = s.ids;
      for (let i = 0; i < this.n; i++) ws[ids[i]] += w[i];
    });
  }

  /** Fills set 0's weighted sums of `src` (what the next sweep starts from). */
  private accumulateFirst(src: Float64Array): void {
    const w = this.weights;
    const ids = this.sets[0].ids;
    const sums = this.sums[0];
    sums.fill(0);
    for (let i = 0; i < this.n; i++) sums[ids[i]] += w[i] * src[i];
  }

  /**
   * One sweep: dst = residual of src after projecting on each set in turn, starting from set 0's weighted sums of
   * src (already accumulated); returns Σ_g max_l |mean_g,l|, the largest change any element can have had. Each
   * pass subtracts set g's means and accumulates set g+1's sums (G passes instead of 2G); the last pass also
   * accumulates set 0's sums of dst for the next sweep (`tail` 'next') or the Irons–Tuck products of dst with the
   * two iterates before it (`tail` 'ironsTuck', into this.num and this.den).
   */
  private sweep(
    src: Float64Array,
    dst: Float64Array,
    tail: 'none' | 'next' | 'ironsTuck',
    x1?: Float64Array,
    x0?: Float64Array,
  ): number {
    const w = this.weights;
    const n = this.n;
    const G = this.sets.length;
    let change = 0;
    let ids = this.sets[0].ids;
    let sums = this.sums[0];
    let from = src;
    for (let g = 0; g < G; g++) {
      const ws = this.weightSums[g];
      let largest = 0;
      for (let l = 0; l < sums.length; l++) {
        const m = ws[l] > 0 ? sums[l] / ws[l] : 0;
        sums[l] = m;
        if (Math.abs(m) > largest) largest = Math.abs(m);
      }
      change += largest;
      const means = sums;
      const meanIds = ids;
      if (g + 1 < G) {
        ids = this.sets[g + 1].ids;
        sums = this.sums[g + 1];
        sums.fill(0);
        for (let i = 0; i < n; i++) {
          const r = from[i] - means[meanIds[i]];
          dst[i] = r;
          sums[ids[i]] += w[i] * r;
        }
      } else if (tail === 'next' && G > 1) {
        const firstIds = this.sets[0].ids;
        const first = this.sums[0]; // set 0's means are no longer needed in this sweep
        first.fill(0);
        for (let i = 0; i < n; i++) {
          const r = from[i] - means[meanIds[i]];
          dst[i] = r;
          first[firstIds[i]] += w[i] * r;
        }
      } else if (tail === 'ironsTuck') {
        let num = 0;
        let den = 0;
        for (let i = 0; i < n; i++) {
          const r = from[i] - means[meanIds[i]];
          dst[i] = r;
          const d1 = r - x1![i];
          const d2 = d1 - x1![i] + x0![i];
          num += d1 * d2;
          den += d2 * d2;
        }
        this.num = num;
        this.den = den;
      } else {
        for (let i = 0; i < n; i++) dst[i] = from[i] - means[meanIds[i]];
      }
      from = dst;
    }
    return change;
  }

  /**
   * Replaces `v` by its residual after partialling out all fixed effects
   * (weighted); returns the number of sweeps. `v` may start anywhere that
   * differs from the column by a combination of fixed effects (a warm start).
   */
  residualize(v: Float64Array, tol = 1e-10, maxSweeps = 100_000): number {
    if (this.sets.length === 0) return 0;
    let scale = 0;
    for (let i = 0; i < this.n; i++) scale = Math.max(scale, Math.abs(v[i]));
    const limit = tol * Math.max(scale, 1e-300);
    this.accumulateFirst(v);
    if (this.sets.length === 1) {
      this.sweep(v, v, 'none');
      return 1;
    }
    const x1 = this.a;
    const x2 = this.b;
    const w = this.weights;
    const firstIds = this.sets[0].ids;
    const first = this.sums[0];
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      sweeps++;
      if (this.sweep(v, x1, 'next') < limit) {
        v.set(x1);
        return sweeps;
      }
      sweeps++;
      if (this.sweep(x1, x2, 'ironsTuck', x1, v) < limit) {
        v.set(x2);
        return sweeps;
      }
      // Irons–Tuck: v ← x2 − (Δx2·Δ²x / Δ²x·Δ²x) Δx2, with Δx2 = x2 − x1 and Δ²x = x2 − 2x1 + v; the same pass
      // accumulates set 0's sums of the new v for the next sweep.
      const alpha = this.den > 0 ? this.num / this.den : 0;
      first.fill(0);
      for (let i = 0; i < this.n; i++) {
        const next = x2[i] - alpha * (x2[i] - x1[i]);
        v[i] = next;
        first[firstIds[i]] += w[i] * next;
      }
    }
    throw new Error(`fixed effects did not converge in ${maxSweeps} sweeps (tolerance ${tol})`);
  }
}

/**
 * Returns the number of parameters the fixed effects use: the sum of their
 * levels less the redundant ones. Exact for one or two sets (two sets are
 * redundant once per connected component of the bipartite graph of their
 * levels; Abowd, Creecy and Kramarz 2002); each further set is taken to add
 * one redundancy (the common constant), which is exact unless it is nested in
 * the others, the convention of reghdfe and fixest.
 */
export function fixedEffectParameters(sets: FixedEffectSet[]): number {
  if (sets.length === 0) return 0;
  const total = sets.reduce((s, f) => s + f.levels, 0);
  if (sets.length === 1) return total;
  const [a, b] = sets;
  const parent = new Int32Array(a.levels + b.levels);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < a.ids.length; i++) {
    const ra = find(a.ids[i]);
    const rb = find(a.levels + b.ids[i]);
    if (ra !== rb) parent[ra] = rb;
  }
  let components = 0;
  for (let i = 0; i < parent.length; i++) if (find(i) === i) components++;
  return total - components - (sets.length - 2);
}
