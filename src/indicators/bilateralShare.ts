import type { Row, Store } from '../store/store.js';
import { intraBlocTrade, type IntraBlocTrade } from './extraBloc.js';
import { BLOC_GROUPS, RESIDUAL_PARTNERS } from '../countries/aggregateKinds.js';
import { finite } from './params.js';
import { reportedWorldTotals } from './coverage.js';

import type { Flow } from './params.js';
export type Channel = 'goods' | 'services';

export interface BilateralShareQuery {
  reporter: string;
  partner: string;
  flow: Flow;
  channel: Channel;
  years?: [number, number];
  /** Restrict to one dataset; by default each year is answered by the precedence rule below. */
  datasetId?: number;
  /** Accept a sum over the loaded partners as the world total even where no reported world total checks it. */
  worldFromPartners?: boolean;
}

/** A sum over partners is taken as the world total only when it reaches this share of a reported world total. */
export const PARTNER_SUM_MIN_COVERAGE = 0.95;

/**
 * Sources in the order they answer when several cover a year equally well:
 * the national statistical office's own file, then UN Comtrade (national data
 * republished), then the IMF's DOTS/IMTS, then CEPII BACI (reconciled from
 * both sides' reports), then user tables; BEA's balance-of-payments series
 * come last, for years no trade-statistics source covers.
 */
const SOURCE_RANK = ['census', 'comtrade', 'dots', 'baci', 'csv', 'bea'];

/** One dataset's answer for one year, before the choice. */
interface Candidate {
  dataset_id: number;
  year: number;
  source: string;
  vintage: string;
  file_name: string;
  valuation: string;
  months: number;
  partner_value: number | null;
  world_row: number | null;
  partners_sum: number | null;
  partners: number;
  reconciled: boolean;
  /** The finest product level (digits) the dataset holds for the year: 0 for totals only. */
  detail: number;
  /** Another valuation of the same dataset (FOB beside its CIF), never preferred to the dataset's own. */
  secondary: boolean;
  /** For a bloc reporter (the EU): its trade with its own members, taken out of the world total (extra-bloc basis). */
  intra?: IntraBlocTrade;
}

/**
 * SQL for one direction: per dataset, year and month, the partner's value, the world row and the sum over partners
 * (blocs counted once).
 */
function goodsDirectionSql(dir: 'export' | 'import', self: string, other: string, filter: string): string {
  const residuals = RESIDUAL_PARTNERS.map((c) => `'${c}'`).join(', ');
  const blocs = Object.entries(BLOC_GROUPS);
  const blocRow = blocs.map(([code]) => `'${code}'`).join(', ');
  const memberOf = blocs
    .map(
      ([code, group]) => `WHEN o.partner IN (SELECT m.iso3 FROM country_group_members m WHERE m.group_id = '${group}'
             AND m.from_date <= make_date(o.year, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(o.year, 7, 1))) THEN '${code}'`,
    )
    .join(' ');
  return `
    SELECT '${dir}' AS dir, dataset_id, year, month,
           sum(v) FILTER (WHERE partner = $2) AS partner_value,
           sum(v) FILTER (WHERE partner = 'WLD') AS world_row,
           CASE WHEN sum(fob_missing) FILTER (WHERE partner = $2) = 0 THEN sum(fob) FILTER (WHERE partner = $2) END AS partner_fob,
           CASE WHEN sum(fob_missing) FILTER (WHERE partner = 'WLD') = 0 THEN sum(fob) FILTER (WHERE partner = 'WLD') END AS world_fob,
           max(product_level) AS detail,
           sum(v) FILTER (WHERE NOT agg OR partner IN (${residuals})) AS named_sum,
           sum(v) FILTER (WHERE partner IN (${blocRow || "''"})) AS bloc_rows,
           sum(v) FILTER (WHERE bloc IS NOT NULL) AS listed_members_value,
           count(DISTINCT partner) FILTER (WHERE bloc IS NOT NULL) AS listed_members,
           count(DISTINCT partner) FILTER (WHERE NOT agg) AS partners,
           string_agg(DISTINCT valuation, '/' ORDER BY valuation) AS valuation, bool_or(reporter_side = 'reconciled') AS reconciled
    FROM (
      SELECT o.*, coalesce(c.is_aggregate, false) AS agg, CASE ${memberOf || 'WHEN false THEN NULL'} END AS bloc
      FROM (
        SELECT dataset_id, year, month, product_level, ${other} AS partner, CAST(reporter_side AS VARCHAR) AS reporter_side,
               CAST(valuation AS VARCHAR) AS valuation, sum(value_usd) AS v, sum(fob_usd) AS fob, count(*) - count(fob_usd) AS fob_missing
        FROM flows WHERE ${self} = $1 AND reporter_side IN ('${self}', 'reconciled') ${filter}
        GROUP BY dataset_id, year, month, product_level, ${other}, reporter_side, valuation
        QUALIFY product_level = min(product_level) OVER (PARTITION BY dataset_id, year, month)
      ) o LEFT JOIN countries c ON c.iso3 = o.partner
    ) GROUP BY ALL`;
}

