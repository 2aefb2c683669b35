import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, Store } from '../store/store.js';
import { readScenario, runScenario, type ScenarioResult } from '../gravity/scenario.js';
import { packageRoot } from '../util/paths.js';
import type { Lang, ReportSection } from './reportModel.js';
import { fixedNumber } from './localeNumber.js';

/**
 * The report's scenarios (情景分析): what further decoupling would do, from
 * the scenario files shipped in scenarios/ (structural gravity, exact hat
 * algebra; docs/gravity.md), run on the store's own baseline. Every number
 * is an output of the model on that baseline; the shocks, their sizes and
 * sources are the files' and are printed with the results.
 */

const fmt = (lang: Lang, v: number, digits = 1) => fixedNumber(lang, v, digits);

/**
 * A change in percent as words, for a plural subject (imports, exports): 下降5.0% / 增加5.0% in Chinese, "fall by
 * 5.0%" / "rise by 5.0%" in English.
 */
function changeWords(lang: Lang, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return lang === 'zh' ? '无法计算' : 'cannot be computed';
  if (Math.abs(v) < 0.05) return lang === 'zh' ? '基本不变' : 'are about unchanged';
  if (lang === 'zh') return `${v < 0 ? '下降' : '增加'}${fmt(lang, Math.abs(v))}%`;
  return `${v < 0 ? 'fall' : 'rise'} by ${fmt(lang, Math.abs(v))}%`;
}

/** Returns the shipped scenario files (path and contents) whose focus holds one of the pair. */
function pairScenarios(R: string, P: string): Array<{ path: string; s: ReturnType<typeof readScenario> }> {
  const dir = join(packageRoot(), 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ path: join(dir, f), s: readScenario(join(dir, f)) }))
    .filter(({ s }) => (s.focus ?? []).some((e) => e === R || e === P));
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Returns the row of a focus economy's flow with a partner from a scenario's diversion table. */
function flow(r: ScenarioResult, economy: string, partner: string): Row | undefined {
  return r.diversion.find((d) => d.economy === economy && d.partner === partner);
}

/** Returns the third economy whose exports to `importer` gain most (US$), with the gain. */
function largestThirdGain(
  r: ScenarioResult,
  importer: string,
  exclude: string[],
): { economy: string; usd: number } | undefined {
  let best: { economy: string; usd: number } | undefined;
  for (const d of r.diversion) {
    if (d.economy !== importer || exclude.includes(String(d.partner))) continue;
    const gain = Number(d.imports_new_usd) - Number(d.imports_base_usd);
    if (Number.isFinite(gain) && (!best || gain > best.usd)) best = { economy: String(d.partner), usd: gain };
  }
  return best;
}

/** Returns why a scenario could not run, in words a reader can act on. */
function whyNot(name: string, err: Error): string {
  const m = /^no (\S+) dataset with annual totals in (\d{4})/.exec(err.message);
  const few = /^the baseline data of (\d{4}) hold the reports of (\d+) economies/.exec(err.message);
  if (few)
    return `scenario "${name}": the baseline data of ${few[1]} hold the reports of only ${few[2]} economies, not world trade: import IMF DOTS with all reporters (decouple fetch dots)`;
  if (m)
    return `scenario "${name}": its baseline is the ${m[1]} data of ${m[2]}, which the store does not hold: import IMF DOTS (decouple fetch dots)`;
  return `scenario "${name}": ${err.message.split('\n')[0]}`;
}

