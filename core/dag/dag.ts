import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import type { Static, TSchema } from 'typebox';
import { isMany, type AnyKind, type ManyKind } from '../artifacts/kind.ts';
import { ValidationError } from '../errors.ts';
import { compileParams } from '../task/validate-params.ts';
import type { AnyTask } from '../task/types.ts';
import type { BuildOptions, BuiltDag, DagBuilder, DagDefinition, DagNode, DagParam, DagResults, OutputRef } from './types.ts';

const ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Defines a DAG. The builder runs at build time with concrete parameter values, so its shape may
 * depend on them (one branch per fold). Everything is validated before anything runs.
 * @example
 * export default dag('demo', (b) => {
 *   const n = b.param('n', Type.Number(), 10);
 *   const { value } = b.add('make', makeNumber, {}, { n });
 *   const { value: doubled } = b.add('double', scale, { value }, { factor: 2 });
 *   return { doubled };
 * });
 */
export function dag(name: string, builder: (b: DagBuilder) => DagResults | void): DagDefinition {
  if (!ID.test(name)) throw new ValidationError(`dag: name must be letters, digits, '_', '-' or '.', got '${name}'`);
  return Object.freeze({
    name,
    __brand: 'mlcycle.Dag' as const,
    build: (options: BuildOptions = {}) => buildDag(name, builder, options),
  });
}

