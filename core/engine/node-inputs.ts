import type { DagNode, NodeInput } from '../dag/types.ts';
import type { InputArtifact } from '../executors/types.ts';
import type { OutputDigest } from '../run/events.ts';

/**
 * A node's inputs as artifacts, port by port (a list for fan-in ports), given the outputs of the
 * nodes it reads. Run and plan both key nodes from this.
 * @example
 * const inputs = nodeInputs(node, (id) => states.get(id)!.outputs!);
 */
export function nodeInputs(
  node: DagNode,
  outputsOf: (nodeId: string) => Record<string, OutputDigest>,
): Record<string, InputArtifact | InputArtifact[]> {
  const one = (ref: NodeInput): InputArtifact => {
    const out = outputsOf(ref.node)[ref.port];
    return { digest: out.digest, kind: out.kind };
  };
  return Object.fromEntries(Object.entries(node.inputs).map(([port, ref]) => [port, Array.isArray(ref) ? ref.map(one) : one(ref)]));
}
