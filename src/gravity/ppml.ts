import { invert, weightedCross, weightedGram } from '../stats/matrix.js';
import { lnGamma, normalTwoSidedP } from '../stats/specialFunctions.js';
import {
  Absorber,
  fixedEffectParameters,
  subsetColumn,
  subsetFixedEffect,
  type FixedEffectSet,
} from './fixedEffects.js';
import { filterSample } from './sampleFilter.js';
import { covariances, type ClusterSet, type Covariances } from './covariance.js';
import { findSeparated } from './separation.js';
import { ColumnAbsorber } from './columnAbsorber.js';
import { FIXEST_SMALL_SAMPLE, smallSampleParameters, type SmallSample } from './smallSample.js';

/** A Poisson regression's input: outcome, named regressors, fixed-effect sets and optional cluster ids. */
export interface PpmlData {
  y: Float64Array;
  x: { name: string; values: Float64Array }[];
  fixedEffects: FixedEffectSet[];
  clusters?: ClusterSet[];
}

/** Convergence settings and conventions; the defaults are those stated in docs/gravity.md (fixest's). */
export interface PpmlOptions {
  /** IRLS stops when the change in deviance, |D − D₋₁| / (0.1 + D), is below this (fixest's glm.tol, 1e-8). */
  tolerance?: number;
  /** Tolerance of the fixed-effect projections at convergence (relative, see Absorber). */
  absorbTolerance?: number;
  maxIterations?: number;
  /** Check for separation by regressors with the ReLU method (default true). */
  separationCheck?: boolean;
  /** Threads for the fixed-effect projections (default: the machine's cores; 1 = no worker thread). */
  threads?: number;
  /** Called after each IRLS iteration with the iteration number and the deviance. */
  onIteration?: (iteration: number, deviance: number) => void;
  /** The standard errors' small-sample conventions (default fixest's: fixef.K nested, cluster.df min). */
  smallSample?: SmallSample;
}

export interface Coefficient {
  name: string;
  estimate: number;
  /** The reported standard error: clustered when clusters are given, else robust. */
  se: number;
  z: number;
  p: number;
  ciLow: number;
  ciHigh: number;
  seIid: number;
  seRobust: number;
  seCluster: number | null;
}

/** What a PPML estimation returns: coefficients, fit, sample accounting and convergence. */
export interface PpmlResult {
  coefficients: Coefficient[];
  /** Regressors left out: no variation once the fixed effects are removed. */
  omitted: string[];
  /** What the reader should know about this fit (an inconclusive separation check). */
  notes: string[];
  covariances: Covariances;
  observations: number;
  observationsIn: number;
  dropped: { singletons: number; separatedByFixedEffects: number; separatedByRegressors: number };
  fixedEffects: { name: string; levels: number }[];
  /** Fixed-effect parameters, exactly counted (the rank R's glm with dummies finds for the first two sets). */
  fixedEffectParameters: number;
  /** Regressors plus the exact fixed-effect parameters: the model's residual degrees of freedom are n − this. */
  parameters: number;
  /** The small-sample conventions of the standard errors and the K each matrix used. */
  smallSample: SmallSample & { parameters: number; clusterParameters: number };
  clusters: { name: string; groups: number }[];
  logLikelihood: number;
  logLikelihoodNull: number;
  pseudoR2: number;
  deviance: number;
  iterations: number;
  absorbSweeps: number;
  /** Whether a worker thread shared the projections. */
  parallel: boolean;
  converged: boolean;
  tolerance: number;
  absorbTolerance: number;
  /** Fitted means of the estimation sample and which input rows they belong to. */
  fitted: Float64Array;
  kept: Uint8Array;
}

function poissonDeviance(y: Float64Array, mu: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d += (y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]);
  return 2 * d;
}

function poissonLogLikelihood(y: Float64Array, mu: Float64Array | number): number {
  let ll = 0;
  for (let i = 0; i < y.length; i++) {
    const m = typeof mu === 'number' ? mu : mu[i];
    ll += (y[i] > 0 ? y[i] * Math.log(m) : 0) - m - lnGamma(y[i] + 1);
  }
  return ll;
}

