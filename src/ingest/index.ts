/**
 * Importers of each source's files into the store, atomic and with provenance. The folder's public face: other
 * folders import from here.
 */
export * from './baci.js';
export * from './batis.js';
export * from './baciFastPath.js';
export * from './bea.js';
export * from './census.js';
export * from './comtrade.js';
export * from './dots.js';
export * from './equityIndices.js';
export * from './federalRegister.js';
export * from './flowLoad.js';
export * from './fredSeries.js';
export * from './hsCodes.js';
export * from './importRun.js';
export * from './ncsesTable.js';
export * from './openDoors.js';
export * from './screeningList.js';
export * from './seriesLoad.js';
export * from './sheetStage.js';
export * from './tariffs.js';
export * from './ticHoldings.js';
export * from './userCsv.js';
export * from './weo.js';
export * from './witsSummary.js';
