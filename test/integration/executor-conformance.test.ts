/**
 * One conformance suite for the Executor interface, run against every implementation: what a request
 * produces, what its task says, how errors keep their retryability across the boundary, and that an
 * aborted attempt stores nothing.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { closeWorkerPools, inProcessExecutor, isRetryable, Json, threadsExecutor, type ExecHooks, type ExecRequest, type Executor } from '../../core/index.ts';
import { openBlobStore } from '../../core/artifacts/blob-store.ts';
import { add, flaky, sum } from '../fixtures/tasks/basic.ts';

afterAll(() => closeWorkerPools());

const implementations: Array<[string, () => Executor]> = [
  ['in-process', () => inProcessExecutor()],
  ['worker threads', () => threadsExecutor({ threads: 1 })],
];

function hooks(signal = new AbortController().signal) {
  const said: string[] = [];
  const h: ExecHooks = {
    signal,
    onLog: (level, message) => said.push(`${level}: ${message}`),
    onReport: (step, metrics) => said.push(`step ${step}: ${JSON.stringify(metrics)}`),
  };
  return { h, said };
}

describe.each(implementations)('Executor conformance: %s', (_name, make) => {
  const objects = join(mkdtempSync(join(tmpdir(), 'mlcycle-exec-')), 'objects');
  const blobs = openBlobStore(objects);
  const input = (value: unknown) => ({ digest: blobs.write(Json.encode(value)).digest, kind: 'Json' });
  const request = (task: { ref: ExecRequest['task'] }, inputs: ExecRequest['inputs'], params: Record<string, unknown>): ExecRequest => ({
    task: task.ref, nodeId: 'n', params, inputs, objectsRoot: objects, home: dirname(objects), seed: 1, attempt: 1,
    run: { id: 'r', dag: 'conformance', params: {} },
  });

  it('runs a task from plain data and stores its outputs by digest', async () => {
    const ex = make();
    const { h } = hooks();
    const result = await ex.execute(request(add, { value: input(40) }, { amount: 2, delayMs: 0 }), h);
    expect(result.outputs.value.kind).toBe('Json');
    expect(Json.decode(blobs.read(result.outputs.value.digest))).toBe(42);
    await ex.close();
  });

  it('delivers logs and per-step reports before the result, and Metrics values with it', async () => {
    const ex = make();
    const { h, said } = hooks();
    const result = await ex.execute(request(sum, { values: [input(1), input(2), input(3)] }, {}), h);
    expect(said).toEqual(['info: summed 3 values', 'step 1: {"total":6}']);
    expect(result.metrics).toEqual({ total: 6 });
    await ex.close();
  });

  it('keeps retryability across the boundary', async () => {
    const ex = make();
    const token = `${_name}-${Date.now()}`;
    const transient = await ex.execute(request(flaky, {}, { token, failTimes: 1, fatal: false }), hooks().h).catch((e) => e);
    expect((transient as Error).message).toBe('transient failure 1');
    expect(isRetryable(transient)).toBe(true);
    const fatal = await ex.execute(request(flaky, {}, { token: `${token}-f`, failTimes: 1, fatal: true }), hooks().h).catch((e) => e);
    expect(fatal).toMatchObject({ message: 'fatal failure 1', code: 'NON_RETRYABLE' });
    expect(isRetryable(fatal)).toBe(false);
    await ex.close();
  });

  it('stores nothing for an aborted attempt', async () => {
    const ex = make();
    const controller = new AbortController();
    const before = blobs.list().length;
    const pending = ex.execute(request(add, { value: input(7) }, { amount: 1000, delayMs: 5000 }), hooks(controller.signal).h);
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(pending).rejects.toBeDefined();
    expect(blobs.list().length).toBe(before + 1); // only the input written above
    await ex.close();
  });
});
