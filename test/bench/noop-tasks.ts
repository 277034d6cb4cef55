// The no-op work every benchmark variant measures: pass a value through unchanged.
import { defineTask, Json, many, Type } from '../../core/index.ts';

export const start = defineTask({
  name: 'bench/start', version: 1, params: Type.Object({}), inputs: {}, outputs: { value: Json },
  run: () => ({ value: 0 }),
});

export const pass = defineTask({
  name: 'bench/pass', version: 1, params: Type.Object({}), inputs: { value: Json }, outputs: { value: Json },
  run: ({ value }) => ({ value }),
});

export const join = defineTask({
  name: 'bench/join', version: 1, params: Type.Object({}), inputs: { values: many(Json) }, outputs: { value: Json },
  run: ({ values }) => ({ value: values.length }),
});