/**
 * Returns the goods candidates: one per dataset and year holding the reporter's own (or reconciled) report, both
 * directions combined for `total`.
 */
async function goodsCandidates(store: Store, q: BilateralShareQuery): Promise<Candidate[]> {
  const sides: Array<['export' | 'import', string, string]> = [];
  if (q.flow !== 'import') sides.push(['export', 'exporter', 'importer']);
  if (q.flow !== 'export') sides.push(['import', 'importer', 'exporter']);
  const params: Array<string | number> = [q.reporter, q.partner];
  let filter = '';
  if (q.years) {
    filter += ` AND year BETWEEN $3 AND $4`;
    params.push(q.years[0], q.years[1]);
  }
  if (q.datasetId !== undefined) {
    filter += ` AND dataset_id = $${params.length + 1}`;
    params.push(q.datasetId);
  }
  // A bloc's row stands for its members when they are not all listed one by one; the listed ones are then inside it.
  const blocCount =
    Object.values(BLOC_GROUPS)
      .map(
        (g) =>
          `(SELECT count(*) FROM country_group_members m WHERE m.group_id = '${g}' AND m.from_date <= make_date(p.year, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(p.year, 7, 1)))`,
      )
      .join(' + ') || '0';
  const rows = await store.all(
    `WITH periods AS (${sides.map(([d, s, o]) => goodsDirectionSql(d, s, o, filter)).join(' UNION ALL ')}),
     with_sum AS (
       SELECT p.*, named_sum + CASE WHEN bloc_rows IS NOT NULL AND listed_members < ${blocCount} THEN bloc_rows - coalesce(listed_members_value, 0) ELSE 0 END AS partners_sum
       FROM periods p
     ),
     yearly AS (
       SELECT dir, dataset_id, year, count(DISTINCT month) AS months, sum(partner_value) AS partner_value,
              CASE WHEN bool_and(world_row IS NOT NULL) THEN sum(world_row) END AS world_row, sum(partners_sum) AS partners_sum,
              max(partners) AS partners, string_agg(DISTINCT valuation, '/' ORDER BY valuation) AS valuation, bool_or(reconciled) AS reconciled,
              sum(partner_fob) AS partner_fob, CASE WHEN bool_and(world_fob IS NOT NULL) THEN sum(world_fob) END AS world_fob, max(detail) AS detail
       FROM with_sum GROUP BY ALL
     ),
     combined AS (
       SELECT dataset_id, year, max(months) AS months, sum(partner_value) AS partner_value,
              CASE WHEN bool_and(world_row IS NOT NULL) THEN sum(world_row) END AS world_row, sum(partners_sum) AS partners_sum,
              max(partners) AS partners, string_agg(DISTINCT valuation, '/' ORDER BY valuation) AS valuation, bool_or(reconciled) AS reconciled,
              sum(partner_fob) AS partner_fob, CASE WHEN bool_and(world_fob IS NOT NULL) THEN sum(world_fob) END AS world_fob, max(detail) AS detail
       FROM yearly GROUP BY dataset_id, year HAVING count(*) = ${sides.length}
     )
     SELECT c.*, d.source, coalesce(d.vintage, '') AS vintage, d.file_name FROM combined c JOIN datasets d USING (dataset_id)`,
    params,
  );
  const out: Candidate[] = [];
  for (const r of rows) {
    const c: Candidate = {
      dataset_id: Number(r.dataset_id),
      year: Number(r.year),
      source: String(r.source),
      vintage: String(r.vintage),
      file_name: String(r.file_name),
      valuation: String(r.valuation ?? ''),
      months: Number(r.months ?? 0),
      partner_value: r.partner_value === null ? null : Number(r.partner_value),
      world_row: r.world_row === null ? null : Number(r.world_row),
      partners_sum: r.partners_sum === null ? null : Number(r.partners_sum),
      partners: Number(r.partners ?? 0),
      reconciled: r.reconciled === true,
      detail: Number(r.detail ?? 0),
      secondary: false,
    };
    out.push(c);
    // Imports valued CIF that also carry an FOB value (UN Comtrade's fobvalue; for US imports the customs value
    // of general imports, Census's headline basis): the same dataset on that basis, as an alternative.
    if (c.valuation === 'CIF' && r.partner_fob !== null) {
      out.push({
        ...c,
        valuation: 'FOB',
        partner_value: Number(r.partner_fob),
        world_row: r.world_fob === null ? null : Number(r.world_fob),
        partners_sum: null,
        secondary: true,
      });
    }
  }
  return out;
}

