import type { Row, Store } from '../store/store.js';
import { list, raw, sql, type Iso3, type Sql } from '../core/index.js';
import { maxOf } from '../util/extremes.js';
import { createFlowBase, type FlowBaseInfo } from '../indicators/flowBase.js';
import { createProductGroups, groupSet } from '../indicators/productGroups.js';
import { groupMembersOn } from '../countries/groups.js';
import { finite } from '../indicators/params.js';
import type { RiskConfig } from './riskConfig.js';
import { explainRisk } from './riskExplanation.js';
import { coverageGapNote, productBaseGaps } from '../indicators/coverage.js';
import { ACTION_CHANGES_LIST } from '../ingest/actionChanges.js';

export interface RiskParams {
  importer: Iso3;
  supplier: Iso3;
  year?: number;
  /** The supplier's allies (ISO3), joined to the supplier in the allied shares. */
  allies: Iso3[];
  top: number;
  lang: 'en' | 'zh';
  /** Only products of one product group (e.g. bec-stage:intermediate). */
  group?: { set: string; name?: string };
}

export interface RiskResult {
  rows: Row[];
  notes: string[];
  settings: string;
}

const COMPONENTS = [
  'supplier_share',
  'supplier_value',
  'import_hhi',
  'world_export_hhi',
  'allied_share',
  'low_substitutability',
  'import_export_ratio',
] as const;

/** Returns the first year of the base with the importer's imports from the supplier, latest first. */
async function latestYear(store: Store, importer: Iso3, supplier: Iso3): Promise<number> {
  const r = await store.one(
    sql`SELECT max(year) AS y FROM flows WHERE importer = ${importer} AND exporter = ${supplier} AND product_level >= 6`,
  );
  if (r?.y === null || r?.y === undefined)
    throw new Error(`no product-level (HS6 or finer) flows of ${importer}'s imports from ${supplier} in the store`);
  return Number(r.y);
}

/**
 * Returns the year a risk list takes by default: the latest year with
 * product-level imports from the supplier whose data hold all the importer's
 * imports (95% of its reported world total), with a note when later years
 * exist but hold only part of them; else the latest year.
 */
async function coveredYear(store: Store, importer: Iso3, supplier: Iso3): Promise<{ year: number; note?: string }> {
  const latest = await latestYear(store, importer, supplier);
  await createFlowBase(store, { years: [latest - 15, latest], level: 6, monthly: false, side: 'auto' });
  const gaps = new Set((await productBaseGaps(store, importer, 'import')).map((g) => g.year));
  const years = (
    await store.all(
      sql`SELECT DISTINCT year FROM fb WHERE importer = ${importer} AND exporter = ${supplier} ORDER BY year DESC`,
    )
  ).map((r) => Number(r.year));
  const year = years.find((y) => !gaps.has(y));
  if (year === undefined) return { year: latest };
  const later = years.filter((y) => y > year).sort();
  return {
    year,
    note: later.length
      ? `year ${year}: the latest year whose product data hold all of ${importer}'s imports (${later.join(', ')}: only part of them)`
      : undefined,
  };
}

/**
 * Returns the risk list (风险清单) of HS6 products for which the importer
 * depends on the supplier: per product the supplier's share of imports and the
 * import value; import concentration over sources (HHI); world export
 * concentration and the supplier group's world share where the data covers
 * many reporters; the GeoDep / European Commission dependence test; the
 * allied share; substitutability; the importer's own exports; BEC stage; high-tech (ATP) group;
 * tariffs in force, duties paid and export-control flags from the registry;
 * and a weighted score with a category and a sentence explaining it. Columns
 * the data cannot support are left empty and named in the notes.
 */
