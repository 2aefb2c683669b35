#!/usr/bin/env node
// Entry point of the `decouple` command: runs the compiled CLI.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('decouple: the project is not built; run `npm install` (or `npm run build`) first\n');
  } else {
    process.stderr.write(`decouple: ${err && err.message ? err.message : err}\n`);
  }
  process.exit(1);
});
