import type { FixedEffectSet } from './fixedEffects.js';

/** Which observations a Poisson regression with fixed effects can use, and why the others were dropped. */
export interface SampleFilter {
  keep: Uint8Array;
  /** Observations alone in a fixed-effect level (their effect fits them exactly; Correia 2015). */
  singletons: number;
  /** Observations in a fixed-effect level whose outcomes are all zero (the effect goes to −∞). */
  separatedByFixedEffects: number;
}

/**
 * Returns the observations to keep: repeatedly drops singletons and levels of
 * any fixed-effect set whose outcomes are all zero, until neither remains
 * (each drop can create new ones), starting from `initial` when given. Both are the checks of ppmlhdfe (Correia,
 * Guimarães and Zylkin 2020, section 3).
 */
export function filterSample(y: Float64Array, sets: FixedEffectSet[], initial?: Uint8Array): SampleFilter {
  const n = y.length;
  const keep = initial ? Uint8Array.from(initial) : new Uint8Array(n).fill(1);
  let singletons = 0;
  let separatedByFixedEffects = 0;
  const counts = sets.map((s) => new Int32Array(s.levels));
  const sums = sets.map((s) => new Float64Array(s.levels));
  for (;;) {
    let dropped = 0;
    sets.forEach((s, g) => {
      counts[g].fill(0);
      sums[g].fill(0);
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        counts[g][s.ids[i]]++;
        sums[g][s.ids[i]] += y[i];
      }
    });
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      let single = false;
      let zero = false;
      for (let g = 0; g < sets.length; g++) {
        const l = sets[g].ids[i];
        if (counts[g][l] === 1) single = true;
        else if (sums[g][l] === 0) zero = true;
      }
      if (single) singletons++;
      else if (zero) separatedByFixedEffects++;
      if (single || zero) {
        keep[i] = 0;
        dropped++;
      }
    }
    if (dropped === 0) break;
  }
  return { keep, singletons, separatedByFixedEffects };
}
