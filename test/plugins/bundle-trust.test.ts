/**
 * What a bundle promises (issue 7, class 6): plain files only and no echo of file content; the
 * sha256 manifest catches corruption but not a re-sealed edit; an ed25519 signature does; and
 * names from bundle JSON are looked up as own properties only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { link, mkdtemp, readFile, rm, symlink, writeFile, cp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { table as columnTable } from 'arquero';
import { Command } from 'commander';
import { canonicalJson, DataError, IntegrityError } from '../../core/index.ts';
import { registerKeygen } from '../../cli/commands/keygen.ts';
import { generateSigningKeys, loadBundle, readSigningKey } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { applyTransform, checkTransform } from '../../plugins/transformers/steps.ts';
import { fitAutoPreprocess } from '../../plugins/transformers/_auto.ts';
import type { DataTable } from '../../plugins/data-table.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

const SECRET = 'TOP-SECRET-7f3a9c-do-not-print';
let root: string;
let tree: Trained;
let pristine: string;
const keys = { a: { priv: '', pub: '', fp: '' }, b: { priv: '', pub: '', fp: '' } };

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function exportTo(dir: string, params: Record<string, unknown> = {}) {
  const { model, transform, problem, schema, reference } = tree;
  const ctx = makeContext({ run: { id: 'run-1', dag: 'penguins', params: {} } });
  return (await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: dir, name: 'penguins', ...params }, ctx)).bundle;
}

/** A fresh copy of the unsigned bundle. */
async function copy(tag: string): Promise<string> {
  const dir = path.join(root, tag);
  await cp(pristine, dir, { recursive: true });
  return dir;
}

/**
 * What an attacker with write access does: change files, then recompute every sha256 and the
 * manifest digest from the bytes now in the folder (the checksum is unkeyed, so this always works).
 */
async function reseal(dir: string): Promise<void> {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  for (const name of Object.keys(manifest.files)) manifest.files[name] = sha(await readFile(path.join(dir, name)));
  const { digest: _old, ...body } = manifest;
  await writeFile(file, JSON.stringify({ ...body, digest: sha(canonicalJson(body)) }, null, 2));
}

