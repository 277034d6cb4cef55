import type { BuiltDag, NodeInput } from '../../core/index.ts';

/** One wire of the graph: an output port of one node read by an input port of another. */
export interface GraphEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

/** Every wire of a built DAG, in node order (dependencies first). */
export function edgesOf(dag: BuiltDag): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const id of dag.order) {
    const node = dag.nodes.get(id)!;
    for (const [toPort, wired] of Object.entries(node.inputs)) {
      for (const src of ([] as NodeInput[]).concat(wired)) edges.push({ from: src.node, fromPort: src.port, to: id, toPort });
    }
  }
  return edges;
}

/** A port label: `table` when both ends agree, else `train → table`. */
function portLabel(e: GraphEdge): string {
  return e.fromPort === e.toPort ? e.fromPort : `${e.fromPort} → ${e.toPort}`;
}

/** Plain text: params, nodes with their tasks, then wires. Readable and diff-friendly. */
export function graphText(dag: BuiltDag): string {
  const lines = [`dag '${dag.name}' · ${dag.nodes.size} nodes`];
  if (dag.params.length) {
    lines.push('params:');
    for (const p of dag.params) lines.push(`  ${p.name} = ${JSON.stringify(p.value)}${p.overridden ? ' (--param)' : ''}`);
  }
  lines.push('nodes:');
  for (const id of dag.order) lines.push(`  ${id} (${dag.nodes.get(id)!.task.name})`);
  const edges = edgesOf(dag);
  lines.push('edges:');
  if (edges.length === 0) lines.push('  (none)');
  for (const e of edges) lines.push(`  ${e.from}.${e.fromPort} → ${e.to}.${e.toPort}`);
  const results = Object.entries(dag.results);
  if (results.length) {
    lines.push('results:');
    for (const [name, ref] of results) lines.push(`  ${name} ← ${ref.node}.${ref.port}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid flowchart. Node ids become n0, n1…: DAG ids may hold '.' and '-', which Mermaid reads as
 * syntax; the real id and task go in the label.
 */
export function graphMermaid(dag: BuiltDag): string {
  const key = new Map(dag.order.map((id, i) => [id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const id of dag.order) lines.push(`  ${key.get(id)}["${mermaidText(id)}<br/><small>${mermaidText(dag.nodes.get(id)!.task.name)}</small>"]`);
  for (const e of edgesOf(dag)) lines.push(`  ${key.get(e.from)} -->|"${mermaidText(portLabel(e))}"| ${key.get(e.to)}`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT, left to right. */
export function graphDot(dag: BuiltDag): string {
  const lines = [`digraph ${dotString(dag.name)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
  for (const id of dag.order) lines.push(`  ${dotString(id)} [label=${dotString(`${id}\n${dag.nodes.get(id)!.task.name}`)}];`);
  for (const e of edgesOf(dag)) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(portLabel(e))}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;');
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