function buildDag(name: string, builder: (b: DagBuilder) => DagResults | void, options: BuildOptions): BuiltDag {
  const where = `dag '${name}'`;
  const overrides = options.params ?? {};
  const cwd = options.cwd ?? process.cwd();
  const errors: string[] = [];
  const params: DagParam[] = [];
  const nodes = new Map<string, DagNode>();
  // The kind each wired ref claimed, checked against the real output once every node exists.
  const claimedKinds = new Map<string, Record<string, string | undefined>>();

  const b: DagBuilder = {
    cwd,
    param<S extends TSchema>(pname: string, schema: S, defaultValue: Static<S>): Static<S> {
      if (params.some((p) => p.name === pname)) throw new ValidationError(`${where}: param '${pname}' is declared twice`);
      const overridden = Object.hasOwn(overrides, pname);
      const raw = overridden ? asSchemaWants(schema, overrides[pname]) : defaultValue;
      const { value, errors: errs } = compileParams(schema)(raw);
      for (const e of errs) {
        // The validator words errors for task params ('params.x …'); a DAG param is one value.
        const msg = e.replace(/^params\b/, pname);
        const fix = overridden ? ` (from --param ${pname}=…)` : ' (the default in the DAG file)';
        errors.push(`${where} › param '${pname}': ${msg}${fix}`);
      }
      params.push({ name: pname, schema, defaultValue, value, overridden });
      return value as Static<S>;
    },
    add(id, task, inputs, nodeParams) {
      addNode(id, task as AnyTask, (inputs ?? {}) as Record<string, OutputRef | readonly OutputRef[]>, nodeParams);
      return Object.fromEntries(
        Object.entries((task as AnyTask).outputs as Record<string, { name: string }>).map(([port, kind]) => [port, { node: id, port, kind: kind.name }]),
      ) as any;
    },
    ref: (node, port, kind) => ({ node, port, kind: kind.name }),
  };

  function addNode(id: string, task: AnyTask, inputs: Record<string, OutputRef | readonly OutputRef[]>, nodeParams: unknown): void {
    const at = `${where} › node '${id}'${task?.name ? ` (${task.name})` : ''}`;
    if (!ID.test(id)) errors.push(`${at}: id must start with a letter or '_' and hold only letters, digits, '_', '-', '.'`);
    if (nodes.has(id)) {
      errors.push(`${at}: id is already used by another node; give each node its own id`);
      return;
    }
    if (!task || task.__brand !== 'mlcycle.Task') {
      errors.push(`${at}: expected a task made by defineTask(), got ${typeof task}`);
      return;
    }
    const { value, errors: errs } = task.validateParams(nodeParams ?? {});
    for (const e of errs) errors.push(`${at}: ${e}`);
    const wired: DagNode['inputs'] = {};
    for (const [port, kind] of Object.entries(task.inputs as Record<string, AnyKind | ManyKind>)) {
      const ref = (Object.hasOwn(inputs, port) ? inputs[port] : undefined) as OutputRef | readonly OutputRef[] | undefined;
      if (!ref) errors.push(`${at}: input '${port}' (${kind.name}) is not wired; pass { ${port}: <ref> }`);
      else if (isMany(kind) !== Array.isArray(ref)) {
        errors.push(`${at}: input '${port}' takes ${isMany(kind) ? `a list of ${kind.name} refs` : `one ${kind.name} ref`}, got ${Array.isArray(ref) ? 'a list' : 'one ref'}`);
      } else {
        wired[port] = Array.isArray(ref) ? ref.map((r) => ({ node: r.node, port: r.port })) : { node: (ref as OutputRef).node, port: (ref as OutputRef).port };
      }
    }
    for (const port of Object.keys(inputs)) {
      if (!Object.hasOwn(task.inputs, port)) {
        errors.push(`${at}: '${port}' is not an input of ${task.name}; its inputs are: ${Object.keys(task.inputs).join(', ') || '(none)'}`);
      }
    }
    nodes.set(id, { id, task, params: value as Record<string, unknown>, inputs: wired });
    claimedKinds.set(id, Object.fromEntries(Object.entries(inputs).map(([p, r]) => [p, Array.isArray(r) ? r[0]?.kind : (r as OutputRef)?.kind])));
  }

  let results: DagResults = {};
  try {
    results = builder(b) ?? {};
  } catch (err) {
    // A builder often throws because of a bad param value it was handed: report those first.
    if (errors.length) throw new ValidationError(errors.join('\n'), { cause: err });
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(`${where}: the builder threw: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }

  const known = new Set(params.map((p) => p.name));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) {
      errors.push(`${where}: unknown param '${key}'; known params: ${[...known].join(', ') || '(none)'}`);
    }
  }

  const graph = new DirectedGraph();
  for (const id of nodes.keys()) graph.addNode(id);
  for (const node of nodes.values()) {
    const kinds = claimedKinds.get(node.id) ?? {};
    for (const [port, wired] of Object.entries(node.inputs)) {
      for (const ref of Array.isArray(wired) ? wired : [wired]) {
        const at = `${where} › node '${node.id}' (${node.task.name}) › input '${port}'`;
        const source = nodes.get(ref.node);
        if (!source) {
          errors.push(`${at}: reads node '${ref.node}', which is not in the DAG`);
          continue;
        }
        // Own ports only: a wired port named 'constructor' must not find Object.prototype's.
        const outKind = Object.hasOwn(source.task.outputs, ref.port) ? source.task.outputs[ref.port] : undefined;
        if (!outKind) {
          errors.push(`${at}: node '${ref.node}' has no output '${ref.port}'; its outputs are: ${Object.keys(source.task.outputs).join(', ')}`);
          continue;
        }
        const expected = node.task.inputs[port].name;
        if (outKind.name !== expected || (kinds[port] && kinds[port] !== outKind.name)) {
          errors.push(`${at}: expected ${expected}, got ${outKind.name} from '${ref.node}.${ref.port}'`);
          continue;
        }
        if (!graph.hasEdge(ref.node, node.id)) graph.addEdge(ref.node, node.id);
      }
    }
  }
  for (const [rname, ref] of Object.entries(results)) {
    const source = ref && nodes.get(ref.node);
    if (!source || !Object.hasOwn(source.task.outputs, ref?.port)) {
      errors.push(`${where} › result '${rname}': refers to ${ref?.node}.${ref?.port}, which no node outputs`);
    }
  }
  if (errors.length === 0 && hasCycle(graph)) {
    errors.push(`${where}: the graph has a cycle (${describeCycle(graph)}); a node cannot depend on its own output`);
  }
  if (errors.length) throw new ValidationError(errors.join('\n'));

  const order = topologicalSort(graph);
  const dependants = new Map(order.map((id) => [id, graph.outNeighbors(id)]));
  return { name, cwd, file: options.file, params, nodes, order, dependants, results };
}

/**
 * `--param` values arrive parsed as JSON when they parse, so `target=2019` is a number; a param whose
 * schema is a string wants the text back (a column named 2019), not a type error.
 */
function asSchemaWants(schema: TSchema, value: unknown): unknown {
  const wantsString = (schema as { type?: unknown }).type === 'string';
  return wantsString && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value;
}

function describeCycle(graph: DirectedGraph): string {
  // Peel nodes without predecessors; what remains lies on or between cycles.
  const indeg = new Map(graph.nodes().map((n) => [n, graph.inDegree(n)]));
  const queue = [...indeg].filter(([, d]) => d === 0).map(([n]) => n);
  while (queue.length) {
    const n = queue.pop()!;
    indeg.delete(n);
    for (const m of graph.outNeighbors(n)) {
      const d = indeg.get(m)! - 1;
      indeg.set(m, d);
      if (d === 0) queue.push(m);
    }
  }
  return [...indeg.keys()].join(' → ');
}
