/**
 * Returns the two-sided 95% critical value of Student's t with `df` degrees
 * of freedom: exact for df = 1 and 2, else the Cornish–Fisher expansion
 * around the normal quantile (error below 0.002 for df ≥ 3; Abramowitz and
 * Stegun 26.7.5).
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df === 1) return 12.7062;
  if (df === 2) return 4.3027;
  const z = 1.959964;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
