import type { Store } from '../store/store.js';

/**
 * The chapters of the Harmonized System: 01 to 97, chapter 77 reserved for
 * future use (WCO, Harmonized System Nomenclature, Sections I–XXI). National
 * chapters 98 and 99 (special provisions, e.g. in the US HTS) and Comtrade's
 * 99 "not specified" are outside the nomenclature, so a file of pure HS6
 * codes (BACI) never carries them.
 */
export const HS6_NOMENCLATURE_SQL = (column: string): string =>
  `(regexp_full_match(${column}, '(0[1-9]|[1-8][0-9]|9[0-7])[0-9]{4}') AND left(${column}, 2) <> '77')`;

/** Returns the reason a six-digit code cannot be an HS6 code, for an error message. */
export function hs6Reason(code: string): string {
  return `'${code}' is not an HS6 code of the nomenclature (six digits, chapter 01-97 but not 77)`;
}

/**
 * Returns a note on the products of a dataset that are not in the HS list of
 * its vintage installed by `setup` (e.g. 'HS2022'), with their number and a few
 * of them; undefined when every code is listed or no list of that vintage is
 * installed (the check then cannot be made, which the note on setup says).
 */
export async function unlistedProductsNote(
  store: Store,
  datasetId: number,
  classification: string,
): Promise<string | undefined> {
  const listed = await store.one(`SELECT count(*) AS n FROM products WHERE classification = $1 AND level = 6`, [
    classification,
  ]);
  if (!Number(listed?.n)) return undefined;
  // One pass: the unlisted codes by rows, each row also carrying the totals over all of them.
  const unlisted = await store.all(
    `SELECT product, count(*) AS n, count(*) OVER () AS codes, sum(count(*)) OVER () AS total_rows
     FROM flows f WHERE dataset_id = $1 AND product_level = 6
       AND NOT EXISTS (SELECT 1 FROM products p WHERE p.classification = $2 AND p.code = f.product)
     GROUP BY product ORDER BY n DESC, product LIMIT 5`,
    [datasetId, classification],
  );
  if (!unlisted.length) return undefined;
  const shown = unlisted.map((r) => String(r.product)).join(', ');
  const codes = Number(unlisted[0].codes);
  const rows = Number(unlisted[0].total_rows);
  const counted = `${codes} product code${codes === 1 ? '' : 's'} (${rows} row${rows === 1 ? '' : 's'}) ${codes === 1 ? 'is' : 'are'}`;
  return `${counted} not in the installed ${classification} list: ${shown}${codes > 5 ? ', …' : ''}`;
}
