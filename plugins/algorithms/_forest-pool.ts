/**
 * Grows a forest's trees on `jobs` threads: this one and `jobs - 1` workers. The columns are already
 * in SharedArrayBuffers (`cartData(…, shared = true)`), so memory stays one copy of the data however
 * many workers run. Trees are handed out one index at a time, so a thread that drew deep trees does
 * not hold the others up, and every tree's randomness comes from its own index (`_forest-tree.ts`):
 * the forest does not depend on which thread grew what. This thread grows trees too: it starts at
 * once while the workers boot (loading jiti takes a few hundred ms), and it saves one thread.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, MlcycleError } from '../../core/index.ts';
import type { CartData, CartTree } from './_cart.ts';
import { growForestTree, type TreeOptions } from './_forest-tree.ts';

const ENTRY = new URL('./_forest-worker.mjs', import.meta.url);
// Trees queued per worker: this thread only answers between its own trees, so a worker that
// finishes one must already hold the next.
const QUEUED = 2;

/** What a parallel growth may be told: when to stop, and each tree as it is grown. */
export interface GrowHooks {
  signal?: AbortSignal;
  /** Called on this thread once per tree, in the order trees finish (not index order). */
  onTree?: (t: number, tree: CartTree) => void;
}

/**
 * Grows trees 0..count-1 on this thread and `jobs - 1` workers; rejects with CancelledError (workers
 * terminated) when `signal` aborts.
 * @example
 * const trees = await growParallel(cartData(x, y, 3, true), 100, options, 2, { signal });
 */
export async function growParallel(data: CartData, count: number, o: TreeOptions, jobs: number, hooks: GrowHooks = {}): Promise<CartTree[]> {
  const { signal, onTree } = hooks;
  if (signal?.aborted) throw new CancelledError('random forest: cancelled');
  const trees: CartTree[] = new Array(count);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let failure: Error | undefined;
  let wake = () => {};
  const stop = (err?: Error) => {
    failure ??= err;
    wake();
  };
  const onAbort = () => stop(new CancelledError('random forest: cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let j = 1; j < Math.min(jobs, count); j++) {
      const worker = new Worker(ENTRY, { workerData: { data, options: o } });
      workers.push(worker);
      worker.on('message', (msg: { t: number; tree?: CartTree; error?: string }) => {
        if (msg.error !== undefined) return stop(new MlcycleError(`random forest: tree ${msg.t} failed in a worker: ${msg.error}`));
        trees[msg.t] = msg.tree!;
        if (next < count) worker.postMessage(next++);
        onTree?.(msg.t, msg.tree!);
        if (++done === count) wake();
      });
      worker.on('error', (err) => stop(new MlcycleError(`random forest: a tree worker failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (done < count) stop(new MlcycleError(`random forest: a tree worker exited early with code ${code}`));
      });
      for (let q = 0; q < QUEUED && next < count; q++) worker.postMessage(next++);
    }
    while (next < count && !failure) {
      const t = next++;
      trees[t] = growForestTree(data, t, o);
      done++;
      onTree?.(t, trees[t]);
      await new Promise((r) => setImmediate(r)); // let worker results and an abort land
    }
    if (done < count && !failure) await new Promise<void>((r) => (wake = r));
    if (failure) throw failure;
    return trees;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const w of workers) void w.terminate();
  }
}
