// The brute-force k-NN search's squared distances in WebAssembly SIMD (f64x2), compiled by
// test/tools/build-wasm.mjs (npm run build:wasm) into plugins/algorithms/_neighbors-simd-wasm.ts. AssemblyScript,
// not TypeScript: the .as extension keeps tsc, jiti and the plugin catalogue away from it. The JS side
// (_neighbors-simd.ts) owns the memory layout and passes byte offsets at or above heapBase(). No allocation.
//
// The training rows are stored transposed per block (feature-major, `w` rows per feature, w a multiple
// of 4), so one vector load brings feature j of two adjacent training rows; the vectorisation is across
// (query, row) pairs, never across features, so each distance is summed exactly as the JS loop does:
// s = 0, then s += (q[j] − t[j])² for j = 0, 1, …, d − 1. Blocks of 4 queries × 4 rows keep 8 f64x2
// accumulators in registers: per feature, 2 vector loads and 4 scalar loads feed 8 subtract-square-adds.
// No fused multiply-add: relaxed SIMD's fma may round differently per machine.

/** First byte the caller may use, 16-aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * out (nq × w, row stride w) = Σ_j (Q(i, j) − T(j, t))² for queries Q (nq × d, row-major at q) and the
 * transposed training block T (d × w, row stride w, at t). Offsets in bytes; w must be a multiple of 4.
 * Early abandonment: every 4 features, a 4×4 block whose 16 partial sums all exceed their query's bound
 * (worst, nq doubles: the caller's k-th distance so far) stops and stores those partial sums. They still
 * exceed the bound, which only falls, so the caller's `s < bound` rejects them as it would the full sums.
 */
export function distances(q: usize, nq: i32, t: usize, w: i32, d: i32, out: usize, worst: usize): void {
  const rowQ = <usize>d << 3;
  const rowT = <usize>w << 3;
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < nq; i += 4) {
    const q0 = q + <usize>i * rowQ;
    const o0 = out + <usize>i * rowT;
    const w0 = f64x2.splat(load<f64>(worst + (<usize>i << 3)));
    const w1 = f64x2.splat(load<f64>(worst + (<usize>i << 3), 8));
    const w2 = f64x2.splat(load<f64>(worst + (<usize>i << 3), 16));
    const w3 = f64x2.splat(load<f64>(worst + (<usize>i << 3), 24));
    for (let c = 0; c < w; c += 4) {
      const co = <usize>c << 3;
      let x00 = zero, x01 = zero, x10 = zero, x11 = zero, x20 = zero, x21 = zero, x30 = zero, x31 = zero;
      let pq = q0;
      let pt = t + co;
      for (let j = 0; j < d; ) {
        const je = min(j + 4, d);
        for (; j < je; j++) {
        const b0 = v128.load(pt);
        const b1 = v128.load(pt, 16);
        const s0 = f64x2.splat(load<f64>(pq));
        const s1 = f64x2.splat(load<f64>(pq + rowQ));
        const s2 = f64x2.splat(load<f64>(pq + 2 * rowQ));
        const s3 = f64x2.splat(load<f64>(pq + 3 * rowQ));
        let u = f64x2.sub(s0, b0);
        x00 = f64x2.add(x00, f64x2.mul(u, u));
        u = f64x2.sub(s0, b1);
        x01 = f64x2.add(x01, f64x2.mul(u, u));
        u = f64x2.sub(s1, b0);
        x10 = f64x2.add(x10, f64x2.mul(u, u));
        u = f64x2.sub(s1, b1);
        x11 = f64x2.add(x11, f64x2.mul(u, u));
        u = f64x2.sub(s2, b0);
        x20 = f64x2.add(x20, f64x2.mul(u, u));
        u = f64x2.sub(s2, b1);
        x21 = f64x2.add(x21, f64x2.mul(u, u));
        u = f64x2.sub(s3, b0);
        x30 = f64x2.add(x30, f64x2.mul(u, u));
        u = f64x2.sub(s3, b1);
        x31 = f64x2.add(x31, f64x2.mul(u, u));
        pq += 8;
        pt += rowT;
        }
        if (j < d) {
          const m = v128.and(
            v128.and(v128.and(f64x2.gt(x00, w0), f64x2.gt(x01, w0)), v128.and(f64x2.gt(x10, w1), f64x2.gt(x11, w1))),
            v128.and(v128.and(f64x2.gt(x20, w2), f64x2.gt(x21, w2)), v128.and(f64x2.gt(x30, w3), f64x2.gt(x31, w3))),
          );
          if (i64x2.all_true(m)) break;
        }
      }
      const o = o0 + co;
      v128.store(o, x00);
      v128.store(o, x01, 16);
      v128.store(o + rowT, x10);
      v128.store(o + rowT, x11, 16);
      v128.store(o + 2 * rowT, x20);
      v128.store(o + 2 * rowT, x21, 16);
      v128.store(o + 3 * rowT, x30);
      v128.store(o + 3 * rowT, x31, 16);
    }
  }
  for (; i < nq; i++) {
    const q0 = q + <usize>i * rowQ;
    const o0 = out + <usize>i * rowT;
    for (let c = 0; c < w; c += 4) {
      const co = <usize>c << 3;
      let x0 = zero, x1 = zero;
      let pq = q0;
      let pt = t + co;
      for (let j = 0; j < d; j++) {
        const s = f64x2.splat(load<f64>(pq));
        let u = f64x2.sub(s, v128.load(pt));
        x0 = f64x2.add(x0, f64x2.mul(u, u));
        u = f64x2.sub(s, v128.load(pt, 16));
        x1 = f64x2.add(x1, f64x2.mul(u, u));
        pq += 8;
        pt += rowT;
      }
      v128.store(o0 + co, x0);
      v128.store(o0 + co, x1, 16);
    }
  }
}
