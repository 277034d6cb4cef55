import type { MessagePort } from 'node:worker_threads';
import { openBlobStore, type BlobStore } from '../artifacts/blob-store.ts';
import { toErrorInfo, type ErrorInfo } from '../errors.ts';
import { resolveTask } from '../task/registry.ts';
import type { TaskRef } from '../task/types.ts';
import { executeTask } from './execute-task.ts';
import type { ExecRequest, ExecResult } from './types.ts';

/** What the main thread sends a worker: the request and a port for logs, reports and the abort. */
export interface WorkerMessage {
  request: ExecRequest;
  port: MessagePort;
}

export type WorkerReply = { ok: true; result: ExecResult } | { ok: false; error: ErrorInfo };

const stores = new Map<string, BlobStore>();
// Set by worker.mjs to its jiti instance: task modules load through it, so TypeScript works here and
// they share this module's registry.
let loadModule: (url: string) => Promise<unknown> = (url) => import(url);

export function setModuleLoader(loader: (url: string) => Promise<unknown>): void {
  loadModule = loader;
}

// The same lookup as in process (registry.ts), so an unknown task is the same non-retryable
// ValidationError on both sides; toErrorInfo carries its code back across the thread.
const resolveInWorker = (ref: TaskRef) => resolveTask(ref, loadModule);

/**
 * Runs one request in this worker; errors come back as data so retryability survives the thread hop.
 * A `preload` message only loads task modules, to warm the worker before its first real request.
 */
export async function runInWorker(message: WorkerMessage | { preload: TaskRef[] }): Promise<WorkerReply | { ok: true }> {
  if ('preload' in message) {
    for (const ref of message.preload) await resolveInWorker(ref).catch(() => undefined);
    return { ok: true };
  }
  const { request, port } = message;
  const controller = new AbortController();
  port.on('message', (m: { type: string }) => {
    if (m.type === 'abort') controller.abort(new Error('aborted'));
  });
  try {
    const task = await resolveInWorker(request.task);
    let blobs = stores.get(request.objectsRoot);
    if (!blobs) stores.set(request.objectsRoot, (blobs = openBlobStore(request.objectsRoot)));
    const result = await executeTask(task, request, blobs, {
      signal: controller.signal,
      onLog: (level, message) => port.postMessage({ type: 'log', level, message }),
      onReport: (step, metrics) => port.postMessage({ type: 'report', step, metrics }),
    });
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  } finally {
    // The last message on the port: the main thread waits for it, so no log or report queued
    // before it is lost when the port closes.
    port.postMessage({ type: 'end' });
    port.close();
  }
}
