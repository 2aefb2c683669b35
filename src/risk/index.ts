/**
 * The risk list (风险清单): dependence scores, configuration and explanations. The folder's public face: other folders
 * import from here.
 */
export * from './riskConfig.js';
export * from './riskExplanation.js';
export * from './riskList.js';
