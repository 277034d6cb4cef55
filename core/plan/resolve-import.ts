import { readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mlcycleManifest } from '../engine/mlcycle-root.ts';

/** What an import specifier stands for, as far as the code digest cares. */
export type ResolvedImport =
  /** A local module: its source is part of the digest and its own imports are followed. */
  | { kind: 'file'; path: string }
  /** A package, known by name and version; `manifest` is the package.json the version came from. */
  | { kind: 'package'; name: string; version: string; manifest?: string }
  /** A Node builtin, or a specifier that names no file (generated, or inside a string template). */
  | { kind: 'ignored' };

/** The engine's own folder: imports into it count as the package `mlcycle`, never as local code. */
const ENGINE_DIR = fileURLToPath(new URL('../', import.meta.url));
const ENGINE_MANIFEST = mlcycleManifest;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Tried in order after the exact path; TS sources may be imported by their emitted `.js` name. */
const EXTENSIONS = ['.ts', '.mts', '.tsx', '.js', '.mjs', '.cjs'];
const INDEXES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'];
const JS_TO_TS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts', '.jsx': '.tsx' };

let engine: ResolvedImport | undefined;

/**
 * Resolves a specifier found in `fromFile`.
 * @example
 * resolveImport('./helpers.js', '/p/plugins/x/task.ts') // { kind: 'file', path: '/p/plugins/x/helpers.ts' }
 * resolveImport('arquero', '/p/plugins/x/task.ts')      // { kind: 'package', name: 'arquero', version: '8.0.3', … }
 * resolveImport('mlcycle', '/p/dags/demo.ts')           // { kind: 'package', name: 'mlcycle', version: '0.1.0', … }
 */
export function resolveImport(specifier: string, fromFile: string): ResolvedImport {
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return { kind: 'ignored' };
  if (specifier === 'mlcycle' || specifier.startsWith('mlcycle/')) return enginePackage();
  if (specifier.startsWith('.') || specifier.startsWith('file:') || isAbsolute(specifier)) {
    const path = resolveFile(specifier, fromFile);
    return path ? classify(path) : { kind: 'ignored' };
  }
  if (specifier.startsWith('#')) {
    // Subpath imports map to files through package.json "imports"; require's resolver reads that map.
    try {
      return classify(createRequire(fromFile).resolve(specifier));
    } catch {
      return { kind: 'package', name: specifier, version: 'unresolved' };
    }
  }
  return installedPackage(packageName(specifier), dirname(fromFile));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveFile(specifier: string, fromFile: string): string | undefined {
  const base = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(dirname(fromFile), specifier);
  const candidates = [base];
  const ext = /\.[cm]?jsx?$/.exec(base)?.[0];
  if (ext) candidates.push(base.slice(0, -ext.length) + JS_TO_TS[ext]);
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const index of INDEXES) candidates.push(join(base, index));
  return candidates.find((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

function classify(path: string): ResolvedImport {
  // The engine's package.json (read for its version) is the engine, not a local file of the task.
  if (path.startsWith(ENGINE_DIR) || path === ENGINE_MANIFEST) return enginePackage();
  const at = path.lastIndexOf(NODE_MODULES);
  if (at < 0) return { kind: 'file', path };
  // A relative path into node_modules still means "that package", not local code.
  const name = packageName(path.slice(at + NODE_MODULES.length).split(sep).join('/'));
  const manifest = join(path.slice(0, at), 'node_modules', name, 'package.json');
  return { kind: 'package', name, version: versionIn(manifest) ?? 'unresolved', manifest };
}

/** Finds `node_modules/<name>/package.json` the way Node does: from the importing folder upwards. */
function installedPackage(name: string, fromDir: string): ResolvedImport {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    const version = versionIn(manifest);
    if (version !== undefined) return { kind: 'package', name, version, manifest };
    if (dirname(dir) === dir) return { kind: 'package', name, version: 'unresolved' };
  }
}

function versionIn(manifest: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(manifest, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unversioned';
  } catch {
    return 'unparseable';
  }
}

function enginePackage(): ResolvedImport {
  engine ??= { kind: 'package', name: 'mlcycle', version: versionIn(ENGINE_MANIFEST) ?? 'unresolved', manifest: ENGINE_MANIFEST };
  return engine;
}
