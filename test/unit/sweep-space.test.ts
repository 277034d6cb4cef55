/**
 * Search spaces: walking (flattened names with their branch conditions, active params, top-down
 * sampling, canonical keys) and checkSpace's report of every mistake a user can make, against
 * hand-written schemas and against the real dags/tabular.ts params.
 */
import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../core/errors.ts';
import { checkSpace, checkSpaceShape, spaceErrors, type DagParamSchema } from '../../core/sweep/space-check.ts';
import { choice, float, int, type Space } from '../../core/sweep/space.ts';
import {
  activeDistributions,
  activeParams,
  describeDistribution,
  flattenSpace,
  isActive,
  paramsKey,
  sampleSpace,
  trialParamsErrors,
} from '../../core/sweep/space-walk.ts';
import tabular from '../../dags/tabular.ts';

const nested: Space = {
  lr: float(1e-4, 1, { log: true }),
  algorithm: choice({
    forest: { nEstimators: int(50, 500, { log: true }) },
    mlp: { optimizer: choice({ adam: { beta: float(0.8, 0.99) }, sgd: {} }), layers: int(1, 3) },
    bayes: {},
  }),
};

describe('walking a space', () => {
  it('flattens every param with the branch choices it needs, names prefixed by their branches', () => {
    const flat = flattenSpace(nested).map((p) => [p.name, p.conditions.map((c) => `${c.param}=${c.branch}`).join('&')]);
    expect(flat).toEqual([
      ['algorithm', ''],
      ['forest.nEstimators', 'algorithm=forest'],
      ['mlp.layers', 'algorithm=mlp'],
      ['mlp.optimizer', 'algorithm=mlp'],
      ['mlp.adam.beta', 'algorithm=mlp&mlp.optimizer=adam'],
      ['lr', ''],
    ]);
  });

  it('lists the active params under a partial assignment: a branch opens only when chosen', () => {
    expect(activeParams(nested, {}).map((p) => p.name)).toEqual(['algorithm', 'lr']);
    expect(Object.keys(activeDistributions(nested, { algorithm: 'mlp' }))).toEqual(['algorithm', 'mlp.layers', 'mlp.optimizer', 'lr']);
    expect(Object.keys(activeDistributions(nested, { algorithm: 'mlp', 'mlp.optimizer': 'adam' }))).toEqual([
      'algorithm', 'mlp.layers', 'mlp.optimizer', 'mlp.adam.beta', 'lr',
    ]);
    // A value that is not a branch name opens nothing.
    expect(Object.keys(activeDistributions(nested, { algorithm: 'svm' }))).toEqual(['algorithm', 'lr']);
    const beta = flattenSpace(nested).find((p) => p.name === 'mlp.adam.beta')!;
    expect(isActive(beta, { algorithm: 'mlp', 'mlp.optimizer': 'adam' })).toBe(true);
    expect(isActive(beta, { algorithm: 'forest', 'mlp.optimizer': 'adam' })).toBe(false);
  });

  it('samples top-down, asking only for the params of the branches chosen', () => {
    const asked: string[] = [];
    const params = sampleSpace(nested, (p) => {
      asked.push(p.name);
      if (p.distribution.kind === 'branch') return p.name === 'algorithm' ? 'mlp' : 'sgd';
      return p.distribution.kind === 'int' ? p.distribution.low : 0.5;
    });
    expect(asked).toEqual(['algorithm', 'mlp.layers', 'mlp.optimizer', 'lr']);
    expect(params).toEqual({ algorithm: 'mlp', 'mlp.layers': 1, 'mlp.optimizer': 'sgd', lr: 0.5 });
    expect(() => sampleSpace(nested, () => 'svm')).toThrow("the value for branch param 'algorithm' must be one of forest, mlp, bayes, got 'svm'");
  });

  it('keys params canonically, whatever their order', () => {
    expect(paramsKey({ b: 1, a: 'x', c: null })).toBe(paramsKey({ c: null, a: 'x', b: 1 }));
    expect(paramsKey({ a: 1 })).not.toBe(paramsKey({ a: '1' }));
    expect(paramsKey({ a: 0.30000000000000004 })).not.toBe(paramsKey({ a: 0.3 }));
  });

  it('says what is wrong with a full assignment (enqueued or stored trials)', () => {
    expect(trialParamsErrors(nested, { algorithm: 'forest', 'forest.nEstimators': 100, lr: 0.01 })).toEqual([]);
    expect(trialParamsErrors(nested, { algorithm: 'forest', 'forest.nEstimators': 20, 'mlp.layers': 2 })).toEqual([
      "'forest.nEstimators' = 20 is not a value of int(50, 500, log)",
      "'lr' is missing",
      "'mlp.layers' is not a param of the space under these branch choices",
    ]);
    expect(trialParamsErrors({ n: int(1, 9, { step: 2 }) }, { n: 4 })).toEqual(["'n' = 4 is not a value of int(1, 9, step 2)"]);
  });

  it('describes distributions as the calls that make them', () => {
    expect(describeDistribution(int(1, 9, { step: 2 }))).toBe('int(1, 9, step 2)');
    expect(describeDistribution(float(1e-3, 1e3, { log: true }))).toBe('float(0.001, 1000, log)');
    expect(describeDistribution(choice(['a', 1, null]))).toBe('choice(["a", 1, null])');
    expect(describeDistribution(choice({ a: {}, b: {} }))).toBe('choice({ a, b })');
  });
});

