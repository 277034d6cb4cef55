import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mlcycleManifest } from '../../core/index.ts';

const require = createRequire(import.meta.url);

/**
 * mlcycle's version, from its package.json (core finds it, from sources and from dist/ alike):
 * recorded in bundles so a bundle says which mlcycle made it.
 * @example
 * mlcycleVersion() // '0.1.0'
 */
export function mlcycleVersion(): string {
  return readVersion(mlcycleManifest);
}

/**
 * The installed @tensorflow/tfjs version, read from its package.json: importing tfjs itself only
 * to learn its version would cost a second.
 * @example
 * tfjsVersion() // '4.22.0'
 */
export function tfjsVersion(): string | null {
  try {
    return readVersion(require.resolve('@tensorflow/tfjs/package.json'));
  } catch {
    return null;
  }
}

function readVersion(file: string | URL): string {
  return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
}
