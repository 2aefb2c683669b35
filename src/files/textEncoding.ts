import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ImportError } from './importError.js';

/** Returns true when the bytes are valid UTF-8 (allowing a cut multi-byte character at the end). */
function isUtf8(buf: Buffer): boolean {
  for (let cut = 0; cut <= 3 && cut < buf.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, buf.length - cut));
      return true;
    } catch {
      // try a shorter prefix, in case a character was cut at the sample's end
    }
  }
  return buf.length === 0;
}

/** The multi-byte East Asian encodings the detector may choose, by chardet's name, with iconv-lite's. */
const CJK_ENCODINGS: Record<string, string> = {
  GB18030: 'gb18030',
  Big5: 'big5',
  Shift_JIS: 'shift_jis',
  'EUC-JP': 'euc-jp',
  'EUC-KR': 'euc-kr',
};

/** chardet's confidence (0–100) below which a guess is not taken. */
const MIN_CONFIDENCE = 50;

/**
 * Each encoding's block of most frequent characters, by lead and trail byte:
 * GB2312 level 1 (3,755 characters in frequency order, leads B0–D7), Big5's
 * frequently used characters (常用字, 5,401, A440–C67E), JIS X 0208 kana and
 * level-1 kanji in Shift-JIS (leads 82–83 and 88–98), KS X 1001 Hangul in
 * EUC-KR (leads B0–C8). The length of each character is read per encoding.
 */
const FREQUENT: Record<string, (bytes: Buffer, i: number) => { length: number; frequent: boolean }> = {
  gb18030: (b, i) => {
    if (i + 1 < b.length && b[i + 1] >= 0x30 && b[i + 1] <= 0x39) return { length: 4, frequent: false };
    return { length: 2, frequent: b[i] >= 0xb0 && b[i] <= 0xd7 && b[i + 1] >= 0xa1 && b[i + 1] <= 0xfe };
  },
  big5: (b, i) => {
    const code = (b[i] << 8) | (b[i + 1] ?? 0);
    return { length: 2, frequent: code >= 0xa440 && code <= 0xc67e };
  },
  shift_jis: (b, i) => {
    if (b[i] >= 0xa1 && b[i] <= 0xdf) return { length: 1, frequent: true };
    return { length: 2, frequent: (b[i] >= 0x82 && b[i] <= 0x83) || (b[i] >= 0x88 && b[i] <= 0x98) };
  },
  'euc-kr': (b, i) => ({ length: 2, frequent: b[i] >= 0xb0 && b[i] <= 0xc8 && b[i + 1] >= 0xa1 }),
};

/** Returns the share of the sample's non-ASCII characters that fall in the encoding's most frequent block. */
function frequentShare(sample: Buffer, encoding: string): number {
  const read = FREQUENT[encoding];
  let all = 0;
  let frequent = 0;
  for (let i = 0; i < sample.length;) {
    if (sample[i] < 0x80) {
      i++;
      continue;
    }
    const c = read(sample, i);
    all++;
    if (c.frequent) frequent++;
    i += c.length;
  }
  return all ? frequent / all : 0;
}

/** Returns true when the bytes decode in the encoding with at most one replacement character. */
function decodesCleanly(sample: Buffer, encoding: string): boolean {
  return (iconv.decode(sample, encoding).match(/\ufffd/g) ?? []).length <= 1;
}

/**
 * Returns the text encoding of a sample: 'utf-8' when the bytes are valid
 * UTF-8; else the East Asian encoding (GB18030/GBK, Big5, Shift-JIS, EUC-JP,
 * EUC-KR) that chardet's statistical detector finds with confidence of at
 * least 50 and that decodes the sample cleanly. A sample with too little text
 * for those statistics (a column of a few names) takes the encoding, among
 * those that decode it cleanly, in which the largest share of its characters
 * are in the standard's most frequent block (see FREQUENT), GB18030 first on
 * a tie. Throws for binary content and for text in any other encoding,
 * naming the detector's best guess, so a file is never stored garbled.
 */
export function detectEncoding(file: string, sample: Buffer): string {
  const nul = sample.indexOf(0);
  if (nul >= 0) throw new ImportError(file, `binary content (a NUL byte at offset ${nul}): not a text file`);
  if (isUtf8(sample)) return 'utf-8';
  const guesses = chardet.analyse(sample);
  for (const g of guesses) {
    const enc = CJK_ENCODINGS[g.name];
    if (enc && g.confidence >= MIN_CONFIDENCE && decodesCleanly(sample, enc)) return enc;
  }
  if (!guesses.some((g) => g.confidence >= MIN_CONFIDENCE)) {
    let best: { enc: string; share: number } | undefined;
    for (const enc of Object.keys(FREQUENT)) {
      if (!decodesCleanly(sample, enc)) continue;
      const share = frequentShare(sample, enc);
      if (share >= 0.5 && (!best || share > best.share)) best = { enc, share };
    }
    if (best) return best.enc;
  }
  const top = guesses[0];
  const guess = top ? ` (it looks most like ${top.name}, confidence ${top.confidence} of 100)` : '';
  throw new ImportError(
    file,
    `the file is not UTF-8 text and not clearly GB18030, Big5, Shift-JIS, EUC-JP or EUC-KR${guess}; give its encoding with --encoding (e.g. latin1, windows-1252) or convert it to UTF-8`,
  );
}
