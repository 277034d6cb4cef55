import type { Static, TSchema } from 'typebox';
import type { AnyKind, ManyKind } from '../artifacts/kind.ts';
import type { AnyTask, InputPorts, Ports, Task } from '../task/types.ts';

/**
 * A typed reference to one output port of one node. Only the kind's name is carried in the type,
 * so a `Table` ref cannot be wired where a `Model` is expected (a `tsc` error).
 */
export interface OutputRef<Name extends string = string> {
  readonly node: string;
  readonly port: string;
  readonly kind: Name;
}

/** The refs a node's inputs take: one per declared input port, of the matching kind. */
export type InputRefs<I extends InputPorts> = {
  [P in keyof I]: I[P] extends ManyKind ? ReadonlyArray<OutputRef<I[P]['name']>> : OutputRef<I[P]['name']>;
};

/** The refs `add` returns: one per declared output port. */
export type OutputRefs<O extends Ports> = { [P in keyof O]: OutputRef<O[P]['name']> };

/** Params as given to `add`: each key optional (defaults fill in), each value of its schema's type. */
export type ParamsInput<P extends TSchema> = Static<P> extends Record<string, unknown>
  ? { [K in keyof Static<P>]?: Static<P>[K] }
  : Static<P>;

/** The builder handed to `dag(name, (b) => …)`. */
export interface DagBuilder {
  /**
   * Declares a DAG-level parameter and returns its value for this build: the `--param` override
   * when given (validated against `schema`), else `defaultValue`. Sweeps vary these.
   */
  param<S extends TSchema>(name: string, schema: S, defaultValue: Static<S>): Static<S>;
  /** Adds a node running `task` with inputs wired from other nodes' outputs. */
  add<P extends TSchema, I extends InputPorts, O extends Ports>(
    id: string,
    task: Task<P, I, O>,
    inputs: InputRefs<I>,
    params?: ParamsInput<P>,
  ): OutputRefs<O>;
  /**
   * A reference to an output of a node added later (or elsewhere); checked when the build ends.
   * Rarely needed: refs returned by `add` are the normal way to wire.
   */
  ref<K extends AnyKind>(node: string, port: string, kind: K): OutputRef<K['name']>;
  /** The folder the DAG's relative file paths resolve against (the DAG file's cwd). */
  readonly cwd: string;
}

/** What a builder returns: named results (Json/Metrics ones appear in `--json` output). */
export type DagResults = Record<string, OutputRef>;

/** A declared DAG parameter, after resolution. */
export interface DagParam {
  name: string;
  schema: TSchema;
  defaultValue: unknown;
  value: unknown;
  overridden: boolean;
}

/** Where one input comes from. */
export interface NodeInput {
  node: string;
  port: string;
}

/** One node of a built DAG. */
export interface DagNode {
  id: string;
  task: AnyTask;
  /** Validated params with defaults filled in. */
  params: Record<string, unknown>;
  /** Input port → the output it reads (a list for `many(kind)` ports). */
  inputs: Record<string, NodeInput | NodeInput[]>;
}

/** A DAG built with concrete parameter values, validated, ready to plan and run. */
export interface BuiltDag {
  name: string;
  cwd: string;
  /** The file the DAG came from, when loaded from one. */
  file?: string;
  params: DagParam[];
  nodes: Map<string, DagNode>;
  /** Node ids, dependencies first. */
  order: string[];
  /** Node id → ids of the nodes that read its outputs. */
  dependants: Map<string, string[]>;
  results: DagResults;
}

/** The result of `dag(...)`: a recipe that builds with parameter overrides. */
export interface DagDefinition {
  readonly name: string;
  readonly __brand: 'mlcycle.Dag';
  build(options?: BuildOptions): BuiltDag;
}

export interface BuildOptions {
  /** DAG param overrides by name (`--param k=v`). Unknown names are an error. */
  params?: Record<string, unknown>;
  cwd?: string;
  file?: string;
}
