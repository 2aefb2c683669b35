/**
 * The measures registry (tariffs, export controls, listings, …), tariff lines, event studies, the facts shipped
 * with the program. The folder's public face: other folders import from here.
 */
export * from './builtins.js';
export * from './eventStudy.js';
export * from './measureQueries.js';
export * from './measureRegistry.js';
export * from './measureSchema.js';
export * from './measureStore.js';
export * from './screeningQueries.js';
export * from './tariffInForce.js';
