/**
 * Speed of the closed-form / L-BFGS linear solvers against scikit-learn on the same data, in the same
 * run: LinearRegression, Ridge(alpha=1), LogisticRegression (binary and 3-class multinomial, C=1,
 * max_iter=1000) on 100k rows × 20 standard-normal features (override with --rows/--cols).
 *   node cli/run-ts.mjs test/bench/linear-solvers.bench.ts [--rows 100000] [--cols 20] [--reps 3]
 * Rounds are interleaved (mlcycle, then a /usr/bin/python3 process fitting the same bytes), and each
 * side's best round counts. Prints one row per model: milliseconds, the ratio mlcycle / scikit-learn,
 * and the largest coefficient difference (scikit-learn's lbfgs stops at its default tol=1e-4, ours
 * at 1e-8, so logistic differences there are mostly scikit-learn's distance to the optimum).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dense } from '../../plugins/algorithms/_dense.ts';
import { fitLogistic } from '../../plugins/algorithms/_logistic-fit.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';
import { fitRidge } from '../../plugins/algorithms/_ridge.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const n = arg('--rows', 100_000), d = arg('--cols', 20), reps = arg('--reps', 3);

const rand = prng(11);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const x = dense(n, d);
for (let p = 0; p < x.data.length; p++) x.data[p] = normal();
const beta = Float64Array.from({ length: 3 * d }, () => normal() * 0.7);
const yReg = new Float64Array(n), y2 = new Int32Array(n), y3 = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const z = [0, 0, 0];
  for (let c = 0; c < 3; c++) for (let j = 0; j < d; j++) z[c] += beta[c * d + j] * x.data[i * d + j];
  yReg[i] = 50 + z[0] + normal();
  y2[i] = rand() < 1 / (1 + Math.exp(-z[0])) ? 1 : 0;
  const e = z.map(Math.exp), s = e[0] + e[1] + e[2], u = rand() * s;
  y3[i] = u < e[0] ? 0 : u < e[0] + e[1] ? 1 : 2;
}

const dir = mkdtempSync(join(tmpdir(), 'linear-bench-'));
writeFileSync(join(dir, 'x.f64'), x.data);
writeFileSync(join(dir, 'yreg.f64'), yReg);
writeFileSync(join(dir, 'y2.i32'), y2);
writeFileSync(join(dir, 'y3.i32'), y3);

const PY = `
import json, sys, time, warnings
import numpy as np
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
d, n = sys.argv[1], int(sys.argv[2])
x = np.fromfile(d + '/x.f64').reshape(n, -1)
yr = np.fromfile(d + '/yreg.f64'); y2 = np.fromfile(d + '/y2.i32', dtype=np.int32); y3 = np.fromfile(d + '/y3.i32', dtype=np.int32)
LogisticRegression().fit(x[:500], y3[:500])  # first-call overheads out of the timings
out = {}
for name, model, y in [('LinearRegression', LinearRegression(), yr), ('Ridge(alpha=1)', Ridge(alpha=1.0), yr),
                       ('Logistic binary', LogisticRegression(C=1.0, max_iter=1000), y2),
                       ('Logistic 3-class', LogisticRegression(C=1.0, max_iter=1000), y3)]:
    t = time.perf_counter(); model.fit(x, y); ms = (time.perf_counter() - t) * 1000
    it = getattr(model, 'n_iter_', None)
    out[name] = {'ms': ms, 'coef': np.ravel(model.coef_).tolist(), 'iter': 0 if it is None else int(np.max(it))}
print(json.dumps(out))
`;

interface Side { ms: number; coef: ArrayLike<number>; iter: number }
const ours: Record<string, () => Side> = {
  LinearRegression: () => timed(() => ({ ...fitRidge(x, yReg, { alpha: 0 }), iter: 0 })),
  'Ridge(alpha=1)': () => timed(() => ({ ...fitRidge(x, yReg, { alpha: 1 }), iter: 0 })),
  'Logistic binary': () => timed(() => { const f = fitLogistic(x, y2, 2, { C: 1, maxIter: 1000 }); return { coef: f.coef, iter: f.iterations }; }),
  'Logistic 3-class': () => timed(() => { const f = fitLogistic(x, y3, 3, { C: 1, maxIter: 1000 }); return { coef: f.coef, iter: f.iterations }; }),
};
function timed(fn: () => { coef: ArrayLike<number>; iter: number }): Side {
  const t = performance.now();
  const r = fn();
  return { ms: performance.now() - t, coef: r.coef, iter: r.iter };
}

const best: Record<string, { ours?: Side; sk?: Side }> = {};
try {
  for (const f of Object.values(ours)) f(); // warm the JIT once
  for (let r = 0; r < reps; r++) {
    for (const [name, f] of Object.entries(ours)) {
      const s = f();
      if (!best[name]?.ours || s.ms < best[name].ours!.ms) best[name] = { ...best[name], ours: s };
    }
    const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY, dir, String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, Side>;
    for (const [name, s] of Object.entries(py)) if (!best[name]?.sk || s.ms < best[name].sk!.ms) best[name] = { ...best[name], sk: s };
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`linear solvers: ${n} rows × ${d} features, best of ${reps} interleaved rounds`);
console.log('model              mlcycle ms  sklearn ms  ratio  iters (ours/sk)  max |Δcoef|');
for (const [name, { ours: a, sk: b }] of Object.entries(best)) {
  let diff = 0;
  for (let i = 0; i < a!.coef.length; i++) diff = Math.max(diff, Math.abs(a!.coef[i] - b!.coef[i]));
  console.log(`${name.padEnd(18)} ${a!.ms.toFixed(1).padStart(10)}  ${b!.ms.toFixed(1).padStart(10)}  ${(a!.ms / b!.ms).toFixed(2).padStart(5)}  ${`${a!.iter}/${b!.iter}`.padStart(15)}  ${diff.toExponential(1)}`);
}
