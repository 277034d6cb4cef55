import { openBlobStore, type BlobStore } from '../artifacts/blob-store.ts';
import { ValidationError } from '../errors.ts';
import { lookupTask } from '../task/registry.ts';
import type { TaskRef } from '../task/types.ts';
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
      const task = await resolveTask(req.task);
      let blobs = stores.get(req.objectsRoot);
      if (!blobs) stores.set(req.objectsRoot, (blobs = openBlobStore(req.objectsRoot)));
      return executeTask(task, req, blobs, hooks);
    },
    async close() {},
  };
}

export async function resolveTask(ref: TaskRef) {
  let task = lookupTask(ref);
  if (!task) {
    await import(ref.moduleUrl);
    task = lookupTask(ref);
  }
  if (!task) throw new ValidationError(`task '${ref.name}' is not defined by ${ref.moduleUrl}`);
  return task;
}
