/**
 * Structural gravity: formulas, PPML with high-dimensional fixed effects, general-equilibrium scenarios. The
 * folder's public face: other folders import from here.
 */
export * from './columnAbsorber.js';
export * from './covariance.js';
export * from './fixedEffects.js';
export * from './flowPanel.js';
export * from './formula.js';
export * from './generalEquilibrium.js';
export * from './gravityData.js';
export * from './ppml.js';
export * from './regressionTable.js';
export * from './sampleFilter.js';
export * from './scenario.js';
export * from './scenarioSchema.js';
export * from './separation.js';
export * from './smallSample.js';
export * from './syntheticPanel.js';
