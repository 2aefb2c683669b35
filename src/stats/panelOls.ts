import { tCritical95 } from './studentT.js';
import { invert } from './matrix.js';
import { maxOf } from '../util/extremes.js';

/** A panel regression's input: outcome, regressors, two fixed-effect ids and a cluster id per observation. */
export interface PanelData {
  y: Float64Array;
  /** Regressors, one array per coefficient. */
  x: Float64Array[];
  unit: Int32Array;
  time: Int32Array;
  cluster: Int32Array;
}

export interface PanelEstimate {
  beta: number[];
  se: number[];
  ciLow: number[];
  ciHigh: number[];
  n: number;
  clusters: number;
  /** Degrees of freedom of the t critical value (clusters − 1). */
  df: number;
  iterations: number;
}

/**
 * Removes unit and time means from `v` by alternating projections until the
 * largest change is below `tol` (exact in one pass for balanced panels);
 * returns the number of sweeps.
 */
function demean(
  v: Float64Array,
  unit: Int32Array,
  time: Int32Array,
  nUnit: number,
  nTime: number,
  tol = 1e-10,
  maxIter = 1000,
): number {
  const sumU = new Float64Array(nUnit);
  const cntU = new Float64Array(nUnit);
  const sumT = new Float64Array(nTime);
  const cntT = new Float64Array(nTime);
  for (let i = 0; i < v.length; i++) {
    cntU[unit[i]]++;
    cntT[time[i]]++;
  }
  for (let it = 1; it <= maxIter; it++) {
    sumU.fill(0);
    for (let i = 0; i < v.length; i++) sumU[unit[i]] += v[i];
    let change = 0;
    for (let i = 0; i < v.length; i++) {
      const m = sumU[unit[i]] / cntU[unit[i]];
      v[i] -= m;
      change = Math.max(change, Math.abs(m));
    }
    sumT.fill(0);
    for (let i = 0; i < v.length; i++) sumT[time[i]] += v[i];
    for (let i = 0; i < v.length; i++) {
      const m = sumT[time[i]] / cntT[time[i]];
      v[i] -= m;
      change = Math.max(change, Math.abs(m));
    }
    if (change < tol) return it;
  }
  throw new Error(`fixed effects did not converge in ${maxIter} sweeps`);
}

/**
 * Returns OLS coefficients of y on x with unit and time fixed effects
 * (absorbed by alternating projections), with cluster-robust standard errors:
 * V = (X'X)⁻¹ (Σ_g X_g'u_g u_g'X_g) (X'X)⁻¹ · G/(G−1) · (N−1)/(N−K), where K
 * counts the regressors and the time effects (the unit effects are nested in
 * the clusters and not counted, as in reghdfe; Cameron and Miller 2015), and 95% intervals from
 * Student's t with G−1 degrees of freedom.
 */
export function panelOls(d: PanelData): PanelEstimate {
  const n = d.y.length;
  const k = d.x.length;
  const nUnit = maxOf(d.unit) + 1;
  const nTime = maxOf(d.time) + 1;
  const y = Float64Array.from(d.y);
  let iterations = demean(y, d.unit, d.time, nUnit, nTime);
  const x = d.x.map((col) => {
    const c = Float64Array.from(col);
    iterations = Math.max(iterations, demean(c, d.unit, d.time, nUnit, nTime));
    return c;
  });
  const xtx = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[a][i] * x[b][i];
      return s;
    }),
  );
  const xty = Array.from({ length: k }, (_, a) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[a][i] * y[i];
    return s;
  });
  const inv = invert(xtx);
  const beta = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0));
  const nCluster = maxOf(d.cluster) + 1;
  const scores = Array.from({ length: nCluster }, () => new Float64Array(k));
  for (let i = 0; i < n; i++) {
    let u = y[i];
    for (let a = 0; a < k; a++) u -= x[a][i] * beta[a];
    for (let a = 0; a < k; a++) scores[d.cluster[i]][a] += x[a][i] * u;
  }
  const meat = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => scores.reduce((s, g) => s + g[a] * g[b], 0)),
  );
  const absorbed = new Set(d.time).size - 1;
  const factor = (nCluster / (nCluster - 1)) * ((n - 1) / (n - k - absorbed));
  const se = beta.map((_, a) => {
    let v = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) v += inv[a][i] * meat[i][j] * inv[j][a];
    return Math.sqrt(v * factor);
  });
  const df = nCluster - 1;
  const t = tCritical95(df);
  return {
    beta,
    se,
    ciLow: beta.map((b, a) => b - t * se[a]),
    ciHigh: beta.map((b, a) => b + t * se[a]),
    n,
    clusters: nCluster,
    df,
    iterations,
  };
}
