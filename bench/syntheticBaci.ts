import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A BACI-shaped synthetic year: `t,i,j,k,v,q` with `economies` exporters and
 * importers (ISO numeric codes, as BACI has them), `products` HS6 codes and
 * `rows` distinct (i, j, k) triples, plus a `country_codes_V000000.csv`
 * beside it. Values are log-normal, deterministic for a given size.
 */
export interface SyntheticBaci {
  file: string;
  countryCodes: string;
  rows: number;
  economies: number;
  products: number;
}

/**
 * The HS6 code of synthetic product k (0-based): one of the 96 HS chapters
 * (01–97 without the reserved 77), then a 4-digit subheading; unique for k < 96·99.
 */
export function syntheticProductSql(k: string): string {
  const chapter = `(${k} % 96 + CASE WHEN ${k} % 96 + 1 >= 77 THEN 2 ELSE 1 END)`;
  return `lpad(CAST(${chapter} AS VARCHAR), 2, '0') || lpad(CAST((${k} // 96) * 100 + 10 AS VARCHAR), 4, '0')`;
}

/**
 * Writes (or reuses) a synthetic BACI year in `dir`; returns its paths and
 * shape. `economies` are taken from the ISO numeric codes given, with the
 * US (842 in BACI) and China (156) always among them.
 */
export async function writeSyntheticBaci(
  dir: string,
  rows: number,
  isoNumeric: Array<{ code: number; iso3: string }>,
  economies = 220,
  products = 5000,
): Promise<SyntheticBaci> {
  mkdirSync(dir, { recursive: true });
  // v2: product codes within the HS nomenclature (no chapter 77).
  const sized = join(dir, `rows-${rows}-v2`);
  mkdirSync(sized, { recursive: true });
  const target = join(sized, 'BACI_HS17_Y2022_V000000.csv');
  const countryCodes = join(sized, 'country_codes_V000000.csv');
  const chosen = pickEconomies(isoNumeric, economies);
  if (!existsSync(countryCodes)) {
    writeFileSync(
      countryCodes,
      'country_code,country_name,country_iso2,country_iso3\n' +
        chosen.map((c) => `${c.code},${c.iso3},,${c.iso3}`).join('\n') +
        '\n',
    );
  }
  if (!existsSync(target)) {
    const n = chosen.length;
    const total = n * (n - 1) * products;
    if (rows > total)
      throw new Error(
        `cannot draw ${rows} distinct flows from ${total} (economy, economy, product) triples (economies × other economies × products)`,
      );
    // A multiplicative step coprime with the number of triples visits distinct triples.
    let step = 2654435761 % total;
    while (gcd(step, total) !== 1) step++;
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(
      `CREATE TABLE econ AS SELECT * FROM (VALUES ${chosen.map((c, n) => `(${n}, ${c.code})`).join(',')}) e(n, code)`,
    );
    await con.run(`COPY (
        WITH draw AS (SELECT (r * ${step}::HUGEINT) % ${total} AS t FROM range(${rows}) x(r)),
             pick AS (SELECT CAST(t // ${products * (n - 1)} AS INTEGER) AS ei,
                             CAST((t // ${products}) % ${n - 1} AS INTEGER) AS other,
                             CAST(t % ${products} AS INTEGER) AS k FROM draw),
             idx AS (SELECT ei, CASE WHEN other >= ei THEN other + 1 ELSE other END AS ii, k FROM pick)
        SELECT 2022 AS t, e.code AS i, m.code AS j, ${syntheticProductSql('k')} AS k,
               round(exp(2 + 2.2 * sqrt(-2 * ln(hash(ei, ii, k) % 1000000 / 1000000.0 + 1e-7)) * cos(6.283185 * (hash(k, ii) % 1000) / 1000.0)), 3) AS v,
               round(hash(ii, ei, k) % 100000 / 100.0, 3) AS q
        FROM idx JOIN econ e ON e.n = idx.ei JOIN econ m ON m.n = idx.ii
      ) TO '${target}' (HEADER, DELIMITER ',')`);
    con.closeSync();
  }
  return { file: target, countryCodes, rows, economies: chosen.length, products };
}

function pickEconomies(all: Array<{ code: number; iso3: string }>, n: number): Array<{ code: number; iso3: string }> {
  const first = [
    { code: 842, iso3: 'USA' },
    { code: 156, iso3: 'CHN' },
  ];
  const rest = all.filter((c) => c.iso3 !== 'USA' && c.iso3 !== 'CHN').sort((a, b) => a.code - b.code);
  return [...first, ...rest].slice(0, n);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
