import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineTask, Json, Metrics, DataError, Table, Type } from '../../core/index.ts';
import { DataSchema, Model, Problem, Transform } from '../kinds.ts';
import { bundleFiles } from './_bundle-files.ts';
import { sha256 } from './_digest.ts';
import { referenceProfile } from './_reference-profile.ts';
import { keyFingerprint, keyPath, readSigningKey, SIGNING_KEY_ENV } from './_keys.ts';
import { SIGNATURE_FILE, signManifest } from './_signature.ts';
import { writeFolderAtomically } from './_write-folder.ts';

/**
 * Exports a trained model as a self-describing folder that `mlcycle predict` (and loadBundle) can
 * serve without the DAG: manifest.json (problem, input feature schema, metrics, lineage, sha256 of
 * every file), preprocessing.json (the fitted Transform), the model files (tfjs: model.json +
 * weights.bin, loadable by TensorFlow.js itself; classical: model.json) and reference-profile.json,
 * what `mlcycle monitor` compares new data to: the `reference` rows' feature distributions (wire the
 * training rows BEFORE preprocessing, e.g. the split's train), the model's predictions on them and
 * the target's distribution. The folder is written
 * atomically. Cached like any task, but a hit counts only while the folder still holds the very
 * manifest this node wrote (verifyOutputs); a deleted or replaced bundle is written again.
 * The manifest's sha256 sums catch corruption and partial copies, not deliberate edits (anyone can
 * re-seal them). For authenticity, give an ed25519 key (params.signingKey or env
 * MLCYCLE_BUNDLE_SIGNING_KEY; `mlcycle keygen` makes one): signature.json then signs manifest.json,
 * and loaders configured with the public key (MLCYCLE_BUNDLE_PUBLIC_KEY) refuse anything else.
 * @example
 * const { bundle } = b.add('export', bundle, { model: fit.model, transform: prep.transform, problem: p.problem,
 *   schema: s.schema, metrics: ev.metrics, reference: split.train }, { out: 'bundles/penguins', name: 'penguins' });
 */
export const bundle = defineTask({
  name: 'exporters/bundle',
  // 2: the bundle holds reference-profile.json, built from the new `reference` input.
  version: 2,
  params: Type.Object({
    out: Type.String({ default: 'bundles/model', minLength: 1, description: 'Folder to write, resolved against the working directory; an existing bundle there is replaced' }),
    name: Type.String({ default: 'model', minLength: 1, description: 'Name recorded in the manifest' }),
    signingKey: Type.Union([Type.String({ minLength: 1, pattern: '^[^\\r\\n]+$' }), Type.Null()], {
      default: null,
      description: `Path of an ed25519 private key (PEM) to sign the bundle with (signature.json); null = env ${SIGNING_KEY_ENV}, else unsigned. The path, never the key, goes into the cache key`,
    }),
  }),
  inputs: { model: Model, transform: Transform, problem: Problem, schema: DataSchema, metrics: Metrics, reference: Table },
  outputs: { bundle: Json },
  verifyOutputs({ bundle: made }, { signingKey }) {
    const manifest = path.join(made.path, 'manifest.json');
    if (!existsSync(manifest)) return `${manifest} is missing`;
    if (sha256(readFileSync(manifest)) !== made.manifestSha256) return `${manifest} was changed or replaced`;
    // The env var is not in the cache key: a bundle signed (or not) under another key is made again.
    const key = signingKeyFile(signingKey);
    const wanted = key === null ? null : keyFingerprint(readSigningKey(key));
    return (made.signedBy ?? null) === wanted || `the bundle was ${made.signedBy ? `signed by ${made.signedBy}` : 'unsigned'}; the signing key is now ${wanted ?? 'none'}`;
  },
  async run({ model, transform, problem, schema, metrics, reference }, { out, name, signingKey }, ctx) {
    if (model.target !== problem.target) {
      throw new DataError(`exporters/bundle: the model predicts '${model.target}' but the problem's target is '${problem.target}'`);
    }
    const dir = path.resolve(out);
    const features = schema.columns.filter((c) => c.name !== problem.target);
    const profile = await referenceProfile({ reference, features, model, transform, problem, signal: ctx.signal });
    for (const s of profile.skipped) ctx.log.info(`exporters/bundle: feature '${s.name}' is not in the reference profile: ${s.reason}`);
    const { files } = bundleFiles({ name, model, transform, problem, schema, metrics, profile, run: ctx.run });
    const key = signingKeyFile(signingKey);
    const signer = key === null ? null : readSigningKey(key);
    if (signer) files[SIGNATURE_FILE] = signManifest(files['manifest.json']!, signer);
    await writeFolderAtomically(dir, files);
    ctx.log.info(`exporters/bundle: wrote ${Object.keys(files).length} files to ${dir}`);
    const signedBy = signer ? { signedBy: keyFingerprint(signer) } : {};
    return { bundle: { path: dir, name, files: Object.keys(files).sort(), manifestSha256: sha256(files['manifest.json']!), ...signedBy } };
  },
});

/** The signing key file: params.signingKey when set (it is what the DAG says), else the env var, else none. */
function signingKeyFile(param: string | null): string | null {
  return keyPath(param, process.env[SIGNING_KEY_ENV]);
}
