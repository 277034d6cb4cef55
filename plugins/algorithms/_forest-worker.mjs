// Worker-thread entry for a forest's trees (spawned by _forest-pool.ts). Plain JS because it must run
// before TypeScript can load: it creates a jiti instance, as core/executors/worker.mjs does, and loads
// only the tree grower (no core imports, so a worker starts in milliseconds from jiti's disk cache).
// In the published package (dist/, compiled by `npm run build`) there is no .ts beside this file: it
// imports the compiled _forest-tree.js natively, with no jiti at all.
// The training columns arrive in SharedArrayBuffers: every worker reads the same memory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const source = fileURLToPath(new URL('./_forest-tree.ts', import.meta.url));
const { growForestTree } = existsSync(source)
  ? await (await import('jiti')).createJiti(import.meta.url, { fsCache: true, moduleCache: true, tryNative: false }).import(source)
  : await import('./_forest-tree.js');
const { data, options } = workerData;

// One message per tree index; the tree goes back with its buffers transferred, not copied.
parentPort.on('message', (t) => {
  try {
    const tree = growForestTree(data, t, options);
    parentPort.postMessage({ t, tree }, [tree.feature.buffer, tree.threshold.buffer, tree.left.buffer, tree.right.buffer, tree.value.buffer]);
  } catch (err) {
    parentPort.postMessage({ t, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
