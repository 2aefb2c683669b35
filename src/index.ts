/**
 * The library API of Decoupling Monitor: what the `decouple` command line
 * uses, for TypeScript and JavaScript programs (`import { ppml } from
 * 'decoupling-monitor'`).
 */
export { Store, defaultStorePath } from './store/index.js';
export { parseFormula, type GravityFormula } from './gravity/index.js';
export { loadGravityInput, type GravityInput, type GravitySource } from './gravity/index.js';
export { flowPanelSql, flowDatasetId } from './gravity/index.js';
export { ppml, type PpmlData, type PpmlOptions, type PpmlResult, type Coefficient } from './gravity/index.js';
export { regressionTable, coefficientRows } from './gravity/index.js';
export { syntheticGravityPanel } from './gravity/index.js';
export { solveGeneralEquilibrium, type GeBaseline, type GeOptions, type GeSolution } from './gravity/index.js';
export { readScenario, runScenario, loadScenarioBaseline, type ScenarioResult } from './gravity/index.js';
export { scenarioSchema, type Scenario } from './gravity/index.js';
