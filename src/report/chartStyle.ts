/**
 * The house style every chart shares (the report's and the dashboard's):
 * the Okabe–Ito palette, distinguishable under the common colour-vision
 * deficiencies (Okabe and Ito 2008, "Color Universal Design"), yellow last
 * for its low contrast on white; legends wide enough for the series names of
 * both languages. web/app.js holds the same configuration for the charts it
 * builds itself (a unit test keeps the two equal).
 */
export const CHART_CONFIG = {
  range: { category: ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] },
  legend: { labelLimit: 360 },
} as const;

/**
 * Room on the right for legend labels: headless rendering measures text with a Latin-width estimate, which
 * falls short for Chinese characters, so a long Chinese label would run past the chart's edge.
 */
const PADDING = { left: 5, top: 5, bottom: 5, right: 64 };

/** Returns a Vega-Lite specification with the house style under its own configuration (its own settings win). */
export function styledSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const own = (spec.config ?? {}) as Record<string, unknown>;
  return { padding: PADDING, ...spec, config: { ...CHART_CONFIG, ...own } };
}
