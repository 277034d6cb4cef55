/**
 * Issue 7, class 6, as a user meets it: `mlcycle run` signs the bundle with the key in
 * MLCYCLE_BUNDLE_SIGNING_KEY, `mlcycle predict` verifies it against MLCYCLE_BUNDLE_PUBLIC_KEY, and a
 * linked or re-sealed bundle is refused with exit code 2 and without echoing any file's content.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/index.ts';
import { generateSigningKeys } from '../../plugins/exporters/bundle-io.ts';
import { newHome, repoRoot, runCli, tempDir } from './cli-harness.ts';

const SECRET = 'TOP-SECRET-51c0de-never-printed';
let dir: string;
let signed: string;
let input: string;
const keys = { priv: '', pub: '', otherPub: '', fp: '' };

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A copy of the signed bundle to damage. */
function copy(tag: string): string {
  const to = join(dir, tag);
  cpSync(signed, to, { recursive: true });
  return to;
}

/** Recomputes every sha256 and the manifest digest, as anyone who can edit the files can. */
function reseal(bundle: string): void {
  const file = join(bundle, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of Object.keys(manifest.files)) manifest.files[name] = sha(readFileSync(join(bundle, name)));
  const { digest: _old, ...body } = manifest;
  writeFileSync(file, JSON.stringify({ ...body, digest: sha(canonicalJson(body)) }, null, 2));
}

const predict = (bundle: string, env: Record<string, string | undefined> = {}) =>
  runCli(['predict', bundle, input], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined, ...env } });

beforeAll(async () => {
  dir = tempDir('mlcycle-trust-cli-');
  const a = generateSigningKeys();
  const b = generateSigningKeys();
  Object.assign(keys, { priv: join(dir, 'a.pem'), pub: join(dir, 'a.pub.pem'), otherPub: join(dir, 'b.pub.pem'), fp: a.fingerprint });
  writeFileSync(keys.priv, a.privatePem, { mode: 0o600 });
  writeFileSync(keys.pub, a.publicPem);
  writeFileSync(keys.otherPub, b.publicPem);
  writeFileSync(join(dir, 'secret.txt'), `${SECRET}\nroot:x:0:0:root:/root:/bin/bash\n`);
  // Five complete penguins (no missing value, no unseen category), without the target.
  const penguins = JSON.parse(readFileSync(join(repoRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Array<Record<string, unknown>>;
  const rows = penguins.filter((r) => Object.values(r).every((v) => v !== null && v !== '.')).slice(0, 5).map(({ Species: _s, ...rest }) => rest);
  input = join(dir, 'new.json');
  writeFileSync(input, JSON.stringify(rows));

  signed = join(dir, 'signed');
  const run = await runCli(['--home', newHome(), 'run', 'dags/penguins.ts', '--param', `out=${signed}`, '--param', 'maxIter=30', '--json'], {
    env: { MLCYCLE_BUNDLE_SIGNING_KEY: keys.priv },
  });
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
  expect(JSON.parse(run.stdout).outputs.bundle.signedBy).toBe(keys.fp);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlcycle predict trusts only what the bundle can prove', () => {
  it('a bundle signed by `run` predicts when its public key is configured', async () => {
    const out = await predict(signed, { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.pub });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n')[0]).toContain('predicted');
    expect(out.stdout.trim().split('\n')).toHaveLength(6);
  }, 60_000);

  it('a file linked to a secret is refused (exit 2), and the secret is printed nowhere', async () => {
    const bundle = copy('linked');
    rmSync(join(bundle, 'preprocessing.json'));
    symlinkSync(join(dir, 'secret.txt'), join(bundle, 'preprocessing.json'));
    reseal(bundle);
    const out = await predict(bundle);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/refused: preprocessing\.json is a symbolic link; a bundle holds plain files only/);
    expect(out.stdout + out.stderr).not.toContain(SECRET);
    expect(out.stdout + out.stderr).not.toContain('root:x');
  }, 60_000);

  it('an edited file with a re-sealed manifest: passes the checksum alone, refused under the public key', async () => {
    const bundle = copy('edited');
    const prep = join(bundle, 'preprocessing.json');
    const spec = JSON.parse(readFileSync(prep, 'utf8'));
    const scale = spec.steps.find((s: { type: string }) => s.type === 'standardize');
    for (const c of scale.columns) c.mean += 1000;
    writeFileSync(prep, JSON.stringify(spec, null, 2));
    reseal(bundle);
    // What the sha256 manifest does NOT guarantee: the re-sealed edit loads and its predictions change.
    const [plain, original] = await Promise.all([predict(bundle), predict(signed)]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toBe(original.stdout);
    const checked = await predict(bundle, { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.pub });
    expect(checked.code).toBe(2);
    expect(checked.stdout).toBe('');
    expect(checked.stderr).toMatch(/refused: signature\.json does not match manifest\.json/);
  }, 60_000);

  it('an unsigned bundle, or one signed by another key, is refused when a key is configured', async () => {
    const unsigned = copy('unsigned');
    rmSync(join(unsigned, 'signature.json'));
    const noSig = await predict(unsigned, { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.pub });
    expect(noSig.code).toBe(2);
    expect(noSig.stderr).toMatch(/refused: it is not signed \(no signature\.json\)/);
    expect((await predict(unsigned)).code).toBe(0);
    const wrong = await predict(signed, { MLCYCLE_BUNDLE_PUBLIC_KEY: keys.otherPub });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`it was signed by key ${keys.fp.slice(0, 23)}…, not by the configured public key`);
  }, 60_000);
});
