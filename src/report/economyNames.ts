import type { Row, Store } from '../store/store.js';
import type { Lang, ReportModel } from './reportModel.js';
import { codeSystems } from '../reference/codeSystems.js';
import { noteInChinese } from './notesZh.js';
import { isoCountryNames, type IsoCountryNames } from '../reference/shippedCountries.js';

/** Names the report uses for codes: economies (ISO3) and country groups by name, measures by title. */
export interface ReportNames {
  economies: Record<string, string>;
  measures: Record<string, string>;
}

/**
 * Codes that are also English words in capitals and never stand for an
 * economy in the report's prose (Andorra, Canada, … appear in tables, where
 * columns say what a code is).
 */
const NOT_IN_PROSE = new Set(['AND', 'CAN', 'ARE', 'MAR', 'NOR', 'PER', 'TON']);

/**
 * Returns the names of economies in the reader's language: the common short
 * names of the i18n-iso-countries package (美国, United States), else the
 * countries table's, with the shipped overrides of country-code-systems.yaml
 * above both; country groups (their Chinese names; in English their common
 * abbreviation), and the measures' titles.
 */
export async function reportNames(store: Store, lang: Lang): Promise<ReportNames> {
  const economies: Record<string, string> = {};
  for (const r of await store.all(`SELECT iso3, name_en, name_zh FROM countries ORDER BY iso3`)) {
    const name = lang === 'zh' ? r.name_zh : r.name_en;
    if (name) economies[String(r.iso3)] = String(name);
  }
  // The common short names a reader expects (美国, not 美利坚合众国; United States, not US), where the package has them.
  const iso = isoCountryNames();
  const shortest = new Map<string, number>();
  const common = (n: IsoCountryNames) =>
    [...n.en].filter((x) => !/^[A-Z.\s]+$/.test(x)).sort((a, b) => a.length - b.length)[0];
  for (const n of iso.values()) {
    const c = common(n);
    if (c) shortest.set(c, (shortest.get(c) ?? 0) + 1);
  }
  for (const [iso3, n] of iso) {
    if (!economies[iso3] && !n.zh && !n.en.length) continue;
    const c = common(n);
    // A short name two economies share (Congo) is no name: the primary one then.
    const en = c && shortest.get(c) === 1 ? c : n.en[0];
    const name = lang === 'zh' ? n.zh : en;
    if (name) economies[iso3] = name;
  }
  // The shipped overrides (中国台湾, 中国香港, 中国澳门) stand above both.
  for (const o of codeSystems().name_overrides.names) economies[o.code] = lang === 'zh' ? o.name_zh : o.name_en;
  if (lang === 'zh') {
    for (const g of await store.all(`SELECT group_id, name_zh FROM country_groups ORDER BY group_id`)) {
      if (g.name_zh && !economies[String(g.group_id)])
        economies[String(g.group_id)] = String(g.name_zh).replace(/（.*）$/, '');
    }
  }
  const measures: Record<string, string> = {};
  for (const m of await store.all(`SELECT measure_id, title_en, title_zh FROM measures ORDER BY measure_id`)) {
    measures[String(m.measure_id)] = String(lang === 'zh' ? m.title_zh : m.title_en);
  }
  // Keys in code order, so that every output carrying the names is the same whatever order the store returns rows.
  const sorted = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { economies: sorted(economies), measures: sorted(measures) };
}

/** English names that take the article in running text (the United States, the Netherlands). */
const WITH_ARTICLE =
  /^(United |Netherlands$|Philippines$|Bahamas$|Gambia$|Maldives$|Comoros$|Seychelles$|Czech Republic$|Dominican Republic$|Central African Republic$|Solomon Islands$|Marshall Islands$|Cayman Islands$)/;

/**
 * Returns an English name as running text writes it: with its article where it takes one, capitalised at a
 * sentence start, "'" for a possessive of a name ending in s.
 */
function englishInProse(name: string, before: string, possessive: boolean): string {
  let out = WITH_ARTICLE.test(name) ? `the ${name}` : name;
  if (out.startsWith('the ') && (before === '' || /[.!?:;]\s*$/.test(before) || /^\s*$/.test(before)))
    out = `T${out.slice(1)}`;
  if (possessive) out += out.endsWith('s') ? "'" : "'s";
  return out;
}