const params: DagParamSchema[] = [
  { name: 'algorithm', schema: { enum: ['forest', 'knn', 'logreg'] } as never },
  { name: 'task', schema: { enum: ['auto', 'binary'] } as never },
  { name: 'folds', schema: { type: 'integer', minimum: 2, maximum: 50 } as never },
  { name: 'data', schema: { type: 'string' } as never },
  { name: 'forest.nEstimators', schema: { type: 'integer', minimum: 1 } as never },
  { name: 'forest.maxDepth', schema: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] } as never },
  { name: 'logreg.C', schema: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] } as never },
  { name: 'knn.k', schema: { type: 'integer', minimum: 1 } as never },
];

/** The one message spaceErrors gives for a one-param space. */
const only = (space: Space, fixed?: Record<string, unknown>): string => {
  const errors = spaceErrors(space, params, { fixed });
  expect(errors).toHaveLength(1);
  return errors[0];
};

describe('checkSpace against the DAG params', () => {
  it('accepts a good conditional space, null choices of a nullable param included', () => {
    const space: Space = {
      algorithm: choice({
        forest: { nEstimators: int(50, 500, { log: true }), maxDepth: choice([null, 4, 8]) },
        logreg: { C: float(1e-3, 1e3, { log: true }) },
        knn: { k: int(1, 31, { step: 2 }) },
      }),
      folds: int(3, 10),
    };
    expect(spaceErrors(space, params, { fixed: { data: 'x.csv' } })).toEqual([]);
    expect(() => checkSpace(space, params)).not.toThrow();
  });

  it('names an unknown param with a did-you-mean, else the params under its branch, else all', () => {
    expect(only({ 'forest.nEstimator': int(1, 2) })).toBe("space 'forest.nEstimator': not a param of the DAG; did you mean 'forest.nEstimators'?");
    expect(only({ algorithm: choice({ forest: { trees: int(1, 2) } }) })).toBe(
      "space 'forest.trees': not a param of the DAG; the DAG's params under 'forest.' are forest.nEstimators, forest.maxDepth",
    );
    expect(only({ zzzzzzzz: int(1, 2) })).toMatch(/^space 'zzzzzzzz': not a param of the DAG; the DAG's params are algorithm, task, folds/);
  });

  it("rejects ranges outside the param's schema, naming the end at fault", () => {
    expect(only({ folds: int(1, 10) })).toBe("space 'folds': low 1 is not allowed: folds must be >= 2, got 1; keep the range inside the param's schema");
    expect(only({ folds: int(2, 60) })).toBe("space 'folds': high 60 is not allowed: folds must be <= 50, got 60; keep the range inside the param's schema");
    expect(only({ 'logreg.C': float(0, 10) })).toBe("space 'logreg.C': low 0 is not allowed: logreg.C must be > 0, got 0; keep the range inside the param's schema");
    // The top of a stepped range is its last grid point, which is what a trial can get.
    expect(spaceErrors({ folds: int(2, 50, { step: 4 }) }, params)).toEqual([]);
  });

  it('tells int from float, and numbers from other types', () => {
    expect(only({ folds: float(2, 5) })).toBe("space 'folds': the param takes integers; use int(2, 5) instead of float(2, 5)");
    expect(only({ data: int(1, 2) })).toBe("space 'data': int(1, 2) is numeric but the param is not a number; use choice([…]) of its values");
    expect(spaceErrors({ 'logreg.C': int(1, 100) }, params)).toEqual([]);
  });

  it('checks each choice value and each branch name with the param schema', () => {
    expect(only({ task: choice(['auto', 'bogus']) })).toBe(
      `space 'task': choice 'bogus' is not allowed: task must be one of ["auto","binary"], got "bogus"; remove it from the choice`,
    );
    expect(only({ algorithm: choice({ forest: {}, svm: {} }) })).toBe(
      `space 'algorithm': branch 'svm' is not allowed: algorithm must be one of ["forest","knn","logreg"], got "svm"; rename the branch to one of the param's values`,
    );
  });

  it('refuses a param that is both fixed and swept', () => {
    expect(only({ task: choice(['auto']) }, { task: 'binary' })).toBe(
      `space 'task': the param is both fixed ("binary") and swept; remove it from the fixed params or from the space`,
    );
  });

  it('reports every shape mistake with its fix', () => {
    const cases: Array<[Space, string]> = [
      [{ folds: int(10, 3) }, "space 'folds': empty range int(10, 3): low > high; swap them: int(3, 10)"],
      [{ 'logreg.C': float(0, 1, { log: true }) }, "space 'logreg.C': float(0, 1, { log: true }): a log range needs low > 0; raise low (e.g. 1e-6) or drop log"],
      [{ folds: int(0, 10, { log: true }) }, "space 'folds': int(0, 10, { log: true }): a log range needs low >= 1; raise low or drop log"],
      [{ folds: int(2, 10, { step: 0 }) }, "space 'folds': step must be a positive integer, got 0"],
      [{ folds: int(2, 10, { step: 1.5 }) }, "space 'folds': step must be a positive integer, got 1.5"],
      [{ 'logreg.C': float(0.1, 1, { step: -0.1 }) }, "space 'logreg.C': step must be a positive finite number, got -0.1"],
      [{ folds: int(2, 10, { step: 3 }) }, "space 'folds': step 3 does not divide high − low = 8; use high = 8 or another step"],
      [{ 'logreg.C': float(0.1, 1, { step: 0.4 }) }, "space 'logreg.C': step 0.4 does not divide high − low = 0.9; use high = 0.9 or another step"],
      [{ 'logreg.C': float(0.1, 1, { log: true, step: 0.1 }) }, "space 'logreg.C': float(0.1, 1, { log: true }): log and step cannot be combined (as in Optuna); drop one of them"],
      [{ folds: int(2, 10, { log: true, step: 2 }) }, "space 'folds': int(2, 10, { log: true }): log and step cannot be combined (as in Optuna); drop one of them"],
      [{ 'logreg.C': float(0, Infinity) }, "space 'logreg.C': float(0, Infinity) needs finite numbers as bounds; give both low and high as finite numbers"],
      [{ folds: int(NaN, 3) }, "space 'folds': int(NaN, 3) needs finite numbers as bounds; give both low and high as finite numbers"],
      [{ folds: int(2.5, 10) }, "space 'folds': int(2.5, 10) needs integer bounds; use float(2.5, 10) for a real-valued param"],
      [{ task: choice([]) }, "space 'task': choice([]) has nothing to choose; list at least one value"],
      [{ task: choice(['auto', 'auto']) }, `space 'task': "auto" is listed twice in choice(); list each value once`],
      [{ task: choice([{ a: 1 }] as never) }, `space 'task': choice values must be strings, finite numbers, booleans, null or flat arrays of them, got {"a":1}`],
      [{ algorithm: choice({}) }, "space 'algorithm': a conditional choice needs at least one branch, e.g. choice({ forest: { nEstimators: int(50, 500) } })"],
      [{ folds: { kind: 'uniform', low: 1 } as never }, `space 'folds': expected int(…), float(…) or choice(…), got {"kind":"uniform","low":1}`],
      [
        { 'forest.nEstimators': int(1, 5), algorithm: choice({ forest: { nEstimators: int(1, 9) } }) },
        "space 'forest.nEstimators': the param is swept twice (a top-level name and a branch's param flatten to the same name); keep one",
      ],
    ];
    for (const [space, message] of cases) expect(spaceErrors(space, params)).toEqual([message]);
    // Float steps need a tolerance: (1 - 0.1) / 0.1 = 9.000000000000002 still divides.
    expect(spaceErrors({ 'logreg.C': float(0.1, 1, { step: 0.1 }) }, params)).toEqual([]);
  });

  it('collects every problem into one ValidationError, and words a single one on one line', () => {
    let error: unknown;
    try {
      checkSpace({ folds: int(10, 3), task: choice(['x']), 'forest.nEstimator': int(1, 2) }, params, { fixed: { task: 'auto' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      [
        'sweep space has 4 problems:',
        "  - space 'folds': empty range int(10, 3): low > high; swap them: int(3, 10)",
        "  - space 'forest.nEstimator': not a param of the DAG; did you mean 'forest.nEstimators'?",
        `  - space 'task': the param is both fixed ("auto") and swept; remove it from the fixed params or from the space`,
        `  - space 'task': choice 'x' is not allowed: task must be one of ["auto","binary"], got "x"; remove it from the choice`,
      ].join('\n'),
    );
    expect(() => checkSpace({ folds: int(10, 3) }, params)).toThrow(
      new ValidationError("sweep space 'folds': empty range int(10, 3): low > high; swap them: int(3, 10)"),
    );
    expect(() => checkSpaceShape('nope')).toThrow('sweep space: a space must be an object of param name → int(), float() or choice(), got "nope"');
    expect(() => checkSpaceShape({ n: int(1, 3) })).not.toThrow();
  });

  it("checks against the real dags/tabular.ts params (BuiltDag.params as it is)", () => {
    const built = tabular.build({ params: { data: 'test/fixtures/data/iris.csv', target: 'species' } });
    const space: Space = {
      algorithm: choice({
        logreg: { C: float(1e-3, 1e3, { log: true }) },
        forest: { nEstimators: int(50, 500, { log: true }), maxDepth: choice([null, 4, 8, 16]), maxFeatures: choice(['sqrt', 'all', 0.5]) },
        knn: { k: int(1, 31, { step: 2 }), standardize: choice([true, false]) },
        mlp: { learningRate: float(1e-4, 1e-1, { log: true }), activation: choice(['relu', 'tanh']) },
        bayes: {},
      }),
    };
    expect(spaceErrors(space, built.params, { fixed: { data: 'test/fixtures/data/iris.csv', target: 'species' } })).toEqual([]);
    expect(spaceErrors({ algorithm: choice({ forest: { maxFeatures: choice(['cube']) }, svm: {} }), 'knn.k': int(0, 5) }, built.params)).toEqual([
      `space 'algorithm': branch 'svm' is not allowed: algorithm must be one of ["logreg","linear","mlp","forest","tree","knn","bayes"], got "svm"; rename the branch to one of the param's values`,
      "space 'forest.maxFeatures': choice 'cube' is not allowed: forest.maxFeatures must be one of [\"auto\",\"sqrt\",\"log2\",\"all\"], got \"cube\"; remove it from the choice",
      "space 'knn.k': low 0 is not allowed: knn.k must be >= 1, got 0; keep the range inside the param's schema",
    ]);
  });
});
