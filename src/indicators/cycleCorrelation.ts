import type { Store } from '../store/store.js';
import { EQUITY_INDICES } from '../ingest/equityIndices.js';
import { pearson } from '../stats/correlation.js';
import { finite, need, type IndicatorParams, type IndicatorResult } from './params.js';
import { storedSeries } from './storedSeries.js';

/** Years in the window of the GDP-growth correlation. */
export const GDP_WINDOW_YEARS = 5;
/** Months in the window of the monthly correlations (equity returns, industrial production). */
export const MONTHLY_WINDOW = 36;
/** The fewest monthly pairs a window needs. */
export const MONTHLY_MIN_PAIRS = 30;

/** Returns month (YYYY-MM) → log change from the month before, for a monthly series given as month → level. */
export function monthlyLogChanges(levels: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [month, v] of levels) {
    const [y, m] = month.split('-').map(Number);
    const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const pv = levels.get(prev);
    if (pv !== undefined && pv > 0 && v > 0) out.set(month, Math.log(v / pv));
  }
  return out;
}

/** Returns month → the last daily close of the month, for a daily series (period YYYY-MM-DD, ordered). */
export function monthEndCloses(points: Array<{ period: string; value: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of points) out.set(p.period.slice(0, 7), p.value);
  return out;
}

/** Returns the months of the window ending in December of `year`. */
function windowMonths(year: number): string[] {
  const out: string[] = [];
  for (let k = MONTHLY_WINDOW - 1; k >= 0; k--) {
    const idx = year * 12 + 11 - k;
    out.push(`${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Returns year → correlation of two monthly change series over the window to that December (null: too few pairs). */
function monthlyCorrelations(
  x: Map<string, number>,
  y: Map<string, number>,
): Map<number, { r: number | null; n: number }> {
  const years = [...new Set([...x.keys()].filter((m) => y.has(m)).map((m) => Number(m.slice(0, 4))))].sort();
  const out = new Map<number, { r: number | null; n: number }>();
  for (const year of years) {
    const months = windowMonths(year).filter((m) => x.has(m) && y.has(m));
    out.set(year, {
      n: months.length,
      r:
        months.length >= MONTHLY_MIN_PAIRS
          ? pearson(
              months.map((m) => x.get(m)!),
              months.map((m) => y.get(m)!),
            )
          : null,
    });
  }
  return out;
}

/** Returns the equity index read for an economy: the first of EQUITY_INDICES for it that is loaded. */
async function equityIndexOf(store: Store, economy: string) {
  for (const [ticker, info] of Object.entries(EQUITY_INDICES)) {
    if (info.economy !== economy) continue;
    const s = await storedSeries(store, {
      indicator: `equity_close:${ticker}`,
      country: economy,
      partner: '',
      frequency: 'D',
    });
    if (s.points.length) return { ticker, name: info.name, series: s };
  }
  return undefined;
}

/**
 * Business-cycle and market synchronisation of a pair (paper 002's
 * business-cycle and financial dimensions), by year t:
 *  - gdp_growth_corr: Pearson correlation of annual real GDP growth (IMF WEO NGDP_RPCH, actual years only) over
 *    the GDP_WINDOW_YEARS years ending in t;
 *  - equity_return_corr: correlation of monthly log returns of the two economies' main equity indices (month-end
 *    closes) over the MONTHLY_WINDOW months ending in December of t, at least MONTHLY_MIN_PAIRS pairs;
 *  - industrial_production_corr: the same for monthly log changes of industrial production, where both are loaded.
 * Returns one row per year with at least one of them.
 */
export async function cycleCorrelation(store: Store, p: IndicatorParams): Promise<IndicatorResult> {
  const a = need(p.reporter, '--reporter', 'cycle-correlation');
  const b = need(p.partner, '--partner', 'cycle-correlation');
  const notes: string[] = [];
  const growth = async (c: string) =>
    storedSeries(store, { indicator: 'weo:NGDP_RPCH', country: c, partner: '', frequency: 'A' });
  const [ga, gb] = [await growth(a), await growth(b)];
  const gdp = new Map<number, number | null>();
  if (ga.points.length && gb.points.length) {
    const actual = (s: typeof ga) => new Map(s.points.filter((x) => x.flag !== 'p').map((x) => [x.year, x.value]));
    const [xa, xb] = [actual(ga), actual(gb)];
    const years = [...xa.keys()].filter((y) => xb.has(y)).sort((x, y) => x - y);
    for (const t of years) {
      const w = years.filter((y) => y > t - GDP_WINDOW_YEARS && y <= t);
      if (w.length < GDP_WINDOW_YEARS) continue;
      gdp.set(
        t,
        pearson(
          w.map((y) => xa.get(y)!),
          w.map((y) => xb.get(y)!),
        ),
      );
    }
    notes.push(
      `gdp_growth_corr: ${GDP_WINDOW_YEARS}-year rolling correlation of real GDP growth, actual years only [${ga.dataset?.label}]`,
    );
  } else
    notes.push(
      `gdp_growth_corr not computable: WEO real GDP growth (NGDP_RPCH) of ${!ga.points.length ? a : b} not loaded`,
    );

  let equity = new Map<number, { r: number | null; n: number }>();
  const [ea, eb] = [await equityIndexOf(store, a), await equityIndexOf(store, b)];
  if (ea && eb) {
    equity = monthlyCorrelations(
      monthlyLogChanges(monthEndCloses(ea.series.points)),
      monthlyLogChanges(monthEndCloses(eb.series.points)),
    );
    notes.push(
      `equity_return_corr: ${ea.name} (${ea.ticker}) and ${eb.name} (${eb.ticker}), monthly log returns of month-end closes, ${MONTHLY_WINDOW} months to December, at least ${MONTHLY_MIN_PAIRS} pairs; local-currency price indices`,
    );
  } else notes.push(`equity_return_corr not computable: no daily equity index of ${!ea ? a : b} loaded`);

  let ip = new Map<number, { r: number | null; n: number }>();
  const ipOf = (c: string) =>
    storedSeries(store, { indicator: 'industrial_production', country: c, partner: '', frequency: 'M' });
  const [ia, ib] = [await ipOf(a), await ipOf(b)];
  if (ia.points.length && ib.points.length) {
    const levels = (s: typeof ia) => new Map(s.points.map((x) => [x.period, x.value]));
    ip = monthlyCorrelations(monthlyLogChanges(levels(ia)), monthlyLogChanges(levels(ib)));
    notes.push(`industrial_production_corr: monthly log changes, ${MONTHLY_WINDOW} months to December`);
  } else
    notes.push(
      `industrial_production_corr not computable: monthly industrial production of ${[!ia.points.length ? a : '', !ib.points.length ? b : ''].filter(Boolean).join(' and ')} not loaded`,
    );

  const [from, to] = p.years ?? [-Infinity, Infinity];
  const years = [...new Set([...gdp.keys(), ...equity.keys(), ...ip.keys()])]
    .filter((y) => y >= from && y <= to)
    .sort((x, y) => x - y);
  const rows = years
    .map((year) => ({
      year,
      reporter: a,
      partner: b,
      gdp_growth_corr: finite(gdp.get(year)),
      equity_return_corr: finite(equity.get(year)?.r),
      equity_months: equity.get(year)?.n ?? null,
      industrial_production_corr: finite(ip.get(year)?.r),
    }))
    .filter(
      (r) => r.gdp_growth_corr !== null || r.equity_return_corr !== null || r.industrial_production_corr !== null,
    );
  return { rows, notes };
}
