import type { Store } from '../store/store.js';
import { flowBaseToken } from './flowBase.js';

/** Economies counted on each store for the current build of the flow base, by view (years). */
const counted = new WeakMap<Store, { build: number; views: Map<string, { ex: number; im: number }> }>();

/**
 * Returns a note when the flow base `fb` covers too few economies for
 * "world" totals to mean the world (e.g. one reporter's data), naming the
 * economies counted; undefined when it looks like multi-country data.
 */
export async function worldCoverageNote(store: Store, minimum = 20): Promise<string | undefined> {
  const token = flowBaseToken(store);
  let memo = counted.get(store);
  if (token && memo?.build !== token.build) counted.set(store, (memo = { build: token.build, views: new Map() }));
  let c = token ? memo?.views.get(token.view) : undefined;
  if (!c) {
    const r = await store.one(`SELECT count(DISTINCT exporter) AS ex, count(DISTINCT importer) AS im FROM fb`);
    c = { ex: Number(r?.ex ?? 0), im: Number(r?.im ?? 0) };
    if (token) memo?.views.set(token.view, c);
  }
  const { ex, im } = c;
  if (ex >= minimum && im >= minimum) return undefined;
  return `the data loaded covers ${ex} exporting and ${im} importing economies: "world" totals below are sums over these only, not world trade (load BACI or multi-reporter Comtrade data for world measures)`;
}