/**
 * Returns the annual series candidates (BEA goods or services by partner with its world total), for the given
 * channel.
 */
async function seriesCandidates(store: Store, q: BilateralShareQuery, channel: Channel): Promise<Candidate[]> {
  const indicators = q.flow === 'total' ? [`${channel}_export`, `${channel}_import`] : [`${channel}_${q.flow}`];
  const params: Array<string | number> = [q.reporter, q.partner, indicators.join(',')];
  let filter = '';
  if (q.years) {
    filter += ` AND s.year BETWEEN $4 AND $5`;
    params.push(q.years[0], q.years[1]);
  }
  if (q.datasetId !== undefined) {
    filter += ` AND s.dataset_id = $${params.length + 1}`;
    params.push(q.datasetId);
  }
  const rows = await store.all(
    `SELECT s.dataset_id, s.year, d.source, coalesce(d.vintage, '') AS vintage, d.file_name,
            sum(s.value) FILTER (WHERE s.partner = $2) AS partner_value,
            sum(s.value) FILTER (WHERE s.partner = 'WLD') AS world_row,
            count(DISTINCT s.indicator) FILTER (WHERE s.partner = $2) AS n_partner,
            count(DISTINCT s.indicator) FILTER (WHERE s.partner = 'WLD') AS n_world
     FROM series s JOIN datasets d USING (dataset_id)
     WHERE s.country = $1 AND s.frequency = 'A' AND list_contains(string_split($3, ','), s.indicator) AND d.source <> 'seed-figures' ${filter}
     GROUP BY ALL`,
    params,
  );
  return rows
    .filter((r) => Number(r.n_partner) === indicators.length)
    .map((r) => ({
      dataset_id: Number(r.dataset_id),
      year: Number(r.year),
      source: String(r.source),
      vintage: String(r.vintage),
      file_name: String(r.file_name),
      valuation: 'balance of payments',
      months: 0,
      partner_value: Number(r.partner_value),
      world_row: Number(r.n_world) === indicators.length ? Number(r.world_row) : null,
      partners_sum: null,
      partners: 0,
      reconciled: false,
      detail: 0,
      secondary: false,
    }));
}

/** Returns the published figure rows (embedded seed dataset) for the same share, if the paper has them. */
async function publishedShares(store: Store, q: BilateralShareQuery): Promise<Row[]> {
  const indicator = `${q.channel}_${q.flow}_share_pct`;
  const years = q.years ? `AND s.year BETWEEN ${Number(q.years[0])} AND ${Number(q.years[1])}` : '';
  return store.all(
    `SELECT s.year, s.value AS share_pct, s.note, s.dataset_id, d.source FROM series s JOIN datasets d USING (dataset_id)
     WHERE d.source = 'seed-figures' AND s.indicator = $1 AND s.country = $2 AND s.partner = $3 ${years} ORDER BY s.year`,
    [indicator, q.reporter, q.partner],
  );
}

/** How a candidate's world total is known, from best to worst; undefined when it has none that can be used. */
interface Denominator {
  value: number;
  /**
   * 0: a world row reported in the same dataset; 1: all partners of reconciled data; 2: a partner sum checked
   * against a reported world total; 3: an unchecked partner sum (asked for).
   */
  rank: number;
  label: string;
}