export async function riskList(store: Store, p: RiskParams, cfg: RiskConfig): Promise<RiskResult> {
  const chosen =
    p.year === undefined ? await coveredYear(store, p.importer, p.supplier) : { year: p.year, note: undefined };
  const Y = chosen.year;
  const info: FlowBaseInfo = await createFlowBase(store, { years: [Y - 2, Y], level: 6, monthly: false, side: 'auto' });
  const notes = [...info.notes];
  if (chosen.note) notes.push(chosen.note);
  // Shares of the importer's imports need every source: a year whose product data hold less gives none.
  const gap = (await productBaseGaps(store, p.importer, 'import')).filter((g) => g.year === Y);
  const gapNote = coverageGapNote(p.importer, gap);
  const I = p.importer;
  const S = p.supplier;
  const group = [S, ...p.allies];
  const groupSql = list(group);
  // Sources of the importer: economies, and the EU as one source where the data gives the bloc (its members then
  // dropped).
  const euMembers = list(await groupMembersOn(store, 'EU', `${Y}-12-31`));
  await store.run(sql`CREATE OR REPLACE TEMP TABLE rk_src AS
    WITH raw AS (
      SELECT year, product, exporter, value_usd FROM fb WHERE importer = ${I} AND value_usd > 0
      UNION ALL SELECT year, product, exporter, sum(value_usd) FROM fb_all WHERE importer = ${I} AND exporter = 'EUN' GROUP BY ALL),
    eun AS (SELECT DISTINCT year FROM raw WHERE exporter = 'EUN')
    SELECT * FROM raw WHERE NOT (year IN (SELECT year FROM eun) AND exporter IN (${euMembers}))`);
  const srcList = await store.all(sql`SELECT DISTINCT exporter FROM rk_src WHERE year = ${Y} ORDER BY 1`);
  const worldImports = await store.one(
    sql`SELECT count(*) AS n FROM fbw WHERE economy = ${I} AND direction = 'import' AND year = ${Y}`,
  );
  const oneSource = (srcList.length <= 1 && !Number(worldImports?.n)) || gap.length > 0;
  if (gapNote)
    notes.push(
      `${gapNote}; the supplier share, import HHI and allied share are left empty and products are ranked on the other components`,
    );
  else if (oneSource)
    notes.push(
      `${I}'s imports from sources other than ${S} are not in the data: the supplier share, import HHI and allied share cannot be computed; products are ranked on the other components`,
    );
  else if (srcList.length < 10 && !Number(worldImports?.n))
    notes.push(
      `${I}'s imports are known from ${srcList.length} sources only (${srcList.map((r) => r.exporter).join(', ')}): shares and HHI are among these sources`,
    );
  if (p.allies.length === 0)
    notes.push('no allies given (--allies): the allied share is left out, since it would repeat the supplier share');
  const eu = await store.one(`SELECT count(*) AS n FROM rk_src WHERE exporter = 'EUN'`);
  if (Number(eu?.n))
    notes.push('the EU is one source where the data gives the bloc (its members are then not counted separately)');
  const multi = await store.one(sql`SELECT count(DISTINCT importer) AS n FROM fb WHERE year = ${Y}`);
  const worldOk = Number(multi?.n) >= 3;
  if (!worldOk)
    notes.push(
      `world exports cannot be computed from this data (the ${Y} flows reach ${multi?.n} importer(s)): world export HHI, the supplier group's world share, substitutability and the dependence test are left empty; load multi-country data (BACI, Comtrade with many reporters)`,
    );
  else notes.push('world exports are the sums over the economies in the data (BACI: the world)');
  await store.run(sql`CREATE OR REPLACE TEMP TABLE rk_world AS
    SELECT year, product, exporter, sum(value_usd) AS x FROM fb ${raw(worldOk ? '' : 'WHERE false')} GROUP BY ALL`);
  const ownExports = await store.one(sql`SELECT count(*) AS n FROM fb WHERE exporter = ${I}`);
  const worldRowExports = await store.one(
    sql`SELECT count(*) AS n FROM fbw WHERE economy = ${I} AND direction = 'export'`,
  );
  const exportsKnown = Number(worldRowExports?.n) > 0 || worldOk;
  if (!exportsKnown)
    notes.push(
      `${I}'s own exports are not in the data${Number(ownExports?.n) ? ' (only to some partners)' : ''}: the import/export ratio and the "imports above exports" test are left empty`,
    );
  // The importer's own exports: its reported world total, else the sum over all destinations in multi-country data.
  const ownSql = Number(worldRowExports?.n)
    ? sql`(SELECT year, product, value_usd AS own_x FROM fbw WHERE economy = ${I} AND direction = 'export' AND month IS NULL)`
    : sql`(SELECT year, product, sum(x) AS own_x FROM rk_world WHERE exporter = ${I} GROUP BY ALL)`;
  // Mirror-based when the importer's imports come only from the exporters' reports.
  const sides = await store.one(
    sql`SELECT count(*) FILTER (WHERE reporter_side = 'importer') AS own, count(*) FILTER (WHERE reporter_side = 'exporter') AS mirror FROM fb_all WHERE importer = ${I} AND year = ${Y}`,
  );
  const mirrorBased = Number(sides?.own) === 0 && Number(sides?.mirror) > 0;
  if (mirrorBased)
    notes.push(
      `mirror-based: ${I}'s imports are read from its partners' export reports (FOB, as the exporters record them), not from ${I}'s own import statistics`,
    );
  await store.run(sql`CREATE OR REPLACE TEMP TABLE rk_base AS
    WITH tot AS (
      -- One pass over the sources: their sum, the supplier's and its group's values, and the sum of squares for the HHI.
      SELECT s.year, s.product, sum(s.value_usd) AS src_sum, sum(s.value_usd * s.value_usd) AS src_sq,
             coalesce(sum(s.value_usd) FILTER (WHERE s.exporter = ${S}), 0) AS supplier_usd,
             sum(s.value_usd) FILTER (WHERE s.exporter IN (${groupSql})) AS group_usd, any_value(w.value_usd) AS world_row
      FROM rk_src s LEFT JOIN fbw w ON w.economy = ${I} AND w.direction = 'import' AND w.year = s.year AND w.product = s.product AND w.month IS NULL
      GROUP BY s.year, s.product),
    t AS (SELECT *, coalesce(world_row, src_sum) AS total FROM tot),
    own AS ${ownSql},
    wx AS (
      SELECT year, product, sum(x) AS wx, sum(x * x) / (sum(x) * sum(x)) AS world_hhi,
             sum(x) FILTER (WHERE exporter IN (${groupSql})) / sum(x) AS group_world_share,
             sum(x) FILTER (WHERE exporter = ${S}) / sum(x) AS supplier_world_share,
             count(*) FILTER (WHERE exporter NOT IN (${groupSql}) AND 100 * x / product_x >= ${cfg.meaningful_exporter_pct}) AS outside_exporters
      FROM (SELECT *, sum(x) OVER (PARTITION BY year, product) AS product_x FROM rk_world) GROUP BY year, product)
    SELECT t.year, t.product, t.total, t.world_row IS NOT NULL AS world_reported, t.src_sum / t.total AS coverage,
           t.supplier_usd, t.src_sq / (t.total * t.total) AS import_hhi, t.group_usd / t.total AS allied_share,
           wx.world_hhi, wx.group_world_share, wx.supplier_world_share, wx.outside_exporters,
           ${raw(exportsKnown ? 'coalesce(own.own_x, 0)' : 'NULL')} AS own_exports
    FROM t LEFT JOIN wx USING (year, product) LEFT JOIN own USING (year, product)`);
  // The dependence test over the last three years.
  const h = cfg.dependence_test.hhi;
  await store.run(sql`CREATE OR REPLACE TEMP TABLE rk_test AS
    SELECT product, count(*) FILTER (WHERE import_hhi > ${h} AND world_hhi > ${h} AND total > own_exports) AS years_passed,
           count(*) FILTER (WHERE world_hhi IS NOT NULL AND own_exports IS NOT NULL) AS years_testable
    FROM rk_base GROUP BY product`);
  // Product group filter, then BEC stage (both read the temporary table pg, so the stage comes last).
  let groupFilter: Sql = raw('');
  if (p.group) {
    if (!p.group.name) throw new Error('--group takes SET:NAME for the risk list (e.g. bec-stage:intermediate)');
    await createProductGroups(store, p.group.set);
    await store.run(
      sql`CREATE OR REPLACE TEMP TABLE rk_group AS SELECT DISTINCT product FROM pg WHERE group_name = ${p.group.name} AND weight > 0`,
    );
    groupFilter = raw(`AND b.product IN (SELECT product FROM rk_group)`);
    notes.push(`only products of ${p.group.set}:${p.group.name} (a code split across groups counts in each)`);
  }
  let stageSql = raw(`NULL`);
  try {
    if (p.group?.set !== 'bec-stage') await createProductGroups(store, 'bec-stage');
    await store.run(
      // A stage only where it holds most of the code's correspondence; a code the UN table spreads over
      // several stages without a majority (e.g. 854231 in HS2017 and HS2022) is 'mixed'.
      `CREATE OR REPLACE TEMP TABLE rk_stage AS
       SELECT product, coalesce(first(group_name ORDER BY w DESC) FILTER (WHERE w > 0.5), 'mixed') AS stage
       FROM (SELECT product, group_name, sum(weight) / sum(sum(weight)) OVER (PARTITION BY product) AS w FROM pg GROUP BY product, group_name)
       GROUP BY product`,
    );
    stageSql = raw(`(SELECT stage FROM rk_stage s WHERE s.product = b.product)`);
  } catch (err) {
    notes.push(`BEC stage not shown: ${(err as Error).message.split('\n')[0]}`);
  }
  // High-tech position: the ATP group holding most of the code, with its share of the code in percent.
  let atpSql = raw(`NULL AS atp_group, NULL AS atp_pct`);
  try {
    await createProductGroups(store, 'atp');
    await store.run(`CREATE OR REPLACE TEMP TABLE rk_atp AS
      SELECT product, first(group_name ORDER BY weight DESC, group_name) AS grp, CAST(round(100 * max(weight)) AS INTEGER) AS pct FROM pg WHERE group_name <> 'not-atp' GROUP BY product`);
    atpSql = raw(
      `(SELECT grp FROM rk_atp a WHERE a.product = b.product) AS atp_group, (SELECT pct FROM rk_atp a WHERE a.product = b.product) AS atp_pct`,
    );
  } catch (err) {
    notes.push(`high-tech (ATP) group not shown: ${(err as Error).message.split('\n')[0]}`);
  }
  const atpLabels = groupSet('atp').groups;
  // Tariffs in force at the end of the year, duties paid, export controls by the supplier.
  const tariffs = await store.one(
    sql`SELECT count(*) AS n FROM tariff_lines WHERE importer = ${I} AND exporter = ${S} AND rate_kind = 'additional'`,
  );
  if (!Number(tariffs?.n))
    notes.push(`no ${I} tariff lines on ${S} are loaded: tariff_pct is empty (decouple import tariffs)`);
  const rows = await store.all(sql`
    SELECT b.*, t.years_passed, t.years_testable, ${stageSql} AS stage, ${atpSql},
      (SELECT max(rate_pct) FROM tariff_lines l WHERE l.importer = ${I} AND l.exporter = ${S} AND l.rate_kind = 'additional'
         AND coalesce(l.list, '') <> ${ACTION_CHANGES_LIST}
         AND (l.line = b.product OR (l.digits > 6 AND starts_with(l.line, b.product)))
         AND l.from_date <= make_date(${Y}, 12, 31) AND (l.to_date IS NULL OR l.to_date > make_date(${Y}, 12, 31))) AS tariff_pct,
      (SELECT 100 * sum(duty_usd) / nullif(sum(value_usd) FILTER (WHERE duty_usd IS NOT NULL), 0) FROM flows f JOIN fb_chosen c ON c.dataset_id = f.dataset_id AND c.year = f.year
         WHERE f.year = ${Y} AND f.importer = ${I} AND f.exporter = ${S} AND left(f.product, 6) = b.product AND f.product_level = c.lv) AS duty_paid_pct,
      (SELECT string_agg(DISTINCT mp.measure_id, ',') FROM measure_products mp JOIN measures m USING (measure_id)
         WHERE m.actor = ${S} AND m.instrument = 'export-control' AND starts_with(b.product, mp.code)) AS export_controls,
      (SELECT description FROM products WHERE code = b.product ORDER BY classification DESC LIMIT 1) AS description
    FROM rk_base b LEFT JOIN rk_test t USING (product)
    WHERE b.year = ${Y} AND b.supplier_usd >= ${cfg.min_supplier_imports_usd} AND left(b.product, 2) NOT IN ('98', '99') ${groupFilter}`);
  notes.push('chapters 98 and 99 (national special provisions, unspecified goods) are left out');
  // Components on 0..1, the weighted score over the available ones, the category.
  const used = new Set<string>();
  const floor = Math.max(cfg.min_supplier_imports_usd, 1);
  const largest = Math.max(floor * 10, maxOf(rows.map((r) => Number(r.supplier_usd))));
  const scored = rows.map((r) => {
    const comp: Record<(typeof COMPONENTS)[number], number | null> = {
      supplier_share: oneSource ? null : Number(r.supplier_usd) / Number(r.total),
      supplier_value: Math.min(
        1,
        Math.max(0, Math.log10(Number(r.supplier_usd) / floor) / Math.log10(largest / floor)),
      ),
      import_hhi: oneSource || r.import_hhi === null ? null : Number(r.import_hhi),
      world_export_hhi: r.world_hhi === null ? null : Number(r.world_hhi),
      // Without allies the supplier's group is the supplier alone: its share would count the supplier share twice.
      allied_share: oneSource || p.allies.length === 0 || r.allied_share === null ? null : Number(r.allied_share),
      low_substitutability: r.group_world_share === null ? null : Number(r.group_world_share),
      import_export_ratio: r.own_exports === null ? null : Number(r.total) / (Number(r.total) + Number(r.own_exports)),
    };
    let wsum = 0;
    let score = 0;
    for (const c of COMPONENTS) {
      const w = cfg.weights[c];
      if (comp[c] === null || w === 0) continue;
      used.add(c);
      wsum += w;
      score += w * comp[c]!;
    }
    score = wsum > 0 ? score / wsum : 0;
    const t = cfg.thresholds;
    // Without the supplier's share there is no measure of dependence to rate.
    const category =
      comp.supplier_share === null
        ? 'not rated'
        : score >= t.critical
          ? 'critical'
          : score >= t.high
            ? 'high'
            : score >= t.watch
              ? 'watch'
              : 'low';
    const test =
      Number(r.years_testable) === 0
        ? 'not computable'
        : Number(r.years_passed) >= cfg.dependence_test.years_needed
          ? 'dependent'
          : 'not dependent';
    return { r, comp, score, category, test };
  });
  scored.sort((a, b) => b.score - a.score || Number(b.r.supplier_usd) - Number(a.r.supplier_usd));
  const top = scored.slice(0, p.top);
  const out: Row[] = top.map(({ r, comp, score, category, test }, i) => ({
    rank: i + 1,
    hs6: r.product,
    description: r.description,
    category,
    score: finite(score),
    supplier_share_pct: comp.supplier_share === null ? null : finite(100 * comp.supplier_share),
    supplier_imports_usd: finite(r.supplier_usd),
    imports_usd: finite(r.total),
    import_hhi: comp.import_hhi === null ? null : finite(comp.import_hhi),
    sources_coverage_pct: finite(100 * Number(r.coverage)),
    allied_share_pct: comp.allied_share === null ? null : finite(100 * comp.allied_share),
    world_export_hhi: finite(r.world_hhi),
    supplier_world_export_share_pct:
      r.supplier_world_share === null ? null : finite(100 * Number(r.supplier_world_share)),
    outside_world_export_share_pct:
      r.group_world_share === null ? null : finite(100 * (1 - Number(r.group_world_share))),
    outside_exporters: r.outside_exporters,
    dependence_test: test,
    own_exports_usd: finite(r.own_exports),
    import_export_ratio:
      r.own_exports === null
        ? null
        : Number(r.own_exports) > 0
          ? finite(Number(r.total) / Number(r.own_exports))
          : null,
    stage: r.stage,
    hightech:
      r.atp_group === null
        ? null
        : `${p.lang === 'zh' ? atpLabels[String(r.atp_group)]?.zh : r.atp_group} (${r.atp_pct}%)`,
    tariff_pct: r.tariff_pct === undefined ? null : r.tariff_pct,
    duty_paid_pct: finite(r.duty_paid_pct),
    export_controls: r.export_controls,
    basis: mirrorBased ? "mirror (partners' exports)" : "importer's imports",
    why: explainRisk({ importer: I, supplier: S, allies: p.allies, row: r, comp, category, test }, p.lang),
  }));
  const settings =
    `year ${Y}; allies: ${p.allies.join(', ') || 'none'}; weights used: ${[...used].map((c) => `${c} ${cfg.weights[c as keyof RiskConfig['weights']]}`).join(', ')}` +
    ` (rescaled to sum to 1); thresholds critical ${cfg.thresholds.critical}, high ${cfg.thresholds.high}, watch ${cfg.thresholds.watch};` +
    ` dependence test: HHI > ${h} in imports and world exports and imports > exports in ${cfg.dependence_test.years_needed} of ${Y - 2}–${Y};` +
    ` products with imports from ${S} ≥ US$${cfg.min_supplier_imports_usd.toLocaleString('en-US')}`;
  return { rows: out, notes, settings };
}
