/**
 * An unknown task is the same non-retryable ValidationError wherever it runs: in process and in a
 * worker thread (where it used to come back as a plain, retried Error). Through the threads executor
 * and through the CLI as a user runs it.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeWorkerPools, inProcessExecutor, isRetryable, threadsExecutor, ValidationError, type ExecRequest, type Executor } from '../../core/index.ts';
import { newHome, parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';

afterAll(() => closeWorkerPools());

const objects = join(mkdtempSync(join(tmpdir(), 'mlcycle-unknown-task-')), 'objects');
// A module that loads fine but defines no task of this name.
const ref = { moduleUrl: pathToFileURL(join(repoRoot, 'test/fixtures/tasks/basic.ts')).href, name: 'test/no-such-task' };
const request: ExecRequest = {
  task: ref, nodeId: 'n', params: {}, inputs: {}, objectsRoot: objects, home: dirname(objects), seed: 1, attempt: 1,
  run: { id: 'r', dag: 'unknown-task', params: {} },
};
const hooks = { signal: new AbortController().signal, onLog: () => undefined, onReport: () => undefined };

describe.each<[string, () => Executor]>([
  ['in-process', () => inProcessExecutor()],
  ['worker threads', () => threadsExecutor({ threads: 1 })],
])('an unknown task, %s', (_name, make) => {
  it('is a non-retryable ValidationError naming the task and the module', async () => {
    const ex = make();
    const err = await ex.execute(request, hooks).catch((e: unknown) => e);
    await ex.close();
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ code: 'VALIDATION', name: 'ValidationError' });
    expect(isRetryable(err)).toBe(false);
    expect((err as Error).message).toContain(`task 'test/no-such-task' is not defined by ${ref.moduleUrl}`);
  });
});

describe('a task a worker cannot find, through the CLI', () => {
  // The task is made inside the DAG's builder: the main thread has it, a worker loading the module
  // never does. With 3 attempts allowed, a retried error would show attempts 3.
  const dir = tempDir();
  const file = join(dir, 'local-task.ts');
  writeFileSync(file, [
    "import { dag, defineTask, Json, Type } from 'mlcycle';",
    "export default dag('local-task', (b) => {",
    "  const local = defineTask({ name: 'test/local', version: 1, params: Type.Object({}), inputs: {}, outputs: { value: Json },",
    '    retry: { maxAttempts: 3, initialDelayMs: 10, backoffCoefficient: 1, jitter: 0 }, run: () => ({ value: 1 }) });',
    "  return { out: b.add('local', local, {}).value };",
    '});',
    '',
  ].join('\n'));

  it('fails the node at once with exit 2 in a worker, and runs in process', async () => {
    const threads = await runCli(['run', file, '--executor', 'threads', '--home', newHome(), '--json'], { cwd: dir });
    expect(threads.code).toBe(2);
    const node = parseJsonStdout(threads).nodes.find((n: { id: string }) => n.id === 'local');
    expect(node).toMatchObject({ status: 'failed', attempts: 1, errorCode: 'VALIDATION' });
    expect(threads.stderr).toContain("task 'test/local' is not defined by");
    const inProcess = await runCli(['run', file, '--executor', 'inprocess', '--home', newHome()], { cwd: dir });
    expect(inProcess.code).toBe(0);
  }, 60_000);
});
