import { invert, sandwich, weightedGram } from '../stats/matrix.js';
import type { ClusterDf } from './smallSample.js';

/** One clustering dimension: a group id per observation. */
export interface ClusterSet {
  name: string;
  ids: Int32Array;
  groups: number;
}

/** The three covariance matrices of a Poisson regression's coefficients. */
export interface Covariances {
  /** Quasi-Poisson: φ (X̃'WX̃)⁻¹ with φ = Σ (y − μ)²/μ / (n − K), as R's glm(family = quasipoisson). */
  iid: number[][];
  /** Heteroskedasticity-robust: n/(n − K) · B (Σ s_i s_i') B, as sandwich::vcovHC(type = "HC1") and fixest (hetero). */
  robust: number[][];
  /**
   * Clustered (null without clusters): one or more ways by inclusion–exclusion
   * (Cameron, Gelbach and Miller 2011), Σ_S (−1)^{|S|+1} Σ_g s_g s_g' over each
   * non-empty set S of clustering dimensions, scaled by G/(G − 1) as `clusterDf`
   * says, and the whole by (n − 1)/(n − K_cluster).
   */
  cluster: number[][] | null;
  dispersion: number;
}

export interface CovarianceInput {
  y: Float64Array;
  mu: Float64Array;
  /** Regressors with the fixed effects partialled out at the solution's weights. */
  x: Float64Array[];
  /** K of the quasi-Poisson and robust matrices: coefficients plus fixed-effect parameters. */
  parameters: number;
  /** K of the clustered matrix (smaller when fixed effects nest in a clustering dimension). */
  clusterParameters: number;
  clusterDf: ClusterDf;
  clusters: ClusterSet[];
}

function clusterMeat(ids: Int32Array, groups: number, x: Float64Array[], resid: Float64Array): number[][] {
  const k = x.length;
  const scores = new Float64Array(groups * k);
  for (let i = 0; i < ids.length; i++) {
    const base = ids[i] * k;
    for (let a = 0; a < k; a++) scores[base + a] += x[a][i] * resid[i];
  }
  const meat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let g = 0; g < groups; g++) {
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a][b] += scores[g * k + a] * scores[g * k + b];
  }
  return meat;
}

/** Returns the group ids of the intersection of several clustering dimensions and their number. */
function intersect(dims: ClusterSet[]): { ids: Int32Array; groups: number } {
  const n = dims[0].ids.length;
  const ids = new Int32Array(n);
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = dims.map((d) => d.ids[i]).join(',');
    let id = seen.get(key);
    if (id === undefined) {
      id = seen.size;
      seen.set(key, id);
    }
    ids[i] = id;
  }
  return { ids, groups: seen.size };
}

/** Returns the quasi-Poisson, robust and (when clusters are given) clustered covariance matrices of a Poisson fit. */
export function covariances(input: CovarianceInput): Covariances {
  const { y, mu, x, parameters } = input;
  const n = y.length;
  const k = x.length;
  if (k === 0) return { iid: [], robust: [], cluster: input.clusters.length ? [] : null, dispersion: NaN };
  const bread = invert(weightedGram(x, mu));
  const resid = new Float64Array(n);
  let pearson = 0;
  for (let i = 0; i < n; i++) {
    resid[i] = y[i] - mu[i];
    pearson += (resid[i] * resid[i]) / mu[i];
  }
  const dof = n - parameters;
  const dispersion = pearson / dof;
  const iid = bread.map((row) => row.map((v) => v * dispersion));
  const identity = new Int32Array(n).map((_, i) => i);
  const robust = sandwich(bread, clusterMeat(identity, n, x, resid)).map((row) => row.map((v) => (v * n) / dof));
  let cluster: number[][] | null = null;
  if (input.clusters.length > 0) {
    const dims = input.clusters;
    const meat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const fewest = Math.min(...dims.map((d) => d.groups));
    for (let mask = 1; mask < 1 << dims.length; mask++) {
      const chosen = dims.filter((_, d) => mask & (1 << d));
      const { ids, groups } = chosen.length === 1 ? chosen[0] : intersect(chosen);
      const sign = chosen.length % 2 === 1 ? 1 : -1;
      const m = clusterMeat(ids, groups, x, resid);
      const adjust = sign * (input.clusterDf === 'conventional' ? groups / (groups - 1) : 1);
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a][b] += adjust * m[a][b];
    }
    const scale = ((n - 1) / (n - input.clusterParameters)) * (input.clusterDf === 'min' ? fewest / (fewest - 1) : 1);
    cluster = sandwich(bread, meat).map((row) => row.map((v) => v * scale));
  }
  return { iid, robust, cluster, dispersion };
}
