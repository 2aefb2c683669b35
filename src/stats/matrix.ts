/** Returns the inverse of a small square matrix (Gauss–Jordan with partial pivoting); throws if it is singular. */
export function invert(
  a: number[][],
  what = 'regressors are collinear with the fixed effects (no variation left)',
): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(1e-300, ...a.map((row, i) => Math.abs(row[i])));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-12 * scale) throw new Error(what);
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/** Returns a·b·c for small square matrices (the sandwich bread·meat·bread). */
export function sandwich(bread: number[][], meat: number[][]): number[][] {
  const k = bread.length;
  const bm = bread.map((row) => Array.from({ length: k }, (_, j) => row.reduce((s, v, l) => s + v * meat[l][j], 0)));
  return bm.map((row) => Array.from({ length: k }, (_, j) => row.reduce((s, v, l) => s + v * bread[l][j], 0)));
}

/** Returns Σ_i w_i a_i b_i, a weighted cross product of two columns. */
export function weightedCross(a: Float64Array, b: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += w[i] * a[i] * b[i];
  return s;
}

/** Returns the matrix of weighted cross products X'WX of columns. */
export function weightedGram(x: Float64Array[], w: Float64Array): number[][] {
  return x.map((a) => x.map((b) => weightedCross(a, b, w)));
}
