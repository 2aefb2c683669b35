/**
 * The layers of src/, imports pointing one way (checked by `npm test`):
 *
 *   outputs      cli → serve → report
 *   analysis     indicators, stats, gravity, risk, measures
 *   sources      ingest, fetch
 *   codes        countries → reference (codes, classifications, reference packs)
 *   core         core, util, store, files
 *
 * A folder may import from its own layer's folders (no cycles) and from the
 * layers below, never from above.
 */
const OUTPUTS = '^src/(cli|serve|report)/';
const ANALYSIS = '^src/(indicators|stats|gravity|risk|measures)/';
const SOURCES = '^src/(ingest|fetch)/';
const CODES = '^src/(countries|reference)/';
const CORE = '^src/(core|util|store|files)/';

const upward = (name, from, to) => ({ name, severity: 'error', comment: `${from} must not import ${to} (a wrong-way import)`, from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'modules must not import each other in a cycle (type-only imports aside: they vanish at run time)', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    upward('core-up', CORE, `${CODES}|${SOURCES}|${ANALYSIS}|${OUTPUTS}`),
    upward('codes-up', CODES, `${SOURCES}|${ANALYSIS}|${OUTPUTS}`),
    upward('reference-to-countries', '^src/reference/', '^src/countries/'),
    upward('sources-up', SOURCES, `${ANALYSIS}|${OUTPUTS}`),
    upward('analysis-up', ANALYSIS, OUTPUTS),
    upward('report-up', '^src/report/', '^src/(serve|cli)/'),
    upward('serve-up', '^src/serve/', '^src/cli/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.build.json' },
    tsPreCompilationDeps: true,
  },
};
