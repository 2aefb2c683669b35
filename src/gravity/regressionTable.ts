import type { PpmlResult } from './ppml.js';
import { maxOf } from '../util/extremes.js';

export type TableStyle = 'text' | 'markdown' | 'latex';
export type TableLang = 'en' | 'zh';

const LABELS = {
  en: {
    title: 'PPML (Poisson pseudo-maximum likelihood)',
    se: 'Standard errors',
    clustered: 'clustered by',
    robust: 'heteroskedasticity-robust (HC1)',
    groups: 'groups',
    ssc: 'Small-sample correction',
    separator: '; ',
    fixefK: {
      nested: 'fixed effects nested in the clusters not counted',
      full: 'every fixed effect counted',
      exact: 'fixed effects counted at their exact rank',
      none: 'fixed effects not counted',
    },
    clusterDf: { min: 'fewest clusters for every term', conventional: 'each term its own clusters' },
    fe: 'Fixed effects',
    none: 'none',
    obs: 'Observations',
    dropped: 'Dropped',
    singletons: 'singletons',
    sepFe: 'separated by fixed effects',
    sepX: 'separated (ReLU check: regressors and fixed effects together)',
    missing: 'with missing values',
    pseudo: 'Pseudo R²',
    ll: 'Log pseudo-likelihood',
    iterations: 'IRLS iterations',
    omitted: 'Omitted (no variation within fixed effects)',
    stars: '* p < 0.10, ** p < 0.05, *** p < 0.01; standard errors in parentheses.',
  },
  zh: {
    title: 'PPML（泊松伪最大似然估计）',
    se: '标准误',
    clustered: '聚类于',
    robust: '异方差稳健（HC1）',
    groups: '组',
    ssc: '小样本校正',
    separator: '；',
    fixefK: {
      nested: '嵌套于聚类变量的固定效应不计入',
      full: '全部固定效应计入',
      exact: '固定效应按精确秩计入',
      none: '固定效应不计入',
    },
    clusterDf: { min: '各项均按最少聚类组数校正', conventional: '各项按自身组数校正' },
    fe: '固定效应',
    none: '无',
    obs: '观测值',
    dropped: '剔除',
    singletons: '单例观测',
    sepFe: '固定效应导致的分离',
    sepX: '分离（ReLU 检验：回归元与固定效应共同导致）',
    missing: '含缺失值',
    pseudo: '伪 R²',
    ll: '对数伪似然',
    iterations: 'IRLS 迭代次数',
    omitted: '剔除的回归元（固定效应内无变异）',
    stars: '* p < 0.10，** p < 0.05，*** p < 0.01；括号内为标准误。',
  },
} as const;

function stars(p: number): string {
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}

function num(v: number, digits: number): string {
  return v.toFixed(digits);
}

function int(v: number): string {
  return v.toLocaleString('en-US');
}

/** Returns the small-sample convention in words, with the K it gave: (n − 1)/(n − K). */
function smallSampleLabel(r: PpmlResult, L: (typeof LABELS)[TableLang]): string {
  const s = r.smallSample;
  const k = r.clusters.length > 0 ? s.clusterParameters : s.parameters;
  const parts = [`${L.fixefK[s.fixefK]} (K = ${int(k)})`];
  if (r.clusters.length > 1) parts.push(L.clusterDf[s.clusterDf]);
  return parts.join(L.separator);
}

/**
 * Returns a regression table of the kind pasted into papers: each coefficient
 * with significance stars and its standard error in parentheses below, then
 * the standard-error type, fixed effects, observations, what was dropped,
 * pseudo-R² and iterations; as aligned text, Markdown or a LaTeX tabular.
 */
