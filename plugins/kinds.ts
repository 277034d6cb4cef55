import { defineKind, jsonKind, NonRetryableError } from '../core/index.ts';

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

/** Row indices of each fold (or of the one holdout split): `test` rows; the rest are train. */
export interface FoldsSpec {
  rows: number;
  folds: Array<{ train: number[]; test: number[] }>;
}

/** The folds artifact produced by splitters/k-fold and splitters/stratified-k-fold. */
export const Folds = jsonKind<'Folds', FoldsSpec>('Folds');

/** A trained model: the algorithm, the feature order, and either tfjs weights or a classical model's JSON. */
export interface ModelSpec {
  algorithm: string;
  task: ProblemSpec['task'];
  target: string;
  features: string[];
  classes?: string[];
  /** For tfjs models. */
  tfjs?: { modelTopology: unknown; weightSpecs: unknown[]; weightData: Uint8Array };
  /** For ml.js models: the model's own `toJSON()`. */
  classical?: unknown;
  /** Training facts worth keeping (epochs run, backend, final loss). */
  info?: Record<string, unknown>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAGIC = 'MLCM1';

/**
 * A model artifact: one file holding a JSON header (topology, weight specs, classical JSON) then the
 * raw weight bytes, so weights are not inflated by base64.
 */
export const Model = defineKind<'Model', ModelSpec>('Model', {
  encode(model) {
    const weights = model.tfjs?.weightData ?? new Uint8Array(0);
    const header = encoder.encode(
      JSON.stringify({ ...model, tfjs: model.tfjs ? { ...model.tfjs, weightData: weights.byteLength } : undefined }),
    );
    const out = new Uint8Array(MAGIC.length + 4 + header.byteLength + weights.byteLength);
    out.set(encoder.encode(MAGIC), 0);
    new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
    out.set(header, MAGIC.length + 4);
    out.set(weights, MAGIC.length + 4 + header.byteLength);
    return out;
  },
  decode(bytes) {
    if (decoder.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new NonRetryableError('Model: not a model file (bad magic)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = view.getUint32(MAGIC.length, true);
    const start = MAGIC.length + 4;
    const header = JSON.parse(decoder.decode(bytes.subarray(start, start + len))) as ModelSpec;
    if (header.tfjs) {
      header.tfjs.weightData = bytes.slice(start + len);
    }
    return header;
  },
});

/** A rendered HTML report (evaluation charts); `mlcycle runs show <id> --report out.html` exports it. */
export const Report = defineKind<'Report', Uint8Array>('Report', { encode: (b) => b, decode: (b) => b });
