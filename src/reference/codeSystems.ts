import { z } from 'zod';
import { readFactFile } from '../util/factFile.js';
import { shippedDataPath } from '../util/paths.js';

const iso3 = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter code');

const CodeSystemsSchema = z.object({
  version: z.literal(1),
  special: z.object({
    source: z.string().min(1),
    codes: z.array(z.object({ code: iso3, name_en: z.string(), name_zh: z.string(), aggregate: z.boolean() })),
  }),
  name_overrides: z.object({
    source: z.string().min(1),
    names: z.array(z.object({ code: iso3, name_en: z.string(), name_zh: z.string() })),
  }),
  comtrade: z.object({ source: z.string().min(1), codes: z.record(z.string(), iso3) }),
  comtrade_iso: z.object({ source: z.string().min(1), codes: z.record(z.string(), iso3) }),
  census: z.object({ source: z.string().min(1), codes: z.record(z.string(), iso3) }),
  imf: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  bea: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  wits: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  tic: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  iie: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  ncses: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
  batis: z.object({ source: z.string().min(1), names: z.record(z.string(), iso3) }),
});

export type CodeSystems = z.infer<typeof CodeSystemsSchema>;

let cached: CodeSystems | undefined;

/** Returns the shipped country-code systems (data/country-code-systems.yaml), validated. */
export function codeSystems(): CodeSystems {
  cached ??= readFactFile(shippedDataPath('country-code-systems.yaml'), CodeSystemsSchema);
  return cached;
}

/** The code systems a source can be mapped from at the door. */
export type CodeSystemName =
  'iso3' | 'name' | 'comtrade' | 'comtrade-iso' | 'census' | 'imf' | 'bea' | 'wits' | 'tic' | 'iie' | 'ncses' | 'batis';
