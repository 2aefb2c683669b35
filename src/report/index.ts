/**
 * The assessment report (zh/en): its model, renderers, charts and table output formats. The folder's public face:
 * other folders import from here.
 */
export * from './findings.js';
export * from './groupShares.js';
export * from './linkSeries.js';
export * from './renderReport.js';
export * from './reportModel.js';
export * from './tableOutput.js';
