/**
 * Reading and serving exported bundles: `loadBundle` verifies a folder written by exporters/bundle,
 * `predictBundle` runs it on new rows. Used by `mlcycle predict` and by anyone embedding a bundle.
 * The key helpers make and read the ed25519 keys bundles are signed with (`mlcycle keygen`).
 * @example
 * const bundle = await loadBundle('bundles/penguins', { publicKey: 'keys/bundles.pub.pem' });
 * const predictions = await predictBundle(bundle, fromCSV(text));
 */
export { loadBundle, type Bundle, type LoadBundleOptions } from './_bundle-load.ts';
export { predictBundle, predictRows, INVALID_REASON_COLUMN, type PredictRowsResult } from './_bundle-predict.ts';
export { predictRowsFast } from './_fast-predict.ts';
export type { InputRows } from './input-check.ts';
export { generateSigningKeys, keyFingerprint, PUBLIC_KEY_ENV, readPublicKey, readSigningKey, SIGNING_KEY_ENV } from './_keys.ts';
export { SIGNATURE_FILE, type BundleSignature } from './_signature.ts';
export { writeFolderAtomically as writeBundleFolder } from './_write-folder.ts';
export type { BundleManifest, BundleLineage } from './_manifest.ts';
export { checkInputRows, describeInvalid, DEFAULT_RANGE_TOLERANCE, type OnInvalid, type InvalidRow } from './input-check.ts';
export { readInputContract } from './_input-contract.ts';
export type { FeatureContract, InputContract } from './_manifest.ts';