/** Returns the scenarios section for a pair: an outcome table, a bilateral table and a finding per scenario. */
export async function scenarioSection(
  store: Store,
  R: string,
  P: string,
  lang: Lang,
  title: string,
): Promise<ReportSection> {
  const sec: ReportSection = { id: 'scenarios', title, findings: [], tables: [], charts: [], missing: [] };
  const outcomes: Row[] = [];
  const bilateral: Row[] = [];
  const notes: string[] = [];
  for (const { path, s } of pairScenarios(R, P)) {
    const name = s.name[lang];
    let r: ScenarioResult;
    try {
      r = await runScenario(store, s, path, lang);
    } catch (err) {
      sec.missing.push(whyNot(name, err as Error));
      continue;
    }
    // The finding reads the rows of the two tables (by economy, by importer), so it says what they show.
    const own = new Map<string, Row>();
    const fromOther = new Map<string, Row>();
    for (const e of [R, P]) {
      const row = r.economies.find((x) => x.economy === e);
      if (!row) continue;
      own.set(e, {
        scenario: name,
        economy: e,
        exports_change_pct: num(row.exports_change_pct),
        imports_change_pct: num(row.imports_change_pct),
        price_index_change_pct: num(row.price_index_change_pct),
        real_income_change_pct: num(row.real_income_change_pct),
      });
      outcomes.push(own.get(e)!);
    }
    for (const [importer, exporter] of [
      [R, P],
      [P, R],
    ]) {
      const f = flow(r, importer, exporter);
      if (!f) continue;
      const third = largestThirdGain(r, importer, [R, P]);
      fromOther.set(importer, {
        scenario: name,
        importer,
        exporter,
        imports_base_usd: num(f.imports_base_usd),
        imports_new_usd: num(f.imports_new_usd),
        imports_change_pct: num(f.imports_change_pct),
        largest_third_gain: third?.economy ?? null,
        largest_third_gain_usd: third?.usd ?? null,
      });
      bilateral.push(fromOther.get(importer)!);
    }
    for (const n of r.notes) if (!notes.includes(n)) notes.push(n);
    const rp = num(fromOther.get(R)?.imports_change_pct);
    const pr = num(fromOther.get(P)?.imports_change_pct);
    const ex = (e: string) => num(own.get(e)?.exports_change_pct);
    const gainer = fromOther.get(R)?.largest_third_gain;
    const third = gainer
      ? { economy: String(gainer), usd: Number(fromOther.get(R)?.largest_third_gain_usd) }
      : undefined;
    const year = 'year' in s.baseline ? s.baseline.year : undefined;
    const theta = fmt(lang, s.elasticity.value, 0);
    sec.findings.push({
      table: 'scenario-bilateral',
      text:
        lang === 'zh'
          ? `“${name}”情景（${year ? `${year}年基线，` : ''}贸易弹性θ=${theta}）下，${R}自${P}进口${changeWords(lang, rp)}，${P}自${R}进口${changeWords(lang, pr)}；${R}出口总额${changeWords(lang, ex(R))}，${P}出口总额${changeWords(lang, ex(P))}${third && third.usd > 0 ? `；${R}进口增量最大的第三方是${third.economy}（增加${fmt(lang, third.usd / 1e8, 0)}亿美元）` : ''}。`
          : `Under "${name}" (${year ? `${year} baseline, ` : ''}trade elasticity θ = ${theta}), ${R}'s imports from ${P} ${changeWords(lang, rp)} and ${P}'s imports from ${R} ${changeWords(lang, pr)}; ${R}'s total exports ${changeWords(lang, ex(R))}, ${P}'s ${changeWords(lang, ex(P))}${third && third.usd > 0 ? `; the largest gain in ${R}'s imports goes to ${third.economy} (US$${fmt(lang, third.usd / 1e9, 1)} bn)` : ''}.`,
    });
  }
  if (outcomes.length) {
    sec.tables.push({
      id: 'scenario-outcomes',
      title:
        lang === 'zh'
          ? `各情景下${R}与${P}的出口、进口和价格指数变化`
          : `Exports, imports and price index of ${R} and ${P} in each scenario`,
      rows: outcomes,
      notes,
    });
    sec.tables.push({
      id: 'scenario-bilateral',
      title:
        lang === 'zh'
          ? `各情景下${R}与${P}之间的双边贸易，以及进口增量最大的第三方`
          : `Trade between ${R} and ${P} in each scenario, and the third economy gaining most`,
      rows: bilateral,
      notes: [],
    });
  }
  return sec;
}
