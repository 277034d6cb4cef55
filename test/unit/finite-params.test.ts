import { describe, expect, it } from '@jest/globals';
import { dag, defineTask, Json, Type, ValidationError } from '../../core/index.ts';
import { compileParams } from '../../core/task/validate-params.ts';
import { parseParamFlags } from '../../cli/params.ts';
import { UsageError } from '../../cli/exit-codes.ts';

const schema = Type.Object({
  maxIter: Type.Integer({ minimum: 1, default: 200 }),
  learningRate: Type.Number({ exclusiveMinimum: 0, default: 1e-3 }),
  hiddenLayers: Type.Array(Type.Integer({ minimum: 1 }), { default: [100] }),
  batchSize: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('auto')], { default: 'auto' }),
  seed: Type.Optional(Type.Integer()),
});
const validate = compileParams(schema);

describe('compileParams: numbers are finite, integers exact', () => {
  it.each([
    [{ maxIter: Infinity }, 'params.maxIter must be a finite number, got Infinity'],
    [{ learningRate: Infinity }, 'params.learningRate must be a finite number, got Infinity'],
    [{ learningRate: -Infinity }, 'params.learningRate must be a finite number, got -Infinity'],
    [{ learningRate: NaN }, 'params.learningRate must be a finite number, got NaN'],
    [{ hiddenLayers: [16, Infinity] }, 'params.hiddenLayers.1 must be a finite number, got Infinity'],
    [{ batchSize: Infinity }, 'params.batchSize must be a finite number, got Infinity'],
    // Not in the schema at all: still refused as non-finite before "unknown param".
    [{ extra: { deep: [NaN] } }, 'params.extra.deep.0 must be a finite number, got NaN'],
  ])('%o is refused: %s', (input, message) => {
    expect(validate(input).errors).toEqual([message]);
  });

  it('refuses integers beyond ±(2^53 − 1), which a double cannot hold exactly', () => {
    const limit = 'integers must be within ±2^53 (±9007199254740991)';
    expect(validate({ maxIter: 2 ** 53 }).errors).toEqual([`params.maxIter is not exactly representable, got 9007199254740992; ${limit}`]);
    expect(validate({ seed: -(2 ** 53) }).errors).toEqual([`params.seed is not exactly representable, got -9007199254740992; ${limit}`]);
    expect(validate({ hiddenLayers: [8, 2 ** 60] }).errors).toEqual([`params.hiddenLayers.1 is not exactly representable, got 1152921504606847000; ${limit}`]);
    // Inside a union the integer branch is bounded too (the other branches' errors follow).
    expect(validate({ batchSize: 2 ** 53 }).errors[0]).toBe(`params.batchSize is not exactly representable, got 9007199254740992; ${limit}`);
  });

  it('keeps accepting the safe extremes and the schema\'s own bounds', () => {
    const { value, errors } = validate({ maxIter: Number.MAX_SAFE_INTEGER, seed: -Number.MAX_SAFE_INTEGER, learningRate: 1e300, batchSize: 32 });
    expect(errors).toEqual([]);
    expect(value).toEqual({ maxIter: 9007199254740991, seed: -9007199254740991, learningRate: 1e300, batchSize: 32, hiddenLayers: [100] });
    expect(validate({ maxIter: 0 }).errors).toEqual(['params.maxIter must be >= 1, got 0']);
    const tight = compileParams(Type.Object({ k: Type.Integer({ minimum: 1, maximum: 10 }) }));
    expect(tight({ k: 11 }).errors).toEqual(['params.k must be <= 10, got 11']);
  });

  it('refuses a non-finite default a task author wrote', () => {
    // ajv writes defaults through JSON, where Infinity becomes null: refused all the same.
    const bad = compileParams(Type.Object({ tol: Type.Number({ default: Infinity }) }));
    expect(bad({}).errors).toEqual(['params.tol must be number, got null']);
  });

  it('treats __proto__, constructor and prototype as unknown params, not as Object.prototype', () => {
    expect(validate(JSON.parse('{"__proto__": {"maxIter": 5}}')).errors).toEqual(['params.__proto__ is not a known parameter']);
    expect(validate({ constructor: 1 }).errors).toEqual(['params.constructor is not a known parameter']);
    expect(validate({ prototype: 1 }).errors).toEqual(['params.prototype is not a known parameter']);
  });
});

