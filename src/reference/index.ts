/**
 * Reference packs and classifications: countries, HS lists and vintages, concordances, code systems, seed figures.
 * The folder's public face: other folders import from here.
 */
export * from './censusAtp.js';
export * from './codeSystems.js';
export * from './hsVintages.js';
export * from './packs.js';
export * from './seedFigures.js';