interface IrlsFit {
  beta: number[];
  mu: Float64Array;
  eta: Float64Array;
  xRes: Float64Array[];
  deviance: number;
  iterations: number;
  absorbSweeps: number;
  parallel: boolean;
  /** Zero outcomes whose linear predictor still fell by more than 0.5 in the last step. */
  drifting: number;
}

/**
 * Returns the IRLS solution on a prepared sample, or throws if it does not
 * converge. `xStart` holds the regressors or anything that differs from them by
 * a combination of fixed effects (a warm start).
 */
function irls(
  y: Float64Array,
  xStart: Float64Array[],
  sets: FixedEffectSet[],
  o: Required<Pick<PpmlOptions, 'tolerance' | 'absorbTolerance' | 'maxIterations'>> & PpmlOptions,
): IrlsFit {
  const n = y.length;
  const k = xStart.length;
  // Column 0 is the working outcome, columns 1..k the regressors; a worker thread shares them out.
  const pool = new ColumnAbsorber(sets, n, k + 1, o.threads);
  try {
    // Starting values μ = y + 0.1, as R's poisson()$initialize and fixest: close to the fit wherever y > 0, which
    // measured two to three fewer IRLS steps than ppmlhdfe's (y + ȳ)/2 on the benchmark panels.
    const mu = new Float64Array(n);
    const eta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      mu[i] = y[i] + 0.1;
      eta[i] = Math.log(mu[i]);
    }
    const z = new Float64Array(n);
    const zRes = pool.column(0);
    const zFe = new Float64Array(n); // z minus its residual: the fitted fixed effects, for warm starts
    const xRes = xStart.map((c, a) => {
      const col = pool.column(a + 1);
      col.set(c);
      return col;
    });
    let beta = new Array<number>(k).fill(0);
    let deviance = poissonDeviance(y, mu);
    let iterations = 0;
    let absorbSweeps = 0;
    let innerTol = Math.max(o.absorbTolerance, 1e-4);
    let change = Infinity;
    // Zero outcomes whose linear predictor still falls by more than 0.5 (μ by 40%) at the last step: the sign of
    // separation (each step takes such a mean down by a factor of about e), at a deviance that has converged because
    // those means are too small to move it.
    let drifting = 0;
    while (iterations < o.maxIterations) {
      iterations++;
      for (let i = 0; i < n; i++) {
        z[i] = eta[i] + (y[i] - mu[i]) / mu[i];
        zRes[i] = z[i] - zFe[i];
      }
      pool.setWeights(mu);
      absorbSweeps += pool.residualize(innerTol);
      if (k > 0) {
        const xtwx = weightedGram(xRes, mu);
        const xtwz = xRes.map((a) => weightedCross(a, zRes, mu));
        const inv = invert(xtwx);
        beta = inv.map((row) => row.reduce((s, v, j) => s + v * xtwz[j], 0));
      }
      drifting = 0;
      for (let i = 0; i < n; i++) {
        let e = zRes[i];
        for (let a = 0; a < k; a++) e -= xRes[a][i] * beta[a];
        zFe[i] = z[i] - zRes[i];
        const before = eta[i];
        eta[i] = z[i] - e;
        mu[i] = Math.exp(eta[i]);
        if (y[i] === 0 && before - eta[i] > 0.5) drifting++;
      }
      const previous = deviance;
      deviance = poissonDeviance(y, mu);
      change = Math.abs(deviance - previous) / (0.1 + deviance);
      o.onIteration?.(iterations, deviance);
      if (change < o.tolerance) {
        // The covariances use the weights at the solution: partial the regressors out once more with w = μ, at the
        // final projection tolerance (the steps before ran at a tolerance tied to the deviance's change).
        pool.setWeights(mu);
        absorbSweeps += pool.residualize(o.absorbTolerance, 1);
        return {
          beta,
          mu,
          eta,
          xRes: xRes.map((c) => Float64Array.from(c)),
          deviance,
          iterations,
          absorbSweeps,
          parallel: pool.parallel,
          drifting,
        };
      }
      innerTol = Math.max(o.absorbTolerance, Math.min(innerTol, change / 10));
    }
    throw new Error(
      `PPML did not converge in ${o.maxIterations} iterations (relative deviance change ${change.toExponential(2)})`,
    );
  } finally {
    pool.close();
  }
}

