import type { Store } from '../store/store.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { storedSeries, type StoredSeries } from './storedSeries.js';

/**
 * Services trade between a pair from both sides, as a mirror view: for each
 * direction (exporter → importer) and year, the exporter's reported exports to
 * the importer and the importer's reported imports from the exporter (BEA for
 * the United States), and the OECD-WTO BaTIS balanced estimate of the same
 * flow (from either side's BaTIS extract);
 *   gap_pct = 100 × (reported − BaTIS) / BaTIS
 * for each reported value. Returns one row per direction and year.
 */
export async function servicesMirror(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter', 'services-mirror');
  const b = need(p.partner, '--partner', 'services-mirror');
  const read = (indicator: string, c: string, q: string) =>
    storedSeries(store, { indicator, country: c, partner: q, frequency: 'A' });
  const values = (s: StoredSeries) => new Map(s.points.map((x) => [x.year, x.value]));
  const rows: Array<Record<string, unknown>> = [];
  const sources = new Set<string>();
  const [from, to] = p.years ?? [-Infinity, Infinity];
  for (const [exp, imp] of [
    [a, b],
    [b, a],
  ]) {
    const parts = {
      exporter_reported: await read('services_export', exp, imp),
      importer_reported: await read('services_import', imp, exp),
      batis_exporter_side: await read('batis_services_export', exp, imp),
      batis_importer_side: await read('batis_services_import', imp, exp),
    };
    for (const s of Object.values(parts)) if (s.dataset) sources.add(s.dataset.label);
    const m = Object.fromEntries(Object.entries(parts).map(([k, s]) => [k, values(s)])) as Record<
      keyof typeof parts,
      Map<number, number>
    >;
    const years = [...new Set(Object.values(m).flatMap((x) => [...x.keys()]))]
      .filter((y) => y >= from && y <= to)
      .sort((x, y) => x - y);
    for (const year of years) {
      const batis = m.batis_exporter_side.get(year) ?? m.batis_importer_side.get(year);
      const er = m.exporter_reported.get(year);
      const ir = m.importer_reported.get(year);
      rows.push({
        year,
        exporter: exp,
        importer: imp,
        exporter_reported_usd: finite(er),
        importer_reported_usd: finite(ir),
        batis_usd: finite(batis),
        exporter_gap_pct: er !== undefined && batis ? finite((100 * (er - batis)) / batis) : null,
        importer_gap_pct: ir !== undefined && batis ? finite((100 * (ir - batis)) / batis) : null,
      });
    }
  }
  if (!rows.length)
    return {
      rows,
      notes: [
        `not computable: no services trade between ${a} and ${b} is loaded (BEA: decouple import bea; BaTIS: decouple import batis --reporter ISO3)`,
      ],
    };
  return {
    rows,
    notes: [
      `sources: ${[...sources].join('; ')}`,
      'BaTIS values are balanced estimates (reconciled exports and imports of both sides, BPM6), not either side’s official statistics; a gap shows how far a reported figure sits from the reconciled one',
    ],
  };
}
