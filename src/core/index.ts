/**
 * The bottom layer: SQL built safely, checked codes. Every other folder may import from here; this folder imports
 * from none.
 */
export { Sql, sql, raw, ident, list, join, literal, type SqlValue, type SqlPart } from './sql.js';
export { parseIso3, isIso3, parseHsCode, InvalidInputError, type Iso3, type HsCode } from './codes.js';
export { parseYears, parseDate } from './inputs.js';
export {
  SETTINGS,
  setting,
  settingOrDefault,
  numberSetting,
  flagSetting,
  userFolders,
  settingsInForce,
  type SettingName,
} from './config.js';
