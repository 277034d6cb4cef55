import { DataError } from '../../core/index.ts';
import { HttpError } from './_http.ts';
import type { ServerMetrics } from './_metrics.ts';
import type { ModelSlot, ServedVersion } from './_model-slot.ts';
import type { PredictionLog } from './prediction-log.ts';

/** What every route shares: the models served, the metrics and the prediction logs. */
export interface ServeState {
  slots: Map<string, ModelSlot>;
  metrics: ServerMetrics;
  /** Per model name; absent when logging is off. */
  logs: Map<string, PredictionLog>;
  /** Request → served model name, for the metrics' `model` label (only names the server serves). */
  modelOf: WeakMap<object, string>;
}

/** What one prediction call made. */
export interface Predicted {
  version: ServedVersion;
  rows: Array<Record<string, unknown>>;
  outputs: Array<Record<string, unknown>>;
}

/**
 * The slot a request names: the only one when one model is served, else `name` must be one of them
 * (400 listing the names when missing, 404 when unknown).
 * @example
 * const slot = pickSlot(state, request.query.model, 'the model query parameter (?model=<name>)');
 */
export function pickSlot(state: ServeState, name: unknown, how: string): ModelSlot {
  const names = [...state.slots.keys()];
  if (name === undefined || name === '') {
    if (state.slots.size === 1) return state.slots.values().next().value!;
    throw new HttpError(400, `this server serves several models (${names.join(', ')}): name one with ${how}`);
  }
  const slot = typeof name === 'string' ? state.slots.get(name) : undefined;
  if (!slot) throw new HttpError(404, `no model named '${String(name).slice(0, 40)}' here; served: ${names.join(', ')}`);
  return slot;
}

/**
 * The one strict path every route predicts through: the rows are checked against the version's row
 * schema (400 naming the row and field), then predicted by the bundle with its own input contract
 * (`onInvalid: 'error'`: a value out of range fails the request, naming the row). The version is
 * taken once, so a swap during the call changes nothing for this request.
 * @example
 * const { version, outputs } = await predictRows(state, slot, invocationRows(request.body));
 */
export async function predictRows(state: ServeState, slot: ModelSlot, raw: unknown[]): Promise<Predicted> {
  const version = slot.current;
  if (raw.length === 0) throw new DataError('the request holds no rows');
  const rows = version.schema.check(raw);
  // Same rows, same checks as model.predict(rows, { onInvalid: 'error' }); batched with requests in flight.
  const outputs = await version.batcher.predict(rows);
  const predictions = outputs.map((o) => o.predicted);
  state.metrics.predicted(slot.name, version.model.version, predictions, version.classes !== null);
  state.logs.get(slot.name)?.record(version.model.name, version.model.version, rows, predictions);
  return { version, rows, outputs };
}
