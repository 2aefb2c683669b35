import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './harness.js';

/** The R package sources of ../shared/tools/r-src, in the order they must be installed. */
const SOURCES = ['stringmagic', 'dreamerr', 'fixest'];
/** Debian packages the sources need to build and load. */
const DEBIAN =
  'r-base-dev r-cran-rcpp r-cran-data.table r-cran-sandwich r-cran-numderiv r-cran-nlme r-cran-formula r-cran-matrix';

/** Either the R library holding fixest, or why there is none. */
export type FixestLibrary = { lib: string } | { reason: string };

function loads(lib: string): boolean {
  return (
    spawnSync('Rscript', ['-e', 'suppressMessages(library(fixest))'], {
      env: { ...process.env, R_LIBS: lib },
      encoding: 'utf-8',
    }).status === 0
  );
}

/**
 * Returns an R library with fixest 0.12.2, installed on first use from the sources in ../shared/tools/r-src
 * (neither Debian nor npm carries fixest) into ~/.cache/decoupling-monitor, or the reason it cannot be.
 */
export function fixestLibrary(): FixestLibrary {
  if (spawnSync('Rscript', ['--version']).status !== 0)
    return { reason: `Rscript not found: apt-get install ${DEBIAN}` };
  const lib = join(homedir(), '.cache', 'decoupling-monitor', 'r-fixest-0.12.2');
  if (existsSync(lib) && loads(lib)) return { lib };
  const src = resolve(ROOT, '..', 'shared', 'tools', 'r-src');
  if (!existsSync(join(src, 'fixest.tar.gz'))) return { reason: `no fixest sources at ${src}` };
  mkdirSync(lib, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'fixest-src-'));
  console.log(`  installing fixest 0.12.2 and its two helpers from ${src} into ${lib} (a few minutes, once)…`);
  for (const p of SOURCES) {
    const untar = spawnSync('tar', ['-xzf', join(src, `${p}.tar.gz`), '-C', work]);
    const install =
      untar.status === 0
        ? spawnSync('R', ['CMD', 'INSTALL', '-l', lib, join(work, p)], {
            env: { ...process.env, R_LIBS: lib },
            encoding: 'utf-8',
          })
        : untar;
    if (install.status !== 0) {
      const last = String(install.stderr ?? '')
        .trim()
        .split('\n')
        .pop();
      return { reason: `R CMD INSTALL ${p} failed (${last}); it needs apt-get install ${DEBIAN}` };
    }
  }
  return loads(lib) ? { lib } : { reason: `fixest was installed into ${lib} but does not load` };
}
