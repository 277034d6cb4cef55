import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds mlcycle's own package.json: the first folder above this file whose
 * package.json is named `mlcycle`. Searched, not `../..`, because this file runs from two places:
 * `core/engine/` in a checkout (TypeScript through jiti) and `dist/core/engine/` in the published
 * package (compiled by `npm run build`), one folder deeper.
 */
function findRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && nameIn(manifest) === 'mlcycle') return dir;
    // No named package.json above (a copied core/ folder): the checkout layout is the best guess.
    if (dirname(dir) === dir) return join(here, '..', '..');
  }
}

function nameIn(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * Absolute path of mlcycle's package folder (where its package.json is), in a checkout and in an
 * installed package alike.
 * @example
 * join(mlcycleRoot, 'package.json') // '/opt/app/node_modules/mlcycle/package.json'
 */
export const mlcycleRoot: string = findRoot();

/**
 * Absolute path of mlcycle's package.json.
 * @example
 * JSON.parse(readFileSync(mlcycleManifest, 'utf8')).version // '0.1.0'
 */
export const mlcycleManifest: string = join(mlcycleRoot, 'package.json');
