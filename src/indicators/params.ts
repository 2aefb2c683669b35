import { InvalidInputError, type Iso3 } from '../core/index.js';
import type { Row } from '../store/store.js';
import type { SidePreference } from './flowBase.js';

export type Flow = 'export' | 'import' | 'total';

/** What a user can ask of an indicator; each indicator says which of these it reads. */
export interface IndicatorParams {
  reporter?: Iso3;
  partner?: Iso3;
  flow: Flow;
  channel: 'goods' | 'services';
  years?: [number, number];
  /** A product group set, optionally one group of it: `bec-stage`, `bec-stage:intermediate`. */
  group?: { set: string; name?: string };
  /** Product digits: of product-level indicators (2, 4, 6; default 6), of average-tariff's weights (6, 8, 10). */
  level?: 2 | 4 | 6 | 8 | 10;
  datasets?: number[];
  monthly: boolean;
  side: SidePreference;
  /** The two periods compared by change-based indicators (default: first and last year in the data). */
  from?: number;
  to?: number;
  /** The first and last dates of a window of dates (average-tariff), where --from and --to give dates. */
  fromDate?: string;
  toDate?: string;
  /** A third market (export similarity) or third economy (connectors). */
  market?: string;
  economy?: string;
  /** Economies (ISO3) or country groups (group:ASEAN) to report separately (diversion). */
  sources?: string[];
  top?: number;
  worldFromPartners: boolean;
  /** The year of the trade weights (average-tariff), or `current`: each date's own year. */
  weights?: number | 'current';
  /** A date (YYYY-MM-DD) on which tariffs in force are read (tariff-exposure). */
  on?: string;
}

/**
 * Returns the parameters with the defaults of `decouple compute` filled in (exports, goods, HS6, annual, automatic
 * side).
 */
export function indicatorDefaults(p: Partial<IndicatorParams>): IndicatorParams {
  return { flow: 'export', channel: 'goods', monthly: false, side: 'auto', worldFromPartners: false, ...p };
}

/** Returns the HS digits a product-level indicator works at (default 6); throws for 8 and 10, which it cannot take. */
export function productLevel(p: IndicatorParams, indicator: string): 2 | 4 | 6 {
  const level = p.level ?? 6;
  if (level !== 2 && level !== 4 && level !== 6)
    throw new InvalidInputError(
      `${indicator} takes --level 2, 4 or 6 (8 and 10 are levels of average-tariff's weights)`,
    );
  return level;
}

/** An indicator's rows and the notes that qualify them (coverage, data choices, what could not be computed). */
export interface IndicatorResult {
  rows: Row[];
  notes: string[];
}

/** Throws a clear error when a required parameter is missing; returns it otherwise. */
export function need<T>(value: T | undefined, option: string, indicator: string): T {
  if (value === undefined || value === null || value === '') throw new Error(`${indicator} needs ${option}`);
  return value;
}

/**
 * Returns the value as a finite number in full precision (14 significant
 * digits), or null (missing, not a number, infinite). Data cells carry this; rounding belongs to what is
 * printed (the terminal table, the report's text), never to CSV, JSON,
 * Parquet, workbooks or the API.
 */
export function finite(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  // Fourteen significant digits (1e-14 relative): the digits beyond are floating-point noise that changes with
  // the order in which DuckDB's parallel sums add their terms.
  return Number.isFinite(n) ? Number(n.toPrecision(14)) : null;
}

/** Returns a number rounded to `digits` decimals, for text (labels and sentences), or null. */
export function round(value: unknown, digits = 4): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
