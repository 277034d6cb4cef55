/**
 * The final scores of a node's Metrics outputs as one flat record, as events and the store carry
 * them: by metric name, or `port.name` when the node has more than one Metrics output.
 * @example
 * flattenMetrics({ scores: { accuracy: 0.9 } }); // { accuracy: 0.9 }
 * flattenMetrics({ train: { loss: 1 }, test: { loss: 2 } }); // { 'train.loss': 1, 'test.loss': 2 }
 */
export function flattenMetrics(byPort: Record<string, Record<string, unknown>>): Record<string, number> | undefined {
  const ports = Object.keys(byPort);
  if (ports.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const port of ports) {
    for (const [name, value] of Object.entries(byPort[port])) {
      if (typeof value === 'number') out[ports.length > 1 ? `${port}.${name}` : name] = value;
    }
  }
  return out;
}
