import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyMaterial } from '../plan/cache-key.ts';
import { displayPath } from './display-path.ts';

/** What `plan` compares: the material of a key, and the per-file code digests behind codeDigest. */
export interface StoredMaterial {
  material: KeyMaterial;
  codeFiles: Record<string, string>;
}

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/**
 * Human reasons why a node's key differs from the one it had last time:
 * `param lr changed (0.01 → 0.1)`, `input table changed`, `code changed: plugins/x.ts`.
 * `inputsKnown` is false when an upstream node must run first (its outputs are not known yet).
 * @example
 * explainChange(previous, current, { cwd, moduleUrl, inputsKnown: true });
 */
export function explainChange(
  previous: StoredMaterial,
  current: { material: Omit<KeyMaterial, 'inputs'> & { inputs?: KeyMaterial['inputs'] }; codeFiles: Record<string, string> },
  opts: { cwd: string; moduleUrl: string },
): string[] {
  const reasons: string[] = [];
  const a = previous.material;
  const b = current.material;
  if (a.keyVersion !== b.keyVersion) reasons.push('cache key recipe changed (mlcycle upgrade)');
  // Another task in the node: its params and code are not comparable with the old one's.
  if (a.task !== b.task) return [`task changed (${a.task} → ${b.task})`];
  if (a.version !== b.version) reasons.push(`task version changed (${show(a.version)} → ${show(b.version)})`);
  for (const name of union(a.params, b.params)) {
    const was = Object.hasOwn(a.params, name) ? a.params[name] : undefined;
    const now = Object.hasOwn(b.params, name) ? b.params[name] : undefined;
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      reasons.push(`param ${name} changed (${show(was)} → ${show(now)})`);
    }
  }
  if (b.inputs) {
    for (const port of union(a.inputs, b.inputs)) {
      if (JSON.stringify(a.inputs[port]) !== JSON.stringify(b.inputs[port])) reasons.push(`input ${port} changed`);
    }
  }
  for (const file of union(a.files ?? {}, b.files ?? {})) {
    if (a.files?.[file] !== b.files?.[file]) reasons.push(`file changed: ${file}`);
  }
  // Machine facts that change results (the tfjs backend, the MLP kernel): say so, or plan would only
  // report "no cached result" after a move to a machine with another backend.
  const envA = a.environment ?? {};
  const envB = b.environment ?? {};
  for (const name of union(envA, envB)) {
    const was = Object.hasOwn(envA, name) ? envA[name] : undefined;
    const now = Object.hasOwn(envB, name) ? envB[name] : undefined;
    if (was !== now) reasons.push(`environment ${name} changed (${show(was)} → ${show(now)})`);
  }
  if (a.codeDigest !== b.codeDigest) {
    const base = dirname(fileURLToPath(opts.moduleUrl));
    const changed = union(previous.codeFiles, current.codeFiles).filter((f) => previous.codeFiles[f] !== current.codeFiles[f]);
    const names = changed.map((f) => (f.startsWith('package:') ? `${f.slice(8)}@${current.codeFiles[f] ?? 'removed'}` : displayPath(resolve(base, f), opts.cwd, { orInMlcycle: true })));
    // A few names say where to look; a long list (a shared helper edited) would drown the plan.
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    reasons.push(names.length ? `code changed: ${shown}` : 'code changed');
  }
  if (a.seed !== b.seed) reasons.push(`seed changed (${a.seed} → ${b.seed})`);
  return reasons;
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
