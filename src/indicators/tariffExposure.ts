import type { Store } from '../store/store.js';
import { createFlowBase, datasetsLabel } from './flowBase.js';
import { createReporterProducts } from './reporterProducts.js';
import { ACTION_CHANGES_LIST } from '../ingest/actionChanges.js';
import { need, round, type IndicatorParams, type IndicatorResult, finite } from './params.js';

/**
 * Tariff exposure (关税敞口): the reporter's imports from the partner grouped by
 * the additional tariff the reporter applies to the partner's goods on a date
 * (e.g. 25%, 7.5%, none). Each product takes the highest additional rate in
 * force on its lines: exact for 8- and 10-digit data (the HTS8 line), the
 * maximum over the HTS8 lines below it for HS6 data. Per year (or month) and
 * group: the import value from the partner, its share of all imports from the
 * partner, s_g = 100 × M_g(partner) / M(partner), and the partner's share of
 * the reporter's imports of the group from all sources,
 * m_g = 100 × M_g(partner) / M_g(all). Reference: the tariff-exposure groups of
 * Bown (2023, PIIE, "US-China Trade War Tariffs: An Up-to-Date Chart") and paper 001.
 */
export async function tariffExposure(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const reporter = need(p.reporter, '--reporter (the importer applying the tariffs)', 'tariff-exposure');
  const partner = need(p.partner, '--partner (the exporter facing them)', 'tariff-exposure');
  const loaded = await store.one(
    `SELECT strftime(max(from_date), '%Y-%m-%d') AS last, count(*) AS n FROM tariff_lines WHERE importer = $1 AND exporter = $2 AND rate_kind = 'additional' AND from_date < coalesce(to_date, DATE '9999-12-31')`,
    [reporter, partner],
  );
  if (!Number(loaded?.n))
    throw new Error(
      `tariff-exposure needs ${reporter}'s additional tariffs on ${partner}: import them with decouple import tariffs`,
    );
  const on = p.on ?? String(loaded?.last);
  // The finest product level the data has (8 digits from HS10 data, else 6).
  let level: 6 | 8 = 8;
  let info = await createFlowBase(store, {
    years: p.years,
    level,
    datasets: p.datasets,
    monthly: p.monthly,
    side: p.side,
  });
  const fine = await store.one(`SELECT count(*) AS n FROM fb WHERE importer = $1 AND length(product) = 8`, [reporter]);
  if (!Number(fine?.n)) {
    level = 6;
    info = await createFlowBase(store, {
      years: p.years,
      level,
      datasets: p.datasets,
      monthly: p.monthly,
      side: p.side,
    });
  }
  const summed = await createReporterProducts(store, reporter, partner, 'import');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE te_rates AS
     SELECT ${level === 8 ? 'line' : 'substr(line, 1, 6)'} AS product, max(rate_pct) AS rate
     FROM tariff_lines
     WHERE importer = $1 AND exporter = $2 AND rate_kind = 'additional' AND from_date <= $3::DATE AND (to_date IS NULL OR to_date > $3::DATE)
       AND digits ${level === 8 ? '= 8' : '>= 6'} AND coalesce(list, '') <> $4
     GROUP BY 1`,
    [reporter, partner, on, ACTION_CHANGES_LIST],
  );
  if (p.sources?.length)
    return compareSources(store, p, reporter, partner, on, level, info.notes, (y) => datasetsLabel(info, y));
  const rows = await store.all(`
    WITH g AS (
      SELECT rp.year, rp.month, coalesce(t.rate, 0) AS rate, rp.partner_usd, rp.total_usd
      FROM rp LEFT JOIN te_rates t ON t.product = rp.product)
    SELECT year, month, rate, count(*) FILTER (WHERE partner_usd > 0) AS products, sum(partner_usd) AS partner_usd, sum(total_usd) AS total_usd,
           100 * sum(partner_usd) / sum(sum(partner_usd)) OVER (PARTITION BY year, month) AS share_of_partner
    FROM g GROUP BY year, month, rate ORDER BY year, month, rate DESC`);
  // With the partner as the only source and no world row, its share of the group is trivially 100%: not reported.
  const sourcesLoaded = await store.one(`SELECT count(DISTINCT exporter) AS n FROM fb WHERE importer = $1`, [reporter]);
  const shareKnown = !(summed && Number(sourcesLoaded?.n) <= 1);
  const notes = [
    ...(shareKnown
      ? []
      : [
          `${reporter}'s imports from sources other than ${partner} are not in the data: partner_share_pct is not computable`,
        ]),
    ...info.notes,
    `additional tariffs in force on ${on}${p.on ? '' : ' (the latest change in the tariff files; set another date with --on)'}; products at ${level} digits take the highest rate on their lines; lines absent from the tariff files count as untariffed`,
  ];
  if (summed)
    notes.push(
      `${summed} product totals are sums over the sources loaded (no world row): partner shares are among those sources only`,
    );
  // Duties on all goods of the partner (the registry's IEEPA rates, say) have no line list: every group pays them.
  const allGoods = await store.all(
    `SELECT l.measure_id, any_value(m.title_en) AS title, arg_max(l.rate_pct, l.from_date) AS rate
     FROM measure_tariff_lists l JOIN measures m USING (measure_id)
     WHERE l.scope = 'all-goods' AND l.from_date <= $3::DATE AND (l.suspended IS NULL OR l.suspended > $3::DATE) AND m.actor = $1
       AND (list_contains(string_split(m.targets, ','), $2) OR list_contains(string_split(m.targets, ','), 'ALL'))
     GROUP BY l.measure_id HAVING arg_max(l.rate_pct, l.from_date) > 0 ORDER BY l.measure_id`,
    [reporter, partner, on],
  );
  const allGoodsPct = allGoods.reduce((t, r) => t + Number(r.rate), 0);
  if (allGoods.length)
    notes.push(
      `${allGoods.length} ${allGoods.length === 1 ? 'duty' : 'duties'} on all goods from ${partner} also in force on ${on}, ${round(allGoodsPct, 2)}% together (${allGoods.map((r) => `“${r.title}” ${round(Number(r.rate), 2)}%`).join('; ')}), are not in these groups, which count the line lists only: every group pays them on top (all_goods_pct; average-tariff stacks every layer, with exemptions)`,
    );
  return {
    rows: rows.map((r) => ({
      year: r.year,
      ...(p.monthly ? { month: r.month } : {}),
      reporter,
      partner,
      group: Number(r.rate) > 0 ? `${round(r.rate, 2)}%` : 'none',
      products: r.products,
      partner_imports_usd: finite(r.partner_usd),
      share_of_partner_imports_pct: finite(r.share_of_partner),
      partner_share_pct: shareKnown ? finite((100 * Number(r.partner_usd)) / Number(r.total_usd)) : null,
      all_goods_pct: round(allGoodsPct, 2),
      tariffs_on: on,
      datasets: datasetsLabel(info, Number(r.year)),
    })),
    notes,
  };
}

