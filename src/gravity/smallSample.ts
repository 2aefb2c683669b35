import { fixedEffectParameters, type FixedEffectSet } from './fixedEffects.js';

/**
 * How the fixed effects count in the small-sample factor's K (fixest's `ssc(fixef.K = …)`):
 * - `nested`: as `full`, except that for clustered errors the sets nested in a clustering dimension do not count
 *   (fixest's default);
 * - `full`: every level, less one per set after the first (Σ levels − (Q − 1));
 * - `exact`: the exact rank, less one redundancy per connected component of the first two sets, as R's glm with
 *   dummy variables counts its coefficients (fixest's `fixef.force_exact = TRUE` for two sets);
 * - `none`: only the regressors.
 */
export type FixefK = 'nested' | 'full' | 'exact' | 'none';

/**
 * How multi-way clustered errors scale their terms (fixest's `ssc(cluster.df = …)`): `min` multiplies the whole by
 * G_min/(G_min − 1) with the fewest groups (fixest's and reghdfe's default); `conventional` scales each term by its
 * own G/(G − 1) (Cameron, Gelbach and Miller 2011; `sandwich::vcovCL`). One-way clustering is the same under both.
 */
export type ClusterDf = 'min' | 'conventional';

/** The small-sample conventions of the standard errors; the default is fixest's. */
export interface SmallSample {
  fixefK: FixefK;
  clusterDf: ClusterDf;
}

/** fixest's defaults (`ssc()`): what a user comparing with `fepois` sees. */
export const FIXEST_SMALL_SAMPLE: SmallSample = { fixefK: 'nested', clusterDf: 'min' };
/** R's glm with dummy variables and the sandwich package (`vcovHC`/`vcovCL`, type HC1). */
export const SANDWICH_SMALL_SAMPLE: SmallSample = { fixefK: 'exact', clusterDf: 'conventional' };

/** Returns whether every level of the fixed-effect set falls in one group of the clustering dimension. */
function nestedIn(set: FixedEffectSet, cluster: { ids: Int32Array }): boolean {
  const groupOf = new Int32Array(set.levels).fill(-1);
  for (let i = 0; i < set.ids.length; i++) {
    const level = set.ids[i];
    const g = cluster.ids[i];
    if (groupOf[level] === -1) groupOf[level] = g;
    else if (groupOf[level] !== g) return false;
  }
  return true;
}

/**
 * Returns K, the number of parameters in the small-sample factors n/(n − K) and (n − 1)/(n − K), under a
 * convention: `parameters` for the quasi-Poisson and robust matrices and `clusterParameters` for the clustered one.
 * With `nested`, the sets nested in a clustering dimension are left out of the clustered K (all of them nested:
 * the regressors and one intercept), as fixest's vcov does.
 */
export function smallSampleParameters(
  regressors: number,
  sets: FixedEffectSet[],
  clusters: { ids: Int32Array }[],
  fixefK: FixefK,
): { parameters: number; clusterParameters: number } {
  const q = sets.length;
  const levels = sets.reduce((s, f) => s + f.levels, 0);
  const full = regressors + (q > 0 ? levels - (q - 1) : 0);
  if (fixefK === 'none') return { parameters: regressors, clusterParameters: regressors };
  if (fixefK === 'exact') {
    const exact = regressors + fixedEffectParameters(sets);
    return { parameters: exact, clusterParameters: exact };
  }
  if (fixefK === 'full' || clusters.length === 0 || q === 0) return { parameters: full, clusterParameters: full };
  const nested = sets.filter((f) => clusters.some((c) => nestedIn(f, c)));
  if (nested.length === 0) return { parameters: full, clusterParameters: full };
  if (nested.length === q) return { parameters: full, clusterParameters: regressors + 1 };
  return {
    parameters: full,
    clusterParameters: full - nested.reduce((s, f) => s + f.levels - 1, 0),
  };
}
