/** Statistics: panel OLS, matrix helpers, distributions. The folder's public face: other folders import from here. */
export * from './correlation.js';
export * from './matrix.js';
export * from './panelOls.js';
export * from './principalComponents.js';
export * from './specialFunctions.js';
export * from './studentT.js';
