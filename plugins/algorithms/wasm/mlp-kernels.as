// The MLP's matrix products in WebAssembly SIMD (f64x2), compiled by test/tools/build-wasm.mjs (npm run build:wasm) into
// plugins/algorithms/_mlp-simd-wasm.ts. AssemblyScript, not TypeScript: the .as extension keeps tsc,
// jiti and the plugin catalogue away from it. The JS side (_mlp-simd.ts) owns the memory layout: it
// copies operands to byte offsets at or above heapBase() and passes those offsets here. No allocation.
//
// Every product is one kernel, C = init + A·B, with B and C row-major and contiguous along the output
// columns (vectorised two at a time), and A read one scalar at a time through two strides, so that the
// same kernel serves a·W (A = a), aᵀ·δ (A = a read transposed) and δ·Wᵀ (B = Wᵀ, transposed by the caller).
// Blocks of 4 rows × 4 columns keep 8 f64x2 accumulators in registers over the whole inner dimension:
// per step, 2 vector loads of B and 4 scalar loads of A feed 8 vector multiply-adds. Each C element
// is summed in the order of the inner index (init, then q = 0, 1, …), as the plain loops do.
// No fused multiply-add: relaxed SIMD's fma may round differently per machine.

/** First byte the caller may use, 16-aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * C (m×p, row stride p) = bias (a p-vector, each row; none when 0) + A·B, A(r, t) at a + 8·(r·sam + t·saq),
 * B (q×p, row stride p). Offsets in bytes, strides in elements.
 */