/**
 * Returns prose with economy codes replaced by names and measure ids by titles (「title」 in Chinese, "title" in
 * English).
 */
export function nameProse(text: string, names: ReportNames, lang: Lang): string {
  let out = text.replace(
    /(?<![A-Za-z0-9_./-])([A-Z]{3})(?![A-Za-z0-9_])('s)?/g,
    (whole: string, code: string, poss: string | undefined, offset: number, all: string) => {
      // English words that are also codes (CAN, AND…) stay as they are in English prose; Chinese prose has none.
      const name = lang === 'en' && NOT_IN_PROSE.has(code) ? undefined : names.economies[code];
      if (!name) return whole;
      if (lang === 'zh') return `${name}${poss ?? ''}`;
      return englishInProse(name, all.slice(Math.max(0, offset - 3), offset), Boolean(poss));
    },
  );
  const ids = Object.keys(names.measures).sort((a, b) => b.length - a.length);
  for (const id of ids) {
    if (!out.includes(id)) continue;
    const title = lang === 'zh' ? `「${names.measures[id]}」` : `“${names.measures[id]}”`;
    out = out.replace(
      new RegExp(`(?<![a-z0-9-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9-])`, 'g'),
      title,
    );
  }
  return out;
}

/** Fields of chart data that hold economy codes. */
const ECONOMY_FIELDS = ['economy', 'source', 'partner', 'reporter', 'destination'];

/** Returns a Vega-Lite specification whose inline data name economies instead of giving their codes. */
function namedSpec(spec: Record<string, unknown>, names: ReportNames, lang: Lang): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'values' && Array.isArray(x))
        out[k] = x.map((row: Record<string, unknown>) => {
          const r = { ...row };
          for (const f of ECONOMY_FIELDS)
            if (typeof r[f] === 'string' && names.economies[r[f] as string]) r[f] = names.economies[r[f] as string];
          // Series labels are short prose ("US articles with CHN"): named like the prose.
          if (typeof r.series === 'string') r.series = nameProse(r.series, names, lang);
          return r;
        });
      else out[k] = walk(x);
    }
    return out;
  };
  return walk(spec) as Record<string, unknown>;
}

/** Columns of table rows that hold prose (risk explanations) or measure ids (export controls). */
const PROSE_COLUMNS = ['why', 'export_controls'];

/**
 * Returns rows whose prose columns (a risk list's explanations, the export controls a product falls under) name
 * economies and title measures like the report's prose; other cells keep their codes.
 */
export function namedRows(rows: Row[], names: ReportNames, lang: Lang): Row[] {
  if (!rows.some((r) => PROSE_COLUMNS.some((c) => typeof r[c] === 'string'))) return rows;
  return rows.map((r) => {
    const out = { ...r };
    for (const c of PROSE_COLUMNS) if (typeof r[c] === 'string') out[c] = nameProse(String(r[c]), names, lang);
    return out;
  });
}

/**
 * Returns the report with economies named and measures titled in its prose:
 * the title, section and table titles, findings, notes, "not computed"
 * lines, chart titles and the economies in chart data. Table cells keep
 * their codes (the renderers name economy columns), so the JSON tables stay
 * machine-readable.
 */
export function withNames(m: ReportModel, names: ReportNames): ReportModel {
  const p = (s: string) => nameProse(s, names, m.lang);
  // Notes and "not computed" lines: named, then in Chinese for the Chinese edition.
  const n = (s: string) => (m.lang === 'zh' ? noteInChinese(p(s)) : p(s));
  return {
    ...m,
    title: p(m.title),
    names: names.economies,
    sections: m.sections.map((s) => ({
      ...s,
      title: p(s.title),
      findings: s.findings.map((f) => ({ ...f, text: p(f.text) })),
      tables: s.tables.map((t) => ({
        ...t,
        title: p(t.title),
        notes: t.notes.map(n),
        rows: namedRows(t.rows, names, m.lang),
      })),
      charts: s.charts.map((c) => ({ ...c, title: p(c.title), spec: namedSpec(c.spec, names, m.lang) })),
      missing: s.missing.map(n),
    })),
  };
}
