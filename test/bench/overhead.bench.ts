/**
 * Engine overhead on real training: the same MLP fit (same preprocessed penguins table, params, seed,
 * plain-TypeScript network) run (a) through runDag on a two-node DAG, table → algorithms/mlp, and (b) by calling
 * the mlp task's `run` directly in this thread. Runs alternate (direct, DAG, direct, …) after one
 * warm-up of each; the ratio is median DAG time / median direct time.
 *   node cli/run-ts.mjs test/bench/overhead.bench.ts [--json] [--reps 5] [--epochs 1000]
 * Target: ratio ≤ 1.05. The DAG side pays for what the engine does around the fit: cache key and code
 * digest, Arrow encode + sha256 + blob write of the table, the worker thread the task asks for
 * (isolation: 'worker') with its own module load, model encode + store, SQLite events. The epoch count is
 * fixed (tol 0, no early stopping) so both sides do the same work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dag, defineTask, openWorkspace, readArtifact, runDag, Table, Type, type OutputDigest } from '../../core/index.ts';
import { mlp } from '../../plugins/algorithms/mlp.ts';
import { Model, Problem, type ModelSpec } from '../../plugins/kinds.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { defineProblem } from '../../plugins/problem/define.ts';
import { apply } from '../../plugins/transformers/apply.ts';
import { autoPreprocess } from '../../plugins/transformers/auto-preprocess.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const json = args.includes('--json');
const reps = flag('--reps', 5);
const epochs = flag('--epochs', 1000);
const PARAMS = { hiddenLayers: [32, 16], maxIter: epochs, tol: 0, nIterNoChange: epochs, earlyStopping: false, learningRate: 0.01, batchSize: 32, seed: 7 };
const csv = fileURLToPath(new URL('../fixtures/data/penguins.csv', import.meta.url));

// The preprocessed table, made once: both sides train on exactly these rows.
const { table: raw } = await runTask(csvLoader, {}, { path: csv });
const { problem } = await runTask(defineProblem, { table: raw }, { target: 'Species', task: 'multiclass' });
const { transform } = await runTask(autoPreprocess, { train: raw, problem });
const { table: prepared } = await runTask(apply, { table: raw, transform });

/** The DAG's source: hands the prepared table and problem to the engine (which stores them as artifacts). */
const preparedPenguins = defineTask({
  name: 'bench/prepared-penguins',
  version: 1,
  params: Type.Object({}),
  inputs: {},
  outputs: { table: Table, problem: Problem },
  run: () => ({ table: prepared, problem }),
});

const overheadDag = dag('overhead-mlp', (b) => {
  const src = b.add('prepared', preparedPenguins, {});
  const { model } = b.add('train', mlp, { train: src.table, problem: src.problem }, PARAMS);
  return { model };
});

async function direct(): Promise<{ ms: number; model: ModelSpec }> {
  const { value, errors } = mlp.validateParams(PARAMS);
  if (errors.length) throw new Error(errors.join('; '));
  const t0 = performance.now();
  const out = await mlp.run({ train: prepared, problem }, value, makeContext());
  return { ms: performance.now() - t0, model: out.model as ModelSpec };
}

async function viaDag(home: string): Promise<{ ms: number; trainNodeMs: number; model: ModelSpec }> {
  const built = overheadDag.build({});
  const t0 = performance.now();
  const summary = await runDag(built, { home, noCache: true }).done;
  const ms = performance.now() - t0;
  if (summary.status !== 'succeeded') throw new Error(`overhead DAG ${summary.status}: ${summary.failure}`);
  const ws = openWorkspace({ home });
  try {
    const ref = summary.outputs.model as OutputDigest;
    // The train node's own duration (worker start, module load, tfjs init and the fit): the rest is engine around it.
    const trainNodeMs = summary.nodes.find((n) => n.id === 'train')?.durationMs ?? NaN;
    return { ms, trainNodeMs, model: readArtifact(ws, ref.digest, ref.kind) as ModelSpec };
  } finally {
    ws.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sameBytes = (a: ModelSpec, b: ModelSpec) => Buffer.from(Model.encode(a)).equals(Buffer.from(Model.encode(b)));

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'mlcycle-overhead-'));
  const times = { direct: [] as number[], dag: [] as number[], dagTrainNode: [] as number[] };
  let identical = true;
  try {
    // Warm-up: jiti module cache, the worker thread, first SQLite open.
    const w1 = await direct();
    const w2 = await viaDag(home);
    const warmup = { direct: w1.ms, dag: w2.ms };
    process.stderr.write(`warm-up: direct ${w1.ms.toFixed(0)} ms, dag ${w2.ms.toFixed(0)} ms\n`);
    for (let i = 0; i < reps; i++) {
      const d = await direct();
      const g = await viaDag(home);
      times.direct.push(d.ms);
      times.dag.push(g.ms);
      times.dagTrainNode.push(g.trainNodeMs);
      identical &&= sameBytes(d.model, g.model);
      process.stderr.write(`rep ${i + 1}: direct ${d.ms.toFixed(0)} ms, dag ${g.ms.toFixed(0)} ms (train node ${g.trainNodeMs.toFixed(0)} ms)\n`);
    }
    const ratio = median(times.dag) / median(times.direct);
    const report = {
      node: process.version, rows: prepared.numRows(), features: prepared.numCols() - 1,
      params: PARAMS, reps, warmup, times,
      medianMs: { direct: median(times.direct), dag: median(times.dag), dagTrainNode: median(times.dagTrainNode) },
      overheadMs: median(times.dag) - median(times.direct), ratio, target: '≤ 1.05', ok: ratio <= 1.05, identicalWeights: identical,
    };
    if (json) {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    } else {
      console.log(`MLP ${JSON.stringify(PARAMS.hiddenLayers)} × ${epochs} epochs on ${report.rows} penguins rows, ${reps} interleaved reps, ${process.version}`);
      console.log(`direct mlp.run   median ${report.medianMs.direct.toFixed(0)} ms   (${times.direct.map((t) => t.toFixed(0)).join(', ')})`);
      console.log(`runDag (2 nodes) median ${report.medianMs.dag.toFixed(0)} ms   (${times.dag.map((t) => t.toFixed(0)).join(', ')})`);
      console.log(`  of which the train node (worker + fit) median ${report.medianMs.dagTrainNode.toFixed(0)} ms; the rest of the run ${(report.medianMs.dag - report.medianMs.dagTrainNode).toFixed(0)} ms`);
      console.log(`ratio ${ratio.toFixed(3)} (target ≤ 1.05: ${report.ok ? 'ok' : 'MISSED'}), overhead ${report.overheadMs.toFixed(0)} ms; same weights bytes: ${identical ? 'yes' : 'NO'}`);
    }
    if (!report.ok || !identical) process.exitCode = 1;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
