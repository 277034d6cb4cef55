import { cpus } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { fromErrorInfo } from '../errors.ts';
import type { ExecHooks, ExecRequest, ExecResult, Executor } from './types.ts';
import type { WorkerReply } from './worker-entry.ts';

/**
 * Runs tasks in a pool of worker threads (piscina), so CPU-bound work such as training uses every
 * core. Requests are plain data; logs and per-step reports come back over a MessagePort.
 * @example
 * const ex = threadsExecutor({ threads: 2 });
 */
export function threadsExecutor(options: { threads?: number } = {}): Executor {
  const threads = Math.max(1, options.threads ?? cpus().length);
  let pool: Piscina | undefined;
  const getPool = () =>
    (pool ??= new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: 1,
      maxThreads: threads,
      // Keep idle workers: starting one (jiti + tfjs) costs far more than an idle thread.
      idleTimeout: 60_000,
    }));
  return {
    name: 'threads',
    async execute(request: ExecRequest, hooks: ExecHooks): Promise<ExecResult> {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (m: any) => {
        if (m.type === 'log') hooks.onLog(m.level, m.message);
        else if (m.type === 'report') hooks.onReport(m.step, m.metrics);
      });
      const onAbort = () => port1.postMessage({ type: 'abort' });
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const reply = (await getPool().run({ request, port: port2 }, { transferList: [port2] })) as WorkerReply;
        if (!reply.ok) throw fromErrorInfo(reply.error);
        return reply.result;
      } finally {
        hooks.signal.removeEventListener('abort', onAbort);
        port1.close();
      }
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