/**
 * Returns whether the fit shows the sign of separation: a zero outcome whose
 * fitted mean has collapsed (μ below 1e-9 of the mean outcome), the "mu"
 * symptom ppmlhdfe also watches for.
 */
function collapsedZeros(y: Float64Array, mu: Float64Array): boolean {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  const floor = (1e-9 * mean) / y.length;
  for (let i = 0; i < y.length; i++) if (y[i] === 0 && mu[i] < floor) return true;
  return false;
}

/**
 * Returns the Poisson pseudo-maximum-likelihood estimate (Santos Silva and
 * Tenreyro 2006) of E[y | x, FE] = exp(xβ + Σ_g α_g), by iteratively
 * reweighted least squares: weights w = μ, working outcome z = η + (y − μ)/μ,
 * each step a weighted least squares of z on x with the fixed effects
 * absorbed (Absorber), warm-started from the previous step's fixed effects,
 * with the projection tolerance tightened as the deviance converges (the
 * algorithm of ppmlhdfe; Correia, Guimarães and Zylkin 2020). Singletons and
 * observations separated by the fixed effects are dropped first; if the fit
 * then shows collapsed means for zero outcomes, the ReLU check finds the
 * observations separated by the regressors, drops them and fits again.
 * Regressors with no variation left once the fixed effects are removed are
 * omitted and named.
 */
export function ppml(data: PpmlData, options: PpmlOptions = {}): PpmlResult {
  const o = { tolerance: 1e-8, absorbTolerance: 1e-10, maxIterations: 200, ...options };
  const nIn = data.y.length;
  data.x.forEach((c) => {
    for (let i = 0; i < nIn; i++)
      if (!Number.isFinite(c.values[i]))
        throw new Error(`row ${i + 1}: ${c.name} is missing or not finite; drop such rows before estimating`);
  });
  for (let i = 0; i < nIn; i++) {
    if (!Number.isFinite(data.y[i]))
      throw new Error(`row ${i + 1}: the outcome is missing or not finite; drop such rows before estimating`);
    if (data.y[i] < 0)
      throw new Error(`row ${i + 1}: the outcome is negative (${data.y[i]}); Poisson regression needs y ≥ 0`);
  }
  // Without fixed effects the model has an intercept: one set with a single level.
  const fixedEffects =
    data.fixedEffects.length > 0 ? data.fixedEffects : [{ name: '(intercept)', ids: new Int32Array(nIn), levels: 1 }];
  const filter = filterSample(data.y, fixedEffects);
  let keep = filter.keep;
  let { singletons, separatedByFixedEffects } = filter;
  let separatedByRegressors = 0;
  let separationChecked = false;
  const notes: string[] = [];
  for (;;) {
    const y = subsetColumn(data.y, keep);
    const n = y.length;
    if (n === 0) throw new Error('no observations left after dropping singletons and separated observations');
    const sets = fixedEffects.map((f) => subsetFixedEffect(f, keep));
    const absorber = new Absorber(sets, n);
    // Regressors with no variation once the fixed effects are removed are omitted; the others'
    // residuals (which differ from them by fixed effects) start the first IRLS step.
    const omitted: string[] = [];
    const regressors: string[] = [];
    const starts: Float64Array[] = [];
    for (const c of data.x) {
      const v = subsetColumn(c.values, keep);
      let before = 0;
      for (let i = 0; i < n; i++) before = Math.max(before, Math.abs(v[i]));
      absorber.residualize(v, 1e-8);
      let after = 0;
      for (let i = 0; i < n; i++) after = Math.max(after, Math.abs(v[i]));
      if (after <= 1e-6 * before || before === 0) omitted.push(c.name);
      else {
        regressors.push(c.name);
        starts.push(v);
      }
    }
    const fit = irls(y, starts, sets, o);
    if (
      (o.separationCheck ?? true) &&
      !separationChecked &&
      starts.length > 0 &&
      (fit.drifting > 0 || collapsedZeros(y, fit.mu))
    ) {
      separationChecked = true;
      const sep = findSeparated(y, starts, sets);
      if (!sep.conclusive)
        notes.push(
          `fitted means of some zero outcomes collapsed, but the ReLU separation check found no certificate in ${sep.iterations} iterations: separated observations may remain`,
        );
      if (sep.count > 0) {
        separatedByRegressors = sep.count;
        const next = Uint8Array.from(keep);
        for (let i = 0, j = 0; i < nIn; i++) if (keep[i]) next[i] = sep.separated[j++] ? 0 : 1;
        const again = filterSample(data.y, fixedEffects, next);
        keep = again.keep;
        singletons += again.singletons;
        separatedByFixedEffects += again.separatedByFixedEffects;
        continue;
      }
    }
    return {
      ...summarise(data, o, {
        y,
        sets,
        keep,
        fit,
        omitted,
        regressors,
        nIn,
        singletons,
        separatedByFixedEffects,
        separatedByRegressors,
      }),
      notes,
    };
  }
}

