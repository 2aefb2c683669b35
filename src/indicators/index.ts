/**
 * Trade indicators over the flow base: shares, concentration, intensity, RCA, diversion, connectors, mirror gaps,
 * the registry. The folder's public face: other folders import from here.
 */
export * from './bilateralShare.js';
export * from './changeSummary.js';
export * from './connectors.js';
export * from './coverage.js';
export * from './decouplingIndex.js';
export * from './diversion.js';
export * from './exactSum.js';
export * from './extraBloc.js';
export * from './flowBase.js';
export * from './importDependence.js';
export * from './indicatorDocs.js';
export * from './mirror.js';
export * from './params.js';
export * from './partnerConcentration.js';
export * from './partnerTotals.js';
export * from './productGroups.js';
export * from './productShare.js';
export * from './registry.js';
export * from './reporterProducts.js';
export * from './sourceBuckets.js';
export * from './specialisation.js';
export * from './tariffExposure.js';
export * from './paramSchema.js';
