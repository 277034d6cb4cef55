import type { Static, TSchema } from 'typebox';
import type { AnyKind, ManyKind, ValueOf } from '../artifacts/kind.ts';

/** Named output ports of a task: port name → artifact kind. */
export type Ports = Record<string, AnyKind>;

/** Named input ports: a kind, or `many(kind)` for a fan-in port that takes a list. */
export type InputPorts = Record<string, AnyKind | ManyKind>;

/** Values of a port record: what `run` receives as inputs or returns as outputs. */
export type PortValues<P extends InputPorts> = {
  [K in keyof P]: P[K] extends ManyKind<infer I> ? ValueOf<I>[] : ValueOf<P[K]>;
};

/**
 * Retry policy, shaped like Temporal's. Delays grow as initialDelayMs × backoffCoefficient^(attempt-1),
 * capped at maxDelayMs; `jitter` (0..1) spreads them by ± that fraction.
 */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  backoffCoefficient: number;
  maxDelayMs: number;
  jitter: number;
}

/** One step's metrics, e.g. an epoch's loss. */
export type StepMetrics = Record<string, number>;

/** Logger handed to tasks; lines become `node-log` events. */
export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** What a running task may use besides its inputs and params. */
export interface TaskContext {
  /** Aborted on cancel or timeout: long work must check it (or pass it on) and stop. */
  signal: AbortSignal;
  log: TaskLogger;
  /** Per-step metrics (epochs…): recorded in the store and shown live. */
  report(step: number, metrics: StepMetrics): void;
  /** A deterministic seed for this node (from the run's seed and the node id). */
  seed: number;
  /** The node id in the DAG, for messages. */
  nodeId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /**
   * Threads a CPU-bound task may use at once (a forest growing trees in parallel): the run's
   * concurrency shared among the nodes in flight when this attempt started, at least 1. Using more
   * only oversubscribes the cores the other nodes are on.
   */
  threads: number;
  /** The run this execution belongs to (for lineage in exported files). */
  run: { id: string; dag: string; file?: string; params: Record<string, unknown> };
  /**
   * The run's workspace folder (absolute): where a task with an effect in the workspace (the model
   * registry under `<home>/models`) makes it. Not part of any cache key: a result that depends on
   * it must say, with `verifyOutputs`, whether its effect is still in place.
   */
  home: string;
}

/** Where a task lives, so another thread or machine can load it: module URL + task name. */
export interface TaskRef {
  moduleUrl: string;
  name: string;
}

/** Everything `defineTask` takes. */
export interface TaskSpec<P extends TSchema, I extends InputPorts, O extends Ports> {
  /** `'<category>/<name>'`, equal to the file path under plugins/ for built-in tasks. */
  name: string;
  /** Bump to invalidate cached results when behaviour changes in a way the code digest cannot see. */
  version: number | string;
  /** TypeBox schema of the params; ajv validates it once per node at build time, filling defaults. */
  params: P;
  inputs: I;
  outputs: O;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** `'worker'` runs the task in the worker-thread pool (CPU-bound work such as training). */
  isolation?: 'inprocess' | 'worker';
  /**
   * Files the task reads, from its params. Their content is part of the cache key, so editing the
   * file invalidates the node and an untouched file stays a hit. Paths resolve against the DAG's cwd.
   */
  files?(params: Static<P>): string[];
  /**
   * `false` for tasks that must run every time and are never served from the cache. Default true.
   * A task whose effect lies outside the store (an exporter writing a folder) should rather stay
   * cached and say, with `verifyOutputs`, whether that effect is still in place.
   */
  cache?: boolean;
  /**
   * Called on a cache hit with the cached outputs: return true when what the task made outside the
   * store is still there and intact, or a reason (string) or false to make the node recompute.
   */
  verifyOutputs?(outputs: PortValues<O>, params: Static<P>): boolean | string;
  /**
   * Local files the task loads in ways the import scanner cannot follow (a computed `require(name)`
   * or `import(\`./${x}\`)`), relative to the task module's folder. Their content, and what they
   * import, joins the code digest. A task whose code makes such a load is refused until it declares
   * this; `[]` says the computed loads reach packages only.
   */
  codeFiles?: string[];
  /**
   * What the task's results depend on in the machine rather than in code, params or data (the
   * TensorFlow.js backend, whether a WebAssembly SIMD kernel runs): name → value, part of the cache
   * key, so a run on another backend does not reuse results computed on this one. Called once per
   * node when its key is computed; keep it cheap and free of side effects.
   */
  environment?(): Record<string, string>;
  /** The module that defines the task; defaults to the caller's file, found from the stack. */
  moduleUrl?: string;
  run(inputs: PortValues<I>, params: Static<P>, ctx: TaskContext): Promise<PortValues<O>> | PortValues<O>;
}

/** A defined task: its spec plus what the engine derived (compiled validator, module reference). */
export interface Task<P extends TSchema = TSchema, I extends InputPorts = InputPorts, O extends Ports = Ports>
  extends Readonly<TaskSpec<P, I, O>> {
  readonly ref: TaskRef;
  /** Validates and fills defaults; returns the error messages (empty when valid). */
  validateParams(value: unknown): { value: Static<P>; errors: string[] };
  readonly __brand: 'mlcycle.Task';
}

export type AnyTask = Task<any, any, any>;
