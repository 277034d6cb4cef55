/**
 * The two sides of one speed-benchmark measurement: mlcycle's `mlcycle run dags/tabular.ts` and
 * scikit-learn's test/bench/sklearn/speed-peer.py, each a fresh child process under GNU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC, type SpeedDataset } from './speed-datasets.ts';
import { timedRun, type TimedRun } from './speed-process.ts';

export const PYTHON = '/usr/bin/python3';
export const PEER = 'test/bench/sklearn/speed-peer.py';

export interface SideResult {
  status: TimedRun['status'];
  seconds: number;
  peakKiB?: number;
  treePeakKiB?: number;
  /** The cross-validated mean of the dataset's metric (accuracy or R²). */
  score?: number;
  /** mlcycle only: how long the final model on all rows (the export model, a 6th fit) took, in seconds. */
  finalFitS?: number;
  /** mlcycle only: the longest fold's training node, in seconds. */
  foldFitS?: number;
  /** Why it failed: the error and the tail of stderr. */
  error?: string;
}

interface NodeSummary { id: string; status: string; durationMs: number; error?: string }
interface RunJson { status: string; nodes: NodeSummary[]; outputs: Record<string, unknown>; failure?: string }

/**
 * mlcycle's 5-fold CV of `algorithm` on `csv` through dags/tabular.ts, on a new home (nothing cached).
 * @example
 * const r = await runMlcycle(root, dataset, '/tmp/x/cls-10k.csv', 'tree', 900); // { status: 'ok', seconds: 41.2, score: 0.75, … }
 */
export async function runMlcycle(root: string, dataset: SpeedDataset, csv: string, algorithm: string, timeoutS: number): Promise<SideResult> {
  const home = mkdtempSync(join(tmpdir(), 'mlcycle-speed-home-'));
  try {
    const args = [
      'cli/bin.mjs', 'run', 'dags/tabular.ts', '--param', `data=${csv}`, '--param', 'target=y', '--param', `algorithm=${algorithm}`,
      '--param', 'folds=5', '--json', '--home', home, '--param', `out=${join(home, 'bundle')}`,
    ];
    const run = await timedRun(process.execPath, args, { cwd: root, timeoutS });
    const base = measured(run);
    if (run.status === 'timeout') return base;
    let summary: RunJson;
    try {
      summary = JSON.parse(run.stdout) as RunJson;
    } catch {
      return { ...base, status: 'failed', error: `no JSON summary on stdout (exit ${run.exitCode}): ${tail(run.stderr)}` };
    }
    if (run.status !== 'ok' || summary.status !== 'succeeded') {
      const failed = summary.nodes.filter((n) => n.status === 'failed').map((n) => `${n.id}: ${n.error}`);
      return { ...base, status: 'failed', error: `run ${summary.status}: ${failed.slice(0, 3).join('; ') || summary.failure || tail(run.stderr)}` };
    }
    const cv = summary.outputs.cv as Record<string, { mean: number }> | undefined;
    const score = cv?.[METRIC[dataset.task]]?.mean;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      return { ...base, status: 'failed', error: `the summary's outputs.cv has no finite ${METRIC[dataset.task]} mean` };
    }
    const ms = (id: string) => summary.nodes.find((n) => n.id === id)?.durationMs;
    const folds = summary.nodes.filter((n) => /^train-\d+$/.test(n.id)).map((n) => n.durationMs);
    return { ...base, score, finalFitS: (ms('train') ?? NaN) / 1000, foldFitS: folds.length ? Math.max(...folds) / 1000 : undefined };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * scikit-learn's cross_val_score(n_jobs=2) of the same algorithm with the same preprocessing.
 * @example
 * const r = await runPeer(root, dataset, '/tmp/x/cls-10k.csv', 'tree', 900); // { status: 'ok', seconds: 3.1, score: 0.75, … }
 */
export async function runPeer(root: string, dataset: SpeedDataset, csv: string, algorithm: string, timeoutS: number): Promise<SideResult> {
  const run = await timedRun(PYTHON, [PEER, 'cv', csv, 'y', algorithm, '--folds', '5', '--jobs', '2'], { cwd: root, timeoutS });
  const base = measured(run);
  if (run.status === 'timeout') return base;
  if (run.status !== 'ok') return { ...base, error: `exit ${run.exitCode}: ${tail(run.stderr)}` };
  try {
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { metric: string; mean: number };
    if (out.metric !== METRIC[dataset.task]) return { ...base, status: 'failed', error: `the peer scored ${out.metric}, expected ${METRIC[dataset.task]}` };
    return { ...base, score: out.mean };
  } catch {
    return { ...base, status: 'failed', error: `no JSON line on stdout: ${tail(run.stderr)}` };
  }
}

function measured(run: TimedRun): SideResult {
  return { status: run.status, seconds: run.seconds, peakKiB: run.peakKiB, treePeakKiB: run.treePeakKiB };
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}
