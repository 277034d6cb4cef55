import { createHash } from 'node:crypto';
import { dirname, relative, resolve, sep } from 'node:path';
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
export function codeDigest(moduleUrl: string): CodeDigest {
  const root = toPath(moduleUrl);
  const hit = memo.get(root);
  if (hit && isFresh(hit)) return hit.result;
  const computed = compute(root);
  memo.set(root, computed);
  return computed.result;
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

function compute(root: string): Memo {
  const computedAtMs = Date.now();
  const rootDir = dirname(root);
  const files: Record<string, string> = {};
  const versions = new Map<string, Set<string>>();
  const deps: Memo['deps'] = [];
  const seen = new Set<string>([root]);
  const queue = [root];

  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = readSource(file);
    if (!source) {
      if (file === root) throw new ValidationError(`codeDigest: cannot read the task module ${root}; does the file exist?`);
      deps.push({ path: file, stamp: undefined }); // removed since it was resolved: revisit if it returns
      continue;
    }
    deps.push({ path: file, stamp: source.stamp });
    files[relative(rootDir, file).split(sep).join('/')] = source.sha256;
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
  const result: CodeDigest = Object.freeze({ digest, files: Object.freeze(sortedFiles), packages: Object.freeze(packages) });
  return { result, deps, computedAtMs };
}
