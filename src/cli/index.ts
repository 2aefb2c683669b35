/**
 * The command line (`decouple`): the program and its commands. The folder's public face: other folders import from
 * here.
 */
export * from './fileOutput.js';
export { buildProgram, main } from './main.js';