export function gemm(a: usize, sam: i32, saq: i32, b: usize, bias: usize, c: usize, m: i32, q: i32, p: i32): void {
  const sm = <usize>sam << 3;
  const sq = <usize>saq << 3;
  const rowB = <usize>p << 3;
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = a + <usize>i * sm;
    const c0 = c + <usize>i * rowB;
    let j = 0;
    for (; j + 3 < p; j += 4) {
      const jo = <usize>j << 3;
      let x00 = zero, x01 = zero, x10 = zero, x11 = zero, x20 = zero, x21 = zero, x30 = zero, x31 = zero;
      if (bias != 0) {
        x00 = v128.load(bias + jo);
        x01 = v128.load(bias + jo, 16);
        x10 = x00; x11 = x01; x20 = x00; x21 = x01; x30 = x00; x31 = x01;
      }
      let pa = a0;
      let pb = b + jo;
      for (let t = 0; t < q; t++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const s0 = f64x2.splat(load<f64>(pa));
        const s1 = f64x2.splat(load<f64>(pa + sm));
        const s2 = f64x2.splat(load<f64>(pa + 2 * sm));
        const s3 = f64x2.splat(load<f64>(pa + 3 * sm));
        x00 = f64x2.add(x00, f64x2.mul(s0, b0));
        x01 = f64x2.add(x01, f64x2.mul(s0, b1));
        x10 = f64x2.add(x10, f64x2.mul(s1, b0));
        x11 = f64x2.add(x11, f64x2.mul(s1, b1));
        x20 = f64x2.add(x20, f64x2.mul(s2, b0));
        x21 = f64x2.add(x21, f64x2.mul(s2, b1));
        x30 = f64x2.add(x30, f64x2.mul(s3, b0));
        x31 = f64x2.add(x31, f64x2.mul(s3, b1));
        pa += sq;
        pb += rowB;
      }
      const o = c0 + jo;
      v128.store(o, x00); v128.store(o, x01, 16);
      v128.store(o + rowB, x10); v128.store(o + rowB, x11, 16);
      v128.store(o + 2 * rowB, x20); v128.store(o + 2 * rowB, x21, 16);
      v128.store(o + 3 * rowB, x30); v128.store(o + 3 * rowB, x31, 16);
    }
    for (; j + 1 < p; j += 2) {
      const jo = <usize>j << 3;
      let x0 = zero, x1 = zero, x2 = zero, x3 = zero;
      if (bias != 0) {
        x0 = v128.load(bias + jo);
        x1 = x0; x2 = x0; x3 = x0;
      }
      let pa = a0;
      let pb = b + jo;
      for (let t = 0; t < q; t++) {
        const b0 = v128.load(pb);
        x0 = f64x2.add(x0, f64x2.mul(f64x2.splat(load<f64>(pa)), b0));
        x1 = f64x2.add(x1, f64x2.mul(f64x2.splat(load<f64>(pa + sm)), b0));
        x2 = f64x2.add(x2, f64x2.mul(f64x2.splat(load<f64>(pa + 2 * sm)), b0));
        x3 = f64x2.add(x3, f64x2.mul(f64x2.splat(load<f64>(pa + 3 * sm)), b0));
        pa += sq;
        pb += rowB;
      }
      const o = c0 + jo;
      v128.store(o, x0); v128.store(o + rowB, x1); v128.store(o + 2 * rowB, x2); v128.store(o + 3 * rowB, x3);
    }
    for (; j < p; j++) {
      const jo = <usize>j << 3;
      const init = bias != 0 ? load<f64>(bias + jo) : 0.0;
      let x0 = init, x1 = init, x2 = init, x3 = init;
      let pa = a0;
      let pb = b + jo;
      for (let t = 0; t < q; t++) {
        const bt = load<f64>(pb);
        x0 += load<f64>(pa) * bt;
        x1 += load<f64>(pa + sm) * bt;
        x2 += load<f64>(pa + 2 * sm) * bt;
        x3 += load<f64>(pa + 3 * sm) * bt;
        pa += sq;
        pb += rowB;
      }
      const o = c0 + jo;
      store<f64>(o, x0); store<f64>(o + rowB, x1); store<f64>(o + 2 * rowB, x2); store<f64>(o + 3 * rowB, x3);
    }
  }
  for (; i < m; i++) {
    const a0 = a + <usize>i * sm;
    const c0 = c + <usize>i * rowB;
    let j = 0;
    for (; j + 3 < p; j += 4) {
      const jo = <usize>j << 3;
      let x0 = zero, x1 = zero;
      if (bias != 0) {
        x0 = v128.load(bias + jo);
        x1 = v128.load(bias + jo, 16);
      }
      let pa = a0;
      let pb = b + jo;
      for (let t = 0; t < q; t++) {
        const s = f64x2.splat(load<f64>(pa));
        x0 = f64x2.add(x0, f64x2.mul(s, v128.load(pb)));
        x1 = f64x2.add(x1, f64x2.mul(s, v128.load(pb, 16)));
        pa += sq;
        pb += rowB;
      }
      v128.store(c0 + jo, x0);
      v128.store(c0 + jo, x1, 16);
    }
    for (; j < p; j++) {
      const jo = <usize>j << 3;
      let x = bias != 0 ? load<f64>(bias + jo) : 0.0;
      let pa = a0;
      let pb = b + jo;
      for (let t = 0; t < q; t++) {
        x += load<f64>(pa) * load<f64>(pb);
        pa += sq;
        pb += rowB;
      }
      store<f64>(c0 + jo, x);
    }
  }
}

/** out (p) = column sums of D (m×p, row stride p), summed row after row. */
export function colSums(d: usize, m: i32, p: i32, out: usize): void {
  const rowD = <usize>p << 3;
  let j = 0;
  for (; j + 1 < p; j += 2) {
    const jo = <usize>j << 3;
    let x = f64x2.splat(0);
    let pd = d + jo;
    for (let i = 0; i < m; i++) {
      x = f64x2.add(x, v128.load(pd));
      pd += rowD;
    }
    v128.store(out + jo, x);
  }
  for (; j < p; j++) {
    const jo = <usize>j << 3;
    let x = 0.0;
    let pd = d + jo;
    for (let i = 0; i < m; i++) {
      x += load<f64>(pd);
      pd += rowD;
    }
    store<f64>(out + jo, x);
  }
}
