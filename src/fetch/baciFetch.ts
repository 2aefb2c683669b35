import { SETTINGS } from '../core/config.js';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { mirrorPath } from '../files/download.js';
import { zipMembers } from '../files/inputFile.js';
import { httpFetch } from '../files/proxy.js';
import { InvalidInputError } from '../core/index.js';

/**
 * CEPII BACI release archives: https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{HS}_V{release}.zip,
 * one archive per HS revision and release, holding BACI_{HS}_Y{year}_V{release}.csv for each
 * year and country_codes_V{release}.csv (documentation:
 * https://www.cepii.fr/DATA_DOWNLOAD/baci/doc/DescriptionBACI.html).
 */
export const BACI_BASE = SETTINGS.DECOUPLE_BACI_BASE.fallback;

/** Returns the archive URL of an HS revision (HS92…HS22) and release (V202501, V202401b). */
export function baciUrl(hs: string, release: string, base = BACI_BASE): string {
  if (!/^HS\d{2}$/.test(hs))
    throw new InvalidInputError(`--hs takes HS92, HS96, HS02, HS07, HS12, HS17 or HS22, not '${hs}'`);
  if (!/^V\d{6}[a-z]?$/.test(release))
    throw new InvalidInputError(`--release takes VYYYYMM (e.g. V202501 or V202401b) or latest, not '${release}'`);
  return `${base}/BACI_${hs}_${release}.zip`;
}

/**
 * Returns the release names to try for "latest", newest first: January releases (and their "b" re-issues) of recent
 * years.
 */
export function candidateReleases(now = new Date()): string[] {
  const out: string[] = [];
  for (let y = now.getUTCFullYear(); y >= now.getUTCFullYear() - 3; y--) out.push(`V${y}01b`, `V${y}01`);
  return out;
}

/** Returns whether a URL exists: in the mirror, or by a HEAD request. */
export async function urlExists(url: string, mirror?: string): Promise<boolean> {
  if (mirror) return existsSync(mirrorPath(mirror, url));
  try {
    const res = await httpFetch(url, { method: 'HEAD', signal: AbortSignal.timeout(30_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Returns the newest release of an HS revision that exists, probing the
 * documented address pattern (CEPII publishes no machine-readable list of
 * releases), or throws naming what was tried.
 */
export async function latestBaciRelease(hs: string, mirror?: string, base = BACI_BASE): Promise<string> {
  const tried = candidateReleases();
  for (const r of tried) if (await urlExists(baciUrl(hs, r, base), mirror)) return r;
  throw new Error(`no BACI ${hs} release found at ${base} (tried ${tried.join(', ')}); give --release`);
}

/**
 * Returns the yearly files of a downloaded archive after checking that it
 * opens and holds BACI yearly files; a damaged archive is removed from the
 * cache (so the next run downloads it again) and reported.
 */
export async function verifyBaciArchive(path: string, fromCache: boolean): Promise<string[]> {
  let members: string[];
  try {
    members = await zipMembers(path);
  } catch (err) {
    if (fromCache) rmSync(dirname(path), { recursive: true, force: true });
    throw new Error(
      `${path}: the archive does not open (${(err as Error).message.split('\n')[0]}); it was ${fromCache ? 'removed from the cache; run the command again to download it anew' : 'read from the mirror: replace it'}`,
    );
  }
  const yearly = members.filter((m) => /BACI_HS\d{2}_Y\d{4}_V\d{6}[a-z]?\.csv$/i.test(m));
  if (yearly.length === 0)
    throw new Error(`${path}: the archive holds no BACI yearly file (${members.slice(0, 5).join(', ')})`);
  return yearly;
}
