import { pathToFileURL } from 'node:url';

/**
 * The file URL of the module that called the function calling this one, read from a stack trace.
 * Why: a task must be loadable by URL in another thread or machine, and asking every author to pass
 * `import.meta.url` is a chore they will forget. Works under plain Node, jiti and jest alike, because
 * all of them keep the original file path in stack frames.
 */
export function callerModuleUrl(depth = 2): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth + 8;
  Error.captureStackTrace(holder, callerModuleUrl);
  Error.stackTraceLimit = limit;
  const frames = (holder.stack ?? '').split('\n').slice(1);
  for (const frame of frames.slice(depth - 1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(frame);
    if (!m) continue;
    const file = m[1];
    if (file.includes('/node_modules/') && !file.includes('/node_modules/mlcycle/')) continue;
    return file.startsWith('file://') ? file : pathToFileURL(file).href;
  }
  return undefined;
}
