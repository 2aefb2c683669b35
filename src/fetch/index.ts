/**
 * Fetchers of the official sources (UN Comtrade, BACI, Census, BEA, IMF, USITC): URLs, calls, answers checked. The
 * folder's public face: other folders import from here.
 */
export * from './apiKeys.js';
export * from './baciFetch.js';
export * from './beaFetch.js';
export * from './censusFetch.js';
export * from './comtradeFetch.js';
export * from './imfFetch.js';
export * from './sources.js';
export * from './usitcFetch.js';
