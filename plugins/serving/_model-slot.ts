import { PredictBatcher } from './_batcher.ts';
import type { LoadedModel } from './load-model.ts';
import { rowSchema, type RowSchema } from './row-schema.ts';

/** One loaded version with the row check compiled for it. */
export interface ServedVersion {
  model: LoadedModel;
  schema: RowSchema;
  /** Classes of a classifier, else null (regression). */
  classes: string[] | null;
  /** `name/version` (or just name for a bundle folder): the x-mlcycle-model header. */
  label: string;
  /** Predicts through one model call at a time, requests arriving meanwhile batched into the next. */
  batcher: PredictBatcher;
}

/**
 * A model name the server answers for, and the version answering now. A request takes `current` once
 * and uses that version to the end, so a swap never changes the model under a request in flight; the
 * swap itself is one assignment, so there is no moment without a model.
 * @example
 * const slot = new ModelSlot('penguins', 'models:/penguins@champion', model, false);
 * slot.swap(slot.prepare(newer));
 */
export class ModelSlot {
  current: ServedVersion;

  constructor(readonly name: string, readonly uri: string, model: LoadedModel, private readonly allowExtraFields: boolean) {
    this.current = this.prepare(model);
  }

  prepare(model: LoadedModel): ServedVersion {
    const classes = model.bundle.model.classes ?? null;
    return {
      model,
      schema: rowSchema(model.manifest, { allowExtraFields: this.allowExtraFields }),
      classes: classes && classes.length ? classes.map(String) : null,
      label: model.version === null ? model.name : `${model.name}/${model.version}`,
      batcher: new PredictBatcher(model),
    };
  }

  swap(next: ServedVersion): void {
    this.current = next;
  }
}

/**
 * One row inside the training data as the bundle's input contract describes it (first category,
 * middle of the range): enough for a new version to prove it predicts before it takes traffic.
 * @example
 * await next.model.predict([probeRow(next)]);
 */
export function probeRow(version: ServedVersion): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of version.schema.features) {
    if (f.categories?.length) row[f.name] = f.type === 'boolean' ? f.categories[0] === 'true' : f.categories[0];
    else if (f.type === 'number' || f.type === 'integer') {
      const mid = f.min !== undefined && f.max !== undefined ? (f.min + f.max) / 2 : 0;
      row[f.name] = f.type === 'integer' ? Math.round(mid) : mid;
    } else if (f.type === 'boolean') row[f.name] = false;
    else if (f.type === 'date') row[f.name] = '2000-01-01';
    else row[f.name] = f.missingAllowed ? null : '';
  }
  return row;
}
