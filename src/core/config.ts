import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Every setting read from the environment, with its default, in one place.
 * Code reads a setting through `config` (never `process.env` directly), and
 * `decouple doctor` lists them all with the values in force.
 */

interface SettingSpec {
  /** What it sets, for `decouple doctor` and the README. */
  description: string;
  /** The default, as shown to users. */
  fallback: string;
  /** A secret: doctor shows only whether it is set. */
  secret?: boolean;
}

/** The environment variables the system reads, by name. */
export const SETTINGS = {
  DECOUPLE_DB: {
    description: 'the store file when --db is not given',
    fallback: '$XDG_DATA_HOME/decoupling-monitor/store.duckdb',
  },
  DECOUPLE_CACHE: { description: 'where downloads are cached', fallback: '$XDG_CACHE_HOME/decoupling-monitor' },
  DECOUPLE_MIRROR: {
    description: 'a local mirror folder of the official sources, read instead of the network (setup, fetch)',
    fallback: '(none)',
  },
  DECOUPLE_GROUPS: { description: "a YAML file of the user's own country groups", fallback: '(none)' },
  DECOUPLE_PRODUCT_GROUPS: { description: "a YAML file of the user's own product group sets", fallback: '(none)' },
  DECOUPLE_LOCK_WAIT: { description: 'seconds to wait for another process to release the store', fallback: '10' },
  DECOUPLE_QUERY_TIMEOUT: { description: 'seconds after which `decouple query` stops a statement', fallback: '300' },
  DECOUPLE_QUERY_MEMORY: { description: 'memory `decouple query` may use (a DuckDB size)', fallback: '4GB' },
  DECOUPLE_MAX_EXPANSION: {
    description: 'how many times its compressed size a compressed input may expand to',
    fallback: '100',
  },
  DECOUPLE_MAX_EXPANDED_BYTES: {
    description: 'how many bytes a compressed input may expand to in all',
    fallback: String(64 * 2 ** 30),
  },
  DECOUPLE_MAX_JSON_DEPTH: { description: 'how deep a JSON input may nest', fallback: '64' },
  DECOUPLE_TOKEN: { description: 'the token `decouple serve` asks of clients', fallback: '(none)', secret: true },
  DECOUPLE_QUIET: { description: 'set to 1: no progress bars or waiting notes', fallback: '(unset)' },
  DECOUPLE_TRACE: { description: 'set: every SQL statement and its time to stderr', fallback: '(unset)' },
  DECOUPLE_DEBUG: { description: 'set: stack traces with errors', fallback: '(unset)' },
  DECOUPLE_CHROMIUM: {
    description: 'the Chromium that prints report --formats pdf',
    fallback: 'the first of /usr/bin/chromium, chromium-browser, google-chrome',
  },
  DECOUPLE_COMTRADE_API: {
    description: 'base URL of the UN Comtrade API',
    fallback: 'https://comtradeapi.un.org/data/v1/get/C',
  },
  DECOUPLE_BACI_BASE: {
    description: 'base URL of the CEPII BACI releases',
    fallback: 'https://www.cepii.fr/DATA_DOWNLOAD/baci/data',
  },
  DECOUPLE_CENSUS_API: {
    description: 'base URL of the US Census international trade API',
    fallback: 'https://api.census.gov/data/timeseries/intltrade/imports/hs',
  },
  DECOUPLE_BEA_API: { description: 'base URL of the BEA API', fallback: 'https://apps.bea.gov/api/data' },
  DECOUPLE_IMF_API: { description: 'base URL of the IMF SDMX API', fallback: 'https://api.imf.org/external/sdmx/3.0' },
  DECOUPLE_FEDERAL_REGISTER_API: {
    description: 'URL of the Federal Register documents search',
    fallback: 'https://www.federalregister.gov/api/v1/documents.json',
  },
  DECOUPLE_REFRESH: {
    description: 'set: downloads ask the server again instead of reusing the cache (decouple update sets it)',
    fallback: '(unset)',
  },
  DECOUPLE_USITC_API: {
    description: 'base URL of the USITC HTS export',
    fallback: 'https://hts.usitc.gov/reststop/exportList',
  },
  COMTRADE_KEY: { description: 'UN Comtrade subscription key', fallback: '(keys file)', secret: true },
  BEA_KEY: { description: 'BEA API user id', fallback: '(keys file)', secret: true },
  IMF_API_KEY: { description: 'IMF API subscription key', fallback: '(keys file)', secret: true },
  XDG_DATA_HOME: { description: 'base of the default store folder', fallback: '~/.local/share' },
  XDG_CACHE_HOME: { description: 'base of the default download cache', fallback: '~/.cache' },
  XDG_CONFIG_HOME: { description: 'base of the API keys file', fallback: '~/.config' },
  CI: { description: 'set by CI systems: no progress bars', fallback: '(unset)' },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** Returns the raw value of a setting, or undefined when it is unset or empty. */
export function setting(name: SettingName): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Returns a setting as a positive number, its default when unset; throws naming it when it is not one. */
export function numberSetting(name: SettingName, fallback: number): number {
  const raw = setting(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got '${raw}')`);
  return n;
}

/** Returns a setting with a default (the base URLs of the sources): its value, else its documented fallback. */
export function settingOrDefault(name: SettingName): string {
  return setting(name) ?? SETTINGS[name].fallback;
}

/** Returns true when a flag setting is set (to anything but '' and '0'). */
export function flagSetting(name: SettingName): boolean {
  const raw = setting(name);
  return raw !== undefined && raw !== '0';
}

/** Returns the per-user folders: data (the store), cache (downloads), config (API keys). */
export function userFolders(): { data: string; cache: string; config: string } {
  return {
    data: setting('XDG_DATA_HOME') ?? join(homedir(), '.local', 'share'),
    cache: setting('XDG_CACHE_HOME') ?? join(homedir(), '.cache'),
    config: setting('XDG_CONFIG_HOME') ?? join(homedir(), '.config'),
  };
}

/**
 * Returns every setting with the value in force and where it comes from (secrets shown only as set), for `decouple
 * doctor`.
 */
export function settingsInForce(): Array<{
  setting: string;
  from: 'environment' | 'default';
  value: string;
  description: string;
}> {
  return (Object.entries(SETTINGS) as Array<[SettingName, SettingSpec]>).map(([name, spec]) => {
    const v = setting(name);
    if (v === undefined) return { setting: name, from: 'default', value: spec.fallback, description: spec.description };
    return { setting: name, from: 'environment', value: spec.secret ? '(set)' : v, description: spec.description };
  });
}

/** Returns the environment a child process of the program runs with: this process's, with `extra` set. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
