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
