/**
 * A fitted Transform applied to plain column arrays instead of arquero tables. Each table step
 * rebuilds a table (and Arrow columns) however few the rows, which for the single-row requests a
 * model server sees costs several times the arithmetic; this applies the same steps, through the
 * same per-value functions, to arrays. It covers the ordinary case only and says so by returning
 * undefined (a missing column, a non-number to scale, a step naming a column twice, an output name
 * colliding with another column, an unknown step): the caller then takes the table path, which
 * gives the canonical answer or error. test/plugins/fast-predict.test.ts proves both paths
 * predict the same bytes.
 */
import type { TransformSpec } from '../kinds.ts';
import { categoryKey, isMissing } from '../data-table.ts';
import { clipped } from './_clip.ts';
import { minMaxScaled, standardized } from './_scale.ts';
import { checkTransform } from './steps.ts';

/** Columns by name, in order; numbers use NaN for missing, as the table path's number columns do. */
export interface ColumnArrays {
  names: string[];
  values: Map<string, unknown[]>;
}

/** Thrown inside, never out: this input needs the table path. */
class Miss extends Error {}

type Replacement = Array<[string, unknown[]]>;

/**
 * Applies a fitted Transform to column arrays, as applyTransform does to a table; undefined when the
 * input is not the ordinary case (the table path then decides, and names any error).
 * @example
 * const out = transformColumns({ names: ['x'], values: new Map([['x', [1, null]]]) }, transform);
 * out?.values.get('x'); // [-0.5, 0.25] (imputed, then standardized)
 */
export function transformColumns(input: ColumnArrays, spec: TransformSpec): ColumnArrays | undefined {
  try {
    checkTransform(spec);
  } catch {
    return undefined;
  }
  try {
    let cols = input;
    for (const step of spec.steps) cols = applyOne(cols, step as { type: string; columns: unknown[] });
    return cols;
  } catch (err) {
    if (err instanceof Miss) return undefined;
    throw err;
  }
}

function applyOne(cols: ColumnArrays, step: { type: string; columns: unknown[] }): ColumnArrays {
  if (step.type === 'drop') {
    const drop = new Set(step.columns as string[]);
    return { names: cols.names.filter((n) => !drop.has(n)), values: cols.values };
  }
  const entries = step.columns as Array<{ column: string }>;
  const seen = new Set<string>();
  for (const { column } of entries) {
    // A column named twice: the table path reads both from the step's input; not worth mirroring.
    if (!cols.values.has(column) || !cols.names.includes(column) || seen.has(column)) throw new Miss();
    seen.add(column);
  }
  const out = new Map<string, Replacement>();
  for (const entry of entries) out.set(entry.column, replace(cols.values.get(entry.column)!, step.type, entry));
  return rebuild(cols, out);
}

function replace(values: unknown[], type: string, entry: Record<string, unknown>): Replacement {
  const column = entry.column as string;
  switch (type) {
    case 'impute': {
      const fill = entry.value;
      return [[column, values.map((v) => (isMissing(v) ? fill : v))]];
    }
    case 'clip': {
      const { lower, upper } = entry as { lower: number; upper: number };
      return [[column, numbers(values, (x) => clipped(x, lower, upper))]];
    }
    case 'standardize':
      return [[column, numbers(values, (x) => standardized(x, entry as { mean: number; std: number }))]];
    case 'minmax':
      return [[column, numbers(values, (x) => minMaxScaled(x, entry as { min: number; max: number }))]];
    case 'onehot': {
      const { categories, outputs } = entry as { categories: string[]; outputs: string[] };
      const index = new Map(categories.map((c, i) => [c, i]));
      const indicators = outputs.map(() => new Array<number>(values.length).fill(0));
      values.forEach((v, row) => {
        const i = isMissing(v) ? undefined : index.get(categoryKey(v));
        if (i !== undefined) indicators[i]![row] = 1;
      });
      return outputs.map((name, i) => [name, indicators[i]!]);
    }
    case 'ordinal': {
      const index = new Map((entry.categories as string[]).map((c, i) => [c, i]));
      return [[column, values.map((v) => (isMissing(v) ? -1 : (index.get(categoryKey(v)) ?? -1)))]];
    }
    default:
      throw new Miss();
  }
}

/** Numbers as numericValues reads them (missing → NaN, a non-number → the table path), then `f` on the present ones. */
function numbers(values: unknown[], f: (x: number) => number): number[] {
  return values.map((v) => {
    if (isMissing(v)) return NaN;
    if (typeof v !== 'number') throw new Miss();
    return f(v);
  });
}

/** replaceColumns on arrays: each replaced column becomes its outputs, in place. */
function rebuild(cols: ColumnArrays, out: Map<string, Replacement>): ColumnArrays {
  const names: string[] = [];
  const values = new Map<string, unknown[]>();
  for (const name of cols.names) {
    const replaced = out.get(name);
    for (const [n, v] of replaced ?? [[name, cols.values.get(name)!]]) {
      // Two columns under one name: the table path decides what that means.
      if (values.has(n)) throw new Miss();
      names.push(n);
      values.set(n, v);
    }
  }
  return { names, values };
}

/**
 * The columns as a row-major matrix in `features` order, as featureDense reads a table: undefined
 * when a feature is absent or holds anything but a finite number (featureDense's error then comes
 * from the table path).
 * @example
 * denseOf(out, ['x', 'y']); // Float64Array [x0, y0, x1, y1, …]
 */
export function denseOf(cols: ColumnArrays, features: string[], rows: number): Float64Array | undefined {
  const d = features.length;
  const data = new Float64Array(rows * d);
  const present = new Set(cols.names);
  for (let j = 0; j < d; j++) {
    const values = present.has(features[j]!) ? cols.values.get(features[j]!) : undefined;
    if (!values || values.length !== rows) return undefined;
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
      data[i * d + j] = v;
    }
  }
  return data;
}
