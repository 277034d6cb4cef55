import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../core/index.ts';
import { sha256 } from './_digest.ts';

/** Env var naming the PEM file of the ed25519 private key exporters/bundle signs with (when params.signingKey is null). */
export const SIGNING_KEY_ENV = 'MLCYCLE_BUNDLE_SIGNING_KEY';
/** Env var naming the PEM file of the ed25519 public key loadBundle requires a signature by (when options.publicKey is not given). */
export const PUBLIC_KEY_ENV = 'MLCYCLE_BUNDLE_PUBLIC_KEY';

/** A PEM key is a few hundred bytes; a bound keeps a wrong path (a log, /dev/zero) from being read whole. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * The key file to use: the explicit setting when given, else the env var, else none. An explicit
 * setting wins because it is the one the DAG or the caller wrote down; the env var is the
 * deployment-wide default. Relative paths resolve against `cwd`.
 * @example
 * keyPath(params.signingKey, process.env[SIGNING_KEY_ENV]) // '/home/me/keys/bundles.pem' or null
 */
export function keyPath(explicit: string | null | undefined, fromEnv: string | undefined, cwd = process.cwd()): string | null {
  const chosen = explicit ?? (fromEnv?.trim() ? fromEnv.trim() : null);
  return chosen === null ? null : path.resolve(cwd, chosen);
}

/**
 * Reads an ed25519 private key from a PEM file. Errors name the file and never quote it.
 * @example
 * const key = readSigningKey('/home/me/keys/bundles.pem');
 */
export function readSigningKey(file: string): KeyObject {
  const pem = readKeyFile(file, 'signing key');
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new DataError(`bundle signing key '${file}' is not a PEM private key. Make a key pair with \`mlcycle keygen <name>\` (or openssl genpkey -algorithm ed25519).`, { cause: err });
  }
  return requireEd25519(key, file, 'signing key');
}

/**
 * Reads an ed25519 public key from a PEM file (a private key PEM also works: its public half is used).
 * @example
 * const key = readPublicKey('/etc/mlcycle/bundles.pub.pem');
 */
export function readPublicKey(file: string): KeyObject {
  const pem = readKeyFile(file, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new DataError(`bundle public key '${file}' is not a PEM public key. Use the .pub.pem file \`mlcycle keygen\` wrote.`, { cause: err });
  }
  return requireEd25519(key, file, 'public key');
}

/**
 * 'sha256:' + the hex sha256 of the public key's SPKI DER bytes: names a key without revealing
 * anything secret (for a private key, its public half is fingerprinted).
 * @example
 * keyFingerprint(readPublicKey('bundles.pub.pem')) // 'sha256:3f9a…'
 */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return `sha256:${sha256(pub.export({ type: 'spki', format: 'der' }))}`;
}

/**
 * A new ed25519 key pair as PEM text, with the public key's fingerprint.
 * @example
 * const { privatePem, publicPem, fingerprint } = generateSigningKeys();
 */
export function generateSigningKeys(): { privatePem: string; publicPem: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

function requireEd25519(key: KeyObject, file: string, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new DataError(`bundle ${what} '${file}' is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; bundles are signed with ed25519 keys (\`mlcycle keygen <name>\` makes one).`);
  }
  return key;
}

/** The file's text, refusing what is not a small regular file; sync because verifyOutputs is sync. */
function readKeyFile(file: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(`bundle ${what} '${file}' cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? 'error'}). Check the path (params.signingKey, ${SIGNING_KEY_ENV} or ${PUBLIC_KEY_ENV}).`, { cause: err });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_KEY_BYTES) {
      throw new DataError(`bundle ${what} '${file}' is not a PEM key file (${info.isFile() ? `${info.size} bytes` : 'not a regular file'})`);
    }
    const bytes = Buffer.alloc(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
