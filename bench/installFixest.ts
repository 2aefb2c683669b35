import { fixestLibrary } from './fixestLibrary.js';

// Installs R fixest 0.12.2 from ../shared/tools/r-src into its cache library (once), for the gravity tests and the
// PPML benchmark; exits 1 with the reason when it cannot.
const found = fixestLibrary();
if ('lib' in found) console.log(`fixest 0.12.2 loads from ${found.lib}`);
else {
  console.error(`fixest not installed: ${found.reason}`);
  process.exitCode = 1;
}
