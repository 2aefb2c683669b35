/**
 * Small shared helpers: paths, progress bars, interrupts, limits, temporary files, fact files. The folder's public
 * face: other folders import from here.
 */
export * from './extremes.js';
export * from './factFile.js';
export * from './interrupt.js';
export * from './lazyModules.js';
export * from './limits.js';
export * from './paths.js';
export * from './progress.js';
export * from './sheet.js';
