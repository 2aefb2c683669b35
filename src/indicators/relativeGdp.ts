import type { Store } from '../store/store.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { storedSeries } from './storedSeries.js';

/**
 * The reporter's GDP relative to the partner's, at current US dollars (IMF WEO NGDPD) and at purchasing-power
 * parity (PPPGDP) where loaded:
 *   relative_gdp_pct = 100 × GDP(reporter) / GDP(partner).
 * Years after either economy's last actual year are IMF projections (column projection). Returns one row per year.
 */
export async function relativeGdp(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter', 'relative-gdp');
  const b = need(p.partner, '--partner', 'relative-gdp');
  const read = (indicator: string, c: string) =>
    storedSeries(store, { indicator, country: c, partner: '', frequency: 'A' });
  const [ua, ub, pa, pb] = await Promise.all([
    read('weo:NGDPD', a),
    read('weo:NGDPD', b),
    read('weo:PPPGDP', a),
    read('weo:PPPGDP', b),
  ]);
  if (!ua.points.length || !ub.points.length)
    return {
      rows: [],
      notes: [
        `not computable: WEO GDP in US dollars (NGDPD) of ${!ua.points.length ? a : b} is not loaded (decouple import weo FILE)`,
      ],
    };
  const map = (s: typeof ua) => new Map(s.points.map((x) => [x.year, x]));
  const [ma, mb, ppa, ppb] = [map(ua), map(ub), map(pa), map(pb)];
  const [from, to] = p.years ?? [-Infinity, Infinity];
  const rows = [...ma.keys()]
    .filter((y) => mb.has(y) && y >= from && y <= to)
    .sort((x, y) => x - y)
    .map((year) => {
      const x = ma.get(year)!;
      const y = mb.get(year)!;
      const px = ppa.get(year);
      const py = ppb.get(year);
      return {
        year,
        reporter: a,
        partner: b,
        reporter_gdp_usd: finite(x.value),
        partner_gdp_usd: finite(y.value),
        relative_gdp_pct: finite((100 * x.value) / y.value),
        relative_gdp_ppp_pct: px && py ? finite((100 * px.value) / py.value) : null,
        projection: x.flag === 'p' || y.flag === 'p',
      };
    });
  return {
    rows,
    notes: [
      `GDP at current prices in US dollars (NGDPD)${pa.points.length && pb.points.length ? ' and at purchasing-power parity (PPPGDP)' : ''} [${ua.dataset?.label}]; projection = a year after either economy's last actual year in this WEO vintage`,
    ],
  };
}
