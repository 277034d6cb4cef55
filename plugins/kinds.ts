import { defineKind, jsonKind, NonRetryableError } from '../core/index.ts';
import { packedFile, readPackedFile, unpackJson } from './packed-json.ts';

/** What the lifecycle is solving; every later task reads it. */
export interface ProblemSpec {
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  /** The metric to optimise, e.g. 'accuracy', 'f1_macro', 'roc_auc', 'rmse', 'r2'. */
  metric: string;
  /** Class labels as strings, sorted; undefined for regression. */
  classes?: string[];
  /** For binary problems: the class counted as positive. */
  positiveClass?: string;
}

/**
 * The problem definition artifact.
 * @example
 * inputs: { problem: Problem }
 */
export const Problem = jsonKind<'Problem', ProblemSpec>('Problem');

/** One column of an inferred data schema. */
export interface ColumnSchema {
  name: string;
  type: 'number' | 'integer' | 'string' | 'boolean' | 'date';
  /** Share of missing cells (null, undefined, NaN, ''), 0..1. */
  missingRatio: number;
  min?: number;
  max?: number;
  /** Distinct values for string/boolean columns (capped), sorted. */
  categories?: string[];
}

/** A table's schema, as inferred by validators/infer-schema and checked by validators/check-schema. */
export interface DataSchemaSpec {
  rows: number;
  columns: ColumnSchema[];
}

/** The data schema artifact. */
export const DataSchema = jsonKind<'DataSchema', DataSchemaSpec>('DataSchema');

/**
 * Fitted preprocessing state: learned on the training split only, applied unchanged to test and
 * future data. `steps` run in order; each names its transform and holds what it learned.
 */
export interface TransformSpec {
  steps: Array<{ type: string; [key: string]: unknown }>;
}

/** The fitted-transform artifact. */
export const Transform = jsonKind<'Transform', TransformSpec>('Transform');

const decoder = new TextDecoder();

/**
 * Row indices of each fold (or of the one holdout split): `test` rows; the rest are train. Both
 * ascending, as Int32Arrays: a million-row table's 5 folds hold 5 million indices, which as JSON
 * numbers were ~7 bytes each and seconds to write.
 */
export interface FoldsSpec {
  rows: number;
  folds: Array<{ train: Int32Array; test: Int32Array }>;
}

const FOLDS_MAGIC = 'MLCF1';

/**
 * The folds artifact produced by splitters/k-fold and splitters/stratified-k-fold: the magic, a
 * JSON header and the index arrays as raw little-endian int32 (packed-json.ts), 4 bytes an index.
 * Still decodes the canonical JSON it was before, so cached folds stay readable.
 */
export const Folds = defineKind<'Folds', FoldsSpec>('Folds', {
  encode(spec) {
    // A fixed key order and Int32Arrays whatever the producer handed over, so equal folds give equal bytes.
    const value = { rows: spec.rows, folds: spec.folds.map((f) => ({ train: int32Indices(f.train, spec.rows), test: int32Indices(f.test, spec.rows) })) };
    return packedFile(FOLDS_MAGIC, value);
  },
  decode(bytes) {
    const file = readPackedFile(bytes, [FOLDS_MAGIC]);
    return file ? unpackJson<FoldsSpec>(file.json, file.binary) : legacyFolds(JSON.parse(decoder.decode(bytes)));
  },
});

/** `indices` as an Int32Array of whole numbers in 0..rows-1 (a copy only when it is not one already). */
function int32Indices(indices: ArrayLike<number>, rows: number): Int32Array {
  const out = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  for (let i = 0; i < out.length; i++) {
    // Compare the source too: Int32Array.from turns 1.5 into 1 and NaN into 0 without a word.
    if (out[i] < 0 || out[i] >= rows || out[i] !== indices[i]) {
      throw new NonRetryableError(`Folds: index ${String(indices[i])} at position ${i} is not a row of a ${rows}-row table`);
    }
  }
  return out;
}

/** Folds stored as canonical JSON (before the binary form): plain number arrays. */
function legacyFolds(value: unknown): FoldsSpec {
  const v = value as { rows?: unknown; folds?: unknown };
  if (!v || typeof v !== 'object' || !Number.isSafeInteger(v.rows) || !Array.isArray(v.folds)) {
    throw new NonRetryableError('Folds: not a folds artifact (no magic, and not the JSON { rows, folds } of older versions)');
  }
  const rows = v.rows as number;
  return {
    rows,
    folds: (v.folds as Array<{ train?: unknown; test?: unknown }>).map((f, i) => {
      if (!Array.isArray(f?.train) || !Array.isArray(f?.test)) throw new NonRetryableError(`Folds: fold ${i} has no train and test arrays`);
      return { train: int32Indices(f.train as number[], rows), test: int32Indices(f.test as number[], rows) };
    }),
  };
}

/** A trained model: the algorithm, the feature order, and either tfjs weights or a classical model's JSON. */
export interface ModelSpec {
  algorithm: string;
  task: ProblemSpec['task'];
  target: string;
  features: string[];
  classes?: string[];
  /** For tfjs models. */
  tfjs?: { modelTopology: unknown; weightSpecs: unknown[]; weightData: Uint8Array };
  /**
   * For every other model: the algorithm's own fitted state, plain JSON whose typed arrays
   * (coefficients, tree nodes, training rows) are stored as raw bytes.
   */
  classical?: unknown;
  /** Training facts worth keeping (epochs run, backend, final loss). */
  info?: Record<string, unknown>;
}

const MAGIC = 'MLCM2';
const LEGACY_MAGIC = 'MLCM1';

/**
 * A model artifact: one file holding the magic, a JSON header and one binary section with every
 * typed array the model holds (weights, tree nodes, training rows) as raw bytes (packed-json.ts).
 */
export const Model = defineKind<'Model', ModelSpec>('Model', {
  encode(model) {
    return packedFile(MAGIC, model);
  },
  decode(bytes) {
    const file = readPackedFile(bytes, [MAGIC, LEGACY_MAGIC]);
    if (!file) throw new NonRetryableError('Model: not a model file (bad magic)');
    if (file.magic === MAGIC) return unpackJson<ModelSpec>(file.json, file.binary);
    // Version 1 stored only tfjs weights after the header.
    const header = JSON.parse(file.json) as ModelSpec;
    if (header.tfjs) header.tfjs.weightData = file.binary.slice();
    return header;
  },
});

/** A rendered HTML report (evaluation charts); `mlcycle runs show <id> --report out.html` exports it. */
export const Report = defineKind<'Report', Uint8Array>('Report', { encode: (b) => b, decode: (b) => b });
