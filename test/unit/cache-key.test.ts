import { describe, expect, it } from '@jest/globals';
import { canonicalJson, dag } from '../../core/index.ts';
import { nodeKey } from '../../core/plan/cache-key.ts';
import { add, source } from '../fixtures/tasks/basic.ts';

const build = (value: number, amount = 1) =>
  dag('keys', (b) => {
    const a = b.add('a', source, {}, { value });
    b.add('b', add, { value: a.value }, { amount });
  }).build();
const keyOf = (d: ReturnType<typeof build>, id: string, inputs = {}, seed = 0) =>
  nodeKey(d.nodes.get(id)!, inputs, { cwd: process.cwd(), seed });
const input = (digest: string) => ({ value: { digest, kind: 'Json' } });

describe('nodeKey', () => {
  it('changes with a param, an input digest and the seed; not otherwise', () => {
    const base = keyOf(build(1), 'a').key;
    expect(keyOf(build(1), 'a').key).toBe(base);
    expect(keyOf(build(2), 'a').key).not.toBe(base);
    expect(keyOf(build(1), 'a', {}, 1).key).not.toBe(base);
    // Another node's param does not touch this node's key.
    expect(keyOf(build(1, 5), 'a').key).toBe(base);
    const b = keyOf(build(1), 'b', input('a'.repeat(64))).key;
    expect(keyOf(build(1), 'b', input('b'.repeat(64))).key).not.toBe(b);
    expect(keyOf(build(1, 2), 'b', input('a'.repeat(64))).key).not.toBe(b);
  });

  it('keeps for plan exactly the canonical JSON of the material and the code map', () => {
    const k = keyOf(build(1), 'b', input('c'.repeat(64)));
    expect(k.stored).toBe(canonicalJson({ material: k.material, codeFiles: k.codeFiles }));
    expect(Object.keys(k.codeFiles)).toEqual(expect.arrayContaining(['basic.ts', 'helper.ts', 'package:mlcycle']));
  });
});
