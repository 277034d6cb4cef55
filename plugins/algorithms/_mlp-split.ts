/**
 * The validation share early stopping holds out, as scikit-learn's `train_test_split(test_size=f,
 * stratify=y)` sizes it: ⌈f·n⌉ rows, split across classes in proportion (largest remainders first),
 * so a rare class is not left out of the score by chance.
 */

/**
 * Row indices of the training and validation parts, drawn with `rand`. `classes` > 0 stratifies on
 * the integer labels in `y`; 0 draws rows at random (regression).
 * @example
 * const { train, val } = validationSplit(y, 3, 0.1, prng(0)); // val holds 10% of each class
 */
export function validationSplit(y: Float64Array, classes: number, fraction: number, rand: () => number): { train: Int32Array; val: Int32Array } {
  const n = y.length;
  const nVal = Math.ceil(fraction * n);
  const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), rand);
  const isVal = new Uint8Array(n);
  if (classes > 0) {
    const counts = new Array<number>(classes).fill(0);
    for (let i = 0; i < n; i++) counts[y[i]]++;
    const quota = counts.map((c) => Math.floor((c * nVal) / n));
    const byRemainder = counts.map((c, k) => k).sort((a, b) => (counts[b] * nVal) % n - (counts[a] * nVal) % n || a - b);
    for (let r = nVal - quota.reduce((a, b) => a + b, 0), q = 0; r > 0; r--, q++) quota[byRemainder[q % classes]]++;
    for (const i of order) if (quota[y[i]] > 0) (quota[y[i]]--, (isVal[i] = 1));
  } else {
    for (let q = 0; q < nVal; q++) isVal[order[q]] = 1;
  }
  const val = order.filter((i) => isVal[i] === 1);
  const train = order.filter((i) => isVal[i] === 0);
  return { train, val };
}

/**
 * Fisher–Yates in place (the epoch shuffle runs every epoch: no copy, no boxing).
 * @example
 * shuffleInPlace(Int32Array.of(0, 1, 2, 3), prng(7));
 */
export function shuffleInPlace(a: Int32Array, rand: () => number): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
