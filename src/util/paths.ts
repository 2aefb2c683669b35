import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** Returns the folder of the installed package (the one holding package.json and data/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'data'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the package folder (package.json with data/)');
    dir = up;
  }
  root = dir;
  return dir;
}

/** Returns the path of a file shipped in the package's data/ folder. */
export function shippedDataPath(...parts: string[]): string {
  return join(packageRoot(), 'data', ...parts);
}
