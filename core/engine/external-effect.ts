import type { AnyKind } from '../artifacts/kind.ts';
import type { BlobStore } from '../artifacts/blob-store.ts';
import type { DagNode } from '../dag/types.ts';
import type { OutputDigest } from '../run/events.ts';

/**
 * Why a cached node's effect outside the store is gone (TaskSpec.verifyOutputs said so), or
 * undefined when it is intact or the task makes none. Run and plan both ask, so a plan never calls
 * cached what the run would redo.
 * @example
 * const reason = externalEffectGone(node, entry.outputs, ws.blobs); // 'bundles/x/manifest.json is missing'
 */
export function externalEffectGone(node: DagNode, outputs: Record<string, OutputDigest>, blobs: BlobStore): string | undefined {
  if (!node.task.verifyOutputs) return undefined;
  let verdict: boolean | string;
  try {
    const values = Object.fromEntries(
      Object.entries(outputs).map(([port, o]) => [port, (node.task.outputs[port] as AnyKind).decode(blobs.read(o.digest))]),
    );
    verdict = node.task.verifyOutputs(values as never, node.params as never);
  } catch (err) {
    verdict = (err as Error).message;
  }
  return verdict === true ? undefined : typeof verdict === 'string' ? verdict : 'verifyOutputs returned false';
}
