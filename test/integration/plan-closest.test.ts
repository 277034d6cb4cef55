/**
 * `plan` explains a node that must run against its closest earlier cache entry (fewest differences,
 * then newest), not merely the last one: in a study the last is the previous trial.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dag, defineTask, Json, planDag, runDag, Type } from '../../core/index.ts';

const home = () => mkdtempSync(join(tmpdir(), 'mlcycle-plan-closest-'));

const pair = defineTask({
  name: 'test/pair', version: 1,
  params: Type.Object({ a: Type.Number(), b: Type.Number() }),
  inputs: {}, outputs: { value: Json },
  run: (_i, { a, b }) => ({ value: a * 100 + b }),
});

const scale = defineTask({
  name: 'test/scale', version: 1,
  params: Type.Object({ k: Type.Number() }),
  inputs: { value: Json }, outputs: { value: Json },
  run: ({ value }, { k }) => ({ value: (value as number) * k }),
});

const sideFile = defineTask({
  name: 'test/side-file', version: 1,
  params: Type.Object({ path: Type.String() }),
  inputs: { value: Json }, outputs: { value: Json },
  files: ({ path }) => [path],
  run: ({ value }) => ({ value }),
});

// A linear fixture: `pair` takes params a and b, `scale` below it takes k.
const linear = dag('plan-closest', (b) => {
  const a = b.param('a', Type.Number(), 1);
  const bb = b.param('b', Type.Number(), 1);
  const k = b.param('k', Type.Number(), 1);
  const p = b.add('pair', pair, {}, { a, b: bb });
  return { out: b.add('scale', scale, { value: p.value }, { k }).value };
});

async function runWith(h: string, params: Record<string, number>) {
  const summary = await runDag(linear.build({ params }), { home: h, concurrency: 1 }).done;
  expect(summary.status).toBe('succeeded');
}

const reasonsOf = (h: string, params: Record<string, number>) =>
  Object.fromEntries(planDag(linear.build({ params }), { home: h }).map((e) => [e.id, { state: e.state, reasons: e.reasons }]));

describe('planDag: the closest earlier entry', () => {
  it('names only the param that differs from the closest run, not from the last one', async () => {
    const h = home();
    await runWith(h, { a: 1, b: 1, k: 1 });
    await runWith(h, { a: 2, b: 2, k: 2 });
    const plan = reasonsOf(h, { a: 1, b: 3, k: 1 });
    // The last run (a=2, b=2) differs in a and b; the first (a=1, b=1) in b only.
    expect(plan.pair).toEqual({ state: 'stale', reasons: ['param b changed (1 → 3)'] });
    // Below a node that must run, the inputs are unknown: k=1 matches the first run exactly.
    expect(plan.scale).toEqual({ state: 'stale', reasons: ["upstream 'pair' will run first"] });
  });

  it('breaks a tie by the newest entry', async () => {
    const h = home();
    await runWith(h, { a: 1, b: 1, k: 1 });
    await runWith(h, { a: 2, b: 2, k: 1 });
    // One difference from each run: the newer (a=2, b=2) is the one explained against.
    expect(reasonsOf(h, { a: 1, b: 2, k: 1 }).pair.reasons).toEqual(['param a changed (2 → 1)']);
  });

  it('serves the entry of the same key as cached, whatever ran since', async () => {
    const h = home();
    await runWith(h, { a: 1, b: 1, k: 1 });
    await runWith(h, { a: 2, b: 2, k: 2 });
    await runWith(h, { a: 3, b: 3, k: 3 });
    const plan = reasonsOf(h, { a: 1, b: 1, k: 1 });
    expect(plan.pair.state).toBe('cached');
    expect(plan.scale.state).toBe('cached');
  });

  it('below a node that must run, takes a declared file it cannot read yet as unchanged', async () => {
    const h = home();
    const data = join(h, 'side.csv');
    const readsFile = dag('plan-closest-file', (b) => {
      const a = b.param('a', Type.Number(), 1);
      const p = b.add('pair', pair, {}, { a, b: 1 });
      return { out: b.add('side', sideFile, { value: p.value }, { path: data }).value };
    });
    writeFileSync(data, 'x\n1\n');
    expect((await runDag(readsFile.build(), { home: h, concurrency: 1 }).done).status).toBe('succeeded');
    rmSync(data); // as if the upstream node wrote it
    const plan = planDag(readsFile.build({ params: { a: 2 } }), { home: h });
    expect(plan.map((e) => [e.id, e.state, e.reasons])).toEqual([
      ['pair', 'stale', ['param a changed (1 → 2)']],
      ['side', 'stale', ["upstream 'pair' will run first"]],
    ]);
  });

  it('says never run before for a node with no history in this DAG', async () => {
    const h = home();
    expect(reasonsOf(h, { a: 1, b: 1, k: 1 }).pair).toEqual({ state: 'new', reasons: ['never run before'] });
  });
});
