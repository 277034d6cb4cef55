/**
 * What every command receives: the shared module loader (see runtime.mjs) and the process streams.
 * Passing streams in, rather than writing to `process.*` everywhere, keeps each command's output
 * contract visible: `--json` on stdout, everything human on stderr.
 */
export interface CliRuntime {
  /** Imports a module through the CLI's jiti instance (shares core with DAG files). */
  importModule(specifier: string): Promise<any>;
  /** Absolute path of core/index.ts (`mlcycle` inside DAG files). */
  corePath: string;
  /** Absolute path of cli/bin.mjs. */
  binPath: string;
}

export interface CliContext extends CliRuntime {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Set by a command to say how the process should exit (see exit-codes.ts). */
  exitCode: number;
}

/** The core module, loaded lazily: `--help` and `graph --help` must not pay for typebox and rxjs. */
export type Core = typeof import('../core/index.ts');

/** Loads core through the shared loader, so it is the instance DAG files see as 'mlcycle'. */
export function loadCore(ctx: CliRuntime): Promise<Core> {
  return ctx.importModule(ctx.corePath) as Promise<Core>;
}
