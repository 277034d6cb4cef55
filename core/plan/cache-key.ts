import { createHash } from 'node:crypto';
import { canonicalJson } from '../artifacts/kind.ts';
import type { DagNode } from '../dag/types.ts';
import type { InputArtifact } from '../executors/types.ts';
import { ValidationError } from '../errors.ts';
import { taskCodeDigest, type CodeDigest } from './code-digest.ts';
import { fileDigest } from './file-digest.ts';

/** Bump when the recipe below changes: every key changes with it. */
export const KEY_VERSION = 1;

/** What a key is the hash of, kept beside the cache entry so `plan` can say what changed. */
export interface KeyMaterial {
  keyVersion: number;
  task: string;
  version: number | string;
  codeDigest: string;
  params: Record<string, unknown>;
  inputs: Record<string, string | string[]>;
  files?: Record<string, string>;
  /** What the task declared with `environment()` (tfjs backend, SIMD kernel…), when it declares it. */
  environment?: Record<string, string>;
  seed: number;
}

/** The material plus what explains it (not hashed: per-file code digests). */
export interface NodeKey {
  key: string;
  material: KeyMaterial;
  codeFiles: Record<string, string>;
  /** Canonical JSON of `{ material, codeFiles }`: what the cache entry keeps for `plan`. */
  stored: string;
}

// Canonical JSON of each module's code map, built once per process: it is the same for every node
// of a task, and `stored` is on the per-node hot path.
const codeFilesJson = new WeakMap<CodeDigest, { files: Record<string, string>; json: string }>();

/** What a node's key is made of, its inputs perhaps not known yet: the material and the code map. */
export interface PartialKeyMaterial {
  material: Omit<KeyMaterial, 'inputs'> & { inputs?: KeyMaterial['inputs'] };
  codeFiles: Record<string, string>;
  /**
   * Without inputs only: declared files that cannot be read yet (an upstream node may write them),
   * left out of `material.files`.
   */
  unreadFiles: string[];
}

interface Assembled {
  material: KeyMaterial;
  codeFiles: { files: Record<string, string>; json: string };
}

/**
 * The material of a node's key: what run hashes into the key and what plan compares, from one place.
 * Without `inputs` (plan, when an upstream node must run first) the material has no `inputs` field
 * and a declared file that cannot be read yet is listed in `unreadFiles` instead of failing;
 * everything else (task, version, code, params, declared files and environment, seed) is as a run
 * would key it. Throws ValidationError as nodeKey does.
 * @example
 * const { material } = keyMaterial(node, undefined, { cwd, seed: 7 }); // material.inputs === undefined
 */
export function keyMaterial(
  node: DagNode,
  inputs: Record<string, InputArtifact | InputArtifact[]> | undefined,
  options: { cwd: string; seed: number; codeCache?: Map<string, CodeDigest> },
): PartialKeyMaterial {
  const unreadFiles: string[] = [];
  const { material, codeFiles } = assemble(node, inputs, options, inputs ? undefined : unreadFiles);
  return { material, codeFiles: codeFiles.files, unreadFiles };
}

function assemble(
  node: DagNode,
  inputs: Record<string, InputArtifact | InputArtifact[]> | undefined,
  options: { cwd: string; seed: number; codeCache?: Map<string, CodeDigest> },
  unreadFiles?: string[],
): Assembled {
  // Within one run the loaded code cannot change, so a run may memoise digests by module (and the
  // extra files a task declares: two tasks of one module may declare different ones).
  const task = node.task;
  const memoKey = task.codeFiles ? `${task.ref.moduleUrl}\0${task.codeFiles.join('\0')}` : task.ref.moduleUrl;
  let code = options.codeCache?.get(memoKey);
  if (!code) {
    code = taskCodeDigest(task);
    options.codeCache?.set(memoKey, code);
  }
  const files = task.files ? declaredFiles(task.files(node.params as never), options.cwd, unreadFiles) : undefined;
  const environment = task.environment ? taskEnvironment(task.name, task.environment) : undefined;
  // Field order matters only for readability: the key hashes canonical JSON.
  const material = {
    keyVersion: KEY_VERSION,
    task: node.task.name,
    version: node.task.version,
    codeDigest: code.digest,
    params: node.params,
    ...(inputs ? { inputs: inputDigests(inputs) } : {}),
    ...(files ? { files } : {}),
    ...(environment ? { environment } : {}),
    seed: options.seed,
  } as KeyMaterial;
  let codeFiles = codeFilesJson.get(code);
  if (!codeFiles) {
    const all = { ...code.files, ...prefixed(code.packages) };
    codeFilesJson.set(code, (codeFiles = { files: all, json: canonicalJson(all) }));
  }
  return { material, codeFiles };
}

function declaredFiles(paths: string[], cwd: string, unread: string[] | undefined): Record<string, string> {
  const read: Array<[string, string]> = [];
  for (const f of paths) {
    if (!unread) read.push([f, fileDigest(f, cwd)]);
    else {
      try {
        read.push([f, fileDigest(f, cwd)]);
      } catch {
        unread.push(f);
      }
    }
  }
  // fromEntries, not assignment: a file named `__proto__` stays an own property.
  return Object.fromEntries(read);
}

function inputDigests(inputs: Record<string, InputArtifact | InputArtifact[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(inputs).map(([port, a]) => [port, Array.isArray(a) ? a.map((x) => x.digest) : a.digest]));
}

/**
 * The cache key of a node: sha256 of canonical JSON of its keyMaterial (task name and version, code
 * digest, resolved params, input artifact digests, declared files' digests, the declared environment
 * and the seed; DESIGN §3). Throws ValidationError for a task whose code loads modules the digest
 * cannot follow.
 * @example
 * const { key } = nodeKey(node, { table: { digest, kind: 'Table' } }, { cwd, seed: 7 });
 */
export function nodeKey(
  node: DagNode,
  inputs: Record<string, InputArtifact | InputArtifact[]>,
  options: { cwd: string; seed: number; codeCache?: Map<string, CodeDigest> },
): NodeKey {
  const { material, codeFiles } = assemble(node, inputs, options);
  const materialJson = canonicalJson(material);
  const key = createHash('sha256').update(materialJson).digest('hex');
  // Keys sort as canonical JSON sorts them ("codeFiles" < "material"), so this equals
  // canonicalJson({ material, codeFiles }) without serialising the material twice.
  const stored = `{"codeFiles":${codeFiles.json},"material":${materialJson}}`;
  return { key, material, codeFiles: codeFiles.files, stored };
}

/**
 * A task's declared environment, checked: a plain object of strings (own properties only), so the key
 * never depends on a prototype or on how a non-string value happens to serialise.
 * @example
 * taskEnvironment('algorithms/mlp', () => ({ mlpKernel: 'wasm-simd' })) // { mlpKernel: 'wasm-simd' }
 */
export function taskEnvironment(taskName: string, environment: () => Record<string, string>): Record<string, string> {
  const value: unknown = environment();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`task '${taskName}': environment() must return an object of strings, got ${value === null ? 'null' : typeof value}`);
  }
  const out: Record<string, string> = Object.create(null);
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new ValidationError(`task '${taskName}': environment() value '${name}' must be a string, got ${typeof v}`);
    out[name] = v;
  }
  return { ...out };
}

/** `package:<name>` → version, beside file paths in the code map that `plan` explains from. */
export function prefixed(packages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(packages).map(([name, version]) => [`package:${name}`, version]));
}
