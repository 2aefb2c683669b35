/**
 * Input files and downloads: reading (compression, encoding, limits), CSV staging, import errors that name file,
 * line and field. The folder's public face: other folders import from here.
 */
export * from './csvStage.js';
export * from './download.js';
export * from './importError.js';
export * from './inputFile.js';
export * from './jsonDepth.js';
export * from './proxy.js';
export * from './textEncoding.js';