function denominator(c: Candidate, reportedWorld: number | undefined, forced: boolean): Denominator | undefined {
  if (c.world_row !== null && c.world_row > 0) return { value: c.world_row, rank: 0, label: 'world row' };
  if (c.partners_sum === null || c.partners_sum <= 0) return undefined;
  if (c.reconciled)
    return { value: c.partners_sum, rank: 1, label: `sum over all ${c.partners} partners (reconciled data)` };
  if (reportedWorld && c.partners_sum >= PARTNER_SUM_MIN_COVERAGE * reportedWorld) {
    return {
      value: c.partners_sum,
      rank: 2,
      label: `sum over ${c.partners} partners, ${((100 * c.partners_sum) / reportedWorld).toFixed(1)}% of the reported world total`,
    };
  }
  if (forced)
    return {
      value: c.partners_sum,
      rank: 3,
      label: `sum over the ${c.partners} partners loaded (not checked against a world total)`,
    };
  return undefined;
}

/**
 * Returns a candidate's key in the precedence order: smaller answers first. Import order and dataset ids play no
 * part.
 */
function precedence(c: Candidate, d: Denominator): Array<number | string> {
  const rank = SOURCE_RANK.indexOf(c.source);
  const fullYear = c.months === 0 || c.months === 12 ? 0 : 1;
  // Newer vintages first: compared as text, inverted character by character.
  const newerFirst = [...c.vintage].map((ch) => String.fromCharCode(0xffff - ch.charCodeAt(0))).join('');
  return [
    fullYear,
    c.valuation === 'balance of payments' ? 1 : 0,
    d.rank,
    rank < 0 ? SOURCE_RANK.length : rank,
    c.secondary ? 1 : 0,
    -c.detail,
    newerFirst,
    c.file_name,
  ];
}

function compareKeys(a: Array<number | string>, b: Array<number | string>): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** Returns the valuation of a candidate in words. */
function valuationLabel(c: Candidate, flow: Flow): string {
  if (c.valuation === 'balance of payments') return 'balance-of-payments basis';
  const v = c.valuation.split('/');
  if (c.source === 'census' && flow !== 'export') return 'imports for consumption, customs value';
  if (c.secondary && c.source === 'comtrade') return 'FOB (for US imports: customs value, general imports)';
  return v.map((x) => (x === 'customs' ? 'customs value' : x)).join('/');
}

/** One candidate of a year with its usable world total (if any), in precedence order. */
interface Ranked {
  c: Candidate;
  d: Denominator | undefined;
  /** The largest world total any loaded source reports for the year. */
  reportedWorld: number | undefined;
}

/**
 * Returns, by year in ascending order, every dataset's answer: those with a usable world total first, in precedence
 * order, then the others.
 */
