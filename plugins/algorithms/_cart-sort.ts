/**
 * The tree builder's sort: a node's feature values, copied into one contiguous buffer, sorted together
 * with the row indices they came from. This is scikit-learn's splitter sort (introsort with a
 * median-of-three pivot and a three-way partition, so the many repeated values of real columns cost
 * nothing), plus insertion sort for short runs. `Int32Array.sort` with a comparator closure was the
 * builder's hot spot: it calls back into JS for every comparison and reads the column at random.
 */

const INSERTION = 16;

/**
 * Sorts `values[start..end)` ascending and applies the same moves to `index[start..end)`.
 * Not stable; NaN must not occur (the caller checks finiteness).
 * @example
 * const v = Float64Array.of(3, 1, 2), i = Int32Array.of(10, 11, 12);
 * sortWithIndex(v, i, 0, 3); // v = [1, 2, 3], i = [11, 12, 10]
 */
export function sortWithIndex(values: Float64Array, index: Int32Array, start: number, end: number): void {
  const n = end - start;
  if (n < 2) return;
  introsort(values, index, start, end, 2 * Math.floor(Math.log(n)));
}

function introsort(v: Float64Array, ix: Int32Array, lo: number, hi: number, maxDepth: number): void {
  while (hi - lo > INSERTION) {
    if (maxDepth-- <= 0) {
      heapsort(v, ix, lo, hi);
      return;
    }
    const pivot = median3(v[lo], v[(lo + hi) >>> 1], v[hi - 1]);
    // Three-way partition: [lo, l) < pivot, [l, i) == pivot, [r, hi) > pivot.
    let l = lo;
    let i = lo;
    let r = hi;
    while (i < r) {
      const x = v[i];
      if (x < pivot) {
        const t = ix[i];
        v[i] = v[l], ix[i] = ix[l];
        v[l] = x, ix[l] = t;
        i++, l++;
      } else if (x > pivot) {
        r--;
        const t = ix[i];
        v[i] = v[r], ix[i] = ix[r];
        v[r] = x, ix[r] = t;
      } else i++;
    }
    // Recurse into the smaller side so the stack stays O(log n), loop on the larger.
    if (l - lo < hi - r) {
      introsort(v, ix, lo, l, maxDepth);
      lo = r;
    } else {
      introsort(v, ix, r, hi, maxDepth);
      hi = l;
    }
  }
  insertion(v, ix, lo, hi);
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return b < c ? (a < c ? a : c) : b;
}

function insertion(v: Float64Array, ix: Int32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = v[i];
    const t = ix[i];
    let j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j], ix[j + 1] = ix[j];
      j--;
    }
    v[j + 1] = x, ix[j + 1] = t;
  }
}

function heapsort(v: Float64Array, ix: Int32Array, lo: number, hi: number): void {
  const n = hi - lo;
  for (let s = (n >> 1) - 1; s >= 0; s--) siftDown(v, ix, lo, s, n);
  for (let e = n - 1; e > 0; e--) {
    swap(v, ix, lo, lo + e);
    siftDown(v, ix, lo, 0, e);
  }
}

function siftDown(v: Float64Array, ix: Int32Array, base: number, root: number, end: number): void {
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && v[base + child] < v[base + child + 1]) child++;
    if (v[base + root] >= v[base + child]) return;
    swap(v, ix, base + root, base + child);
    root = child;
  }
}

function swap(v: Float64Array, ix: Int32Array, a: number, b: number): void {
  const x = v[a];
  v[a] = v[b], v[b] = x;
  const t = ix[a];
  ix[a] = ix[b], ix[b] = t;
}
