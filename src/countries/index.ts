/**
 * Economies: country code maps from each source's codes to ISO3, country groups with dated membership. The folder's
 * public face: other folders import from here.
 */
export * from './aggregateKinds.js';
export * from './codeMap.js';
export * from './groups.js';
