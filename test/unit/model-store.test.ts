import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openModelStore, parseModelRef, parseModelUri, type ModelStore } from '../../core/index.ts';

const dirs: string[] = [];
const stores: ModelStore[] = [];
function open(): { store: ModelStore; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-model-store-'));
  dirs.push(dir);
  const file = join(dir, 'mlcycle.db');
  const store = openModelStore(file);
  stores.push(store);
  return { store, file };
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const row = { manifestSha256: 'a'.repeat(64), source: '/b', lineage: { runId: 'r1' }, by: 'ana' };

describe('model store (migration 5)', () => {
  it('numbers versions 1, 2, … and records nothing when placing the folder fails', () => {
    const { store } = open();
    const placed: number[] = [];
    expect(store.addVersion('m', (v) => placed.push(v), row).version).toBe(1);
    expect(() => store.addVersion('m', () => { throw new Error('disk full'); }, row)).toThrow('disk full');
    expect(store.versions('m').map((v) => v.version)).toEqual([1]);
    expect(store.addVersion('m', (v) => placed.push(v), { ...row, why: 'retrain' }).version).toBe(2);
    expect(placed).toEqual([1, 2]);
    expect(store.getVersion('m', 2)).toMatchObject({ why: 'retrain', registeredBy: 'ana', lineage: { runId: 'r1' } });
  });

  it('keeps alias moves append-only and survives reopening', () => {
    const { store, file } = open();
    store.addVersion('m', () => undefined, row);
    store.addVersion('m', () => undefined, row);
    store.setAlias('m', 'champion', 1, { by: 'ana', why: 'first' });
    store.setAlias('m', 'champion', 2, { by: 'bo' });
    expect(() => store.setAlias('m', 'champion', 5, { by: 'bo' })).toThrow("model 'm' has no version 5 (versions: 1, 2)");
    expect(() => store.setAlias('zz', 'champion', 1, { by: 'bo' })).toThrow("no model named 'zz' is registered");
    store.close();
    const again = openModelStore(file);
    stores.push(again);
    expect(again.aliases('m')).toEqual({ champion: 2 });
    expect(again.history('m').map((h) => [h.from, h.to, h.by, h.why])).toEqual([[null, 1, 'ana', 'first'], [1, 2, 'bo', null]]);
    again.setTag('m', 2, 'reviewed', 'yes');
    expect(again.getVersion('m', 2)!.tags).toEqual({ reviewed: 'yes' });
    expect(again.getVersion('m', 2)!.aliases).toEqual(['champion']);
  });

  it('parses models:/ URIs and refuses names that could leave the models folder', () => {
    expect(parseModelUri('models:/penguins@champion')).toEqual({ name: 'penguins', alias: 'champion' });
    expect(parseModelUri('models:/penguins/3')).toEqual({ name: 'penguins', version: 3 });
    expect(parseModelUri('bundles/penguins')).toBeUndefined();
    expect(parseModelRef('penguins')).toEqual({ name: 'penguins' });
    for (const bad of ['..', '../x', '/abs', 'a b', 'x/0', 'x/1.5', 'x@1st']) expect(() => parseModelRef(bad)).toThrow('is not valid');
  });
});
