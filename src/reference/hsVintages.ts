/** The Harmonized System's vintages (HS1992 … HS2022) as sources name them and as US customs used them by year. */

/** Returns the HS vintage name for a UN Comtrade classification code (H0..H6) or a BACI tag (HS92..HS22). */
export function hsVintage(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  const comtrade: Record<string, string> = {
    H0: 'HS1992',
    H1: 'HS1996',
    H2: 'HS2002',
    H3: 'HS2007',
    H4: 'HS2012',
    H5: 'HS2017',
    H6: 'HS2022',
  };
  const baci: Record<string, string> = {
    HS92: 'HS1992',
    HS96: 'HS1996',
    HS02: 'HS2002',
    HS07: 'HS2007',
    HS12: 'HS2012',
    HS17: 'HS2017',
    HS22: 'HS2022',
  };
  if (comtrade[c]) return comtrade[c];
  if (baci[c]) return baci[c];
  if (/^HS(1992|1996|2002|2007|2012|2017|2022)$/.test(c)) return c;
  return undefined;
}

/** Returns the HS vintage US customs (HTS) used in a given year. */
export function htsVintageForYear(year: number): string {
  if (year >= 2022) return 'HS2022';
  if (year >= 2017) return 'HS2017';
  if (year >= 2012) return 'HS2012';
  if (year >= 2007) return 'HS2007';
  if (year >= 2002) return 'HS2002';
  return 'HS1996';
}
