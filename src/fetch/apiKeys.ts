import { setting, userFolders } from '../core/config.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Returns the user config file of API keys: $XDG_CONFIG_HOME/decoupling-monitor/keys.json (or ~/.config/…). */
export function keysFile(): string {
  return join(userFolders().config, 'decoupling-monitor', 'keys.json');
}

/**
 * Returns an API key: the option, else the environment variable, else the
 * user config file (`{"comtrade": "…"}`), which must not be readable by
 * group or others; undefined when there is none. Keys are never printed.
 */
export function apiKey(
  name: string,
  option: string | undefined,
  envVar: 'COMTRADE_KEY' | 'BEA_KEY' | 'IMF_API_KEY',
): string | undefined {
  if (option) return option;
  const fromEnv = setting(envVar);
  if (fromEnv) return fromEnv;
  const file = keysFile();
  if (!existsSync(file)) return undefined;
  if ((statSync(file).mode & 0o077) !== 0)
    throw new Error(`${file} is readable by other users; restrict it first: chmod 600 ${file}`);
  const keys = JSON.parse(readFileSync(file, 'utf-8')) as Record<string, string>;
  return keys[name];
}
