import { IntegrityError } from '../../core/index.ts';
import type { ColumnSchema, TransformSpec } from '../kinds.ts';
import type { FeatureContract, InputContract } from './_manifest.ts';

/** Per column, what the fitted steps say about it: dropped, imputed, or encoded with these categories. */
interface StepFacts {
  dropped: Set<string>;
  imputed: Set<string>;
  encoded: Map<string, string[]>;
}

/**
 * The input contract the exporter records: for each feature the model needs (the schema's columns
 * minus the target and minus what the transform drops), the categories, range and missing-value
 * rule that new rows are checked against. Categories come from the fitted encoder (what the model
 * was trained on), else from the schema; the range from the schema (the data it was inferred on).
 * @example
 * inputContract(schema.columns.filter((c) => c.name !== 'Species'), transform).features[0]
 * // { name: 'Island', type: 'string', categories: ['Biscoe', 'Dream', 'Torgersen'], missingAllowed: true }
 */
export function inputContract(features: readonly ColumnSchema[], transform: TransformSpec): InputContract {
  const facts = stepFacts(transform);
  return {
    version: 1,
    features: features.filter((f) => !facts.dropped.has(f.name)).map((f) => featureContract(f, facts)),
  };
}

function featureContract(f: ColumnSchema, facts: StepFacts): FeatureContract {
  const out: FeatureContract = { name: f.name, type: f.type, missingAllowed: false };
  const encoded = facts.encoded.get(f.name);
  if (encoded) out.categories = [...encoded];
  else if ((f.type === 'string' || f.type === 'boolean') && Array.isArray(f.categories)) out.categories = [...f.categories];
  if ((f.type === 'number' || f.type === 'integer') && Number.isFinite(f.min) && Number.isFinite(f.max)) {
    out.min = f.min;
    out.max = f.max;
  }
  // An encoder maps a missing value to "no category"; that is only something the model saw if
  // training had missing values in this column. A raw number column passes NaN on: never seen.
  out.missingAllowed = facts.imputed.has(f.name) || (encoded !== undefined && f.missingRatio > 0);
  return out;
}

function stepFacts(transform: TransformSpec): StepFacts {
  const facts: StepFacts = { dropped: new Set(), imputed: new Set(), encoded: new Map() };
  for (const step of Array.isArray(transform.steps) ? transform.steps : []) {
    const columns = Object.hasOwn(step, 'columns') && Array.isArray(step.columns) ? (step.columns as unknown[]) : [];
    if (step.type === 'drop') {
      for (const c of columns) if (typeof c === 'string') facts.dropped.add(c);
      continue;
    }
    for (const c of columns) {
      if (!c || typeof c !== 'object' || typeof (c as { column?: unknown }).column !== 'string') continue;
      const { column, categories } = c as { column: string; categories?: unknown };
      if (step.type === 'impute') facts.imputed.add(column);
      // The first encoder of a column decides: later steps see its output columns, not this one.
      if ((step.type === 'onehot' || step.type === 'ordinal') && Array.isArray(categories) && !facts.encoded.has(column)) {
        facts.encoded.set(column, categories.map(String));
      }
    }
  }
  return facts;
}

const TYPES = new Set(['number', 'integer', 'string', 'boolean', 'date']);

/**
 * The manifest's input contract read defensively (a manifest is user-editable JSON: own properties
 * only, every field checked), or undefined when the bundle has none. A malformed one throws
 * IntegrityError rather than checking rows against garbage.
 * @example
 * const contract = readInputContract(manifest, dir); // undefined for a bundle written before contracts
 */
export function readInputContract(manifest: object, where: string): InputContract | undefined {
  if (!Object.hasOwn(manifest, 'inputContract')) return undefined;
  const bad = (why: string): never => {
    throw new IntegrityError(`bundle '${where}' refused: manifest.json inputContract ${why}. Re-export it with exporters/bundle.`);
  };
  const raw = (manifest as { inputContract: unknown }).inputContract;
  const own = (o: object, key: string): unknown => (Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined);
  if (!raw || typeof raw !== 'object' || own(raw, 'version') !== 1) return bad('is not version 1');
  const features = own(raw, 'features');
  if (!Array.isArray(features)) return bad('has no features list');
  return {
    version: 1,
    features: features.map((f: unknown, i): FeatureContract => {
      if (!f || typeof f !== 'object') return bad(`feature ${i + 1} is not an object`);
      const name = own(f, 'name');
      const type = own(f, 'type');
      const categories = own(f, 'categories');
      const min = own(f, 'min');
      const max = own(f, 'max');
      const missingAllowed = own(f, 'missingAllowed');
      if (typeof name !== 'string' || typeof type !== 'string' || !TYPES.has(type)) return bad(`feature ${i + 1} has no valid name and type`);
      if (typeof missingAllowed !== 'boolean') return bad(`feature '${name}' lacks missingAllowed`);
      const out: FeatureContract = { name, type: type as FeatureContract['type'], missingAllowed };
      if (categories !== undefined) {
        if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) return bad(`feature '${name}' categories are not strings`);
        out.categories = categories;
      }
      if (min !== undefined || max !== undefined) {
        if (!Number.isFinite(min) || !Number.isFinite(max) || (min as number) > (max as number)) return bad(`feature '${name}' has no finite min <= max`);
        out.min = min as number;
        out.max = max as number;
      }
      return out;
    }),
  };
}
