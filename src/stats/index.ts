/** Statistics: panel OLS, matrix helpers, distributions. The folder's public face: other folders import from here. */
export * from './matrix.js';
export * from './panelOls.js';
export * from './specialFunctions.js';
export * from './studentT.js';
