/**
 * Returns the largest of the numbers (-Infinity for none), without spreading them as arguments (safe for any
 * length).
 */
export function maxOf(values: Iterable<number>): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Returns the smallest of the numbers (Infinity for none), safe for any length. */
export function minOf(values: Iterable<number>): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}
