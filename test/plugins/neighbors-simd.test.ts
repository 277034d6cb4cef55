import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '../../core/index.ts';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { nearestNeighbours } from '../../plugins/algorithms/_neighbors-search.ts';
import { neighboursSimdAvailable, scanDistanceBlocks } from '../../plugins/algorithms/_neighbors-simd.ts';

/** Deterministic data: integer grid values (many exact ties) or continuous values in [-1, 1). */
function data(rows: number, cols: number, seed: number, grid: boolean): Dense {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return dense(rows, cols, Float64Array.from({ length: rows * cols }, () => (grid ? Math.floor(next() * 4) : next() * 2 - 1)));
}

describe('nearestNeighbours on WebAssembly SIMD', () => {
  it('runs here (Node 20 has WebAssembly SIMD)', () => {
    expect(neighboursSimdAvailable()).toBe(true);
  });

  it.each([1, 3, 20, 64].flatMap((cols) => [1, 5].flatMap((k) => [true, false].map((grid) => [cols, k, grid] as const))))(
    '%i features, k = %i, grid data %s: the same neighbours and bit-identical distances as the JS loops',
    (cols, k, grid) => {
      // More training rows than one training block at every width (1024 rows at 20 features), a
      // partial last block whose width is not a multiple of 4, and a query count that is not a multiple of 4.
      const train = data(cols === 1 ? 21_003 : cols === 3 ? 7_003 : 2_503, cols, 7 + cols, grid);
      const queries = data(75, cols, 11 + cols, grid);
      const simd = nearestNeighbours(train, queries, k);
      const js = nearestNeighbours(train, queries, k, undefined, 'js');
      expect(Array.from(simd.index)).toEqual(Array.from(js.index));
      expect(Array.from(simd.distance2)).toEqual(Array.from(js.distance2));
      if (grid) {
        // The grid really produces ties, and they go to the lower training index.
        let ties = 0;
        for (let i = 1; i < simd.index.length; i++) {
          if (i % k !== 0 && simd.distance2[i] === simd.distance2[i - 1]) {
            ties++;
            expect(simd.index[i]).toBeGreaterThan(simd.index[i - 1]);
          }
        }
        if (k === 5) expect(ties).toBeGreaterThan(0);
      }
    },
  );

  it('reports every full distance when no bound applies', () => {
    const train = data(9, 3, 1, false);
    const queries = data(5, 3, 2, false);
    const got = new Float64Array(5 * 9).fill(NaN);
    scanDistanceBlocks(train, queries, () => Infinity, (dist, stride, q0, q1, t0, t1) => {
      for (let q = q0; q < q1; q++) for (let t = t0; t < t1; t++) got[q * 9 + t] = dist[(q - q0) * stride + t - t0];
    });
    for (let q = 0; q < 5; q++) {
      for (let t = 0; t < 9; t++) {
        let s = 0;
        for (let j = 0; j < 3; j++) {
          const u = queries.data[q * 3 + j] - train.data[t * 3 + j];
          s += u * u;
        }
        expect(got[q * 9 + t]).toBe(s);
      }
    }
  });

  it('stops with CancelledError when the signal is aborted', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => nearestNeighbours(data(50, 20, 1, true), data(10, 20, 2, true), 3, ac.signal)).toThrow(CancelledError);
  });
});
