import type { Lang } from './reportModel.js';

/** Returns a number written with exactly `digits` decimals in the reader's locale (zh-CN or en-US grouping). */
export function fixedNumber(lang: Lang, v: number, digits: number): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}
