import { describe, expect, it } from '@jest/globals';
import { dag, defineTask, Json, Type, ValidationError } from '../../core/index.ts';

const make = defineTask({
  name: 'demo/make', version: 1,
  params: Type.Object({ n: Type.Number({ default: 1 }) }),
  inputs: {}, outputs: { value: Json },
  run: (_i, { n }) => ({ value: n }),
});
const scale = defineTask({
  name: 'demo/scale', version: 1,
  params: Type.Object({ factor: Type.Number({ maximum: 10 }) }),
  inputs: { value: Json }, outputs: { value: Json },
  run: ({ value }, { factor }) => ({ value: value * factor }),
});

describe('dag build', () => {
  it('builds a linear dag in topological order with defaults filled', () => {
    const d = dag('linear', (b) => {
      const n = b.param('n', Type.Number(), 3);
      const a = b.add('make', make, {}, { n });
      const s = b.add('scale', scale, { value: a.value }, { factor: 2 });
      return { out: s.value };
    }).build({ params: { n: 5 } });
    expect(d.order).toEqual(['make', 'scale']);
    expect(d.nodes.get('make')!.params).toEqual({ n: 5 });
    expect(make.ref.moduleUrl).toMatch(/dag\.test\.ts$/);
  });
  it('rejects bad params naming the place', () => {
    const d = dag('demo', (b) => {
      const a = b.add('make', make, {});
      b.add('split', scale, { value: a.value }, { factor: 20 });
    });
    expect(() => d.build()).toThrow(ValidationError);
    expect(() => d.build()).toThrow("dag 'demo' › node 'split' (demo/scale): params.factor must be <= 10, got 20");
  });
  it('rejects unknown params, duplicate ids and cycles', () => {
    const d = dag('demo', (b) => {
      b.add('make', make, {});
    });
    expect(() => d.build({ params: { lr: 1 } })).toThrow("unknown param 'lr'");
    const dup = dag('dup', (b) => { b.add('a', make, {}); b.add('a', make, {}); });
    expect(() => dup.build()).toThrow('already used');
    const cyc = dag('cyc', (b) => {
      const x = b.add('x', scale, { value: b.ref('y', 'value', Json) }, { factor: 1 });
      b.add('y', scale, { value: x.value }, { factor: 1 });
    });
    expect(() => cyc.build()).toThrow(/cycle \((x → y|y → x)\)/);
  });

  it('gives a string param the text of a --param value that parsed as a number', () => {
    let seen: unknown;
    dag('coerce2', (b) => { seen = b.param('target', Type.String(), 'y'); }).build({ params: { target: 2019 } });
    expect(seen).toBe('2019');
    expect(() => dag('strict', (b) => { b.param('n', Type.Number(), 1); }).build({ params: { n: 'abc' } })).toThrow(/n must be number, got "abc"/);
  });
});
