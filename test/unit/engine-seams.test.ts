/**
 * The twins made one: resolveHome (core's, used by the CLI and openWorkspace), displayPath (the CLI's
 * DAG-file messages and plan's "code changed" lines) and keyMaterial (what run hashes, what plan compares).
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dag, defineTask, displayPath, Json, openWorkspace, resolveHome, Type, ValidationError } from '../../core/index.ts';
import { resolveHome as cliResolveHome } from '../../cli/home.ts';
import { keyMaterial, nodeKey } from '../../core/plan/cache-key.ts';
import { add, source } from '../fixtures/tasks/basic.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const temp = () => mkdtempSync(join(tmpdir(), 'mlcycle-seams-'));

describe('resolveHome', () => {
  it('takes --home, else MLCYCLE_HOME, else ./.mlcycle, resolved against the cwd given', () => {
    expect(resolveHome({ home: 'ws' }, { cwd: '/p', env: { MLCYCLE_HOME: '/env' } })).toBe('/p/ws');
    expect(resolveHome({}, { cwd: '/p', env: { MLCYCLE_HOME: 'env-ws' } })).toBe('/p/env-ws');
    expect(resolveHome({}, { cwd: '/p', env: {} })).toBe('/p/.mlcycle');
    // The CLI's is the same function.
    expect(cliResolveHome).toBe(resolveHome);
  });

  it('refuses a file in the way with a ValidationError naming where the path came from', () => {
    const dir = temp();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep\n');
    expect(() => resolveHome({ home: file }, { cwd: dir, env: {} })).toThrow(new ValidationError(
      `--home ${file} is a file, not a folder: point --home at a folder (it is created if missing), or move the file away.`));
    expect(() => resolveHome({}, { cwd: dir, env: { MLCYCLE_HOME: join(file, 'ws') } })).toThrow(
      `MLCYCLE_HOME ${join(file, 'ws')} cannot be a folder: ${file} is a file, not a folder; point MLCYCLE_HOME at a folder`);
    // openWorkspace resolves through it: same error, nothing created.
    expect(() => openWorkspace({ home: file })).toThrow(ValidationError);
    expect(() => openWorkspace({ home: file })).toThrow(`--home ${file} is a file, not a folder`);
  });
});

describe('displayPath', () => {
  it('shows a file under the cwd relative to it, else absolute', () => {
    expect(displayPath('/p/dags/a.ts', '/p')).toBe('dags/a.ts');
    expect(displayPath('/elsewhere/a.ts', '/p')).toBe('/elsewhere/a.ts');
    expect(displayPath('/p', '/p')).toBe('/p');
    // A sibling whose name starts with '..' is still inside.
    expect(displayPath('/p/..hidden/a.ts', '/p')).toBe('..hidden/a.ts');
  });

  it("shows mlcycle's own files relative to its checkout only when asked", () => {
    const plugin = join(root, 'plugins', 'x.ts');
    expect(displayPath(plugin, '/somewhere/else', { orInMlcycle: true })).toBe(join('plugins', 'x.ts'));
    expect(displayPath(plugin, '/somewhere/else')).toBe(plugin);
  });
});

describe('keyMaterial', () => {
  const readsFile = defineTask({
    name: 'test/reads-file', version: 1,
    params: Type.Object({ path: Type.String() }),
    inputs: { value: Json }, outputs: { value: Json },
    files: ({ path }) => [path],
    run: ({ value }) => ({ value }),
  });
  const d = (dir: string) => dag('seams', (b) => {
    const a = b.add('a', source, {}, { value: 3 });
    b.add('b', add, { value: a.value }, { amount: 2 });
    b.add('r', readsFile, { value: a.value }, { path: join(dir, 'later.csv') });
  }).build();
  const inputs = { value: { digest: 'c'.repeat(64), kind: 'Json' } };

  it('is the material nodeKey hashes, and without inputs the same less the inputs', () => {
    const built = d(temp());
    const node = built.nodes.get('b')!;
    const keyed = nodeKey(node, inputs, { cwd: built.cwd, seed: 5 });
    const full = keyMaterial(node, inputs, { cwd: built.cwd, seed: 5 });
    expect(full.material).toEqual(keyed.material);
    expect(full.codeFiles).toEqual(keyed.codeFiles);
    const partial = keyMaterial(node, undefined, { cwd: built.cwd, seed: 5 });
    const { inputs: _inputs, ...rest } = keyed.material;
    expect(partial.material).toEqual(rest);
    expect('inputs' in partial.material).toBe(false);
  });

  it('lists a declared file it cannot read yet when inputs are unknown, and fails on it when keying', () => {
    const dir = temp();
    const built = d(dir);
    const node = built.nodes.get('r')!;
    const partial = keyMaterial(node, undefined, { cwd: dir, seed: 1 });
    expect(partial.unreadFiles).toEqual([join(dir, 'later.csv')]);
    expect(partial.material.files).toEqual({});
    expect(() => nodeKey(node, inputs, { cwd: dir, seed: 1 })).toThrow();
    writeFileSync(join(dir, 'later.csv'), 'x\n1\n');
    const now = keyMaterial(node, undefined, { cwd: dir, seed: 1 });
    expect(now.unreadFiles).toEqual([]);
    expect(now.material.files).toEqual(nodeKey(node, inputs, { cwd: dir, seed: 1 }).material.files);
  });
});