interface FitContext {
  y: Float64Array;
  sets: FixedEffectSet[];
  keep: Uint8Array;
  fit: IrlsFit;
  omitted: string[];
  regressors: string[];
  nIn: number;
  singletons: number;
  separatedByFixedEffects: number;
  separatedByRegressors: number;
}

function summarise(
  data: PpmlData,
  o: { tolerance: number; absorbTolerance: number; smallSample?: SmallSample },
  c: FitContext,
): PpmlResult {
  const { y, sets, keep, fit } = c;
  const n = y.length;
  const k = c.regressors.length;
  const feParams = fixedEffectParameters(sets);
  const parameters = k + feParams;
  const clusters = (data.clusters ?? []).map((cl) => {
    const s = subsetFixedEffect({ name: cl.name, ids: cl.ids, levels: cl.groups }, keep);
    return { name: cl.name, ids: s.ids, groups: s.levels };
  });
  const conventions = o.smallSample ?? FIXEST_SMALL_SAMPLE;
  // Without fixed effects the model's intercept is the one set of a single level.
  const counted = smallSampleParameters(k, sets, clusters, conventions.fixefK);
  const cov = covariances({
    y,
    mu: fit.mu,
    x: fit.xRes,
    parameters: counted.parameters,
    clusterParameters: counted.clusterParameters,
    clusterDf: conventions.clusterDf,
    clusters,
  });
  const reported = clusters.length > 0 ? cov.cluster! : cov.robust;
  const coefficients: Coefficient[] = c.regressors.map((name, a) => {
    const b = fit.beta[a];
    const se = Math.sqrt(reported[a][a]);
    const zStat = b / se;
    return {
      name,
      estimate: b,
      se,
      z: zStat,
      p: normalTwoSidedP(zStat),
      ciLow: b - 1.959963984540054 * se,
      ciHigh: b + 1.959963984540054 * se,
      seIid: Math.sqrt(cov.iid[a][a]),
      seRobust: Math.sqrt(cov.robust[a][a]),
      seCluster: cov.cluster ? Math.sqrt(cov.cluster[a][a]) : null,
    };
  });
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  const logLikelihood = poissonLogLikelihood(y, fit.mu);
  const logLikelihoodNull = poissonLogLikelihood(y, mean);
  return {
    coefficients,
    omitted: c.omitted,
    notes: [],
    covariances: cov,
    observations: n,
    observationsIn: c.nIn,
    dropped: {
      singletons: c.singletons,
      separatedByFixedEffects: c.separatedByFixedEffects,
      separatedByRegressors: c.separatedByRegressors,
    },
    fixedEffects: data.fixedEffects.length > 0 ? sets.map((s) => ({ name: s.name, levels: s.levels })) : [],
    fixedEffectParameters: feParams,
    parameters,
    smallSample: { ...conventions, ...counted },
    clusters: clusters.map((cl) => ({ name: cl.name, groups: cl.groups })),
    logLikelihood,
    logLikelihoodNull,
    pseudoR2: 1 - logLikelihood / logLikelihoodNull,
    deviance: fit.deviance,
    iterations: fit.iterations,
    absorbSweeps: fit.absorbSweeps,
    parallel: fit.parallel,
    converged: true,
    tolerance: o.tolerance,
    absorbTolerance: o.absorbTolerance,
    fitted: fit.mu,
    kept: keep,
  };
}
