import type { TSchema } from 'typebox';
import { ValidationError } from '../errors.ts';
import { callerModuleUrl } from './caller-module.ts';
import type { InputPorts, Ports, Task, TaskSpec } from './types.ts';
import { registerTask } from './registry.ts';
import { compileParams } from './validate-params.ts';

const NAME = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)+$/;

/**
 * Defines a task: typed params (TypeBox), typed input and output ports, and a pure `run`.
 * @example
 * export const scale = defineTask({
 *   name: 'demo/scale', version: 1,
 *   params: Type.Object({ factor: Type.Number({ default: 2 }) }),
 *   inputs: { value: Json }, outputs: { value: Json },
 *   run: ({ value }, { factor }) => ({ value: value * factor }),
 * });
 */
export function defineTask<P extends TSchema, I extends InputPorts, O extends Ports>(
  spec: TaskSpec<P, I, O>,
): Task<P, I, O> {
  if (!NAME.test(spec.name)) {
    throw new ValidationError(
      `defineTask: name must look like '<category>/<name>' in kebab-case (e.g. 'splitters/train-test'), got '${spec.name}'`,
    );
  }
  for (const [side, ports] of [['inputs', spec.inputs], ['outputs', spec.outputs]] as const) {
    for (const [port, kind] of Object.entries((ports ?? {}) as Record<string, any>)) {
      if (!kind || typeof (kind.many ? kind.item : kind).encode !== 'function') {
        throw new ValidationError(`defineTask '${spec.name}': ${side}.${port} must be an artifact kind (Json, Table, …)`);
      }
    }
  }
  if (spec.codeFiles !== undefined && (!Array.isArray(spec.codeFiles) || spec.codeFiles.some((f) => typeof f !== 'string' || f === ''))) {
    throw new ValidationError(`defineTask '${spec.name}': codeFiles must be a list of file paths relative to the task's module, e.g. ['./handlers/a.ts']`);
  }
  if (spec.environment !== undefined && typeof spec.environment !== 'function') {
    throw new ValidationError(`defineTask '${spec.name}': environment must be a function returning { name: value } strings`);
  }
  const moduleUrl = spec.moduleUrl ?? callerModuleUrl(2);
  if (!moduleUrl) throw new ValidationError(`defineTask '${spec.name}': cannot tell which file defines it; pass moduleUrl: import.meta.url`);
  const task = Object.freeze({
    ...spec,
    ref: { moduleUrl, name: spec.name },
    validateParams: compileParams(spec.params),
    __brand: 'mlcycle.Task' as const,
  });
  registerTask(task);
  return task;
}
