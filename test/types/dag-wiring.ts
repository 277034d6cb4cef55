/**
 * Compile-time checks, run by `npm test` through `tsc --noEmit`: each `@ts-expect-error` line must
 * be an error, so if the typing that rejects it breaks, tsc reports an unused directive and fails.
 */
import { dag, defineTask, Json, many, Metrics, Table, Type } from '../../core/index.ts';
import { Model } from '../../plugins/kinds.ts';

const load = defineTask({
  name: 'types/load', version: 1,
  params: Type.Object({ path: Type.String(), limit: Type.Optional(Type.Number()) }),
  inputs: {}, outputs: { table: Table },
  run: () => { throw new Error('not run'); },
});
const train = defineTask({
  name: 'types/train', version: 1,
  params: Type.Object({ lr: Type.Number({ default: 0.01 }) }),
  inputs: { table: Table }, outputs: { model: Model },
  run: () => { throw new Error('not run'); },
});
const score = defineTask({
  name: 'types/score', version: 1,
  params: Type.Object({}),
  inputs: { model: Model, table: Table }, outputs: { metrics: Metrics },
  run: () => { throw new Error('not run'); },
});
const average = defineTask({
  name: 'types/average', version: 1,
  params: Type.Object({}),
  inputs: { runs: many(Metrics) }, outputs: { summary: Json },
  run: ({ runs }) => ({ summary: runs.length }),
});

export const ok = dag('types', (b) => {
  const lr = b.param('lr', Type.Number(), 0.01);
  const { table } = b.add('load', load, {}, { path: 'x.csv' });
  const { model } = b.add('train', train, { table }, { lr });
  const { metrics } = b.add('score', score, { model, table });
  b.add('avg', average, { runs: [metrics, metrics] });

  // @ts-expect-error a Table wired into a Model input
  b.add('bad-kind', score, { model: table, table });
  // @ts-expect-error a missing input
  b.add('missing-input', score, { model });
  // @ts-expect-error an extra input the task does not declare
  b.add('extra-input', train, { table, other: table });
  // @ts-expect-error a misspelled output
  b.add('typo-output', score, { model: b.add('t2', train, { table }).modle, table });
  // @ts-expect-error a wrong param type
  b.add('bad-param', train, { table }, { lr: 'fast' });
  // @ts-expect-error an unknown param
  b.add('unknown-param', train, { table }, { learningRate: 0.1 });
  // @ts-expect-error a DAG param whose default has the wrong type
  b.param('epochs', Type.Integer(), 'ten');
  // @ts-expect-error a single ref where a fan-in list is expected
  b.add('not-a-list', average, { runs: metrics });
  // @ts-expect-error a list of the wrong kind in a fan-in
  b.add('wrong-list', average, { runs: [table] });
  return { metrics };
});

// Task bodies are typed too: inputs, params and outputs.
export const typedRun = defineTask({
  name: 'types/typed-run', version: 1,
  params: Type.Object({ factor: Type.Number() }),
  inputs: { value: Json, table: Table }, outputs: { rows: Json },
  run: ({ table }, { factor }) => {
    const n: number = table.numRows() * factor;
    // @ts-expect-error params are typed: factor is a number
    const wrong: string = factor;
    void wrong;
    return { rows: n };
  },
});

export const missingOutput = defineTask({
  name: 'types/missing-output', version: 1, params: Type.Object({}), inputs: {}, outputs: { a: Json, b: Metrics },
  // @ts-expect-error run must return every declared output
  run: () => ({ a: 1 }),
});
