import { isMany, type AnyKind, type ManyKind } from '../artifacts/kind.ts';
import type { BlobStore } from '../artifacts/blob-store.ts';
import { flattenMetrics } from '../artifacts/flatten-metrics.ts';
import { CancelledError, NonRetryableError } from '../errors.ts';
import type { OutputDigest } from '../run/events.ts';
import type { AnyTask, TaskContext } from '../task/types.ts';
import type { ExecHooks, ExecRequest, ExecResult, InputArtifact } from './types.ts';

/**
 * One attempt of one task, wherever it runs: read and decode the inputs by digest, run, then encode and
 * store each output. Outputs are written only after `run` resolved and only if the attempt was not
 * aborted meanwhile, so a cancelled or timed-out attempt never leaves an artifact behind.
 */
export async function executeTask(task: AnyTask, req: ExecRequest, blobs: BlobStore, hooks: ExecHooks): Promise<ExecResult> {
  const inputs: Record<string, unknown> = {};
  for (const [port, kind] of Object.entries(task.inputs as Record<string, AnyKind | ManyKind>)) {
    const given = req.inputs[port];
    const decode = (a: InputArtifact) => (isMany(kind) ? kind.item : kind).decode(blobs.read(a.digest));
    inputs[port] = Array.isArray(given) ? given.map(decode) : decode(given as InputArtifact);
  }
  const ctx: TaskContext = {
    signal: hooks.signal,
    log: {
      info: (m) => hooks.onLog('info', m),
      warn: (m) => hooks.onLog('warn', m),
      debug: (m) => hooks.onLog('debug', m),
    },
    report: (step, metrics) => hooks.onReport(step, metrics),
    seed: req.seed,
    nodeId: req.nodeId,
    attempt: req.attempt,
    threads: Math.max(1, req.threads ?? 1),
    run: req.run,
    home: req.home,
  };
  const produced = (await task.run(inputs as never, req.params as never, ctx)) as Record<string, unknown> | undefined;
  if (hooks.signal.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new CancelledError('cancelled');

  const declared = Object.keys(task.outputs);
  const missing = declared.filter((p) => !produced || !(p in produced) || produced[p] === undefined);
  if (missing.length) {
    throw new NonRetryableError(
      `task ${task.name} returned no value for output${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; ` +
        `run() must return { ${declared.join(', ')} }`,
    );
  }
  const encoded: Array<[string, string, Uint8Array]> = [];
  for (const port of declared) {
    const kind = task.outputs[port] as AnyKind;
    let bytes: Uint8Array;
    try {
      bytes = kind.encode(produced![port]);
    } catch (err) {
      throw new NonRetryableError(`task ${task.name}: output '${port}' cannot be encoded as ${kind.name}: ${(err as Error).message}`, { cause: err });
    }
    encoded.push([port, kind.name, bytes]);
  }
  // All outputs encoded before any is written: a failing encoder leaves nothing half-stored.
  const outputs: Record<string, OutputDigest> = {};
  for (const [port, kind, bytes] of encoded) {
    const { digest, bytes: size } = blobs.write(bytes);
    outputs[port] = { digest, kind, bytes: size };
  }
  const metricPorts = declared.filter((p) => (task.outputs[p] as AnyKind).name === 'Metrics');
  return { outputs, metrics: flattenMetrics(Object.fromEntries(metricPorts.map((p) => [p, produced![p] as Record<string, unknown>]))) };
}
