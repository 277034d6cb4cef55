import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyTask, StepMetrics, TaskContext } from '../../core/index.ts';

/** A real TaskContext for calling a task's `run` directly in tests; collects logs and reports. */
export function makeContext(overrides: Partial<TaskContext> = {}): TaskContext & {
  logs: string[];
  reports: Array<{ step: number; metrics: StepMetrics }>;
} {
  const logs: string[] = [];
  const reports: Array<{ step: number; metrics: StepMetrics }> = [];
  return {
    signal: new AbortController().signal,
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      debug: (m) => logs.push(`debug: ${m}`),
    },
    report: (step, metrics) => reports.push({ step, metrics }),
    seed: 42,
    threads: 1,
    nodeId: 'test',
    attempt: 1,
    run: { id: 'test-run', dag: 'test', params: {} },
    // Never created: a test whose task writes to the workspace passes its own temp home.
    home: join(tmpdir(), 'mlcycle-test-home-unused'),
    logs,
    reports,
    ...overrides,
  };
}

/**
 * Runs a task the way the engine does: params validated with defaults filled, then `run`.
 * Throws the validation messages when params are invalid.
 */
export async function runTask<T extends AnyTask>(
  task: T,
  inputs: Record<string, unknown>,
  params: Record<string, unknown> = {},
  ctx: TaskContext = makeContext(),
): Promise<Record<string, any>> {
  const { value, errors } = task.validateParams(params);
  if (errors.length) throw new Error(errors.join('\n'));
  return (await task.run(inputs as any, value, ctx)) as Record<string, any>;
}
