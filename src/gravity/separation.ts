import { Absorber, type FixedEffectSet } from './fixedEffects.js';
import { invert, weightedCross, weightedGram } from '../stats/matrix.js';

/** Observations whose Poisson estimate does not exist (fitted mean 0 at the limit), found by the ReLU method. */
export interface Separation {
  separated: Uint8Array;
  count: number;
  iterations: number;
  /** False when the check stopped at its iteration limit without a certificate either way. */
  conclusive: boolean;
}

/**
 * Returns the observations separated by the regressors and fixed effects
 * together, by the iterative rectifier (ReLU) method of Correia, Guimarães
 * and Zylkin (2021, "Verifying the existence of maximum likelihood estimates
 * for generalized linear models", section 4): regress u (1 where y = 0, 0
 * where y > 0) on x and the fixed effects by least squares with a large weight
 * on y > 0, set the fit's negative values on y = 0 to zero and repeat; when
 * the fit is non-negative on y = 0 (up to a tolerance), the observations with
 * a positive fit are separated. Separated observations have y = 0 and can be
 * dropped without changing the other estimates.
 */
export function findSeparated(
  y: Float64Array,
  x: Float64Array[],
  sets: FixedEffectSet[],
  maxIterations = 100,
): Separation {
  const n = y.length;
  const separated = new Uint8Array(n);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (y[i] === 0) zeros++;
  if (zeros === 0) return { separated, count: 0, iterations: 0, conclusive: true };
  const big = 1e6;
  const tol = 1e-5;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = y[i] > 0 ? big : 1;
  const absorber = new Absorber(sets, n);
  absorber.setWeights(w);
  const xRes = x.map((c) => {
    const r = Float64Array.from(c);
    absorber.residualize(r, 1e-9);
    return r;
  });
  const k = xRes.length;
  const inv = invert(weightedGram(xRes, w), 'regressors are collinear with the fixed effects (no variation left)');
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = y[i] === 0 ? 1 : 0;
  const r = new Float64Array(n);
  for (let it = 1; it <= maxIterations; it++) {
    r.set(u);
    absorber.residualize(r, 1e-9);
    const xtr = xRes.map((a) => weightedCross(a, r, w));
    const beta = inv.map((row) => row.reduce((s, v, j) => s + v * xtr[j], 0));
    // Tolerances relative to the largest current u: the iteration shrinks u towards zero when nothing is separated.
    let scale = 0;
    for (let i = 0; i < n; i++) if (u[i] > scale) scale = u[i];
    if (scale === 0) return { separated, count: 0, iterations: it, conclusive: true };
    const cut = tol * scale;
    let negative = false;
    let offPositives = 0;
    for (let i = 0; i < n; i++) {
      let e = r[i];
      for (let a = 0; a < k; a++) e -= xRes[a][i] * beta[a];
      let fit = u[i] - e;
      if (Math.abs(fit) < cut) fit = 0;
      if (y[i] === 0) {
        if (fit < 0) negative = true;
        u[i] = Math.max(fit, 0);
      } else if (Math.abs(fit) > offPositives) offPositives = Math.abs(fit);
    }
    // A certificate: the fit is zero on positive outcomes and non-negative on zeros, and not all zero.
    if (!negative && offPositives === 0) {
      let count = 0;
      for (let i = 0; i < n; i++)
        if (y[i] === 0 && u[i] > 0) {
          separated[i] = 1;
          count++;
        }
      return { separated, count, iterations: it, conclusive: true };
    }
  }
  return { separated, count: 0, iterations: maxIterations, conclusive: false };
}