/**
 * Returns the reporter's imports from the partner and from other sources in
 * the partner's tariff groups (products grouped by the tariff the partner
 * faces): per year, group and source the value, an index with the first year
 * = 100, and each source's share among the sources listed,
 * 100 × M_gs / Σ_s M_gs.
 */
async function compareSources(
  store: Store,
  p: IndicatorParams,
  reporter: string,
  partner: string,
  on: string,
  level: number,
  baseNotes: string[],
  label: (year: number) => string,
): Promise<IndicatorResult> {
  const sources = [partner, ...(p.sources ?? []).map((s) => s.toUpperCase()).filter((s) => s !== partner)];
  for (const s of sources)
    if (!/^[A-Z]{3}$/.test(s)) throw new Error(`tariff-exposure --sources takes ISO3 codes, not '${s}'`);
  const list = sources.map((s) => `'${s}'`).join(', ');
  const rows = await store.all(`
    WITH g AS (
      SELECT fb.year, fb.exporter, coalesce(t.rate, 0) AS rate, fb.value_usd, fb.product
      FROM fb LEFT JOIN te_rates t ON t.product = fb.product
      WHERE fb.importer = '${reporter}' AND fb.exporter IN (${list})),
    s AS (SELECT year, exporter, rate, sum(value_usd) AS v, count(DISTINCT product) FILTER (WHERE value_usd > 0) AS products FROM g GROUP BY ALL)
    SELECT *, 100 * v / sum(v) OVER (PARTITION BY year, rate) AS share_among,
           100 * v / first_value(v) OVER (PARTITION BY exporter, rate ORDER BY year) AS idx
    FROM s ORDER BY year, rate DESC, exporter`);
  return {
    rows: rows.map((r) => ({
      year: r.year,
      reporter,
      partner: r.exporter,
      group: Number(r.rate) > 0 ? `${round(r.rate, 2)}%` : 'none',
      products: r.products,
      imports_usd: finite(r.v),
      index_first_year: finite(r.idx),
      share_among_sources_pct: finite(r.share_among),
      tariffs_on: on,
      datasets: label(Number(r.year)),
    })),
    notes: [
      ...baseNotes,
      `groups: the additional tariff ${reporter} applies to ${partner}'s goods on ${on}, products at ${level} digits (highest rate on their lines); the same products from ${sources.slice(1).join(', ')} are shown in the same groups`,
      `index: first year in the range = 100; shares among ${sources.join(', ')} only`,
    ],
  };
}