async function rankedCandidates(store: Store, q: BilateralShareQuery): Promise<Map<number, Ranked[]>> {
  const candidates =
    q.channel === 'goods'
      ? [...(await goodsCandidates(store, q)), ...(await seriesCandidates(store, q, 'goods'))]
      : await seriesCandidates(store, q, 'services');
  // The check for partner sums: the largest world total any loaded source reports (also when --dataset narrows
  // the answer); for services, the world rows of the series themselves.
  const reportedWorld = new Map<number, number>();
  if (q.channel === 'goods') {
    const directions: Array<'export' | 'import'> = q.flow === 'total' ? ['export', 'import'] : [q.flow];
    const totals = await Promise.all(directions.map((d) => reportedWorldTotals(store, q.reporter, d)));
    for (const year of totals[0].keys())
      if (totals.every((t) => t.has(year)))
        reportedWorld.set(
          year,
          totals.reduce((a, t) => a + t.get(year)!, 0),
        );
  } else {
    for (const c of candidates)
      if (c.world_row !== null) reportedWorld.set(c.year, Math.max(reportedWorld.get(c.year) ?? 0, c.world_row));
  }
  // A bloc reporter's shares are on the extra-bloc basis (the EU's trade with non-members): its trade with its
  // own members leaves the world total, where the dataset shows which members its bloc rows cover.
  if (BLOC_GROUPS[q.reporter] && q.channel === 'goods') {
    const intra = await intraBlocTrade(store, q.reporter, q.flow === 'total' ? ['export', 'import'] : [q.flow]);
    for (const c of candidates) {
      if (c.valuation === 'balance of payments') continue;
      const t = intra.get(`${c.dataset_id}|${c.year}`);
      if (!t) {
        c.world_row = null;
        c.partners_sum = null;
        continue;
      }
      c.intra = t;
      if (c.world_row !== null) c.world_row -= t.value;
      if (c.partners_sum !== null) c.partners_sum -= t.value;
    }
  }
  const out = new Map<number, Ranked[]>();
  for (const year of [...new Set(candidates.map((c) => c.year))].sort((a, b) => a - b)) {
    const ranked = candidates
      .filter((c) => c.year === year && c.partner_value !== null)
      .map((c) => {
        const world = reportedWorld.get(year);
        const d = denominator(
          c,
          world === undefined ? undefined : world - (c.intra?.value ?? 0),
          Boolean(q.worldFromPartners),
        );
        return {
          c,
          d:
            d && c.intra
              ? {
                  ...d,
                  label: `${d.label} less trade with the ${c.intra.members} members (extra-${q.reporter === 'EUN' ? 'EU' : q.reporter}; members ${c.intra.composition})`,
                }
              : d,
          reportedWorld: world,
        };
      });
    const usable = ranked.filter((x) => x.d).sort((a, b) => compareKeys(precedence(a.c, a.d!), precedence(b.c, b.d!)));
    const rest = ranked
      .filter((x) => !x.d)
      .sort((a, b) =>
        compareKeys(
          [SOURCE_RANK.indexOf(a.c.source), a.c.secondary ? 1 : 0, a.c.file_name],
          [SOURCE_RANK.indexOf(b.c.source), b.c.secondary ? 1 : 0, b.c.file_name],
        ),
      );
    out.set(year, [...usable, ...rest]);
  }
  return out;
}

/**
 * Returns every loaded dataset's value of the flow, year by year, on each
 * valuation basis it carries, with its world total and share where one is
 * usable, and which one `bilateral-share` takes (`chosen`): the precedence
 * rule made visible, so that bases and sources can be compared.
 */
export async function bilateralSources(store: Store, q: BilateralShareQuery): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [year, ranked] of await rankedCandidates(store, q)) {
    ranked.forEach((x, i) =>
      rows.push({
        year,
        reporter: q.reporter,
        partner: q.partner,
        flow: q.flow,
        source: x.c.source,
        file: x.c.file_name,
        valuation: valuationLabel(x.c, q.flow),
        months: x.c.months || 12,
        partner_value_usd: finite(x.c.partner_value),
        world_value_usd: finite(x.d?.value),
        share_pct: x.d ? finite((100 * Number(x.c.partner_value)) / x.d.value) : null,
        world_basis: x.d?.label ?? 'no usable world total',
        chosen: i === 0 && x.d !== undefined,
      }),
    );
  }
  return rows;
}

/**
 * Bilateral share (双边贸易占比): the partner's share of the reporter's trade,
 *   share_pct = 100 × X(reporter→partner) / X(reporter→world)
 * for exports (imports: partner→reporter over world→reporter; total: exports
 * plus imports), from the reporter's own report (or BACI's reconciled flows).
 * Reference: WITS, "Partner share".
 *
 * Which data answer a year is a documented rule that does not depend on the
 * order of import or on dataset ids. Among the datasets that have the
 * partner's value and a usable world total, the first by:
 * 1. a full year (annual, or twelve months) before part of a year;
 * 2. trade statistics before balance-of-payments series (BEA);
 * 3. the world total: a world row of the same dataset, then all partners of
 *    reconciled data (BACI), then a sum over partners that reaches 95% of a
 *    world total reported for that year by any loaded source (blocs counted
 *    once), then (only with `worldFromPartners`) an unchecked partner sum;
 * 4. the source: national office, UN Comtrade, IMF DOTS, BACI, user tables, BEA;
 * 5. the dataset's own valuation before another it also carries (Comtrade's
 *    FOB beside its CIF), then the finer product detail (so that the total
 *    and the product tables come from one file), the newer vintage, the file name.
 * A year whose answer comes from another source or valuation than the year
 * before is marked `series_break`; the other datasets' shares for the year are
 * listed in `alternatives`, so reported bases can be compared. Returns one row
 * per year, and notes naming the years that are not computable and why.
 */
