/**
 * Returns SQL for the exact sum of a product of a value and a weight (a
 * double): each term rounded to a millionth of a dollar as a decimal, then
 * summed exactly (a decimal, so sums of these sums stay exact), so the result
 * has the same digits in any order of the rows (a sum of doubles does not).
 * Values of flows are decimals already; this is for terms that a double
 * weight or share multiplies.
 */
export function exactSum(term: string, filter?: string): string {
  return `sum(CAST(${term} AS DECIMAL(38, 6)))${filter ? ` FILTER (WHERE ${filter})` : ''}`;
}

/**
 * Returns SQL for the exact sum of shares (doubles from 0 to a few units): each
 * term rounded to 1e-18 as a decimal, then summed exactly, cast back to a
 * double; the same digits in any order of the rows.
 */
export function exactShareSum(term: string): string {
  return `CAST(sum(CAST(${term} AS DECIMAL(38, 18))) AS DOUBLE)`;
}
