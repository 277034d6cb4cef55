import { DataError } from '../../core/index.ts';
import type { ModelSpec } from '../kinds.ts';
import { packJson, unpackJson } from '../packed-json.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The model's own fields besides its weights: what the mlcycle side of model.json keeps. */
type ModelMeta = Omit<ModelSpec, 'tfjs' | 'classical'>;

/**
 * A model as bundle files. A tfjs model becomes the layers-model format TensorFlow.js itself
 * loads (`model.json` + `weights.bin`; `tf.loadLayersModel('file://…/model.json')` works), with
 * mlcycle's fields under `userDefinedMetadata.mlcycle`; any other model is its ModelSpec as JSON
 * (`model.json`) with its typed arrays as raw bytes in `arrays.bin` (packed-json.ts).
 * @example
 * const files = modelFiles(model); // { 'model.json': …, 'weights.bin': … }
 */
export function modelFiles(model: ModelSpec): Record<string, Uint8Array> {
  const { tfjs, classical, ...meta } = model;
  if (tfjs) {
    const json = {
      format: 'layers-model',
      generatedBy: 'mlcycle',
      convertedBy: null,
      modelTopology: tfjs.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: tfjs.weightSpecs }],
      userDefinedMetadata: { mlcycle: meta },
    };
    return { 'model.json': encoder.encode(JSON.stringify(json)), 'weights.bin': tfjs.weightData };
  }
  // Typed arrays (coefficients, tree nodes, training rows) go to arrays.bin as raw bytes.
  const { json, binary } = packJson({ ...meta, classical });
  return { 'model.json': encoder.encode(json), ...(binary.byteLength ? { 'arrays.bin': binary } : {}) };
}

/**
 * Rebuilds the ModelSpec from the files `modelFiles` wrote.
 * @example
 * const model = readModelFiles({ 'model.json': bytes, 'weights.bin': weights });
 */
export function readModelFiles(files: Record<string, Uint8Array | undefined>): ModelSpec {
  const raw = files['model.json'];
  if (!raw) throw new DataError('bundle: model.json is missing');
  const text = decoder.decode(raw);
  const json = JSON.parse(text) as Record<string, any>;
  if (json.format !== 'layers-model') return unpackJson<ModelSpec>(text, files['arrays.bin'] ?? new Uint8Array(0));
  const meta = json.userDefinedMetadata?.mlcycle as ModelMeta | undefined;
  if (!meta) throw new DataError('bundle: model.json is a TensorFlow.js model without mlcycle metadata (userDefinedMetadata.mlcycle)');
  const weights = files['weights.bin'];
  if (!weights) throw new DataError('bundle: weights.bin is missing');
  return {
    ...meta,
    tfjs: { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest?.[0]?.weights ?? [], weightData: weights },
  };
}
