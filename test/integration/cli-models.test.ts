/**
 * Issue 9, registry, as a user meets it: `mlcycle models register | alias | show | ls` on a bundle
 * exported by a real run, `mlcycle predict models:/…`, and the refusals (tampered registered copy,
 * a manifest naming `../`, a link out, bad names, unknown alias/version), all on real files and SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/index.ts';
import { newHome, repoRoot, runCli, spawnCli, tempDir } from './cli-harness.ts';

let dir: string;
let bundle: string;
let input: string;
let home: string;

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const cli = (args: string[], h = home) => runCli(['--home', h, ...args], { cwd: dir, env: { MLCYCLE_BUNDLE_PUBLIC_KEY: undefined } });

/** Recomputes every sha256 and the manifest digest, as anyone who can edit the files can. */
function reseal(folder: string, edit: (manifest: { files: Record<string, string> }) => void = () => undefined): void {
  const file = join(folder, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  edit(manifest);
  for (const name of Object.keys(manifest.files)) {
    if (existsSync(join(folder, name))) manifest.files[name] = sha(readFileSync(join(folder, name)));
  }
  const { digest: _old, ...body } = manifest;
  chmodSync(file, 0o644);
  writeFileSync(file, JSON.stringify({ ...body, digest: sha(canonicalJson(body)) }, null, 2));
}

function copy(tag: string): string {
  const to = join(dir, tag);
  cpSync(bundle, to, { recursive: true });
  return to;
}

beforeAll(async () => {
  dir = tempDir('mlcycle-models-cli-');
  home = join(dir, 'home');
  const penguins = JSON.parse(readFileSync(join(repoRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Array<Record<string, unknown>>;
  const rows = penguins.filter((r) => Object.values(r).every((v) => v !== null && v !== '.')).slice(0, 5).map(({ Species: _s, ...rest }) => rest);
  input = join(dir, 'new.json');
  writeFileSync(input, JSON.stringify(rows));
  writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET-never-registered\n');
  bundle = join(dir, 'bundle');
  const run = await runCli(['--home', newHome(), 'run', 'dags/penguins.ts', '--param', `out=${bundle}`, '--param', 'maxIter=30', '--json'], {
    env: { MLCYCLE_BUNDLE_SIGNING_KEY: undefined },
  });
  if (run.code !== 0) throw new Error(`mlcycle run failed (${run.code}):\n${run.stderr}`);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlcycle models: register, alias with history, show, predict models:/', () => {
  it('registers twice as versions 1 and 2, each an immutable copy carrying the run lineage', async () => {
    const v1 = await cli(['models', 'register', bundle, '--name', 'penguins', '--why', 'first', '--json']);
    expect(v1.code).toBe(0);
    const v2 = await cli(['models', 'register', bundle, '--name', 'penguins', '--json']);
    expect(v2.code).toBe(0);
    const [a, b] = [JSON.parse(v1.stdout), JSON.parse(v2.stdout)];
    expect([a.version, b.version]).toEqual([1, 2]);
    expect(a.why).toBe('first');
    expect(a.lineage.dag).toBe('penguins');
    expect(a.lineage.runId).toMatch(/^\d{8}-\d{6}-/);
    expect(a.lineage.params.maxIter).toBe(30);
    expect(a.lineage.metrics.accuracy).toEqual(expect.any(Number));
    expect(a.lineage.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(a.manifestSha256).toBe(sha(readFileSync(join(bundle, 'manifest.json'))));
    expect(b.dir).toBe(join(home, 'models', 'penguins', '2'));
    expect(readdirSync(b.dir).sort()).toEqual(['arrays.bin', 'manifest.json', 'model.json', 'preprocessing.json', 'reference-profile.json'].filter((f) => existsSync(join(bundle, f))).sort());
    // Nothing left staged once both are in place.
    expect(readdirSync(join(home, 'models', '.tmp'))).toEqual([]);
  }, 60_000);

  it('moves an alias and keeps every move, oldest first, with who, from, to and why', async () => {
    expect((await cli(['models', 'alias', 'penguins', 'champion', '1', '--why', 'baseline'])).code).toBe(0);
    expect((await cli(['models', 'alias', 'penguins', 'champion', '2', '--why', 'better log loss'])).code).toBe(0);
    expect((await cli(['models', 'alias', 'penguins', 'staging', '1'])).code).toBe(0);
    const show = await cli(['models', 'show', 'penguins', '--json']);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.aliases).toEqual({ champion: 2, staging: 1 });
    expect(shown.history.map((h: { alias: string; from: number | null; to: number; why: string | null }) => [h.alias, h.from, h.to, h.why])).toEqual([
      ['champion', null, 1, 'baseline'],
      ['champion', 1, 2, 'better log loss'],
      ['staging', null, 1, null],
    ]);
    expect(shown.history.every((h: { by: string; at: number }) => h.by.length > 0 && h.at > 0)).toBe(true);
    const text = await cli(['models', 'show', 'penguins']);
    expect(text.stderr).toMatch(/champion: 1 → 2 {2}by \S+ {2}"better log loss"/);
    expect(text.stderr).toContain('runId: ');
  }, 60_000);

  it('shows one version by alias and by number', async () => {
    const byAlias = JSON.parse((await cli(['models', 'show', 'penguins@champion', '--json'])).stdout);
    expect(byAlias.selected.version).toBe(2);
    expect(byAlias.selected.aliases).toEqual(['champion']);
    const byNumber = JSON.parse((await cli(['models', 'show', 'penguins/1', '--json'])).stdout);
    expect(byNumber.selected.version).toBe(1);
    expect(byNumber.selected.aliases).toEqual(['staging']);
    const ls = JSON.parse((await cli(['models', 'ls', '--json'])).stdout);
    expect(ls.models).toEqual([expect.objectContaining({ name: 'penguins', versions: 2, latest: 2, aliases: { champion: 2, staging: 1 } })]);
  }, 60_000);

  it('predicts through models:/name@alias and models:/name/version', async () => {
    const byAlias = await cli(['predict', 'models:/penguins@champion', input]);
    expect(byAlias.stderr).toBe('');
    expect(byAlias.code).toBe(0);
    expect(byAlias.stdout.split('\n')[0]).toContain('predicted');
    expect(byAlias.stdout.trim().split('\n')).toHaveLength(6);
    const byVersion = await cli(['predict', 'models:/penguins/1', input]);
    expect(byVersion.code).toBe(0);
    expect(byVersion.stdout).toBe(byAlias.stdout);
  }, 60_000);

  it('names a bad name, an unknown alias, version or model, and exits 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['models', 'show', 'penguins@ghost'], /model 'penguins' has no alias 'ghost' \(aliases: champion, staging\)/],
      [['models', 'show', 'penguins/7'], /model 'penguins' has no version 7 \(versions: 1, 2\)/],
      [['models', 'show', 'nobody'], /no model named 'nobody' is registered/],
      [['models', 'alias', 'penguins', 'champion', '9'], /model 'penguins' has no version 9/],
      [['models', 'alias', 'penguins', '3rd', '1'], /alias "3rd" is not valid/],
      [['models', 'register', bundle, '--name', '../evil'], /model name "\.\.\/evil" is not valid/],
      [['predict', 'models:/penguins@ghost', input], /model 'penguins' has no alias 'ghost'/],
      [['predict', 'models:/penguins/3', input], /model 'penguins' has no version 3/],
    ];
    for (const [args, message] of cases) {
      const out = await cli(args);
      expect({ args, code: out.code }).toEqual({ args, code: 2 });
      expect(out.stderr).toMatch(message);
    }
    // None of them moved an alias or added a version.
    const shown = JSON.parse((await cli(['models', 'show', 'penguins', '--json'])).stdout);
    expect(shown.versions).toHaveLength(2);
    expect(shown.history).toHaveLength(3);
  }, 120_000);

  it('replaces a folder left by a register killed between its rename and its commit (no row: never a version)', async () => {
    const h = join(dir, 'orphan-home');
    const orphan = join(h, 'models', 'o', '1');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'half.bin'), 'left over');
    const out = await cli(['models', 'register', bundle, '--name', 'o', '--json'], h);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).version).toBe(1);
    expect(existsSync(join(orphan, 'half.bin'))).toBe(false);
    expect((await cli(['predict', 'models:/o/1', input], h)).code).toBe(0);
  }, 60_000);

  it('refuses a registered copy edited after registration, even re-sealed', async () => {
    const h = join(dir, 'tamper-home');
    expect((await cli(['models', 'register', bundle, '--name', 'p'], h)).code).toBe(0);
    const registered = join(h, 'models', 'p', '1');
    const prep = join(registered, 'preprocessing.json');
    const spec = JSON.parse(readFileSync(prep, 'utf8'));
    spec.steps.reverse();
    chmodSync(prep, 0o644);
    writeFileSync(prep, JSON.stringify(spec));
    const edited = await cli(['predict', 'models:/p/1', input], h);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/refused: preprocessing\.json does not match the manifest/);
    reseal(registered);
    const resealed = await cli(['predict', 'models:/p/1', input], h);
    expect(resealed.code).toBe(2);
    expect(resealed.stderr).toMatch(/refused: manifest\.json is not the one recorded/);
  }, 60_000);

  it('refuses on register a manifest naming ../ or an absolute path, and a file linked out; nothing is registered', async () => {
    const h = join(dir, 'refuse-home');
    const dotdot = copy('dotdot');
    reseal(dotdot, (m) => { m.files['../secret.txt'] = sha('x'); });
    const absolute = copy('absolute');
    reseal(absolute, (m) => { m.files[join(dir, 'secret.txt')] = sha('x'); });
    const linked = copy('linked');
    rmSync(join(linked, 'preprocessing.json'));
    symlinkSync(join(dir, 'secret.txt'), join(linked, 'preprocessing.json'));
    reseal(linked);
    for (const [folder, message] of [[dotdot, /"\.\.\/secret\.txt", which is not a plain file name/], [absolute, /which is not a plain file name inside the bundle/], [linked, /preprocessing\.json is a symbolic link/]] as const) {
      const out = await cli(['models', 'register', folder, '--name', 'bad'], h);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toContain('TOP-SECRET');
    }
    expect(JSON.parse((await cli(['models', 'ls', '--json'], h)).stdout).models).toEqual([]);
    expect(existsSync(join(h, 'models', 'bad'))).toBe(false);
    // Refused before anything was staged.
    expect(existsSync(join(h, 'models', '.tmp')) ? readdirSync(join(h, 'models', '.tmp')) : []).toEqual([]);
  }, 60_000);

  it('kill -9 during register leaves no half version; the next register is a complete version 1', async () => {
    const h = join(dir, 'kill-home');
    // A large extra file listed in the manifest makes the copy slow enough to be killed mid-way.
    const big = copy('big');
    writeFileSync(join(big, 'padding.bin'), Buffer.alloc(150 * 1024 * 1024, 7));
    reseal(big, (m) => { m.files['padding.bin'] = ''; });
    const child = spawnCli(['--home', h, 'models', 'register', big, '--name', 'big'], { cwd: dir });
    const staging = join(h, 'models', '.tmp');
    await new Promise<void>((resolveWait, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const staged = existsSync(staging) ? readdirSync(staging) : [];
        if (staged.length && readdirSync(join(staging, staged[0]!)).length) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolveWait();
        } else if (Date.now() - started > 60_000) {
          clearInterval(poll);
          reject(new Error('register never started copying'));
        }
      }, 2);
    });
    const killed = await child.result;
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(h, 'models', 'big', '1'))).toBe(false);
    expect(JSON.parse((await cli(['models', 'ls', '--json'], h)).stdout).models).toEqual([]);
    const again = await cli(['models', 'register', big, '--name', 'big', '--json'], h);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).version).toBe(1);
    // The killed register's staging folder was cleared as litter, not kept.
    expect(readdirSync(staging)).toEqual([]);
    expect((await cli(['predict', 'models:/big/1', input], h)).code).toBe(0);
  }, 180_000);
});
