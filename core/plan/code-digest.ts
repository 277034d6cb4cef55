import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../artifacts/kind.ts';
import { ValidationError } from '../errors.ts';
import { resolveImport } from './resolve-import.ts';
import { clearSourceCache, isSettled, readSource, stampOf } from './source-cache.ts';
import type { FileStamp } from './source-cache.ts';

/** The code version of a task: what its cache key says about the source it runs. */
export interface CodeDigest {
  /** sha256 of canonical JSON of `{ files, packages }`. */
  digest: string;
  /** Each local file (path relative to the task module's folder, `/`-separated) → sha256 of its content. */
  files: Record<string, string>;
  /** Each package imported by a local file → its version (`mlcycle` for the engine itself). */
  packages: Record<string, string>;
  /** Loads with a computed specifier, as `file:line: code (why)`: code the digest cannot see. */
  dynamic: string[];
}

/** What the digest needs of a task: where it is defined and the local files it declares. */
export interface TaskCode {
  name: string;
  ref: { moduleUrl: string };
  codeFiles?: readonly string[];
}

interface Memo {
  result: CodeDigest;
  /** Every file the result was computed from (sources and package.json files), with its stamp then. */
  deps: Array<{ path: string; stamp: FileStamp | undefined }>;
  computedAtMs: number;
}

const memo = new Map<string, Memo>();

/**
 * The digest of the file that defines a task plus the local modules it imports, transitively.
 * Packages count by name and version only; the engine (`mlcycle`, or a path into its `core/`) counts
 * as the package `mlcycle@<version>` so that editing the scheduler does not invalidate every cache.
 * Type-only imports are not followed. Memoised per process, revalidated by stat on every call.
 * @example
 * const { digest, files } = codeDigest(task.ref.moduleUrl);
 * // files: { 'train.ts': '9c…', '../shared/features.ts': '41…' }
 */
export function codeDigest(moduleUrl: string, options: { codeFiles?: readonly string[] } = {}): CodeDigest {
  const root = toPath(moduleUrl);
  const extra = options.codeFiles ?? [];
  const memoKey = [root, ...extra].join('\0');
  const hit = memo.get(memoKey);
  if (hit && isFresh(hit)) return hit.result;
  const computed = compute(root, extra);
  memo.set(memoKey, computed);
  return computed.result;
}

/**
 * The code digest of a task, refusing one whose code loads local modules the digest cannot see (a
 * computed `require(name)` / `import(name)`, anywhere in its local imports) unless the task lists
 * them in `codeFiles`: without that, editing such a module would give a silent stale cache hit.
 * @example
 * const { digest } = taskCodeDigest(node.task); // throws ValidationError naming file, line and fix
 */
export function taskCodeDigest(task: TaskCode): CodeDigest {
  const code = codeDigest(task.ref.moduleUrl, { codeFiles: task.codeFiles });
  if (code.dynamic.length > 0 && task.codeFiles === undefined) {
    const shown = code.dynamic.slice(0, 3).join('; ') + (code.dynamic.length > 3 ? `; and ${code.dynamic.length - 3} more` : '');
    throw new ValidationError(
      `task '${task.name}' loads code the cache key cannot follow: ${shown}. ` +
      `Use a literal specifier (require('./x.ts')), or list every local file it may load in defineTask's ` +
      `codeFiles (paths relative to ${dirname(toPath(task.ref.moduleUrl))}), e.g. codeFiles: ['./plugins/a.ts']; ` +
      `codeFiles: [] says it loads packages only`,
    );
  }
  return code;
}

/**
 * Forgets memoised digests and sources, so the next call re-reads everything.
 * @example
 * clearCodeDigestCache(); // e.g. in a watch loop after a batch of edits
 */
export function clearCodeDigestCache(): void {
  memo.clear();
  clearSourceCache();
}

function toPath(moduleUrl: string): string {
  if (!moduleUrl.startsWith('file:')) return resolve(moduleUrl);
  const url = new URL(moduleUrl);
  // Loaders append cache-busting queries (`?t=…`); the file is the same.
  url.search = '';
  url.hash = '';
  return fileURLToPath(url);
}

/** Unchanged since computed: every stamp equal, and none too recent to trust (see RACY_MS). */
function isFresh(entry: Memo): boolean {
  for (const dep of entry.deps) {
    const now = stampOf(dep.path);
    if (now?.key !== dep.stamp?.key) return false;
    if (now && !isSettled(now, entry.computedAtMs)) return false;
  }
  return true;
}

function compute(root: string, extra: readonly string[]): Memo {
  const computedAtMs = Date.now();
  const rootDir = dirname(root);
  const files: Record<string, string> = {};
  const versions = new Map<string, Set<string>>();
  const deps: Memo['deps'] = [];
  const seen = new Set<string>([root]);
  const queue = [root];
  const dynamic: string[] = [];
  for (const file of extra) {
    const target = resolveImport(/^(\.|\/|file:)/.test(file) || isAbsolute(file) ? file : `./${file}`, root);
    if (target.kind !== 'file') {
      throw new ValidationError(`codeDigest: codeFiles entry '${file}' of ${root} is not a local file (looked in ${rootDir}); paths are relative to the task module's folder`);
    }
    if (!seen.has(target.path)) {
      seen.add(target.path);
      queue.push(target.path);
    }
  }

  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = readSource(file);
    if (!source) {
      if (file === root) throw new ValidationError(`codeDigest: cannot read the task module ${root}; does the file exist?`);
      deps.push({ path: file, stamp: undefined }); // removed since it was resolved: revisit if it returns
      continue;
    }
    deps.push({ path: file, stamp: source.stamp });
    const name = relative(rootDir, file).split(sep).join('/');
    files[name] = source.sha256;
    for (const d of source.dynamic) dynamic.push(`${name}:${d.line}: ${d.code} (${d.why})`);
    for (const specifier of source.imports) {
      const target = resolveImport(specifier, file);
      if (target.kind === 'file' && !seen.has(target.path)) {
        seen.add(target.path);
        queue.push(target.path);
      } else if (target.kind === 'package') {
        if (!versions.has(target.name)) versions.set(target.name, new Set());
        versions.get(target.name)!.add(target.version);
        if (target.manifest && !seen.has(target.manifest)) {
          seen.add(target.manifest);
          deps.push({ path: target.manifest, stamp: stampOf(target.manifest) });
        }
      }
    }
  }

  const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // Two copies of one package at different versions (nested node_modules) are both recorded.
  const packages = Object.fromEntries(
    [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, set]) => [name, [...set].sort().join(' ')]),
  );
  const digest = createHash('sha256').update(canonicalJson({ files: sortedFiles, packages })).digest('hex');
  const result: CodeDigest = Object.freeze({ digest, files: Object.freeze(sortedFiles), packages: Object.freeze(packages), dynamic: Object.freeze(dynamic) as string[] });
  return { result, deps, computedAtMs };
}
