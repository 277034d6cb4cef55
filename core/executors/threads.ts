import { cpus } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { fromErrorInfo } from '../errors.ts';
import type { TaskRef } from '../task/types.ts';
import type { ExecHooks, ExecRequest, ExecResult, Executor } from './types.ts';
import type { WorkerReply } from './worker-entry.ts';

// One pool per thread count for the whole process, shared by every run: starting a worker (jiti,
// the task's modules, TensorFlow.js and its wasm backend) costs seconds, a warm one nothing. Idle
// piscina workers are unref'd, so a pool left open does not keep the process alive.
const pools = new Map<number, Piscina>();

function sharedPool(threads: number): Piscina {
  let pool = pools.get(threads);
  if (!pool) {
    pool = new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 60_000,
    });
    pools.set(threads, pool);
  }
  return pool;
}

/**
 * Stops every shared worker pool (tests, or a long-lived host shutting down).
 * @example
 * afterAll(() => closeWorkerPools());
 */
export async function closeWorkerPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.destroy()));
}

/**
 * Runs tasks in a pool of worker threads (piscina), so CPU-bound work such as training uses every
 * core. Requests are plain data; logs and per-step reports come back over a MessagePort.
 * @example
 * const ex = threadsExecutor({ threads: 2 });
 */
export function threadsExecutor(options: { threads?: number } = {}): Executor {
  const threads = Math.max(1, options.threads ?? cpus().length);
  return {
    name: 'threads',
    warm(tasks: TaskRef[]) {
      // Load the tasks' modules in a worker while the run's first nodes work on the main thread.
      sharedPool(threads).run({ preload: tasks }).catch(() => undefined);
    },
    async execute(request: ExecRequest, hooks: ExecHooks): Promise<ExecResult> {
      const { port1, port2 } = new MessageChannel();
      // Messages may still be queued when the pool's promise settles: wait for the worker's 'end'
      // (or the port closing, if the worker died) before closing our side.
      const drained = new Promise<void>((resolve) => {
        port1.on('close', resolve);
        port1.on('message', (m: any) => {
          if (m.type === 'log') hooks.onLog(m.level, m.message);
          else if (m.type === 'report') hooks.onReport(m.step, m.metrics);
          else if (m.type === 'end') resolve();
        });
      });
      const onAbort = () => port1.postMessage({ type: 'abort' });
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const reply = (await sharedPool(threads).run({ request, port: port2 }, { transferList: [port2] })) as WorkerReply;
        await drained;
        if (!reply.ok) throw fromErrorInfo(reply.error);
        return reply.result;
      } finally {
        hooks.signal.removeEventListener('abort', onAbort);
        port1.close();
      }
    },
    // The pool is shared across runs; see closeWorkerPools.
    async close() {},
  };
}
