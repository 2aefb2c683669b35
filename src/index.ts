/**
 * The library API of Decoupling Monitor: what the `decouple` command line
 * uses, for TypeScript and JavaScript programs (`import { ppml } from
 * 'decoupling-monitor'`).
 */
export { Store, defaultStorePath } from './store/store.js';
export { parseFormula, type GravityFormula } from './gravity/formula.js';
export { loadGravityInput, type GravityInput, type GravitySource } from './gravity/gravityData.js';
export { flowPanelSql, flowDatasetId } from './gravity/flowPanel.js';
export { ppml, type PpmlData, type PpmlOptions, type PpmlResult, type Coefficient } from './gravity/ppml.js';
export { regressionTable, coefficientRows } from './gravity/regressionTable.js';
export { syntheticGravityPanel } from './gravity/syntheticPanel.js';
export { solveGeneralEquilibrium, type GeBaseline, type GeOptions, type GeSolution } from './gravity/generalEquilibrium.js';
export { readScenario, runScenario, loadScenarioBaseline, type ScenarioResult } from './gravity/scenario.js';
export { scenarioSchema, type Scenario } from './gravity/scenarioSchema.js';
