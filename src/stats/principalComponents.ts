/**
 * Returns the eigenvalues (descending) and unit eigenvectors (columns, same
 * order) of a symmetric matrix by cyclic Jacobi rotations (Golub and Van
 * Loan, Matrix Computations, §8.5), to machine precision.
 */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return {
    values: order.map((i) => m[i][i]),
    vectors: v.map((row) => order.map((i) => row[i])),
  };
}

/** The first principal component of standardised variables. */
export interface FirstComponent {
  /** Loadings (the unit eigenvector), signed so that they sum to a positive number. */
  loadings: number[];
  /** Weights w_d = loading_d² (squared loadings of the unit eigenvector: they sum to 1). */
  weights: number[];
  eigenvalue: number;
  /** Share of the total variance (= number of variables) the component explains. */
  explained: number;
}

/**
 * Returns the first principal component of the correlation matrix of the
 * columns of `z` (rows = observations, columns = variables standardised to
 * mean 0 and standard deviation 1 with the n − 1 divisor), so R = Zᵀ Z / (n − 1).
 * Weights are the squared loadings, as in OECD/JRC (2008), Handbook on
 * Constructing Composite Indicators, §6.1 (weighting by principal components).
 */
export function firstPrincipalComponent(z: number[][]): FirstComponent {
  const n = z.length;
  const d = z[0]?.length ?? 0;
  if (n < 2 || d < 1) throw new Error('principal components need at least two observations');
  const r = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => z.reduce((a, row) => a + row[i] * row[j], 0) / (n - 1)),
  );
  const { values, vectors } = symmetricEigen(r);
  let loadings = vectors.map((row) => row[0]);
  if (loadings.reduce((a, b) => a + b, 0) < 0) loadings = loadings.map((x) => -x);
  return {
    loadings,
    weights: loadings.map((l) => l * l),
    eigenvalue: values[0],
    explained: values[0] / d,
  };
}
