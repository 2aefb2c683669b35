import type { Row, Store } from '../store/store.js';

/** Days after a registry entry's announcement in which its Federal Register rule is looked for. */
export const RULE_PUBLICATION_DAYS = 14;

/**
 * Returns the entities Federal Register documents add, by year (or month): documents loaded, those with a
 * count of the entities they add, and the sums of those counts in all and in China. The sums are over the
 * documents loaded that carry a count, not totals of the period unless every rule of the period is loaded.
 */
export async function entityAdditions(store: Store, by: 'month' | 'year'): Promise<Row[]> {
  const fmt = by === 'month' ? '%Y-%m' : '%Y';
  return store.all(
    `SELECT strftime(publication_date, '${fmt}') AS ${by}, count(*) AS documents,
            count(entities_added) AS documents_counted, sum(entities_added) AS entities_added,
            count(entities_added_chn) AS documents_counted_chn, sum(entities_added_chn) AS entities_added_chn
     FROM fr_documents GROUP BY ALL HAVING count(entities_added) + count(entities_added_chn) > 0 ORDER BY 1`,
  );
}

/**
 * Returns the registry's US Entity List entries with an entity count beside the Federal Register documents
 * published from the entry's announcement to RULE_PUBLICATION_DAYS after it that carry a count: the documents,
 * their sums (in all and in China), and whether the registry's count equals one of them.
 */
export async function registryEntityCheck(store: Store): Promise<Row[]> {
  const rows = await store.all(
    `SELECT m.measure_id, strftime(m.announced_from, '%Y-%m-%d') AS announced, m.entity_count AS registry_count,
            string_agg(d.document_number || ' (' || strftime(d.publication_date, '%Y-%m-%d') || ')', ', ' ORDER BY d.publication_date, d.document_number) AS documents,
            sum(d.entities_added) AS fr_entities_added, sum(d.entities_added_chn) AS fr_entities_added_chn
     FROM measures m
     LEFT JOIN fr_documents d ON d.publication_date BETWEEN m.announced_from AND m.announced_from + INTERVAL ${RULE_PUBLICATION_DAYS} DAY
       AND (d.entities_added IS NOT NULL OR d.entities_added_chn IS NOT NULL)
     WHERE m.actor = 'USA' AND m.instrument IN ('entity-listing', 'export-control') AND m.entity_count IS NOT NULL
       AND m.legal_basis ILIKE '%Export Administration Regulations%' AND m.legal_basis NOT ILIKE '%Supplement No. 6%'
     GROUP BY ALL ORDER BY announced, m.measure_id`,
  );
  const span = await store.one(
    `SELECT strftime(min(publication_date), '%Y-%m-%d') AS first, strftime(max(publication_date), '%Y-%m-%d') AS last
     FROM fr_documents WHERE entities_added IS NOT NULL OR entities_added_chn IS NOT NULL`,
  );
  return rows.map((r) => ({
    ...r,
    check:
      r.documents !== null
        ? Number(r.registry_count) === Number(r.fr_entities_added ?? -1) ||
          Number(r.registry_count) === Number(r.fr_entities_added_chn ?? -1)
          ? 'same count'
          : 'differs'
        : String(r.announced) < String(span?.first) || String(r.announced) > String(span?.last)
          ? "outside the documents' dates"
          : 'no counted document in the 14 days',
  }));
}
