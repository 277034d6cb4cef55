import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { mlcycleManifest } from '../../core/engine/mlcycle-root.ts';
import { homeOf } from '../options.ts';
import { parseServeFlags, type ServeFlags } from './serve-flags.ts';

/** Env var holding the bearer token; required when serving off loopback. */
export const SERVE_TOKEN_ENV = 'MLCYCLE_SERVE_TOKEN';

/**
 * Registers `mlcycle serve <model...>`: loads each model (bundle folder or models:/ URI), serves it
 * with plugins/serving/create-server.ts, prints one "serving … at URL" line per model on stderr, and
 * on SIGTERM/SIGINT stops accepting, drains requests in flight, flushes the prediction log and exits 0.
 * A bad flag, a model that fails to load, or a host off loopback without MLCYCLE_SERVE_TOKEN exit 2.
 * @example
 * registerServe(program, ctx); // mlcycle serve models:/penguins@champion --port 8080
 */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve models over HTTP: MLflow /invocations, KServe V2, /metrics, /docs')
    .argument('<model...>', 'bundle folder, or a registered model: models:/name@alias (followed as it moves), models:/name/version')
    .option('--port <n>', 'port (0 = a free port)', '8080')
    .option('--host <host>', 'address to bind; off loopback needs env MLCYCLE_SERVE_TOKEN', '127.0.0.1')
    .option('--body-limit <size>', 'largest request body (e.g. 8mb, 512kb); larger is 413', '8mb')
    .option('--max-queue <n>', 'prediction requests in flight or queued beyond this get 503 + Retry-After at once', '64')
    .option('--max-event-loop-delay-ms <ms>', 'event-loop delay past which requests get 503 + Retry-After', '1000')
    .option('--allow-extra-fields', 'ignore request fields that are not features (default: 400 naming them)')
    .option('--log-dir <dir>', 'prediction log folder (default <home>/prediction-logs/<model>; with several models, <dir>/<model>)')
    .option('--log-sample <share>', 'share of request rows logged, 0..1', '0.1')
    .option('--log-max-mb <n>', 'bound on each model\'s log folder; the oldest file goes first', '64')
    .option('--no-log', 'do not write the prediction log')
    .option('--watch-ms <ms>', 'how often models:/name@alias references are checked for a new version', '1000')
    .option('--public-key <file>', 'require bundles signed by this ed25519 public key (PEM); default env MLCYCLE_BUNDLE_PUBLIC_KEY')
    .action(async (refs: string[], flags: ServeFlags, command: Command) => serve(refs, flags, command, ctx));
}

async function serve(refs: string[], flags: ServeFlags, command: Command, ctx: CliContext): Promise<void> {
  const settings = parseServeFlags(flags);
  const token = ctx.env[SERVE_TOKEN_ENV] || undefined;
  const serving = await import('../../plugins/serving/create-server.ts');
  const { isLoopbackHost } = await import('../../plugins/serving/loopback.ts');
  if (!isLoopbackHost(settings.host) && token === undefined) {
    throw new UsageError(`serve: --host ${settings.host} is not loopback, so the server needs a bearer token: set ${SERVE_TOKEN_ENV} (clients then send Authorization: Bearer <token>), or bind 127.0.0.1`);
  }
  const home = homeOf(command, ctx);
  const { loadModel, isModelUri } = await import('../../plugins/serving/load-model.ts');
  const load = { cwd: ctx.cwd, env: ctx.env, ...(flags.publicKey === undefined ? {} : { publicKey: resolve(ctx.cwd, flags.publicKey) }) };
  const models = [];
  for (const ref of refs) {
    try {
      models.push(await loadModel(ref, { ...load, home }));
    } catch (err) {
      throw Object.assign(new UsageError(`serve: ${(err as Error).message}`), { cause: err });
    }
  }
  const logDir = (name: string) => (flags.logDir === undefined ? serving.defaultLogDir(home, name)
    : refs.length === 1 ? resolve(ctx.cwd, flags.logDir) : join(resolve(ctx.cwd, flags.logDir), name));
  const say = (m: string) => void ctx.stderr.write(`${m}\n`);
  let server;
  try {
    server = serving.createModelServer(models, {
      bodyLimitBytes: settings.bodyLimitBytes, maxQueue: settings.maxQueue, maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
      allowExtraFields: flags.allowExtraFields === true, say, version: packageVersion(),
      ...(token === undefined ? {} : { token }),
      log: flags.log ? { dir: logDir, sample: settings.logSample, maxBytes: settings.logMaxBytes } : false,
      ...(refs.some(isModelUri) ? { watch: { home, intervalMs: settings.watchMs, load } } : {}),
    });
  } catch (err) {
    throw Object.assign(new UsageError(`serve: ${(err as Error).message}`), { cause: err });
  }
  const stop = waitForSignal();
  let url: string;
  try {
    url = await server.listen({ host: settings.host, port: settings.port });
  } catch (err) {
    await server.close();
    throw listenError(err, settings.host, settings.port);
  }
  for (const m of models) say(`serving ${m.name}${m.version === null ? '' : ` v${m.version}`} (${m.uri}) at ${url}`);
  const signal = await stop;
  say(`${signal}: draining requests in flight, then exiting`);
  await server.close();
  say('stopped');
}

/** Resolves on the first SIGTERM or SIGINT; a second one exits at once. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolvePromise) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', first);
      process.off('SIGINT', first);
      const again = () => process.exit(130);
      process.once('SIGTERM', again);
      process.once('SIGINT', again);
      resolvePromise(signal);
    };
    process.on('SIGTERM', first);
    process.on('SIGINT', first);
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(mlcycleManifest, 'utf8')) as { version: string }).version;
}

/** A port or address the OS refuses is the user's to change: exit 2, saying which flag. */
function listenError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (another server?); choose another with --port, or --port 0 for a free one`
    : code === 'EACCES' ? `binding port ${port} on ${host} is not permitted (ports below 1024 need privileges); choose another with --port`
    : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? `${host} is not an address of this machine; choose another with --host (default 127.0.0.1)`
    : undefined;
  return why === undefined ? (err as Error) : Object.assign(new UsageError(`serve: ${why}`), { cause: err });
}
