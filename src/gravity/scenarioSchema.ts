import { z } from 'zod';

export const SCENARIO_FORMAT_VERSION = 1;

const text = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
const economies = z
  .array(z.string().regex(/^[A-Z0-9_]{2,10}$/, 'an ISO3 code or a country group id such as G7 or EU'))
  .min(1);

/** One change of trade costs between two sets of economies. */
const shock = z
  .object({
    exporters: economies,
    importers: economies,
    /** Apply the same change to the flows in the other direction too. */
    both_directions: z.boolean().default(false),
    /** Ad valorem tariff before and after, as fractions (0.25 = 25%): τ̂ = (1 + to) / (1 + from). */
    tariff: z
      .object({ from: z.number().min(0), to: z.number().min(0) })
      .strict()
      .optional(),
    /** A multiplicative change of the trade cost τ (1.2 = 20% costlier). */
    cost_change: z.number().positive().optional(),
    /** A cost so high that the flows stop (φ = τ̂^−θ = 0). */
    prohibitive: z.literal(true).optional(),
    /** Where the shock's numbers come from (a publication), or that they are an assumption of the scenario. */
    source: z.string().min(1),
  })
  .strict()
  .refine((s) => [s.tariff, s.cost_change, s.prohibitive].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of tariff, cost_change or prohibitive',
  });

/** A counterfactual scenario file (scenarios/*.yaml); see docs/gravity.md. */
export const scenarioSchema = z
  .object({
    format: z.literal(SCENARIO_FORMAT_VERSION),
    name: text,
    description: text.optional(),
    baseline: z.union([
      z
        .object({
          /**
           * A flows dataset of the store: its id, or its source (dots, baci, comtrade...) for the one with most
           * annual totals that year.
           */
          dataset: z.union([z.number().int().positive(), z.string().regex(/^[a-z0-9-]+$/)]),
          year: z.number().int().min(1900).max(2100),
          /** Prefer the importers' reports (filled from the exporters' where missing) or the reverse. */
          side: z.enum(['importer', 'exporter']).default('importer'),
        })
        .strict(),
      z
        .object({
          /**
           * A CSV with exporter, importer, value (internal flows where exporter = importer); relative to the
           * scenario file.
           */
          file: z.string().min(1),
        })
        .strict(),
    ]),
    elasticity: z
      .object({
        value: z.number().positive(),
        source: z.string().min(1),
        /** The source as a Chinese page cites it (authors and year as the papers cite; the original title aside). */
        source_zh: z.string().min(1).optional(),
      })
      .strict(),
    shocks: z.array(shock).min(1),
    /** Economies whose trade diversion is reported partner by partner. */
    focus: z.array(z.string()).default(['USA', 'CHN']),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioShock = Scenario['shocks'][number];