export function regressionTable(
  r: PpmlResult,
  o: { formula: string; lang: TableLang; style: TableStyle; digits?: number; rowsMissing?: number },
): string {
  const L = LABELS[o.lang];
  const d = o.digits ?? 4;
  const seLabel =
    r.clusters.length > 0
      ? `${L.clustered} ${r.clusters.map((c) => `${c.name} (${int(c.groups)} ${L.groups})`).join(', ')}`
      : L.robust;
  const body: [string, string][] = [];
  for (const c of r.coefficients) {
    body.push([c.name, `${num(c.estimate, d)}${stars(c.p)}`]);
    body.push(['', `(${num(c.se, d)})`]);
  }
  const dropped = [
    `${int(r.dropped.singletons)} ${L.singletons}`,
    `${int(r.dropped.separatedByFixedEffects)} ${L.sepFe}`,
    `${int(r.dropped.separatedByRegressors)} ${L.sepX}`,
    ...(o.rowsMissing ? [`${int(o.rowsMissing)} ${L.missing}`] : []),
  ].join(', ');
  const foot: [string, string][] = [
    [L.se, seLabel],
    [L.ssc, smallSampleLabel(r, L)],
    [L.fe, r.fixedEffects.length ? r.fixedEffects.map((f) => `${f.name} (${int(f.levels)})`).join(', ') : L.none],
    [L.obs, int(r.observations)],
    [L.dropped, dropped],
    [L.pseudo, num(r.pseudoR2, 4)],
    [L.ll, r.logLikelihood.toPrecision(8)],
    [L.iterations, String(r.iterations)],
    ...(r.omitted.length ? [[L.omitted, r.omitted.join(', ')] as [string, string]] : []),
  ];
  if (o.style === 'latex') {
    const esc = (s: string) =>
      s
        .replace(/\\/g, '\\textbackslash{}')
        .replace(/([&%$#_{}])/g, '\\$1')
        .replace(/\^/g, '\\^{}')
        .replace(/²/g, '$^2$');
    const cell = (s: string) => esc(s).replace(/(\*+)$/, '$^{$1}$');
    return [
      '\\begin{tabular}{lc}',
      '\\hline',
      `\\multicolumn{2}{l}{${esc(L.title)}: ${esc(o.formula)}} \\\\`,
      '\\hline',
      ...body.map(([a, b]) => `${esc(a)} & ${cell(b)} \\\\`),
      '\\hline',
      ...foot.map(([a, b]) => `${esc(a)} & ${esc(b)} \\\\`),
      '\\hline',
      `\\multicolumn{2}{l}{\\footnotesize ${esc(L.stars)}} \\\\`,
      '\\end{tabular}',
      '',
    ].join('\n');
  }
  if (o.style === 'markdown') {
    const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\*/g, '\\*');
    return [
      `**${L.title}**: \`${o.formula}\``,
      '',
      '| | (1) |',
      '|---|---|',
      ...body.map(([a, b]) => `| ${md(a)} | ${md(b)} |`),
      ...foot.map(([a, b]) => `| ${md(a)} | ${md(b)} |`),
      '',
      L.stars,
      '',
    ].join('\n');
  }
  const width = maxOf([...body, ...foot].map(([a]) => [...a].length)) + 2;
  const pad = (s: string) => s + ' '.repeat(Math.max(0, width - [...s].length));
  return [
    `${L.title}: ${o.formula}`,
    ...body.map(([a, b]) => pad(a) + b),
    '',
    ...foot.map(([a, b]) => pad(a) + b),
    '',
    L.stars,
    '',
  ].join('\n');
}

/** Returns one row per coefficient with every standard error, for CSV, JSON or spreadsheets. */
export function coefficientRows(r: PpmlResult): Record<string, number | string | null>[] {
  return r.coefficients.map((c) => ({
    term: c.name,
    estimate: c.estimate,
    se: c.se,
    z: c.z,
    p: c.p,
    ci_low: c.ciLow,
    ci_high: c.ciHigh,
    se_iid: c.seIid,
    se_robust: c.seRobust,
    se_cluster: c.seCluster,
  }));
}
