import { z } from 'zod';
import { readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';

const fileSchema = z.object({
  source: z.string().min(1),
  chapters: z.record(z.string().regex(/^\d{2}$/), z.string().min(1)),
});

let cached: z.infer<typeof fileSchema> | undefined;

/** Returns the Chinese HS chapter titles (the project's translation, data/hs-chapters-zh.yaml) with their source. */
export function hsChapterTitlesZh(): { source: string; chapters: Record<string, string> } {
  cached ??= readFactFile(shippedDataPath('hs-chapters-zh.yaml'), fileSchema);
  return cached;
}

/** Returns the Chinese title of the chapter an HS code falls in, or undefined for an unknown chapter. */
export function chapterTitleZh(code: string): string | undefined {
  return hsChapterTitlesZh().chapters[code.slice(0, 2)];
}

/** Returns how a Chinese sentence names an HS product: its code and chapter, HS 854231（属第85章“…”）. */
export function hsProductZh(code: string): string {
  return `HS ${code}（属第${code.slice(0, 2)}章“${chapterTitleZh(code) ?? ''}”）`;
}