describe('parseParamFlags', () => {
  const usage = (flags: string[]): string => {
    try {
      parseParamFlags(flags);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error(`parseParamFlags(${flags.join(' ')}) did not throw`);
  };

  it('refuses literals JSON would turn into Infinity, naming the param', () => {
    expect(usage(['maxIter=1e400'])).toBe('--param maxIter=1e400: 1e400 is not a finite number (a double reaches about 1.8e308); give a finite value.');
    expect(usage(['learningRate=-1e400'])).toMatch(/^--param learningRate=-1e400: -1e400 is not a finite number/);
    expect(usage(['hiddenLayers=[16,1e999]'])).toMatch(/^--param hiddenLayers=\[16,1e999\]: 1e999 is not a finite number/);
  });

  it('refuses integer literals JSON would round, naming the param', () => {
    expect(usage(['maxIter=9007199254740993'])).toBe(
      '--param maxIter=9007199254740993: 9007199254740993 is not exactly representable; integers must be within ±2^53 (±9007199254740991).',
    );
    expect(usage(['seed=-9007199254740993'])).toMatch(/^--param seed=-9007199254740993: -9007199254740993 is not exactly representable/);
    expect(usage(['layers={"a":[1,9007199254740992]}'])).toMatch(/9007199254740992 is not exactly representable/);
  });

  it('keeps what is exact: safe integers, large finite doubles, numbers inside strings', () => {
    expect(parseParamFlags(['a=9007199254740991', 'b=1e20', 'c=[1.5,-2e-3]', 'd={"x":"1e400","y":"\\"9007199254740993"}', 'e=1e400x'])).toEqual({
      a: 9007199254740991, b: 1e20, c: [1.5, -0.002], d: { x: '1e400', y: '"9007199254740993' }, e: '1e400x',
    });
  });

  it('makes __proto__, constructor and prototype own keys instead of dropping them', () => {
    const out = parseParamFlags(['__proto__={"maxIter":5}', 'constructor=1', 'prototype=2']);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ maxIter: 5 });
    expect((out as { maxIter?: unknown }).maxIter).toBeUndefined();
    expect(usage(['constructor=1', 'constructor=2'])).toBe('--param constructor is given twice; give each DAG parameter once.');
  });
});

describe('DAG params go through the same rules', () => {
  const echo = defineTask({
    name: 'fixtures/finite-echo',
    version: 1,
    params: Type.Object({ layers: Type.Array(Type.Number(), { default: [] }) }),
    inputs: {},
    outputs: { value: Json },
    run: (_i, { layers }) => ({ value: layers }),
  });
  const d = dag('finite', (b) => {
    const maxIter = b.param('maxIter', Type.Integer({ minimum: 1 }), 10);
    const layers = b.param('layers', Type.Array(Type.Number()), [1]);
    b.add('echo', echo, {}, { layers: [...layers, maxIter] });
  });
  const buildError = (params: Record<string, unknown>): string => {
    try {
      d.build({ params });
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as Error).message;
    }
    throw new Error('build did not throw');
  };

  it('refuses non-finite and inexact overrides given from code', () => {
    expect(buildError({ maxIter: Infinity })).toContain("param 'maxIter': maxIter must be a finite number, got Infinity (from --param maxIter=…)");
    expect(buildError({ maxIter: 2 ** 53 })).toContain("param 'maxIter': maxIter is not exactly representable, got 9007199254740992");
    expect(buildError({ layers: [1, NaN] })).toContain("param 'layers': layers.1 must be a finite number, got NaN");
  });

  it('refuses __proto__ and constructor from --param as unknown params', () => {
    const message = buildError(parseParamFlags(['__proto__={"maxIter":5}', 'constructor=1']));
    expect(message).toContain("dag 'finite': unknown param '__proto__'; known params: maxIter, layers");
    expect(message).toContain("dag 'finite': unknown param 'constructor'; known params: maxIter, layers");
  });

  it('refuses non-finite node params', () => {
    const bad = dag('finite-node', (b) => {
      b.add('echo', echo, {}, { layers: [1, -Infinity] });
    });
    expect(() => bad.build()).toThrow("dag 'finite-node' › node 'echo' (fixtures/finite-echo): params.layers.1 must be a finite number, got -Infinity");
  });

  it('wires ports by own names only', () => {
    const proto = dag('proto-port', (b) => {
      const { value } = b.add('a', echo, {});
      b.add('b', echo, { constructor: value } as never);
      return { r: b.ref('a', 'constructor', Json) };
    });
    let message = '';
    try {
      proto.build();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("node 'b' (fixtures/finite-echo): 'constructor' is not an input of fixtures/finite-echo");
    expect(message).toContain("result 'r': refers to a.constructor, which no node outputs");
  });
});
