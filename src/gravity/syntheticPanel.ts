import { lnGamma } from '../stats/specialFunctions.js';
import type { PpmlData } from './ppml.js';

/** Settings of a simulated gravity panel; the true coefficients are known, for tests and benchmarks. */
export interface SyntheticPanelOptions {
  economies: number;
  years: number;
  seed: number;
  /** True coefficient of the agreement dummy `rta`. */
  rta: number;
  /** True coefficient of `log_tariff` = ln(1 + tariff rate). */
  tariff: number;
  /** Constant added to every log mean; lower gives more zero flows. */
  constant: number;
}

export const DEFAULT_SYNTHETIC_PANEL: SyntheticPanelOptions = {
  economies: 150,
  years: 25,
  seed: 20261122,
  rta: 0.4,
  tariff: -5,
  constant: 1,
};

/** Returns a seeded uniform generator on [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Returns a Poisson draw: multiplication for small means, else the PTRS transformed rejection of Hörmann (1993). */
function poisson(lambda: number, rand: () => number): number {
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rand();
    while (p > limit) {
      k++;
      p *= rand();
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rand() - 0.5;
    const v = rand();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - lnGamma(k + 1))
      return k;
  }
}

/**
 * Returns a simulated panel of flows between `economies` economies over
 * `years` years (every ordered pair, no internal flows): y ~ Poisson(μ) with
 * log μ = constant + a_it + b_jt + c_ij + rta·RTA_ijt + tariff·ln(1 + t_ijt),
 * where the exporter-year, importer-year and pair effects are standard normal,
 * agreements start at a random year for a fifth of pairs, and tariffs follow
 * a bounded random walk from a pair-specific level. The fixed effects are
 * exporter-year, importer-year and pair.
 */
export function syntheticGravityPanel(
  options: Partial<SyntheticPanelOptions> = {},
): PpmlData & { truth: Record<string, number> } {
  const o = { ...DEFAULT_SYNTHETIC_PANEL, ...options };
  const rand = uniform(o.seed);
  const N = o.economies;
  const T = o.years;
  const n = N * (N - 1) * T;
  const exporterYear = Float64Array.from({ length: N * T }, () => normal(rand));
  const importerYear = Float64Array.from({ length: N * T }, () => normal(rand));
  const y = new Float64Array(n);
  const rta = new Float64Array(n);
  const tariff = new Float64Array(n);
  const fe = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
  let row = 0;
  let pair = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      const c = normal(rand);
      const start = rand() < 0.2 ? Math.floor(rand() * T) : T;
      let rate = 0.02 + 0.2 * rand();
      for (let t = 0; t < T; t++) {
        rate = Math.min(0.6, Math.max(0, rate + 0.03 * normal(rand)));
        const r = t >= start ? 1 : 0;
        const lt = Math.log1p(rate);
        const mu = Math.exp(
          o.constant + exporterYear[i * T + t] + importerYear[j * T + t] + c + o.rta * r + o.tariff * lt,
        );
        y[row] = poisson(mu, rand);
        rta[row] = r;
        tariff[row] = lt;
        fe[0][row] = i * T + t;
        fe[1][row] = j * T + t;
        fe[2][row] = pair;
        row++;
      }
      pair++;
    }
  }
  return {
    y,
    x: [
      { name: 'rta', values: rta },
      { name: 'log_tariff', values: tariff },
    ],
    fixedEffects: [
      { name: 'exporter^year', ids: fe[0], levels: N * T },
      { name: 'importer^year', ids: fe[1], levels: N * T },
      { name: 'pair', ids: fe[2], levels: pair },
    ],
    clusters: [{ name: 'pair', ids: fe[2], groups: pair }],
    truth: { rta: o.rta, log_tariff: o.tariff },
  };
}
