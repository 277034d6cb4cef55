/**
 * The MLP benchmark's table, made in TypeScript from a seed so that every contender (and the Python
 * peer, through a CSV) sees the same rows: scikit-learn's make_classification recipe (Gaussian
 * clusters on hypercube vertices, 2 per class, informative + redundant + noise features, 1% labels
 * flipped), plus a regression target far from zero (≈ 1000 ± 250) on the same features.
 */
import { writeFileSync } from 'node:fs';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';

export interface BenchTable {
  /** Standardised features (the caller of fitMlp standardises; so does this table). */
  x: Dense;
  /** Class index 0..classes-1. */
  y: Float64Array;
  /** Regression target, raw (far from zero). */
  r: Float64Array;
  classes: number;
  /** true for the rows of the held-out part (the last 20%, rows are in random order already). */
  isTest: Uint8Array;
}

/**
 * A make_classification-like table.
 * @example
 * const t = benchTable({ rows: 10_000, features: 20, classes: 3, seed: 0 });
 */
export function benchTable(o: { rows: number; features: number; classes: number; seed: number }): BenchTable {
  const rand = prng(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const [informative, redundant] = [Math.min(6, o.features), Math.min(4, Math.max(0, o.features - 6))];
  const clusters = o.classes * 2;
  const centroids = Array.from({ length: clusters }, () => Array.from({ length: informative }, () => (rand() < 0.5 ? -1 : 1)));
  const mix = Array.from({ length: clusters }, () => Array.from({ length: informative * informative }, () => 2 * rand() - 1));
  const spread = Array.from({ length: informative * redundant }, () => 2 * rand() - 1);
  const raw = new Float64Array(o.rows * o.features);
  const y = new Float64Array(o.rows);
  const g = new Float64Array(informative);
  for (let i = 0; i < o.rows; i++) {
    const c = Math.floor(rand() * clusters);
    y[i] = c % o.classes;
    for (let a = 0; a < informative; a++) g[a] = gauss();
    const row = i * o.features;
    for (let a = 0; a < informative; a++) {
      let v = centroids[c][a];
      for (let b = 0; b < informative; b++) v += g[b] * mix[c][a * informative + b];
      raw[row + a] = v;
    }
    for (let r = 0; r < redundant; r++) {
      let v = 0;
      for (let a = 0; a < informative; a++) v += raw[row + a] * spread[a * redundant + r];
      raw[row + informative + r] = v;
    }
    for (let f = informative + redundant; f < o.features; f++) raw[row + f] = gauss();
    if (rand() < 0.01) y[i] = Math.floor(rand() * o.classes);
  }
  const x = standardise(dense(o.rows, o.features, raw));
  const r = Float64Array.from({ length: o.rows }, (_, i) => {
    const f = (j: number) => x.data[i * o.features + j];
    return 1000 + 150 * (Math.sin(1.5 * f(0)) + f(1) * f(2) + 0.5 * f(3) ** 2 - f(4) + Math.tanh(f(6))) + 20 * gauss();
  });
  const isTest = Uint8Array.from({ length: o.rows }, (_, i) => (i >= o.rows * 0.8 ? 1 : 0));
  return { x, y, r, classes: o.classes, isTest };
}

function standardise(m: Dense): Dense {
  for (let c = 0; c < m.cols; c++) {
    let [sum, sq] = [0, 0];
    for (let i = 0; i < m.rows; i++) sum += m.data[i * m.cols + c];
    const mean = sum / m.rows;
    for (let i = 0; i < m.rows; i++) sq += (m.data[i * m.cols + c] - mean) ** 2;
    const sd = Math.sqrt(sq / m.rows) || 1;
    for (let i = 0; i < m.rows; i++) m.data[i * m.cols + c] = (m.data[i * m.cols + c] - mean) / sd;
  }
  return m;
}

/**
 * Rows where `keep` is true, as features and targets.
 * @example
 * const train = part(t, (i) => !t.isTest[i]);
 */
export function part(t: BenchTable, keep: (i: number) => boolean): { x: Dense; y: Float64Array; r: Float64Array } {
  const idx = Array.from({ length: t.x.rows }, (_, i) => i).filter(keep);
  const x = dense(idx.length, t.x.cols);
  idx.forEach((i, k) => x.data.set(t.x.data.subarray(i * t.x.cols, (i + 1) * t.x.cols), k * t.x.cols));
  return { x, y: Float64Array.from(idx, (i) => t.y[i]), r: Float64Array.from(idx, (i) => t.r[i]) };
}

/**
 * Writes the table for the Python peer: f0..fN, y, r, part (train/test), full float precision.
 * @example
 * writeCsv(t, '/tmp/mlp-bench/table.csv');
 */
export function writeCsv(t: BenchTable, path: string): void {
  const cols = t.x.cols;
  const lines = [[...Array.from({ length: cols }, (_, j) => `f${j}`), 'y', 'r', 'part'].join(',')];
  for (let i = 0; i < t.x.rows; i++) {
    const f = Array.from(t.x.data.subarray(i * cols, (i + 1) * cols), String);
    lines.push([...f, String(t.y[i]), String(t.r[i]), t.isTest[i] ? 'test' : 'train'].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}
