// Finds files shipped at the package root (schemas/, fixtures/) from compiled code. The compiled
// module sits at different depths in a checkout (dist/src/report/) and in an installed package
// (node_modules/kube-assay/dist/src/report/), so the root is found by walking up to our own
// package.json instead of counting `..`.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kube-assay';

function isOurPackageRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The kube-assay package root above `fromDir` (default: this module's directory). */
export function packageRoot(fromDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = fromDir;
  for (;;) {
    if (isOurPackageRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fromDir}`);
    dir = parent;
  }
}

/** Absolute path of a file shipped in the package, e.g. `schemas/report.schema.json`. */
export function packageFile(relativePath: string, fromDir?: string): string {
  const path = join(packageRoot(fromDir), relativePath);
  if (!existsSync(path)) throw new Error(`${PACKAGE_NAME} package file is missing: ${relativePath} (looked for ${path})`);
  return path;
}
