import { DataError } from '../../core/index.ts';
import type { ModelSpec } from '../kinds.ts';
import { packJson, unpackJson } from '../packed-json.ts';
import { parseJsonBytes } from './_safe-json.ts';

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
 * Rebuilds the ModelSpec from the files `modelFiles` wrote. model.json is untrusted input: read
 * through own properties only, and an error says where it is malformed, never what it holds.
 * @example
 * const model = readModelFiles({ 'model.json': bytes, 'weights.bin': weights });
 */
export function readModelFiles(files: Record<string, Uint8Array | undefined>): ModelSpec {
  const raw = files['model.json'];
  if (!raw) throw new DataError('bundle: model.json is missing');
  const parsed = parseJsonBytes(raw);
  if (!parsed.ok) throw new DataError(`bundle: model.json ${parsed.why}`);
  const json = parsed.value;
  if (!isObject(json)) throw new DataError('bundle: model.json is not a JSON object');
  if (own(json, 'format') !== 'layers-model') {
    const model = unpackJson<ModelSpec>(decoder.decode(raw), files['arrays.bin'] ?? new Uint8Array(0));
    if (typeof own(model, 'algorithm') !== 'string') throw new DataError('bundle: model.json names no algorithm');
    return model;
  }
  const meta = own(own(json, 'userDefinedMetadata'), 'mlcycle') as ModelMeta | undefined;
  if (!isObject(meta)) throw new DataError('bundle: model.json is a TensorFlow.js model without mlcycle metadata (userDefinedMetadata.mlcycle)');
  const weights = files['weights.bin'];
  if (!weights) throw new DataError('bundle: weights.bin is missing');
  const manifest = own(json, 'weightsManifest');
  const weightSpecs = own(Array.isArray(manifest) ? manifest[0] : undefined, 'weights');
  return {
    ...meta,
    tfjs: { modelTopology: own(json, 'modelTopology'), weightSpecs: Array.isArray(weightSpecs) ? weightSpecs : [], weightData: weights },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v[key]` when it is v's own property; never a value inherited from Object.prototype. */
function own(v: unknown, key: string): unknown {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}
