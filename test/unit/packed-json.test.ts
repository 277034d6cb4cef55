import { describe, expect, it } from '@jest/globals';
import { Model, type ModelSpec } from '../../plugins/kinds.ts';
import { packJson, unpackJson } from '../../plugins/packed-json.ts';

describe('packed JSON', () => {
  it('round-trips typed arrays of every width as raw bytes, nested anywhere, 8-byte aligned', () => {
    const value = {
      coef: Float64Array.of(1.5, -2.25, Math.PI),
      nested: [{ ids: Int32Array.of(-1, 7) }, { mask: Uint8Array.of(1, 0, 1) }, Float32Array.of(0.5)],
      plain: [1, 2, 3], text: 'a',
    };
    const { json, binary } = packJson(value);
    expect(json).not.toContain('3.14159');
    expect(binary.byteLength).toBe(24 + 8 + 8 + 8);
    const back = unpackJson<typeof value>(json, binary);
    expect(back.coef).toBeInstanceOf(Float64Array);
    expect(Array.from(back.coef)).toEqual([1.5, -2.25, Math.PI]);
    expect(Array.from((back.nested[0] as { ids: Int32Array }).ids)).toEqual([-1, 7]);
    expect((back.nested[1] as { mask: Uint8Array }).mask).toEqual(Uint8Array.of(1, 0, 1));
    expect(back.nested[2]).toBeInstanceOf(Float32Array);
    expect(back.plain).toEqual([1, 2, 3]);
  });

  it('copies out of a subarray view, and refuses a reference past the binary section', () => {
    const big = new Float64Array([9, 8, 7, 6]);
    const { json, binary } = packJson({ v: big.subarray(1, 3) });
    expect(Array.from(unpackJson<{ v: Float64Array }>(json, binary).v)).toEqual([8, 7]);
    expect(() => unpackJson(json, binary.subarray(0, 8))).toThrow(/beyond its 8-byte binary section/);
  });

  it('stores a model with typed arrays through the Model artifact codec', () => {
    const spec: ModelSpec = {
      algorithm: 'linear-regression', task: 'regression', target: 'y', features: ['a', 'b'],
      classical: { coef: Float64Array.of(0.1, 0.2), intercept: 3 }, info: { library: 'mlcycle' },
    };
    const bytes = Model.encode(spec);
    const back = Model.decode(bytes);
    expect((back.classical as { coef: Float64Array }).coef).toEqual(Float64Array.of(0.1, 0.2));
    expect(back.features).toEqual(['a', 'b']);
    // Encoding is deterministic: the cache's early cut-off depends on it.
    expect(Buffer.from(Model.encode(back)).equals(Buffer.from(bytes))).toBe(true);
  });
});
