import { defineKind, jsonKind, NonRetryableError } from '../core/index.ts';
import { packJson, unpackJson } from './packed-json.ts';

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
  /**
   * For every other model: the algorithm's own fitted state, plain JSON whose typed arrays
   * (coefficients, tree nodes, training rows) are stored as raw bytes.
   */
  classical?: unknown;
  /** Training facts worth keeping (epochs run, backend, final loss). */
  info?: Record<string, unknown>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAGIC = 'MLCM2';
const LEGACY_MAGIC = 'MLCM1';

/**
 * A model artifact: one file holding the magic, a JSON header and one binary section with every
 * typed array the model holds (weights, tree nodes, training rows) as raw bytes (packed-json.ts).
 */
export const Model = defineKind<'Model', ModelSpec>('Model', {
  encode(model) {
    const { json, binary } = packJson(model);
    const header = encoder.encode(json);
    const out = new Uint8Array(MAGIC.length + 4 + header.byteLength + binary.byteLength);
    out.set(encoder.encode(MAGIC), 0);
    new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
    out.set(header, MAGIC.length + 4);
    out.set(binary, MAGIC.length + 4 + header.byteLength);
    return out;
  },
  decode(bytes) {
    const magic = decoder.decode(bytes.subarray(0, MAGIC.length));
    if (magic !== MAGIC && magic !== LEGACY_MAGIC) throw new NonRetryableError('Model: not a model file (bad magic)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = view.getUint32(MAGIC.length, true);
    const start = MAGIC.length + 4;
    const json = decoder.decode(bytes.subarray(start, start + len));
    if (magic === MAGIC) return unpackJson<ModelSpec>(json, bytes.subarray(start + len));
    // Version 1 stored only tfjs weights after the header.
    const header = JSON.parse(json) as ModelSpec;
    if (header.tfjs) header.tfjs.weightData = bytes.slice(start + len);
    return header;
  },
});

/** A rendered HTML report (evaluation charts); `mlcycle runs show <id> --report out.html` exports it. */
export const Report = defineKind<'Report', Uint8Array>('Report', { encode: (b) => b, decode: (b) => b });
