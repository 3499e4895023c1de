// Locations inside the installed package. Compiled code lives in <root>/dist/src/..., so the
// package root is three levels above this file in both the repo and an installed package.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Root of the kube-assay package (the directory holding package.json). */
export const packageRoot: string = findPackageRoot(here);

export const configSchemaPath = join(packageRoot, 'schemas', 'config.schema.json');

/** Compiled suites: dist/suites/<name>/*.spec.js */
export const compiledSuitesDir = join(packageRoot, 'dist', 'suites');

function findPackageRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    dir = dirname(dir);
  }
  return resolve(start, '..', '..', '..');
}
