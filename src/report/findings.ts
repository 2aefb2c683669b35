import type { Row } from '../store/store.js';

const FLOW = {
  en: { export: 'exports', import: 'imports', total: 'total trade' },
  zh: { export: '出口', import: '进口', total: '贸易总额' },
} as const;

/**
 * Returns the sentence the papers write about a share series, from its change
 * summary: "P's share of R's exports fell from 19.28% in 2018 to 14.83% in
 * 2023 (−4.45 pp); its peak was 2018." Neutral words, numbers as computed.
 */
export function shareSentence(
  s: Row,
  reporter: string,
  partner: string,
  flow: 'export' | 'import' | 'total',
  lang: 'en' | 'zh',
): string {
  const v0 = Number(s.from_value);
  const v1 = Number(s.to_value);
  // The verb follows the change as printed: 0.004 pp is "unchanged", not "rose".
  const pp = Number(Number(s.change_pp).toFixed(2));
  const f = (v: number) => `${v.toFixed(2)}%`;
  if (lang === 'zh') {
    const change =
      pp < 0
        ? `下降至${s.to_year}年的${f(v1)}`
        : pp > 0
          ? `上升至${s.to_year}年的${f(v1)}`
          : `到${s.to_year}年保持在${f(v1)}`;
    return `${partner}在${reporter}${FLOW.zh[flow]}中的占比从${s.from_year}年的${f(v0)}${change}（${pp >= 0 ? '+' : ''}${pp.toFixed(2)}个百分点），期间峰值出现在${s.peak_year}年（${f(Number(s.peak_value))}）。`;
  }
  const verb = pp < 0 ? 'fell' : pp > 0 ? 'rose' : 'was unchanged';
  return `${partner}'s share of ${reporter}'s ${FLOW.en[flow]} ${verb} from ${f(v0)} in ${s.from_year} to ${f(v1)} in ${s.to_year} (${pp >= 0 ? '+' : ''}${pp.toFixed(2)} pp); the peak of the period was ${s.peak_year} (${f(Number(s.peak_value))}).`;
}
