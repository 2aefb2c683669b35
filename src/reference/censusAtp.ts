import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ImportError } from '../files/importError.js';
import { prepareInputFile } from '../files/inputFile.js';
import { readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';

/** One ATP technology group, as shipped in data/atp-categories.yaml. */
export interface AtpCategory {
  code: string;
  id: string;
  en: string;
  zh: string;
  /** One of the eight groups of the papers' high-technology tables. */
  paper: boolean;
}

const categoriesSchema = z.object({
  source: z.string().min(1),
  url: z.string().url(),
  categories: z
    .array(
      z.object({
        code: z.string().regex(/^\d{2}$/),
        id: z.string().regex(/^[a-z][a-z-]*$/),
        en: z.string().min(1),
        zh: z.string().min(1),
        paper: z.boolean(),
      }),
    )
    .min(1),
});

let cached: { source: string; url: string; categories: AtpCategory[] } | undefined;

/** Returns the ATP categories with their source (data/atp-categories.yaml). */
export function atpCategories(): { source: string; url: string; categories: AtpCategory[] } {
  cached ??= readFactFile(shippedDataPath('atp-categories.yaml'), categoriesSchema);
  return cached;
}

/**
 * One line of a Census concordance: a 10-digit code (HTS10 or Schedule B) and its ATP group (null when not
 * advanced technology).
 */
export interface HtsAtpLine {
  hts10: string;
  atp: string | null;
}

/**
 * The record layout of IMP-CODE.TXT (IMP-STRU.TXT, US Census Bureau, Foreign
 * Trade Division): characters 1–10 COMMODITY (the HTS10 code), 277–278
 * HITECH (the ATP group; blank or 00 when the line is not advanced technology).
 * EXP-CODE.TXT, the Schedule B export concordance, has the same two fields at
 * the same characters (checked on the 2019 edition against its CSV export:
 * all 9,356 lines agree).
 */
const COMMODITY = [0, 10] as const;
const HITECH = [276, 278] as const;

/**
 * Returns the lines of a Census concordance (IMP-CODE.TXT, or EXP-CODE.TXT
 * with the same fields) with their ATP group. Throws an ImportError naming the file, line and field for a line
 * that does not follow the layout, or when no line carries an ATP code.
 */
export function parseImportConcordance(text: string, file: string, layout = 'IMP-CODE.TXT'): HtsAtpLine[] {
  const known = new Set(atpCategories().categories.map((c) => c.code));
  const out: HtsAtpLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const commodity = line.slice(...COMMODITY);
    if (!/^\d{10}$/.test(commodity)) {
      throw new ImportError(
        file,
        `'${commodity.trim()}' is not a 10-digit code at characters 1-10 (the ${layout} layout)`,
        i + 1,
        'COMMODITY',
      );
    }
    const hitech = line.slice(...HITECH).trim();
    if (hitech !== '' && hitech !== '00' && !known.has(hitech)) {
      throw new ImportError(
        file,
        `'${hitech}' at characters 277-278 is not an ATP group code (${[...known].join(', ')})`,
        i + 1,
        'HITECH',
      );
    }
    out.push({ hts10: commodity, atp: hitech === '' || hitech === '00' ? null : hitech });
  }
  if (out.length === 0) throw new ImportError(file, 'no HTS lines: the file is empty');
  if (!out.some((l) => l.atp)) {
    throw new ImportError(
      file,
      `no line carries an ATP code at characters 277-278 (HITECH): not the ${layout} layout, or an edition without the ATP field`,
    );
  }
  return out;
}

/**
 * Returns the text of IMP-CODE.TXT (or, with `member` 'exp-code', EXP-CODE.TXT)
 * from the file itself or from the Schedule B download archive (sbsdf.zip) holding it.
 */
export async function readImportConcordance(
  path: string,
  member: 'imp-code' | 'exp-code' = 'imp-code',
): Promise<string> {
  // Read byte for byte (Latin-1, transcoded to a UTF-8 copy): the layout counts characters of a one-byte text.
  const file = await prepareInputFile(path, {
    encoding: 'latin1',
    zipMember: (names) => names.find((m) => new RegExp(`(^|/)${member}\\.txt$`, 'i').test(m)),
    zipMemberDescription:
      member === 'imp-code'
        ? 'IMP-CODE.TXT (the Census import concordance)'
        : 'EXP-CODE.TXT (the Census Schedule B export concordance)',
  });
  try {
    return readFileSync(file.readable, 'utf-8');
  } finally {
    file.cleanup();
  }
}