const refusal = (dir: string, options?: Parameters<typeof loadBundle>[1]) => loadBundle(dir, options).then(() => undefined, (e: Error) => e);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-trust-'));
  tree = await trainPenguins('tree');
  pristine = path.join(root, 'pristine');
  await exportTo(pristine);
  for (const k of ['a', 'b'] as const) {
    const made = generateSigningKeys();
    keys[k] = { priv: path.join(root, `${k}.pem`), pub: path.join(root, `${k}.pub.pem`), fp: made.fingerprint };
    await writeFile(keys[k].priv, made.privatePem, { mode: 0o600 });
    await writeFile(keys[k].pub, made.publicPem);
  }
  await writeFile(path.join(root, 'secret.txt'), `${SECRET}\nroot:x:0:0:root:/root:/bin/bash\n`);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a bundle is a folder of plain files; errors never echo file content', () => {
  it('refuses a bundle file that is a symbolic link, even with the manifest re-sealed to its target', async () => {
    const dir = await copy('symlink');
    await rm(path.join(dir, 'preprocessing.json'));
    await symlink(path.join(root, 'secret.txt'), path.join(dir, 'preprocessing.json'));
    await reseal(dir); // the manifest now records the secret file's sha256: only the link check stands
    const err = await refusal(dir);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err!.message).toMatch(/preprocessing\.json is a symbolic link; a bundle holds plain files only/);
    expect(err!.message).not.toContain(SECRET);
    expect(err!.message).not.toContain('root:x');
  });

  it('refuses manifest.json as a link, a hard link, a FIFO and names that leave the folder', async () => {
    const linked = await copy('manifest-link');
    await rm(path.join(linked, 'manifest.json'));
    await symlink(path.join(pristine, 'manifest.json'), path.join(linked, 'manifest.json'));
    await expect(loadBundle(linked)).rejects.toThrow(/manifest\.json is a symbolic link/);

    const hard = await copy('hard-link');
    await rm(path.join(hard, 'model.json'));
    const elsewhere = path.join(root, 'elsewhere-model.json');
    await cp(path.join(pristine, 'model.json'), elsewhere);
    await link(elsewhere, path.join(hard, 'model.json'));
    await expect(loadBundle(hard)).rejects.toThrow(/model\.json is a hard link \(2 names share its bytes\)/);

    const fifo = await copy('fifo');
    await rm(path.join(fifo, 'arrays.bin'));
    execFileSync('mkfifo', [path.join(fifo, 'arrays.bin')]);
    await expect(loadBundle(fifo)).rejects.toThrow(/arrays\.bin is not a regular file/);

    for (const name of ['../secret.txt', '/etc/passwd', '.hidden', 'sub/model.json', '__proto__', 'x'.repeat(101)]) {
      const dir = await copy(`name-${sha(name).slice(0, 6)}`);
      const file = path.join(dir, 'manifest.json');
      // Edited as text and re-sealed: a JS object cannot hold an own '__proto__' key the way parsed JSON can.
      const text = (await readFile(file, 'utf8')).replace('"files": {', `"files": {${JSON.stringify(name)}: "${sha('x')}", `);
      const { digest, ...body } = JSON.parse(text);
      await writeFile(file, text.replace(`"digest": "${digest}"`, `"digest": "${sha(canonicalJson(body))}"`));
      const err = await refusal(dir);
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err!.message).toContain(`manifest.json lists ${JSON.stringify(name).slice(0, 60)}`);
      expect(err!.message).toMatch(/which is not a plain file name inside the bundle/);
    }
  });

  it('a bundle folder reached through a link loads (the real folder counts)', async () => {
    const via = path.join(root, 'current');
    await symlink(pristine, via);
    const loaded = await loadBundle(via);
    expect(loaded.manifest.name).toBe('penguins');
    expect(loaded.verifiedBy).toBeNull();
  });

  it('a JSON file with a syntax error is named with line and column, never quoted', async () => {
    for (const file of ['preprocessing.json', 'model.json', 'manifest.json']) {
      const dir = await copy(`bad-${file}`);
      await writeFile(path.join(dir, file), `{\n  "steps": [${SECRET}]\n}`);
      if (file !== 'manifest.json') await reseal(dir);
      const err = await refusal(dir);
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err!.message).toContain(`${file} is not valid JSON (syntax error at line 2, column 13)`);
      expect(err!.message).not.toContain(SECRET);
      expect(err!.message).not.toContain('TOP-SECRET');
    }
    const dir = await copy('bad-utf8');
    await writeFile(path.join(dir, 'preprocessing.json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await reseal(dir);
    await expect(loadBundle(dir)).rejects.toThrow(/preprocessing\.json is not valid UTF-8 text/);
  });

  it('expectedManifestSha256: the hook a registry uses to insist on the manifest it recorded', async () => {
    const recorded = sha(await readFile(path.join(pristine, 'manifest.json')));
    expect((await loadBundle(pristine, { expectedManifestSha256: recorded })).manifest.name).toBe('penguins');
    // One more newline: the manifest still parses and its digest still matches, but it is not the recorded file.
    const dir = await copy('not-recorded');
    await writeFile(path.join(dir, 'manifest.json'), `${await readFile(path.join(dir, 'manifest.json'), 'utf8')}\n`);
    expect((await loadBundle(dir)).manifest.name).toBe('penguins');
    const err = await refusal(dir, { expectedManifestSha256: recorded });
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err!.message).toMatch(new RegExp(`manifest\\.json is not the one recorded \\(sha256 [0-9a-f]{12}…, expected ${recorded.slice(0, 12)}…\\)`));
  });
});

