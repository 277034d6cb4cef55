import { createHash } from 'node:crypto';
import { canonicalJson } from '../artifacts/kind.ts';
import type { DagNode } from '../dag/types.ts';
import type { InputArtifact } from '../executors/types.ts';
import { codeDigest, type CodeDigest } from './code-digest.ts';
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

/**
 * The cache key of a node: sha256 of canonical JSON of task name and version, code digest, resolved
 * params, input artifact digests, declared files' digests and the seed (DESIGN §3).
 * @example
 * const { key } = nodeKey(node, { table: { digest, kind: 'Table' } }, { cwd, seed: 7 });
 */
export function nodeKey(
  node: DagNode,
  inputs: Record<string, InputArtifact | InputArtifact[]>,
  options: { cwd: string; seed: number; codeCache?: Map<string, CodeDigest> },
): NodeKey {
  // Within one run the loaded code cannot change, so a run may memoise digests by module.
  const url = node.task.ref.moduleUrl;
  let code = options.codeCache?.get(url);
  if (!code) {
    code = codeDigest(url);
    options.codeCache?.set(url, code);
  }
  const files = node.task.files
    ? Object.fromEntries(node.task.files(node.params as never).map((f) => [f, fileDigest(f, options.cwd)]))
    : undefined;
  const material: KeyMaterial = {
    keyVersion: KEY_VERSION,
    task: node.task.name,
    version: node.task.version,
    codeDigest: code.digest,
    params: node.params,
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([port, a]) => [port, Array.isArray(a) ? a.map((x) => x.digest) : a.digest]),
    ),
    ...(files ? { files } : {}),
    seed: options.seed,
  };
  const materialJson = canonicalJson(material);
  const key = createHash('sha256').update(materialJson).digest('hex');
  let codeFiles = codeFilesJson.get(code);
  if (!codeFiles) {
    const files = { ...code.files, ...prefixed(code.packages) };
    codeFilesJson.set(code, (codeFiles = { files, json: canonicalJson(files) }));
  }
  // Keys sort as canonical JSON sorts them ("codeFiles" < "material"), so this equals
  // canonicalJson({ material, codeFiles }) without serialising the material twice.
  const stored = `{"codeFiles":${codeFiles.json},"material":${materialJson}}`;
  return { key, material, codeFiles: codeFiles.files, stored };
}

/** `package:<name>` → version, beside file paths in the code map that `plan` explains from. */
export function prefixed(packages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(packages).map(([name, version]) => [`package:${name}`, version]));
}
