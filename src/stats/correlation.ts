/**
 * Returns the Pearson correlation of two equally long series,
 *   r = Σ (x_i − x̄)(y_i − ȳ) / √(Σ (x_i − x̄)² · Σ (y_i − ȳ)²),
 * or null when there are fewer than three pairs or either series is constant.
 */
export function pearson(x: number[], y: number[]): number | null {
  const n = x.length;
  if (n !== y.length) throw new Error('pearson: the two series differ in length');
  if (n < 3) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Returns the correlation over a window ending at each period: for each key k
 * of `ends`, the Pearson correlation of the pairs whose period lies in the window
 * `inWindow(period, k)`; null where the window lacks `minPairs` pairs with both
 * values. Keys are returned in the order given.
 */
export function rollingCorrelation<K, P>(
  pairs: Array<{ period: P; x: number; y: number }>,
  ends: K[],
  inWindow: (period: P, end: K) => boolean,
  minPairs: number,
): Array<{ end: K; r: number | null; n: number }> {
  return ends.map((end) => {
    const w = pairs.filter((p) => inWindow(p.period, end));
    return {
      end,
      n: w.length,
      r:
        w.length >= minPairs
          ? pearson(
              w.map((p) => p.x),
              w.map((p) => p.y),
            )
          : null,
    };
  });
}
