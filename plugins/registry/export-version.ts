import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { IntegrityError, ValidationError } from '../../core/index.ts';
import { loadBundle, SIGNATURE_FILE, writeBundleFolder } from '../exporters/bundle-io.ts';
import type { ModelRegistry } from './model-registry.ts';

/** What {@link exportModelVersion} wrote. */
export interface ExportedVersion {
  name: string;
  version: number;
  out: string;
  files: string[];
}

/**
 * Copies a registered version out of the workspace as a plain bundle folder (for a server, another
 * machine, an archive): the registered copy is verified against the manifest recorded at
 * registration, every byte written is checked against it, the folder is written atomically (an
 * existing bundle there is replaced, any other folder refused), and the result verified once more.
 * @example
 * const registry = openModelRegistry('.mlcycle');
 * await exportModelVersion(registry, 'models:/penguins@champion', 'dist/penguins');
 */
export async function exportModelVersion(registry: ModelRegistry, uri: string, outDir: string): Promise<ExportedVersion> {
  const found = registry.resolve(uri);
  const bundle = await registry.load(uri);
  const names = ['manifest.json', ...Object.keys(bundle.manifest.files), ...(existsSync(join(found.dir, SIGNATURE_FILE)) ? [SIGNATURE_FILE] : [])];
  const files: Record<string, Uint8Array> = Object.create(null);
  for (const name of names) {
    const bytes = await readFile(join(found.dir, name));
    const expected = name === 'manifest.json' ? found.manifestSha256 : name === SIGNATURE_FILE ? undefined : bundle.manifest.files[name];
    if (expected !== undefined && sha256(bytes) !== expected) {
      throw new IntegrityError(`models export: ${name} of ${found.name} version ${found.version} changed while it was read; nothing was written`);
    }
    files[name] = bytes;
  }
  const out = resolve(outDir);
  // Said here in the command's words; the folder writer would refuse too, in the exporter's.
  if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, 'manifest.json'))) {
    throw new ValidationError(`models export: will not write into '${out}': it is a folder that is not an mlcycle bundle; choose another folder or remove it`);
  }
  await writeBundleFolder(out, files);
  await loadBundle(out, { expectedManifestSha256: found.manifestSha256 });
  return { name: found.name, version: found.version, out, files: names.sort() };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
