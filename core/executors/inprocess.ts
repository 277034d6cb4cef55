import { openBlobStore, type BlobStore } from '../artifacts/blob-store.ts';
import { resolveTask } from '../task/registry.ts';
import { executeTask } from './execute-task.ts';
import type { ExecHooks, ExecRequest, ExecResult, Executor } from './types.ts';

/**
 * Runs tasks on the main thread. Tasks are found by reference in the registry that `defineTask`
 * fills, i.e. the modules the DAG file already loaded; a module not yet loaded is imported by URL.
 * @example
 * const ex = inProcessExecutor();
 */
export function inProcessExecutor(): Executor {
  const stores = new Map<string, BlobStore>();
  return {
    name: 'inprocess',
    async execute(req: ExecRequest, hooks: ExecHooks): Promise<ExecResult> {
      const task = await resolveTask(req.task, (url) => import(url));
      let blobs = stores.get(req.objectsRoot);
      if (!blobs) stores.set(req.objectsRoot, (blobs = openBlobStore(req.objectsRoot)));
      return executeTask(task, req, blobs, hooks);
    },
    async close() {},
  };
}
