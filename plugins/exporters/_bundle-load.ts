import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { IntegrityError, MlcycleError } from '../../core/index.ts';
import type { ModelSpec, TransformSpec } from '../kinds.ts';
import { parseBundleProfile, REFERENCE_PROFILE_FILE, type BundleProfile } from '../monitor/bundle-profile.ts';
import { checkTransform } from '../transformers/steps.ts';
import { openBundleRoot, readBundleFile, type Refuse } from './_bundle-read.ts';
import { sha256 } from './_digest.ts';
import { keyFingerprint, keyPath, PUBLIC_KEY_ENV, readPublicKey } from './_keys.ts';
import { parseManifest, type BundleManifest } from './_manifest.ts';
import { readModelFiles } from './_model-files.ts';
import { parseJsonBytes } from './_safe-json.ts';
import { SIGNATURE_FILE, signatureProblem } from './_signature.ts';

/** A verified bundle in memory. */
export interface Bundle {
  /** Absolute path of the bundle folder. */
  dir: string;
  manifest: BundleManifest;
  model: ModelSpec;
  transform: TransformSpec;
  /** Fingerprint of the public key whose signature was verified; null when no key was configured. */
  verifiedBy: string | null;
  /** reference-profile.json (what monitoring compares new data to); null in bundles exported before it existed. */
  referenceProfile: BundleProfile | null;
}

/** What loadBundle must verify beyond the manifest's checksums. */
export interface LoadBundleOptions {
  /**
   * Require a valid ed25519 signature (signature.json) by this key: a KeyObject, or the path of a PEM
   * file. Default: the file named by env MLCYCLE_BUNDLE_PUBLIC_KEY; with neither, signatures are not
   * checked and unsigned bundles load.
   */
  publicKey?: string | KeyObject;
  /**
   * The sha256 (hex) manifest.json must have, e.g. the digest a model registry recorded when the
   * bundle was registered (exporters/bundle outputs it as `manifestSha256`).
   */
  expectedManifestSha256?: string;
  /** Where MLCYCLE_BUNDLE_PUBLIC_KEY is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads a bundle folder and verifies it before anything uses it. What is guaranteed:
 * - every file is a plain file inside the folder (no symbolic or hard links, devices or paths
 *   leaving it), and no error ever quotes a file's content;
 * - manifest.json is well formed and its digest matches, and every file it lists has the recorded
 *   sha256: this catches corruption and partial copies, but the checksum is unkeyed, so anyone who
 *   can edit the files can re-seal it: it is NOT proof of who made the bundle;
 * - with a public key configured (`publicKey`, or env MLCYCLE_BUNDLE_PUBLIC_KEY), signature.json
 *   must be a valid ed25519 signature of manifest.json by that key: that IS proof, for the whole
 *   bundle, since the manifest hashes every file;
 * - with `expectedManifestSha256`, manifest.json must be exactly the one recorded.
 * Any failure is an IntegrityError naming the file and the problem.
 * @example
 * const bundle = await loadBundle('bundles/penguins', { publicKey: 'keys/bundles.pub.pem' });
 * bundle.manifest.metrics.accuracy
 */
export async function loadBundle(dir: string, options: LoadBundleOptions = {}): Promise<Bundle> {
  const abs = path.resolve(dir);
  const refuse: Refuse = (why, cause) => {
    throw new IntegrityError(`bundle '${abs}' refused: ${why}. Re-export it with exporters/bundle.`, { cause });
  };
  // Read the key first: a misconfigured key is the user's setup error, whatever the bundle holds.
  const publicKey = configuredKey(options);
  const root = await openBundleRoot(abs, refuse);
  const manifestBytes = (await readBundleFile(root, 'manifest.json', refuse))!;
  if (options.expectedManifestSha256 !== undefined && sha256(manifestBytes) !== options.expectedManifestSha256) {
    refuse(`manifest.json is not the one recorded (sha256 ${sha256(manifestBytes).slice(0, 12)}…, expected ${options.expectedManifestSha256.slice(0, 12)}…)`);
  }
  if (publicKey) {
    const problem = signatureProblem(manifestBytes, await readBundleFile(root, SIGNATURE_FILE, refuse, true), publicKey);
    if (problem) refuse(problem);
  }
  const manifest = parseManifest(manifestBytes, abs);
  // Keyed by names from the manifest: no prototype for a '__proto__' entry to reach.
  const files = Object.create(null) as Record<string, Uint8Array>;
  for (const [name, expected] of Object.entries(manifest.files)) {
    const bytes = (await readBundleFile(root, name, refuse))!;
    const actual = sha256(bytes);
    if (actual !== expected) refuse(`${name} does not match the manifest (sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…)`);
    files[name] = bytes;
  }
  if (!files['preprocessing.json']) refuse('manifest.json does not list preprocessing.json');
  const transform = readTransform(files['preprocessing.json']!, refuse);
  const model = asIntegrity(() => readModelFiles(files), refuse);
  const referenceProfile = files[REFERENCE_PROFILE_FILE] ? readProfile(files[REFERENCE_PROFILE_FILE]!, refuse) : null;
  return { dir: abs, manifest, model, transform, verifiedBy: publicKey ? keyFingerprint(publicKey) : null, referenceProfile };
}

function configuredKey(options: LoadBundleOptions): KeyObject | undefined {
  if (options.publicKey !== undefined && typeof options.publicKey !== 'string') return options.publicKey;
  const file = keyPath(options.publicKey, (options.env ?? process.env)[PUBLIC_KEY_ENV]);
  return file === null ? undefined : readPublicKey(file);
}

function readTransform(bytes: Uint8Array, refuse: Refuse): TransformSpec {
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return refuse(`preprocessing.json ${parsed.why}`);
  const spec = parsed.value;
  asIntegrity(() => checkTransform(spec), refuse, 'preprocessing.json: ');
  return spec as TransformSpec;
}

function readProfile(bytes: Uint8Array, refuse: Refuse): BundleProfile {
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return refuse(`${REFERENCE_PROFILE_FILE} ${parsed.why}`);
  return asIntegrity(() => parseBundleProfile(parsed.value), refuse);
}

/** Runs a reader of bundle content; its own errors (which name positions, never content) become refusals. */
function asIntegrity<T>(read: () => T, refuse: Refuse, prefix = ''): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof MlcycleError) return refuse(`${prefix}${err.message.replace(/^(bundle|applyTransform): /, '')}`, err);
    throw err;
  }
}
