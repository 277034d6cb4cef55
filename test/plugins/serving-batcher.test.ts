import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataError } from '../../core/index.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { PredictBatcher } from '../../plugins/serving/_batcher.ts';
import { loadModel, type LoadedModel } from '../../plugins/serving/load-model.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
let model: LoadedModel;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-batcher-'));
  tree = await trainPenguins('tree');
  const { model: m, transform, problem, schema, reference } = tree;
  const dir = path.join(root, 'bundle');
  await runTask(bundle, { model: m, transform, problem, schema, metrics: { accuracy: 0.95 }, reference }, { out: dir, name: 'penguins' },
    makeContext({ run: { id: 'r', dag: 'penguins', params: {} } }));
  model = await loadModel(dir);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('PredictBatcher (adaptive batching in serve)', () => {
  it('gives each of many concurrent requests exactly what predicting it alone gives, in fewer model calls', async () => {
    const rows = tree.rows.test.filter((r) => Object.values(r).every((v) => v !== null)).map(({ Species: _s, ...f }) => f);
    const requests = Array.from({ length: 40 }, (_, i) => rows.slice(i % rows.length, (i % rows.length) + 1 + (i % 3)));
    let calls = 0;
    const counted: LoadedModel = { ...model, predict: (r, o) => (calls++, model.predict(r, o)) };
    const batcher = new PredictBatcher(counted);
    const batched = await Promise.all(requests.map((r) => batcher.predict(r)));
    for (let i = 0; i < requests.length; i++) expect(batched[i]).toEqual(await model.predict(requests[i]!));
    // The first request goes alone; the 39 that arrived while it ran go together.
    expect(calls).toBe(2);
  });

  it('fails only the request with an invalid row, numbering rows within that request', async () => {
    const good = tree.rows.test.filter((r) => Object.values(r).every((v) => v !== null)).map(({ Species: _s, ...f }) => f);
    const batcher = new PredictBatcher(model);
    const results = await Promise.allSettled([
      batcher.predict([good[0]!]),
      batcher.predict([good[1]!]),
      batcher.predict([good[2]!, { ...good[3]!, Island: 'Atlantis' }]),
      batcher.predict([good[4]!]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const err = (results[2] as PromiseRejectedResult).reason as Error;
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/^1 of 2 input rows are not like the training data:\n {2}row 2: column 'Island' = "Atlantis"/);
    expect((results[3] as PromiseFulfilledResult<Array<Record<string, unknown>>>).value[0]).not.toHaveProperty('invalid_reason');
  });
});
