/**
 * Checked codes. An `Iso3` or an `HsCode` is a string that only the parsers
 * here produce, so a function that takes one cannot be handed raw input: the
 * type says it was validated (three letters; two to ten digits).
 */

declare const iso3Brand: unique symbol;
declare const hsBrand: unique symbol;

/** An ISO 3166-1 alpha-3 style economy code (upper case), or an aggregate code of the same shape (WLD, EUN). */
export type Iso3 = string & { readonly [iso3Brand]: true };

/** A Harmonized System code: 2 to 10 digits (chapter, heading, HS6, national tariff lines). */
export type HsCode = string & { readonly [hsBrand]: true };

/** A value given by a user that does not have the form its field needs; the command line exits with status 2. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** Returns the text as an Iso3 (trimmed, upper-cased); throws InvalidInputError naming the field otherwise. */
export function parseIso3(text: string, field: string): Iso3 {
  const code = String(text).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new InvalidInputError(
      `${field} takes a three-letter economy code (ISO 3166-1 alpha-3, e.g. USA, CHN), not '${text}'`,
    );
  }
  return code as Iso3;
}

/** Returns true when the text is already an upper-case three-letter code. */
export function isIso3(text: string): text is Iso3 {
  return /^[A-Z]{3}$/.test(text);
}

/** Returns the text as an HsCode (dots and spaces removed); throws InvalidInputError naming the field otherwise. */
export function parseHsCode(text: string, field: string): HsCode {
  const code = String(text).replace(/[.\s]/g, '');
  if (!/^\d{2,10}$/.test(code))
    throw new InvalidInputError(`${field} takes an HS code of 2 to 10 digits, not '${text}'`);
  return code as HsCode;
}
