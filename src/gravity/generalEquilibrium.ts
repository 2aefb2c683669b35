/**
 * General-equilibrium counterfactuals of the structural gravity model by
 * exact hat algebra (Dekle, Eaton and Kortum 2007; Head and Mayer 2014,
 * Handbook of International Economics vol. 4, section 4.3).
 *
 * Baseline flows X_ij (exporter i, importer j; X_ii internal sales where the
 * data has them). Y_i = Σ_j X_ij is output, E_j = Σ_i X_ij expenditure, and
 * D_j = E_j − Y_j the deficit, held fixed in levels. π_ij = X_ij / E_j.
 * A scenario changes trade costs by τ̂_ij; with trade elasticity θ,
 * φ_ij = τ̂_ij^(−θ) (0 for a prohibitive cost). The unknowns are the changes
 * in the exporters' prices (factory-gate wages) ŵ_i:
 *
 *   P̂_j^(−θ) = Σ_i π_ij φ_ij ŵ_i^(−θ)                       (price index)
 *   E'_j     = ŵ_j Y_j + D_j                                (expenditure)
 *   X'_ij    = π_ij φ_ij ŵ_i^(−θ) / P̂_j^(−θ) · E'_j         (new flows)
 *   ŵ_i Y_i  = Σ_j X'_ij                                    (market clearing)
 *
 * solved by the iteration log ŵ_i ← log ŵ_i + log(Σ_j X'_ij / ŵ_i Y_i) / (1 + θ),
 * with world output as numeraire (Σ_i ŵ_i Y_i = Σ_i Y_i), until the largest
 * excess demand |Σ_j X'_ij / ŵ_i Y_i − 1| is below the tolerance. The change in
 * real income (welfare) is Ŵ_j = Ê_j / P̂_j; with balanced trade and internal
 * flows it equals the formula of Arkolakis, Costinot and Rodríguez-Clare
 * (2012), Ŵ_j = π̂_jj^(−1/θ), which the tests check. Flows that are zero in
 * the baseline stay zero (the model has no extensive margin).
 */

/** A baseline: economies and the N×N matrix of flows, row = exporter, column = importer. */
export interface GeBaseline {
  economies: string[];
  flows: Float64Array;
}

export interface GeOptions {
  /** Trade elasticity θ > 0 (the negative of the tariff elasticity of trade). */
  elasticity: number;
  tolerance?: number;
  maxIterations?: number;
}

/** The counterfactual equilibrium: changes (hats) by economy and the new flows. */
export interface GeSolution {
  /** ŵ_i: change in the exporter's price and nominal output (world output = 1). */
  outputChange: Float64Array;
  /** P̂_j: change in the importer's price index. */
  priceIndexChange: Float64Array;
  /** Ê_j: change in nominal expenditure. */
  expenditureChange: Float64Array;
  /** Ê_j / P̂_j: change in real income; only meaningful when internal flows are in the baseline. */
  realIncomeChange: Float64Array;
  flows: Float64Array;
  iterations: number;
  maxExcessDemand: number;
}

/**
 * Returns the counterfactual equilibrium after the trade-cost changes
 * `costChange` (τ̂_ij, N×N, 1 = unchanged, Infinity = prohibitive), or throws
 * if it does not converge or an importer is left with no supplier. With no
 * change it returns the baseline exactly (all hats 1, the same flows).
 */
export function solveGeneralEquilibrium(baseline: GeBaseline, costChange: Float64Array, o: GeOptions): GeSolution {
  const N = baseline.economies.length;
  const X = baseline.flows;
  if (X.length !== N * N || costChange.length !== N * N)
    throw new Error('the flow and cost-change matrices must be N×N for the N economies');
  if (!(o.elasticity > 0)) throw new Error(`the trade elasticity must be positive, not ${o.elasticity}`);
  const theta = o.elasticity;
  const tol = o.tolerance ?? 1e-12;
  const maxIterations = o.maxIterations ?? 100_000;
  const Y = new Float64Array(N);
  const E = new Float64Array(N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      Y[i] += X[i * N + j];
      E[j] += X[i * N + j];
    }
  const phi = new Float64Array(N * N);
  for (let k = 0; k < N * N; k++) {
    const t = costChange[k];
    if (!(t > 0)) throw new Error(`a trade-cost change must be positive (got ${t})`);
    phi[k] = t === 1 ? 1 : t === Infinity ? 0 : Math.pow(t, -theta);
  }
  const w = new Float64Array(N).fill(1);
  const wTheta = new Float64Array(N).fill(1); // ŵ_i^(−θ)
  const Phi = new Float64Array(N);
  const Enew = new Float64Array(N);
  const sales = new Float64Array(N);
  const flows = new Float64Array(N * N);
  let worldY = 0;
  for (let i = 0; i < N; i++) worldY += Y[i];
  let iterations = 0;
  let maxExcess = Infinity;
  for (;;) {
    iterations++;
    // P̂_j^(−θ) as Σ_i X_ij φ_ij ŵ_i^(−θ) / Σ_i X_ij, so that nothing changes exactly when nothing is shocked.
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += X[i * N + j] * phi[i * N + j] * wTheta[i];
      Phi[j] = E[j] > 0 ? s / E[j] : 1;
      if (E[j] > 0 && !(s > 0)) throw new Error(`${baseline.economies[j]} has no supplier left in this scenario`);
      Enew[j] = E[j] + (w[j] - 1) * Y[j];
      if (E[j] > 0 && !(Enew[j] > 0))
        throw new Error(`${baseline.economies[j]}'s expenditure would turn negative: its deficit exceeds its output`);
    }
    sales.fill(0);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < N; j++) {
        const x = X[i * N + j];
        if (x === 0) continue;
        const v = x * ((phi[i * N + j] * wTheta[i]) / Phi[j]) * (Enew[j] / E[j]);
        flows[i * N + j] = v;
        s += v;
      }
      sales[i] = s;
    }
    maxExcess = 0;
    for (let i = 0; i < N; i++) if (Y[i] > 0) maxExcess = Math.max(maxExcess, Math.abs(sales[i] / (w[i] * Y[i]) - 1));
    if (maxExcess < tol) break;
    if (iterations >= maxIterations)
      throw new Error(
        `the equilibrium did not converge in ${maxIterations} iterations (largest excess demand ${maxExcess.toExponential(2)})`,
      );
    let world = 0;
    for (let i = 0; i < N; i++) {
      if (Y[i] > 0) w[i] *= Math.exp(Math.log(sales[i] / (w[i] * Y[i])) / (1 + theta));
      world += w[i] * Y[i];
    }
    const scale = worldY / world;
    for (let i = 0; i < N; i++) {
      w[i] *= scale;
      wTheta[i] = Math.pow(w[i], -theta);
    }
  }
  const priceIndexChange = Phi.map((p) => Math.pow(p, -1 / theta));
  const expenditureChange = Enew.map((e, j) => (E[j] > 0 ? e / E[j] : 1));
  return {
    outputChange: w,
    priceIndexChange,
    expenditureChange,
    realIncomeChange: expenditureChange.map((e, j) => e / priceIndexChange[j]),
    flows,
    iterations,
    maxExcessDemand: maxExcess,
  };
}
