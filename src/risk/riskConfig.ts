import { z } from 'zod';
import { readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';

const share = z.number().min(0).max(1);

export const riskConfigSchema = z
  .object({
    version: z.literal(1),
    weights: z
      .object({
        supplier_share: share,
        supplier_value: share,
        import_hhi: share,
        world_export_hhi: share,
        allied_share: share,
        low_substitutability: share,
        import_export_ratio: share,
      })
      .strict()
      .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above zero'),
    thresholds: z
      .object({ critical: share, high: share, watch: share })
      .strict()
      .refine((t) => t.critical >= t.high && t.high >= t.watch, 'thresholds must satisfy critical ≥ high ≥ watch'),
    dependence_test: z.object({ hhi: share, years_needed: z.number().int().min(1).max(3) }).strict(),
    meaningful_exporter_pct: z.number().min(0).max(100),
    min_supplier_imports_usd: z.number().min(0),
  })
  .strict();

export type RiskConfig = z.infer<typeof riskConfigSchema>;

/** Returns the risk settings from a file (default: the shipped data/risk-config.yaml), validated. */
export function readRiskConfig(path?: string): RiskConfig {
  return readFactFile(path ?? shippedDataPath('risk-config.yaml'), riskConfigSchema);
}
