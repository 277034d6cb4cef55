import { ValidationError } from '../errors.ts';
import type { AnyTask, TaskRef } from './types.ts';

// Every defineTask call registers here, so an executor that loaded a task's module (in this thread
// or a worker) can find the task by its reference without knowing the export name.
const tasks = new Map<string, AnyTask>();

const keyOf = (ref: TaskRef) => `${ref.moduleUrl}#${ref.name}`;

export function registerTask(task: AnyTask): void {
  tasks.set(keyOf(task.ref), task);
}

/** The task a reference names, if its module has been loaded in this thread. */
export function lookupTask(ref: TaskRef): AnyTask | undefined {
  return tasks.get(keyOf(ref));
}

/**
 * The task a reference names, loading its module with `load` first when this thread has not yet
 * (each executor loads modules its own way: `import` on the main thread, jiti in a worker). A module
 * that loads but does not define the task is a ValidationError, so it is never retried, wherever it
 * runs: loading the same module again cannot define it (typically the task is made inside a function,
 * such as a DAG's builder, which a worker never calls).
 * @example
 * const task = await resolveTask(node.task.ref, (url) => import(url));
 */
export async function resolveTask(ref: TaskRef, load: (moduleUrl: string) => Promise<unknown>): Promise<AnyTask> {
  const known = lookupTask(ref);
  if (known) return known;
  await load(ref.moduleUrl);
  const task = lookupTask(ref);
  if (!task) {
    throw new ValidationError(
      `task '${ref.name}' is not defined by ${ref.moduleUrl} once that module is loaded: ` +
        'define tasks with defineTask at the top level of a module (not inside a function such as a DAG builder), ' +
        'so every executor, worker threads included, finds them by loading the module',
    );
  }
  return task;
}
