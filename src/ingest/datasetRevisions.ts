import type { Store } from '../store/store.js';

/** How a newer dataset of the same request differs from the one it replaces. */
export interface Revision {
  /** Keys in both. */
  compared: number;
  /** Keys in both whose value changed. */
  moved: number;
  /** Keys only in the newer dataset. */
  added: number;
  /** Keys only in the older dataset. */
  dropped: number;
  /** The largest absolute change of a value in both (US$ for flows, the series' unit for series). */
  max_abs_change: number | null;
  /** The key with the largest change, with its old and new values. */
  largest: string | null;
}

/** The key and value of each kind of dataset that can be revised. */
const SHAPES = {
  flows: {
    table: 'flows',
    key: ['year', 'month', 'exporter', 'importer', 'reporter_side', 'classification', 'product'],
    value: 'CAST(value_usd AS DOUBLE)',
    label: `o.year || coalesce('-' || lpad(CAST(o.month AS VARCHAR), 2, '0'), '') || ' ' || o.exporter || '→' || o.importer || ' ' || o.product`,
  },
  series: {
    table: 'series',
    key: ['indicator', 'country', 'partner', 'frequency', 'period'],
    value: 'value',
    label: `o.indicator || ' ' || o.country || coalesce(nullif(' ' || o.partner, ' '), '') || ' ' || o.period`,
  },
} as const;

/**
 * Returns how dataset `newId` differs from `oldId` (both flows or both series): keys compared, values moved,
 * keys added and dropped, and the largest change with its key (values compared to 1e-9 relative, so a
 * re-encoding of the same number is no revision).
 */
export async function compareDatasets(
  store: Store,
  kind: keyof typeof SHAPES,
  oldId: number,
  newId: number,
): Promise<Revision> {
  const s = SHAPES[kind];
  const cols = s.key.join(', ');
  const on = s.key.map((k) => `o.${k} IS NOT DISTINCT FROM n.${k}`).join(' AND ');
  const side = (id: number) => `(SELECT ${cols}, ${s.value} AS v FROM ${s.table} WHERE dataset_id = ${Number(id)})`;
  const r = await store.one(
    `WITH o AS ${side(oldId)}, n AS ${side(newId)},
     j AS (SELECT o.*, n.v AS nv, ${s.label} AS label,
                  o.v IS NOT NULL AS in_old, n.v IS NOT NULL AS in_new
           FROM o FULL OUTER JOIN n ON ${on})
     SELECT count(*) FILTER (WHERE in_old AND in_new) AS compared,
            count(*) FILTER (WHERE in_old AND in_new AND abs(nv - v) > 1e-9 * greatest(abs(v), abs(nv), 1)) AS moved,
            count(*) FILTER (WHERE in_new AND NOT in_old) AS added,
            count(*) FILTER (WHERE in_old AND NOT in_new) AS dropped,
            max(abs(nv - v)) FILTER (WHERE in_old AND in_new) AS max_abs,
            arg_max(label || ': ' || v || ' → ' || nv, abs(nv - v)) FILTER (WHERE in_old AND in_new AND abs(nv - v) > 1e-9 * greatest(abs(v), abs(nv), 1)) AS largest
     FROM j`,
  );
  return {
    compared: Number(r?.compared ?? 0),
    moved: Number(r?.moved ?? 0),
    added: Number(r?.added ?? 0),
    dropped: Number(r?.dropped ?? 0),
    max_abs_change: r?.max_abs === null || r?.max_abs === undefined ? null : Number(r.max_abs),
    largest: r?.largest ? String(r.largest) : null,
  };
}