describe('signed bundles (ed25519)', () => {
  let signed: string;
  let edited: string;

  beforeAll(async () => {
    signed = path.join(root, 'signed');
    const out = await exportTo(signed, { signingKey: keys.a.priv });
    expect(out.files).toEqual(['arrays.bin', 'manifest.json', 'model.json', 'preprocessing.json', 'reference-profile.json', 'signature.json']);
    expect(out.signedBy).toBe(keys.a.fp);
    // An edit that changes predictions: the first standardize mean moves; then the manifest is re-sealed.
    edited = path.join(root, 'signed-edited');
    await cp(signed, edited, { recursive: true });
    const prep = path.join(edited, 'preprocessing.json');
    const spec = JSON.parse(await readFile(prep, 'utf8'));
    const scale = spec.steps.find((s: { type: string }) => s.type === 'standardize');
    scale.columns[0].mean += 50;
    await writeFile(prep, JSON.stringify(spec, null, 2));
    await reseal(edited);
  });

  it('loads with the signer\'s public key, and names the key that verified it', async () => {
    const loaded = await loadBundle(signed, { publicKey: keys.a.pub });
    expect(loaded.verifiedBy).toBe(keys.a.fp);
    const sig = JSON.parse(await readFile(path.join(signed, 'signature.json'), 'utf8'));
    expect(sig).toMatchObject({ format: 'mlcycle-bundle-signature', algorithm: 'ed25519', signedFile: 'manifest.json', keyFingerprint: keys.a.fp });
    expect(sig.manifestSha256).toBe(sha(await readFile(path.join(signed, 'manifest.json'))));
    expect(Buffer.from(sig.signature, 'base64')).toHaveLength(64);
  });

  it('an edited, re-sealed bundle passes the checksum but not the signature', async () => {
    // Without a key only the checksum is checked, and a re-sealed edit passes it: it is not authenticity.
    const unchecked = await loadBundle(edited);
    expect((unchecked.transform.steps.find((s) => s.type === 'standardize') as any).columns[0].mean)
      .toBe((tree.transform.steps.find((s) => s.type === 'standardize') as any).columns[0].mean + 50);
    const err = await refusal(edited, { publicKey: keys.a.pub });
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err!.message).toMatch(/signature\.json does not match manifest\.json: the manifest \(or the signature\) was changed after signing/);
  });

  it('refuses a bundle signed by another key, and an unsigned bundle, when a key is configured', async () => {
    const wrong = await refusal(signed, { publicKey: keys.b.pub });
    expect(wrong!.message).toContain(`it was signed by key ${keys.a.fp.slice(0, 23)}…, not by the configured public key ${keys.b.fp.slice(0, 23)}…`);
    const unsigned = await refusal(pristine, { publicKey: keys.a.pub });
    expect(unsigned).toBeInstanceOf(IntegrityError);
    expect(unsigned!.message).toMatch(/it is not signed \(no signature\.json\), and only bundles signed by the configured public key sha256:[0-9a-f]{64} load/);
    // The env var configures it the same way, for `mlcycle predict` and any embedding.
    const viaEnv = await refusal(pristine, { env: { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.a.pub } });
    expect(viaEnv!.message).toMatch(/it is not signed/);
    expect((await loadBundle(signed, { env: { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.a.pub } })).verifiedBy).toBe(keys.a.fp);
  });

  it('refuses a signature file that is garbage or a signature moved onto another manifest', async () => {
    const dir = path.join(root, 'sig-garbage');
    await cp(signed, dir, { recursive: true });
    await writeFile(path.join(dir, 'signature.json'), `not json ${SECRET}`);
    const garbage = await refusal(dir, { publicKey: keys.a.pub });
    expect(garbage!.message).toMatch(/signature\.json is not valid JSON \(syntax error at line 1, column 2\)/);
    expect(garbage!.message).not.toContain(SECRET);
    // A valid signature of the original manifest, copied onto the edited bundle.
    await cp(path.join(signed, 'signature.json'), path.join(edited, 'signature.json'));
    await expect(loadBundle(edited, { publicKey: keys.a.pub })).rejects.toThrow(/does not match manifest\.json/);
  });

  it('a misconfigured key is a DataError naming the file, never its content', async () => {
    await expect(loadBundle(signed, { publicKey: path.join(root, 'nope.pem') })).rejects.toThrow(/bundle public key '.*nope\.pem' cannot be read \(no such file\)/);
    await expect(loadBundle(signed, { publicKey: path.join(root, 'secret.txt') })).rejects.toThrow(DataError);
    const err = await loadBundle(signed, { publicKey: path.join(root, 'secret.txt') }).then(() => undefined, (e: Error) => e);
    expect(err!.message).not.toContain(SECRET);
    const rsa = path.join(root, 'rsa.pem');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => readSigningKey(rsa)).toThrow(/is a rsa key; bundles are signed with ed25519 keys/);
    await expect(exportTo(path.join(root, 'x'), { signingKey: '/dev/zero' })).rejects.toThrow(/is not a PEM key file \(not a regular file\)/);
  });

  it('the key path, never the key, is in params and the output; the env key applies when the param is null; the param wins', async () => {
    const pem = await readFile(keys.a.priv, 'utf8');
    const secretPart = pem.split('\n')[1]!;
    const manifest = await readFile(path.join(signed, 'manifest.json'), 'utf8');
    const out = await exportTo(path.join(root, 'signed-2'), { signingKey: keys.a.priv });
    expect(manifest).not.toContain(secretPart);
    expect(JSON.stringify(out)).not.toContain(secretPart);
    // A PEM pasted as the param (instead of its path) is refused by the schema, before it reaches a cache key.
    expect(bundle.validateParams({ signingKey: pem }).errors.join(' ')).toMatch(/signingKey/);

    const before = process.env.MLCYCLE_BUNDLE_SIGNING_KEY;
    process.env.MLCYCLE_BUNDLE_SIGNING_KEY = keys.b.priv;
    try {
      const viaEnv = await exportTo(path.join(root, 'env-signed'));
      expect(viaEnv.signedBy).toBe(keys.b.fp);
      expect((await loadBundle(viaEnv.path, { publicKey: keys.b.pub })).verifiedBy).toBe(keys.b.fp);
      const viaParam = await exportTo(path.join(root, 'param-signed'), { signingKey: keys.a.priv });
      expect(viaParam.signedBy).toBe(keys.a.fp);
      // verifyOutputs: a cached export signed by A no longer counts once the configured key is B.
      const { value } = bundle.validateParams({ out: viaEnv.path });
      expect(bundle.verifyOutputs!({ bundle: viaEnv }, value)).toBe(true);
      process.env.MLCYCLE_BUNDLE_SIGNING_KEY = keys.a.priv;
      expect(bundle.verifyOutputs!({ bundle: viaEnv }, value)).toMatch(/signed by sha256:.*; the signing key is now sha256:/);
      delete process.env.MLCYCLE_BUNDLE_SIGNING_KEY;
      expect(bundle.verifyOutputs!({ bundle: viaEnv }, value)).toMatch(/the signing key is now none/);
    } finally {
      if (before === undefined) delete process.env.MLCYCLE_BUNDLE_SIGNING_KEY;
      else process.env.MLCYCLE_BUNDLE_SIGNING_KEY = before;
    }
  });

  it('mlcycle keygen writes a 0600 private key and its public key, and never overwrites', async () => {
    const run = async (...args: string[]) => {
      const streams = { stdout: new PassThrough(), stderr: new PassThrough() };
      let stdout = '';
      streams.stdout.on('data', (d) => (stdout += d));
      const program = new Command('mlcycle').exitOverride();
      registerKeygen(program, { cwd: root, ...streams });
      await program.parseAsync(['keygen', ...args], { from: 'user' });
      return stdout;
    };
    const made = JSON.parse(await run('made', '--json'));
    expect(made.privateKey).toBe(path.join(root, 'made.pem'));
    expect((await stat(made.privateKey)).mode & 0o777).toBe(0o600);
    const out = await exportTo(path.join(root, 'keygen-signed'), { signingKey: made.privateKey });
    expect(out.signedBy).toBe(made.fingerprint);
    expect((await loadBundle(out.path, { publicKey: made.publicKey })).verifiedBy).toBe(made.fingerprint);
    const before = await readFile(made.privateKey, 'utf8');
    await expect(run('made')).rejects.toThrow(/made\.pem': it already exists, and this command never overwrites files/);
    expect(await readFile(made.privateKey, 'utf8')).toBe(before);
    expect((await readdir(root)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('names from bundle JSON are own properties only', () => {
  const table = () => columnTable({ x: [1, 2, 3] }) as unknown as DataTable;

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('step type %s is an unknown step, by number', (type) => {
    const spec = JSON.parse(`{"steps":[{"type":"drop","columns":[]},{"type":${JSON.stringify(type)},"columns":[]}]}`);
    expect(() => applyTransform(table(), spec)).toThrow(DataError);
    expect(() => applyTransform(table(), spec)).toThrow(`applyTransform: step 2 has an unknown step type '${type}'; known types are impute, clip, standardize, minmax, onehot, ordinal, drop.`);
  });

  it('a malformed Transform fails before any step runs, naming the step', () => {
    expect(() => checkTransform({})).toThrow(/the Transform has no steps array/);
    expect(() => checkTransform({ steps: [{ columns: [] }] })).toThrow(/step 1 has no type/);
    expect(() => checkTransform({ steps: [{ type: 'minmax' }] })).toThrow(/step 1 \(minmax\) has no columns array/);
    expect(() => checkTransform(JSON.parse('{"__proto__": {"steps": []}}'))).toThrow(/no steps array/);
  });

  it('a bundle whose preprocessing.json names a prototype member is refused at load, by step number', async () => {
    const dir = await copy('proto-step');
    const prep = path.join(dir, 'preprocessing.json');
    const spec = JSON.parse(await readFile(prep, 'utf8'));
    spec.steps[1].type = 'constructor';
    await writeFile(prep, JSON.stringify(spec));
    await reseal(dir);
    const err = await refusal(dir);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err!.message).toMatch(/refused: preprocessing\.json: step 2 has an unknown step type 'constructor'/);
  });

  it('auto-preprocess treats columns named like prototype members as columns', () => {
    const n = 12;
    const rows = columnTable({
      constructor: Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b')),
      toString: Array.from({ length: n }, (_, i) => i),
      y: Array.from({ length: n }, (_, i) => (i % 3 ? 'p' : 'q')),
    }) as unknown as DataTable;
    const { spec, reasons } = fitAutoPreprocess(rows, { target: 'y', impute: 'median', scale: 'standard', encode: 'onehot', drop: [] });
    expect(Object.keys(reasons)).toEqual([]);
    expect(spec.steps.map((s) => s.type)).toEqual(['impute', 'onehot', 'standardize']);
    expect((spec.steps[1] as any).columns[0].outputs).toEqual(['constructor=a', 'constructor=b']);
    expect((spec.steps[2] as any).columns.map((c: { column: string }) => c.column)).toEqual(['toString']);
    expect(applyTransform(rows, spec).columnNames()).toEqual(['constructor=a', 'constructor=b', 'toString', 'y']);
  });
});
