/** A fitted tree in flat typed arrays, the buffer that grows it, and walking it for one row. */

/** A fitted tree as flat arrays (scikit-learn's layout), nodes in pre-order. `feature[i] < 0` marks a leaf. */
export interface CartTree {
  /** Split feature per node; -1 for a leaf. */
  feature: Int32Array;
  /** Rows with `x[feature] <= threshold` go left. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** `outputs` values per node: the weighted class shares (classification) or the mean (regression). */
  value: Float64Array;
  /** Values per node: the class count, or 1 for regression. */
  outputs: number;
}

/**
 * Growable flat node arrays.
 * @example
 * const b = new TreeBuffer(3, 1024); const id = b.add(); b.feature[id] = 2; const tree = b.finish();
 */
export class TreeBuffer {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  private count = 0;

  constructor(private readonly outputs: number, private capacity: number) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * outputs);
  }

  /** A new leaf node (no split yet); returns its id. */
  add(): number {
    if (this.count === this.capacity) this.grow();
    const id = this.count++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }

  finish(): CartTree {
    const n = this.count;
    return {
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.outputs),
      outputs: this.outputs,
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = <T extends Int32Array | Float64Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (len: number) => T)(len);
      b.set(a);
      return b;
    };
    this.feature = widen(this.feature, this.capacity);
    this.threshold = widen(this.threshold, this.capacity);
    this.left = widen(this.left, this.capacity);
    this.right = widen(this.right, this.capacity);
    this.value = widen(this.value, this.capacity * this.outputs);
  }
}

/**
 * The leaf a row falls into.
 * @example
 * const leaf = leafOf(tree, Float64Array.of(5.1, 3.5, 1.4, 0.2));
 * tree.value.subarray(leaf * tree.outputs, (leaf + 1) * tree.outputs); // [1, 0, 0]
 */
export function leafOf(tree: CartTree, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

/**
 * The leaf value a row falls into: class shares or `[mean]`.
 * @example
 * predictTree(tree, [5.1, 3.5, 1.4, 0.2]); // [1, 0, 0]
 */
export function predictTree(tree: CartTree, row: ArrayLike<number>): number[] {
  const leaf = leafOf(tree, row);
  return Array.from(tree.value.subarray(leaf * tree.outputs, (leaf + 1) * tree.outputs));
}