export async function bilateralShare(store: Store, q: BilateralShareQuery): Promise<{ rows: Row[]; notes: string[] }> {
  const byYear = await rankedCandidates(store, q);
  const notes: string[] = [];
  const rows: Row[] = [];
  const notComputable: string[] = [];
  let previous: { source: string; valuation: string; year: number } | undefined;
  for (const [year, ranked] of byYear) {
    const usable = ranked.filter((x): x is Ranked & { d: Denominator } => x.d !== undefined);
    if (!usable.length) {
      const best = ranked.find((x) => x.c.partners_sum !== null)?.c;
      const reported = ranked.find((x) => x.reportedWorld !== undefined)?.reportedWorld;
      const cover =
        best && reported
          ? `, ${((100 * Number(best.partners_sum)) / reported).toFixed(1)}% of the reported world total`
          : ', and no world total is reported';
      notComputable.push(
        `${year} (the loaded data give ${q.partner}'s value but only a sum over ${best?.partners ?? 0} partners${cover})`,
      );
      continue;
    }
    const { c, d } = usable[0];
    const valuation = valuationLabel(c, q.flow);
    const seriesBreak =
      previous !== undefined &&
      (previous.source !== c.source || previous.valuation !== valuation || previous.year !== year - 1);
    if (c.months > 0 && c.months < 12) notes.push(`${year}: ${c.months} months only`);
    rows.push({
      year,
      reporter: q.reporter,
      partner: q.partner,
      flow: q.flow,
      channel: q.channel,
      partner_value_usd: finite(c.partner_value),
      world_value_usd: finite(d.value),
      share_pct: finite((100 * Number(c.partner_value)) / d.value),
      basis: `computed (${d.label})`,
      valuation,
      series_break: seriesBreak,
      source: `${c.source}: ${c.file_name}`,
      alternatives: usable
        .slice(1)
        .map(
          (x) =>
            `${x.c.source}: ${x.c.file_name} ${((100 * Number(x.c.partner_value)) / x.d.value).toFixed(2)}% (${valuationLabel(x.c, q.flow)})`,
        )
        .join('; '),
    });
    previous = { source: c.source, valuation, year };
  }
  if (notComputable.length) {
    notes.push(
      `not computable: ${notComputable.join('; ')}: no world total of ${q.reporter} that the data support. Import a file with ${q.reporter}'s trade with the world (IMF DOTS/IMTS: decouple fetch dots; UN Comtrade with ${q.reporter} as reporter and partner World; for the US, BEA: decouple import bea), or give --world-from-partners to accept the sum over the loaded partners`,
    );
  }
  if (BLOC_GROUPS[q.reporter] && q.channel === 'goods') {
    notes.push(
      `${q.reporter}'s shares are on the extra-bloc basis (trade with non-members): its world total less its trade with its members, in datasets that hold the members' own reports and whose bloc rows match one membership (the members of the year, or today's); other datasets cannot say what is extra-bloc`,
    );
  }
  const breaks = rows.filter((r) => r.series_break).map((r) => r.year);
  if (breaks.length)
    notes.push(
      `series breaks (another source, valuation or a gap) at ${breaks.join(', ')}: compare years within one source; the column alternatives gives the other sources' shares`,
    );
  const covered = new Set(rows.map((r) => Number(r.year)));
  const published = (await publishedShares(store, q)).filter(
    (p) => !covered.has(Number(p.year)) && q.datasetId === undefined,
  );
  for (const p of published) {
    rows.push({
      year: Number(p.year),
      reporter: q.reporter,
      partner: q.partner,
      flow: q.flow,
      channel: q.channel,
      partner_value_usd: null,
      world_value_usd: null,
      share_pct: Number(p.share_pct),
      basis: 'published (not computed)',
      valuation: '',
      series_break: true,
      source: `Zhao & Liu (2025), ${String(p.note).replace(/, column.*/, '')}`,
      alternatives: '',
    });
  }
  if (published.length)
    notes.push(
      `${published.length} year(s) are published figures from the embedded paper tables, not computations: import data (see README) to compute them`,
    );
  rows.sort((a, b) => Number(a.year) - Number(b.year));
  return { rows, notes };
}
