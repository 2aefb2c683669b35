import type { Row, Store } from '../store/store.js';
import { FIELDS, INSTRUMENTS, type Field, type Instrument } from './measureSchema.js';
import { InvalidInputError } from '../core/index.js';

export type Lang = 'en' | 'zh';

/** Filters for the measures timeline. */
export interface MeasureFilter {
  actor?: string;
  target?: string;
  instrument?: string;
  field?: string;
  from?: string;
  to?: string;
  /** Only measures between the two: taken by one of them against the other or against all economies. */
  pair?: [string, string];
}

function where(f: MeasureFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const add = (cond: string, v: string) => {
    params.push(v);
    parts.push(cond.replace('?', `$${params.length}`));
  };
  if (f.actor) add(`m.actor = ?`, f.actor.toUpperCase());
  if (f.pair) {
    const [a, b] = f.pair.map((x) => x.toUpperCase());
    params.push(a, b);
    const [pa, pb] = [`$${params.length - 1}`, `$${params.length}`];
    parts.push(
      `((m.actor = ${pa} AND list_has_any(string_split(m.targets, ','), [${pb}, 'ALL']))
        OR (m.actor = ${pb} AND list_has_any(string_split(m.targets, ','), [${pa}, 'ALL'])))`,
    );
  }
  if (f.target) add(`list_contains(string_split(m.targets, ','), ?)`, f.target.toUpperCase());
  if (f.instrument) {
    if (!(f.instrument in INSTRUMENTS))
      throw new InvalidInputError(
        `--instrument: unknown instrument '${f.instrument}'; one of ${Object.keys(INSTRUMENTS).join(', ')}`,
      );
    add(`m.instrument = ?`, f.instrument);
  }
  if (f.field) {
    if (!(f.field in FIELDS))
      throw new InvalidInputError(`--field: unknown field '${f.field}'; one of ${Object.keys(FIELDS).join(', ')}`);
    add(`m.field = ?`, f.field);
  }
  // A measure is in the window when its announcement or its entry into force is.
  if (f.from) add(`greatest(m.announced_from, coalesce(m.effective, m.announced_from)) >= ?::DATE`, f.from);
  if (f.to) add(`least(m.announced_from, coalesce(m.effective, m.announced_from)) <= ?::DATE`, f.to);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function labelCase(kind: 'instrument' | 'field', lang: Lang): string {
  const table = kind === 'instrument' ? INSTRUMENTS : FIELDS;
  const arms = Object.entries(table).map(
    ([k, v]) => `WHEN '${k}' THEN '${(v as { en: string; zh: string })[lang].replace(/'/g, "''")}'`,
  );
  return `CASE m.${kind} ${arms.join(' ')} END`;
}

/**
 * Returns the SQL expression describing the size of a measure: list values, tariff lines imported, entity counts.
 * In Chinese the lists are counted and summed (their ids stay in the English edition and the workbook).
 */
function sizeSql(lang: Lang): string {
  if (lang === 'zh')
    return `concat_ws('；',
  (SELECT count(*)::VARCHAR || '个清单' || coalesce('，合计' || printf('%g', 10 * sum(v)) || '亿美元', '')
     FROM (SELECT DISTINCT l.list, l.value_usd_bn AS v FROM measure_tariff_lists l WHERE l.measure_id = m.measure_id)
     HAVING count(*) > 0),
  (SELECT string_agg(t.n::VARCHAR || '个' || t.digits::VARCHAR || '位税目' || CASE WHEN t.dated THEN '（分日期税率）' ELSE '' END, '，' ORDER BY t.digits) FROM
     (SELECT digits, count(DISTINCT line) AS n, bool_or(list IS NULL) AS dated FROM tariff_lines WHERE measure_id = m.measure_id GROUP BY digits) t),
  CASE WHEN m.entity_count IS NOT NULL THEN m.entity_count::VARCHAR || '个实体' END)`;
  return `concat_ws('; ',
  (SELECT string_agg(label, ', ' ORDER BY label) FROM (
     SELECT DISTINCT l.list || coalesce(': US$' || printf('%g', l.value_usd_bn) || ' bn', '') AS label
     FROM measure_tariff_lists l WHERE l.measure_id = m.measure_id)),
  (SELECT string_agg(coalesce(t.list || ' ', '') || t.n::VARCHAR || ' ' || t.digits::VARCHAR || '-digit lines'
       || CASE WHEN t.list IS NULL THEN ' (rates by date)' ELSE '' END, ', ' ORDER BY t.list NULLS LAST, t.digits) FROM
     (SELECT list, digits, count(DISTINCT line) AS n FROM tariff_lines WHERE measure_id = m.measure_id GROUP BY list, digits) t),
  CASE WHEN m.entity_count IS NOT NULL THEN m.entity_count::VARCHAR || ' entities' END)`;
}

/** Returns the measures timeline (one row per measure, by date) in the chosen language. */
export async function measureTimeline(store: Store, filter: MeasureFilter, lang: Lang): Promise<Row[]> {
  const w = where(filter);
  return store.all(
    `SELECT m.announced, strftime(m.effective, '%Y-%m-%d') AS effective, m.actor, m.targets AS target,
            ${labelCase('instrument', lang)} AS instrument, ${labelCase('field', lang)} AS field,
            m.title_${lang} AS title, ${sizeSql(lang)} AS size, m.measure_id AS id
     FROM measures m ${w.sql}
     ORDER BY m.announced_from, coalesce(m.effective, m.announced_from), m.measure_id`,
    w.params,
  );
}

/** Returns counts of measures by one dimension (year, actor, instrument or field) in the chosen language. */
export async function measureCounts(
  store: Store,
  by: 'year' | 'actor' | 'instrument' | 'field',
  filter: MeasureFilter,
  lang: Lang,
): Promise<Row[]> {
  const w = where(filter);
  const key = by === 'year' ? `year(m.announced_from)` : by === 'actor' ? 'm.actor' : labelCase(by, lang);
  return store.all(
    `SELECT ${key} AS ${by}, count(*) AS measures, count(*) FILTER (WHERE m.countermeasure) AS countermeasures
     FROM measures m ${w.sql} GROUP BY ALL ORDER BY ${by === 'year' ? '1' : '2 DESC, 1'}`,
    w.params,
  );
}

/** Returns one measure with everything known about it, as printable text in the chosen language. */
export async function measureDetail(store: Store, id: string, lang: Lang): Promise<string> {
  const m = await store.one(
    `SELECT *, strftime(effective, '%Y-%m-%d') AS eff, strftime(ended, '%Y-%m-%d') AS end FROM measures WHERE measure_id = $1`,
    [id],
  );
  if (!m) {
    const near = await store.all(
      `SELECT measure_id FROM measures ORDER BY jaro_winkler_similarity(measure_id, $1) DESC LIMIT 3`,
      [id],
    );
    throw new Error(`no measure '${id}'; closest: ${near.map((r) => r.measure_id).join(', ')}`);
  }
  const zh = lang === 'zh';
  const L = (en: string, zhText: string) => (zh ? zhText : en);
  const out: string[] = [];
  out.push(`${m[`title_${lang}`]}  [${m.measure_id}]`);
  out.push(
    `${L('Actor', '实施方')}: ${m.actor}   ${L('Target', '对象')}: ${m.targets}   ${L('Instrument', '工具')}: ${INSTRUMENTS[m.instrument as Instrument][lang]}   ${L('Field', '领域')}: ${FIELDS[m.field as Field][lang]}${m.countermeasure ? `   (${L('countermeasure', '反制措施')})` : ''}`,
  );
  out.push(
    `${L('Announced', '宣布')}: ${m.announced}   ${L('Effective', '生效')}: ${m.eff ?? '-'}   ${L('Ended', '终止')}: ${m.end ?? '-'}`,
  );
  out.push(`${L('Legal basis', '法律依据')}: ${m.legal_basis}`);
  out.push('', String(m[`summary_${lang}`]), '');
  const changes = await store.all(`SELECT * FROM measure_changes WHERE measure_id = $1 ORDER BY date`, [id]);
  if (changes.length) {
    out.push(`${L('Changes', '变更')}:`);
    for (const c of changes) out.push(`  ${c.date}  ${c[lang]}${c.rate_pct !== null ? ` (${c.rate_pct}%)` : ''}`);
  }
  const lists = await store.all(
    `SELECT l.list, l.heading, l.value_usd_bn, strftime(l.from_date, '%Y-%m-%d') AS from_date, l.rate_pct, strftime(l.suspended, '%Y-%m-%d') AS suspended, l.note,
            (SELECT count(DISTINCT line) FROM tariff_lines t WHERE t.measure_id = l.measure_id AND t.list = l.list) AS lines,
            l.scope, l.exclusion,
            (SELECT count(DISTINCT line) FROM tariff_exclusions e WHERE e.measure_id = l.measure_id AND (l.heading IS NULL OR e.scope = l.heading)) AS exempt
     FROM measure_tariff_lists l WHERE measure_id = $1 ORDER BY l.list, l.from_date`,
    [id],
  );
  if (lists.length) {
    out.push(
      `${L('Tariff lists (rates by date; lines from imported tariff files)', '关税清单（按日期的税率；税目数来自已导入的关税文件）')}:`,
    );
    for (const l of lists)
      out.push(
        `  ${l.list}${l.heading ? ` (${l.heading})` : ''}: ${l.rate_pct}% ${L('from', '自')} ${l.from_date}` +
          `${l.value_usd_bn ? `, US$${l.value_usd_bn} bn` : ''}${Number(l.lines) ? `, ${l.lines} ${L('lines', '个税目')}` : ''}` +
          `${l.scope === 'all-goods' ? `, ${L('all goods of the target', '目标方全部商品')}${Number(l.exempt) ? L(`, less ${l.exempt} exempt lines`, `，${l.exempt}个豁免税目除外`) : ''}` : ''}` +
          `${l.exclusion ? `, ${L('exclusions', '排除')}${Number(l.exempt) ? `: ${l.exempt} ${L('lines', '个税目')}` : ''}` : ''}` +
          `${l.suspended ? `, ${L('suspended', '暂停')} ${l.suspended}` : ''}${l.note ? ` — ${l.note}` : ''}`,
      );
  }
  const products = await store.all(`SELECT * FROM measure_products WHERE measure_id = $1 ORDER BY code`, [id]);
  if (products.length)
    out.push(
      `${L('Products', '涉及产品')}: ${products.map((p) => `${p.classification} ${p.code}${p.rate_pct !== null ? ` ${p.rate_pct}%` : ''}${p.note ? ` (${p.note})` : ''}`).join('; ')}`,
    );
  const lineSources = [...new Set(products.map((p) => p.source).filter(Boolean))];
  for (const src of lineSources) out.push(`${L('Line list', '税目清单来源')}: ${src}`);
  if (m.entity_count !== null) out.push(`${L('Entities', '实体数')}: ${m.entity_count}`);
  out.push(`${L('Sources', '来源')}:`);
  for (const s of await store.all(`SELECT * FROM measure_sources WHERE measure_id = $1`, [id]))
    out.push(`  ${s.publisher}, "${s.title}", ${s.date}. ${s.url}${s.locator ? ` (${s.locator})` : ''}`);
  out.push(`${L('Confidence', '可信度')}: ${m.confidence}${m.confidence_note ? ` — ${m.confidence_note}` : ''}`);
  const papers = await store.all(`SELECT paper, date FROM measure_papers WHERE measure_id = $1`, [id]);
  if (papers.length)
    out.push(
      `${L('Mentioned in seed papers', '见于种子文献')}: ${papers.map((p) => `${p.paper} (${p.date})`).join(', ')}`,
    );
  out.push(`${L('Registry entry', '登记条目')}: ${m.file}, line ${m.line}`);
  return out.join('\n') + '\n';
}
