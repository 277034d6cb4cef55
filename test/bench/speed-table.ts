/**
 * One row of the speed benchmark (mlcycle beside scikit-learn on one dataset × algorithm), its verdicts
 * against issue 6's targets, and the plain-text table.
 */
import { TARGETS, type SpeedDataset } from './speed-datasets.ts';
import type { SideResult } from './speed-sides.ts';

/** 'ok' met, 'missed' not met, or why it could not be judged. */
export type Verdict = 'ok' | 'missed' | 'timeout' | 'failed';

export interface SpeedRow {
  dataset: string;
  algorithm: string;
  metric: 'accuracy' | 'r2';
  /** The best (fastest) of the repetitions on each side. */
  mlcycle: SideResult;
  sklearn: SideResult;
  repeat: number;
  timeRatio?: number;
  /** mlcycle minus scikit-learn, in the metric's units (0.01 = one point of accuracy). */
  scoreDiff?: number;
  /** On the sampled process-tree PSS when both sides have it, else on GNU time's peak RSS. */
  memoryRatio?: number;
  memoryBasis?: 'tree-pss' | 'max-rss';
  verdict: { time: Verdict; score: Verdict; memory: Verdict };
}

/**
 * Judges one dataset × algorithm against the targets: time ≤ 2× scikit-learn, score no more than
 * 0.01 below, peak memory ≤ 3×.
 * @example
 * const row = judge(dataset, 'tree', 'accuracy', bestMl, bestSk, 1); // row.verdict.time === 'missed'
 */
export function judge(dataset: SpeedDataset, algorithm: string, metric: SpeedRow['metric'], ml: SideResult, sk: SideResult, repeat: number): SpeedRow {
  const row: SpeedRow = { dataset: dataset.name, algorithm, metric, mlcycle: ml, sklearn: sk, repeat, verdict: { time: 'failed', score: 'failed', memory: 'failed' } };
  const unusable = ml.status === 'failed' || sk.status === 'failed' ? 'failed' : ml.status === 'timeout' || sk.status === 'timeout' ? 'timeout' : undefined;
  if (ml.status === 'timeout' && sk.status === 'ok') {
    // A timed-out mlcycle is slower than the timeout: a lower bound on the ratio, so the time target is judged.
    row.timeRatio = ml.seconds / sk.seconds;
    row.verdict = { time: row.timeRatio > TARGETS.timeRatio ? 'missed' : 'timeout', score: 'timeout', memory: 'timeout' };
    return row;
  }
  if (unusable) {
    row.verdict = { time: unusable, score: unusable, memory: unusable };
    return row;
  }
  row.timeRatio = ml.seconds / sk.seconds;
  row.scoreDiff = ml.score! - sk.score!;
  const tree = ml.treePeakKiB !== undefined && sk.treePeakKiB !== undefined;
  row.memoryBasis = tree ? 'tree-pss' : 'max-rss';
  row.memoryRatio = tree ? ml.treePeakKiB! / sk.treePeakKiB! : (ml.peakKiB ?? NaN) / (sk.peakKiB ?? NaN);
  row.verdict = {
    time: row.timeRatio <= TARGETS.timeRatio ? 'ok' : 'missed',
    score: row.scoreDiff >= -TARGETS.scoreBelow - 1e-12 ? 'ok' : 'missed',
    memory: Number.isFinite(row.memoryRatio) ? (row.memoryRatio <= TARGETS.memoryRatio ? 'ok' : 'missed') : 'failed',
  };
  return row;
}

const mib = (kib: number | undefined) => (kib === undefined ? '—' : (kib / 1024).toFixed(0));
const secs = (s: SideResult) => (s.status === 'ok' ? s.seconds.toFixed(1) : s.status === 'timeout' ? `>${s.seconds.toFixed(0)} timeout` : 'failed');
const score = (s: SideResult, metric: string) => (s.score === undefined ? '—' : metric === 'accuracy' ? (100 * s.score).toFixed(2) : s.score.toFixed(4));
const mark = (v: Verdict) => (v === 'ok' ? 'ok' : v);

/**
 * The table the bench prints: one line per dataset × algorithm.
 * @example
 * console.log(formatTable(rows));
 */
export function formatTable(rows: SpeedRow[]): string {
  const head = ['dataset', 'algorithm', 'mlcycle s', 'sklearn s', 'ratio', 'time', 'final fit s', 'mlcycle score', 'sklearn score', 'diff', 'score',
    'MiB ml/sk', 'tree MiB ml/sk', 'mem ×', 'memory'];
  const cells = rows.map((r) => [
    r.dataset, r.algorithm, secs(r.mlcycle), secs(r.sklearn),
    r.timeRatio === undefined ? '—' : `${r.timeRatio.toFixed(2)}${r.mlcycle.status === 'timeout' ? '+' : ''}`, mark(r.verdict.time),
    r.mlcycle.finalFitS === undefined || !Number.isFinite(r.mlcycle.finalFitS) ? '—' : r.mlcycle.finalFitS.toFixed(1),
    score(r.mlcycle, r.metric), score(r.sklearn, r.metric),
    r.scoreDiff === undefined ? '—' : (r.scoreDiff >= 0 ? '+' : '') + (r.metric === 'accuracy' ? (100 * r.scoreDiff).toFixed(2) : r.scoreDiff.toFixed(4)),
    mark(r.verdict.score),
    `${mib(r.mlcycle.peakKiB)}/${mib(r.sklearn.peakKiB)}`, `${mib(r.mlcycle.treePeakKiB)}/${mib(r.sklearn.treePeakKiB)}`,
    r.memoryRatio === undefined || !Number.isFinite(r.memoryRatio) ? '—' : r.memoryRatio.toFixed(2), mark(r.verdict.memory),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(head), ...cells.map(line)].join('\n');
}
