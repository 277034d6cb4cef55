import { sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from './_digest.ts';
import { keyFingerprint } from './_keys.ts';
import { parseJsonBytes } from './_safe-json.ts';

/** The file beside manifest.json that carries the signature. Not listed in the manifest: it signs it. */
export const SIGNATURE_FILE = 'signature.json';
const SIGNATURE_FORMAT = 'mlcycle-bundle-signature';

/**
 * signature.json. The signature covers the exact bytes of manifest.json, and the manifest records the
 * sha256 of every other file, so one signature vouches for the whole bundle. `keyFingerprint` only
 * says which key signed (for the error message); verification always uses the key the loader was
 * given, never anything the bundle says about itself.
 */
export interface BundleSignature {
  format: typeof SIGNATURE_FORMAT;
  formatVersion: 1;
  algorithm: 'ed25519';
  signedFile: 'manifest.json';
  manifestSha256: string;
  keyFingerprint: string;
  /** Base64 of the 64-byte ed25519 signature. */
  signature: string;
}

/**
 * signature.json bytes for `manifest` signed with an ed25519 private key.
 * @example
 * files['signature.json'] = signManifest(files['manifest.json'], readSigningKey(keyFile));
 */
export function signManifest(manifest: Uint8Array, privateKey: KeyObject): Uint8Array {
  const body: BundleSignature = {
    format: SIGNATURE_FORMAT,
    formatVersion: 1,
    algorithm: 'ed25519',
    signedFile: 'manifest.json',
    manifestSha256: sha256(manifest),
    keyFingerprint: keyFingerprint(privateKey),
    signature: sign(null, manifest, privateKey).toString('base64'),
  };
  return new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Why `signature` does not prove that `publicKey`'s holder signed `manifest`, or undefined when it
 * does. Never echoes the signature file's content beyond the signer's fingerprint.
 * @example
 * const problem = signatureProblem(manifestBytes, signatureBytes, readPublicKey(pubFile));
 * if (problem) refuse(problem);
 */
export function signatureProblem(manifest: Uint8Array, signature: Uint8Array | undefined, publicKey: KeyObject): string | undefined {
  const expected = keyFingerprint(publicKey);
  if (!signature) return `it is not signed (no ${SIGNATURE_FILE}), and only bundles signed by the configured public key ${expected} load`;
  const parsed = parseJsonBytes(signature);
  if (!parsed.ok) return `${SIGNATURE_FILE} ${parsed.why}`;
  const s = parsed.value;
  if (!isSignature(s)) return `${SIGNATURE_FILE} is not an mlcycle ed25519 bundle signature`;
  const bytes = Buffer.from(s.signature, 'base64');
  if (bytes.length === 64 && verify(null, manifest, publicKey, bytes)) return undefined;
  if (s.keyFingerprint !== expected) {
    const signer = /^sha256:[0-9a-f]{64}$/.test(s.keyFingerprint) ? `key ${short(s.keyFingerprint)}` : 'another key';
    return `it was signed by ${signer}, not by the configured public key ${short(expected)}`;
  }
  return `${SIGNATURE_FILE} does not match manifest.json: the manifest (or the signature) was changed after signing`;
}

/** Own properties only: a signature file is untrusted input. */
function isSignature(v: unknown): v is BundleSignature {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const own = (k: string): unknown => (Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined);
  return own('format') === SIGNATURE_FORMAT && own('formatVersion') === 1 && own('algorithm') === 'ed25519'
    && typeof own('signature') === 'string' && typeof own('keyFingerprint') === 'string';
}

/** A fingerprint cut to a readable length (16 hex digits tell keys apart). */
function short(fingerprint: string): string {
  return fingerprint.length > 23 ? `${fingerprint.slice(0, 23)}…` : fingerprint;
}
