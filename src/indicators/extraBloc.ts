import type { Store } from '../store/store.js';
import { BLOC_GROUPS } from '../countries/aggregateKinds.js';

/** A bloc's trade with its own members in one dataset and year, and the membership it was taken on. */
export interface IntraBlocTrade {
  /** The bloc's trade with its members (exports plus imports for `total`), US$. */
  value: number;
  members: number;
  /** Which membership the dataset's bloc rows follow: the members on 1 July of the year, or today's. */
  composition: 'in the year' | 'today' | 'in the year, as today';
}

/** How close the members' own world totals must come to the bloc's world row for a membership to be the dataset's. */
const COMPOSITION_TOLERANCE = 0.005;

/**
 * Returns, keyed `dataset_id|year`, a bloc reporter's (e.g. the EU's) trade
 * with its own members, for the extra-bloc basis of its shares:
 *   extra-bloc world = world row − Σ_{m ∈ members} X(bloc ↔ m).
 * The membership is the one the dataset's bloc rows follow, found in the data:
 * the members (on 1 July of the year, or today's, e.g. IMF DOTS's EU27 for
 * every year) whose own world rows add up to the bloc's world row within
 * 0.5%. Datasets and years where neither does, or where the members' reports
 * are not all there, are left out (the extra-bloc basis is then not known).
 * Reference: Eurostat, "extra-EU trade" (trade of the EU with non-member countries).
 */
export async function intraBlocTrade(
  store: Store,
  bloc: string,
  directions: Array<'export' | 'import'>,
): Promise<Map<string, IntraBlocTrade>> {
  const group = BLOC_GROUPS[bloc];
  if (!group) return new Map();
  const parts = directions.map((dir) => {
    const [self, other] = dir === 'export' ? ['exporter', 'importer'] : ['importer', 'exporter'];
    const membersIn = (when: 'year' | 'today', yearCol: string) =>
      `(SELECT m.iso3 FROM country_group_members m WHERE m.group_id = '${group}' AND ${
        when === 'year'
          ? `m.from_date <= make_date(${yearCol}, 7, 1) AND (m.to_date IS NULL OR m.to_date >= make_date(${yearCol}, 7, 1))`
          : `m.from_date <= current_date AND (m.to_date IS NULL OR m.to_date >= current_date)`
      })`;
    return `
      SELECT '${dir}' AS dir, dataset_id, year, composition,
             sum(value_usd) FILTER (WHERE ${self} = $1 AND ${other} = 'WLD') AS bloc_world,
             sum(value_usd) FILTER (WHERE ${self} = $1 AND is_member) AS intra,
             count(DISTINCT ${other}) FILTER (WHERE ${self} = $1 AND is_member) AS intra_partners,
             sum(value_usd) FILTER (WHERE ${other} = 'WLD' AND self_member) AS members_world,
             count(DISTINCT ${self}) FILTER (WHERE ${other} = 'WLD' AND self_member) AS reporting_members,
             any_value(needed) AS needed
      FROM (
        SELECT f.dataset_id, f.year, f.${self}, f.${other}, f.value_usd, c.composition,
               CASE c.composition WHEN 'in the year' THEN f.${other} IN ${membersIn('year', 'f.year')} ELSE f.${other} IN ${membersIn('today', 'f.year')} END AS is_member,
               CASE c.composition WHEN 'in the year' THEN f.${self} IN ${membersIn('year', 'f.year')} ELSE f.${self} IN ${membersIn('today', 'f.year')} END AS self_member,
               CASE c.composition WHEN 'in the year' THEN (SELECT count(*) FROM ${membersIn('year', 'f.year')}) ELSE (SELECT count(*) FROM ${membersIn('today', 'f.year')}) END AS needed
        FROM flows f, (VALUES ('in the year'), ('today')) c(composition)
        WHERE f.reporter_side = '${self}' AND f.month IS NULL AND f.product_level = 0
          AND (f.${self} = $1 OR (f.${other} = 'WLD' AND f.${self} IN (SELECT iso3 FROM country_group_members WHERE group_id = '${group}')))
          AND f.dataset_id IN (SELECT DISTINCT dataset_id FROM flows WHERE ${self} = $1 AND ${other} = 'WLD'))
      GROUP BY ALL`;
  });
  const rows = await store.all(
    `SELECT dataset_id, year, composition, sum(intra) AS intra, min(intra_partners) AS members, bool_and(intra_partners = needed AND reporting_members = needed
            AND abs(members_world - bloc_world) <= ${COMPOSITION_TOLERANCE} * bloc_world) AS fits
     FROM (${parts.join(' UNION ALL ')}) GROUP BY ALL HAVING count(*) = ${directions.length}
     ORDER BY dataset_id, year, composition`,
    [bloc],
  );
  const out = new Map<string, IntraBlocTrade>();
  for (const r of rows) {
    if (r.fits !== true) continue;
    const key = `${r.dataset_id}|${r.year}`;
    // Where both memberships fit, they are the same members (no change since that year).
    const seen = out.get(key);
    if (seen) seen.composition = 'in the year, as today';
    else
      out.set(key, {
        value: Number(r.intra),
        members: Number(r.members),
        composition: String(r.composition) as IntraBlocTrade['composition'],
      });
  }
  return out;
}
