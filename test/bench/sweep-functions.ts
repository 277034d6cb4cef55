/**
 * Test functions of the sampler bench (the same formulas as in sweep-peer.py): branin (2-D),
 * hartmann6 (6-D) and styblinski-tang 10-D, each with its space and known minimum, so a study's
 * quality is its regret: best value found − minimum.
 */
import { float, type Space, type TrialParams } from '../../core/sweep/space.ts';

export interface BenchFunction {
  name: string;
  space: Space;
  /** The known global minimum. */
  optimum: number;
  f(p: TrialParams): number;
}

const xs = (p: TrialParams, d: number): number[] => Array.from({ length: d }, (_, i) => p[`x${i}`] as number);
const box = (d: number, low: number, high: number): Space => Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, float(low, high)]));

const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));
const H_ALPHA = [1.0, 1.2, 3.0, 3.2];

export const FUNCTIONS: readonly BenchFunction[] = [
  {
    name: 'branin',
    space: { x0: float(-5, 10), x1: float(0, 15) },
    optimum: 0.397887357729738,
    f: (p) => {
      const [x, y] = xs(p, 2);
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    },
  },
  {
    name: 'hartmann6',
    space: box(6, 0, 1),
    optimum: -3.32236801141551,
    f: (p) => {
      const x = xs(p, 6);
      let s = 0;
      for (let i = 0; i < 4; i++) {
        let inner = 0;
        for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
        s += H_ALPHA[i] * Math.exp(-inner);
      }
      return -s;
    },
  },
  {
    name: 'styblinski-tang10',
    space: box(10, -5, 5),
    optimum: -39.16616570377142 * 10,
    f: (p) => 0.5 * xs(p, 10).reduce((s, x) => s + x ** 4 - 16 * x ** 2 + 5 * x, 0),
  },
];
