import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IntegrityError } from '../../core/index.ts';
import type { ModelSpec, TransformSpec } from '../kinds.ts';
import { sha256 } from './_digest.ts';
import { parseManifest, type BundleManifest } from './_manifest.ts';
import { readModelFiles } from './_model-files.ts';

/** A verified bundle in memory. */
export interface Bundle {
  /** Absolute path of the bundle folder. */
  dir: string;
  manifest: BundleManifest;
  model: ModelSpec;
  transform: TransformSpec;
}

/**
 * Reads a bundle folder and verifies it before anything uses it: manifest.json must be valid and
 * unmodified, and every file it lists must exist with the recorded sha256. Otherwise it throws an
 * IntegrityError naming the file, so a tampered or half-copied bundle never serves predictions.
 * @example
 * const bundle = await loadBundle('bundles/penguins');
 * bundle.manifest.metrics.accuracy
 */
export async function loadBundle(dir: string): Promise<Bundle> {
  const abs = path.resolve(dir);
  const refuse = (why: string, cause?: unknown): never => {
    throw new IntegrityError(`bundle '${abs}' refused: ${why}. Re-export it with exporters/bundle.`, { cause });
  };
  const manifestText = await readFile(path.join(abs, 'manifest.json'), 'utf8').catch((err: NodeJS.ErrnoException) =>
    refuse(err.code === 'ENOENT' ? 'manifest.json is missing (is this a bundle folder?)' : `cannot read manifest.json (${err.message})`, err),
  );
  const manifest = parseManifest(manifestText, abs);
  const files: Record<string, Uint8Array> = {};
  for (const [name, expected] of Object.entries(manifest.files)) {
    // Names are plain file names: a manifest must not make us read outside the bundle.
    if (name !== path.basename(name) || name === '..' || name === '.') refuse(`manifest.json lists a file outside the bundle: '${name}'`);
    const bytes = await readFile(path.join(abs, name)).catch((err: NodeJS.ErrnoException) =>
      refuse(err.code === 'ENOENT' ? `${name} is missing` : `cannot read ${name} (${err.message})`, err),
    );
    const actual = sha256(bytes);
    if (actual !== expected) refuse(`${name} does not match the manifest (sha256 ${actual.slice(0, 12)}…, expected ${String(expected).slice(0, 12)}…)`);
    files[name] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (!files['preprocessing.json']) refuse('manifest.json does not list preprocessing.json');
  const transform = JSON.parse(new TextDecoder().decode(files['preprocessing.json'])) as TransformSpec;
  return { dir: abs, manifest, model: readModelFiles(files), transform };
}
