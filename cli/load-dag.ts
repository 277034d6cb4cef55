import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BuiltDag, DagDefinition, SweepDefinition } from '../core/index.ts';
// The small module, not core/index.ts: core loads lazily (see context.ts).
import { displayPath } from '../core/engine/display-path.ts';
import { loadCore, type CliRuntime, type Core } from './context.ts';

export interface LoadDagOptions {
  /** DAG parameter overrides (parsed `--param k=v` flags). */
  params?: Record<string, unknown>;
  /** The folder `file` is resolved against, and the DAG's cwd for relative data paths. */
  cwd: string;
}

/**
 * Loads a DAG file and builds it with the given parameters. Everything that can go wrong raises a
 * DagLoadError (cannot load) or ValidationError (loads but is invalid), each one paragraph naming the
 * file and the fix; the CLI maps both to exit code 2. It touches no workspace, so a bad file leaves
 * no trace in the store.
 * @example
 * const built = await loadDag(runtime, 'dags/penguins.ts', { params: { lr: 0.1 }, cwd: process.cwd() });
 */
export async function loadDag(runtime: CliRuntime, file: string, options: LoadDagOptions): Promise<BuiltDag> {
  const core = await loadCore(runtime);
  const abs = isAbsolute(file) ? file : resolve(options.cwd, file);
  const shown = displayPath(abs, options.cwd);
  const def = await importDefinition(core, runtime, abs, shown, options.cwd);
  try {
    return def.build({ params: options.params ?? {}, cwd: options.cwd, file: abs });
  } catch (err) {
    if (err instanceof core.ValidationError) throw new core.ValidationError(prefixProblems(shown, err.message), { cause: err });
    throw new core.DagLoadError(
      `${shown}: building DAG '${def.name}' threw ${describe(err)}. Fix the builder function passed to dag().`,
      { cause: err },
    );
  }
}

async function importDefinition(core: Core, runtime: CliRuntime, abs: string, shown: string, cwd: string): Promise<DagDefinition> {
  const found = await importDagOrSweep(core, runtime, abs, shown, cwd, false);
  return found as DagDefinition;
}

/**
 * A DAG file's or a sweep file's default export (what `mlcycle sweep` accepts), with the same
 * errors as loadDag: a missing file, a syntax error, no default export, or neither a DAG nor a sweep.
 * @example
 * const target = await loadDagOrSweep(runtime, 'dags/tabular.sweep.ts', process.cwd());
 * if (target.kind === 'sweep') console.log(target.sweep.options.objective);
 */
export async function loadDagOrSweep(
  runtime: CliRuntime,
  file: string,
  cwd: string,
): Promise<{ kind: 'dag'; dag: DagDefinition; file: string } | { kind: 'sweep'; sweep: SweepDefinition; file: string }> {
  const core = await loadCore(runtime);
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  const found = await importDagOrSweep(core, runtime, abs, displayPath(abs, cwd), cwd, true);
  return isDag(found) ? { kind: 'dag', dag: found, file: abs } : { kind: 'sweep', sweep: found, file: abs };
}

async function importDagOrSweep(core: Core, runtime: CliRuntime, abs: string, shown: string, cwd: string, sweeps: boolean): Promise<DagDefinition | SweepDefinition> {
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new core.DagLoadError(
      `Cannot load ${sweeps ? 'DAG or sweep' : 'DAG'} file '${shown}': no such file (looked for ${abs}). ` +
        `Check the path; a relative path is resolved against the current folder ${cwd}.`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await runtime.importModule(abs);
  } catch (err) {
    throw loadFailure(core, err, abs, shown);
  }
  const wanted = sweeps ? '`export default dag(…)` or `export default sweep(theDag, { … })`' : '`export default dag(\'name\', (b) => { … })`';
  if (!('default' in mod)) {
    const named = Object.entries(mod).find(([, v]) => isDag(v) || (sweeps && core.isSweep(v)))?.[0];
    throw new core.DagLoadError(
      `${sweeps ? 'File' : 'DAG file'} '${shown}' has no default export. The CLI runs the file's default export: end the file with ` +
        wanted + (named ? ` (it exports one as '${named}': make that the default export).` : '.'),
    );
  }
  const def = mod.default;
  if (isDag(def) || (sweeps && core.isSweep(def))) return def as DagDefinition | SweepDefinition;
  throw new core.DagLoadError(
    sweeps
      ? `The default export of file '${shown}' is ${kindOf(def)}, not a DAG or a sweep. Export what dag() or sweep() returns: ${wanted}, imported from 'mlcycle'.`
      : `The default export of DAG file '${shown}' is ${kindOf(def)}, not a DAG. ` +
        'Export what dag() returns: `export default dag(\'name\', (b) => { … })`, with dag imported from \'mlcycle\'.',
  );
}

function isDag(value: unknown): value is DagDefinition {
  return typeof value === 'object' && value !== null && (value as { __brand?: unknown }).__brand === 'mlcycle.Dag';
}

/** Turns whatever importing threw into one paragraph that points at the line to fix. */
function loadFailure(core: Core, err: unknown, abs: string, shown: string): Error {
  if (err instanceof core.ValidationError) {
    return new core.ValidationError(prefixProblems(shown, err.message), { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  // jiti (Babel) reports parse errors as "ParseError: <what>\n <file>:<line>:<col>".
  const parse = /^(?:\w*Error:\s*)?([\s\S]*?)\s*\n\s*(\S+):(\d+):(\d+)\s*$/.exec(message);
  if (parse && /ParseError|SyntaxError/.test(message + ((err as Error)?.name ?? ''))) {
    const [, what, where, line, col] = parse;
    const at = `${where === abs ? shown : where}:${line}:${col}`;
    return new core.DagLoadError(
      `DAG file '${shown}' has a syntax error at ${at}: ${what.trim()}. Fix the code at that line and run again.`,
      { cause: err },
    );
  }
  if ((err as { code?: unknown })?.code === 'MODULE_NOT_FOUND' || (err as { code?: unknown })?.code === 'ERR_MODULE_NOT_FOUND') {
    const first = message.split('\n')[0];
    return new core.DagLoadError(
      `DAG file '${shown}' imports a module that cannot be found: ${first}. ` +
        "Check the import path (local files need their extension, e.g. './tasks/x.ts'; mlcycle's API is imported from 'mlcycle').",
      { cause: err },
    );
  }
  const at = locate(err, abs, shown);
  return new core.DagLoadError(
    `DAG file '${shown}' threw while loading${at ? ` at ${at}` : ''}: ${describe(err)}. ` +
      'Fix the error; a DAG file should only define tasks and `export default dag(…)`, leaving work to the tasks.',
    { cause: err },
  );
}

/** The first stack frame inside the DAG file, as file:line:col. */
function locate(err: unknown, abs: string, shown: string): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  const escaped = abs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  return m ? `${shown}:${m[1]}:${m[2]}` : undefined;
}

/** Build errors arrive one per line; keep them one paragraph, headed by the file. */
function prefixProblems(shown: string, message: string): string {
  const lines = message.split('\n').filter((l) => l.trim());
  if (lines.length <= 1) return `${shown}: ${message.trim()}`;
  return `${shown}: ${lines.length} problems:\n${lines.map((l) => `  - ${l}`).join('\n')}`;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
