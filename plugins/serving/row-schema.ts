import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DataError } from '../../core/index.ts';
import { readInputContract, type BundleManifest, type FeatureContract } from '../exporters/bundle-io.ts';

/** One Ajv for the server: no allErrors and no $data on untrusted input (DESIGN §8); NaN is not a number. */
const ajv = new Ajv({ allErrors: false, coerceTypes: false, strict: false, strictNumbers: true, useDefaults: false });

/** What a served model's rows must look like, and the check compiled from it once. */
export interface RowSchema {
  /** The features in the bundle's order, with what training saw. */
  features: FeatureContract[];
  /** JSON Schema of one row (for OpenAPI and readers). */
  schema: Record<string, unknown>;
  /**
   * Checks rows parsed from a request; returns them as null-prototype objects holding the features
   * (extra fields dropped when allowed), or throws DataError naming the row and the field.
   */
  check(rows: unknown[]): Array<Record<string, unknown>>;
}

/**
 * The JSON Schema of one request row, from the bundle's input contract (else its schema columns):
 * each feature required, typed (`integer` stays integer), categories as `enum`, `null` only where the
 * model can take a missing value, and no other field unless `allowExtraFields`. Compiled once per model.
 * @example
 * const rows = rowSchema(model.manifest).check(body.dataframe_records);
 * // DataError: row 3: 'Beak Length (mm)' must be a number, got "abc"
 */
export function rowSchema(manifest: BundleManifest, options: { allowExtraFields?: boolean } = {}): RowSchema {
  const contract = readInputContract(manifest, manifest.name);
  // A bundle written before input contracts: types only, and missing values left to the bundle's own check.
  const features: FeatureContract[] = contract?.features
    ?? manifest.features.filter((f) => f.name !== manifest.problem.target).map((f) => ({ name: f.name, type: f.type, missingAllowed: true }));
  const properties: Record<string, unknown> = Object.create(null);
  for (const f of features) properties[f.name] = featureSchema(f);
  const schema = {
    type: 'object',
    properties,
    required: features.map((f) => f.name),
    additionalProperties: options.allowExtraFields === true,
  };
  const validate = ajv.compile(schema);
  const names = new Set(features.map((f) => f.name));
  return {
    features,
    schema,
    check(rows) {
      return rows.map((row, i) => {
        if (!validate(row)) throw new DataError(`row ${i + 1}: ${describe(validate, row, names)}`);
        const out: Record<string, unknown> = Object.create(null);
        for (const f of features) out[f.name] = (row as Record<string, unknown>)[f.name];
        return out;
      });
    },
  };
}

function featureSchema(f: FeatureContract): Record<string, unknown> {
  const nullable = (s: Record<string, unknown>) => (f.missingAllowed ? { ...s, type: [s.type, 'null'] } : s);
  switch (f.type) {
    case 'number': return nullable({ type: 'number' });
    case 'integer': return nullable({ type: 'integer' });
    case 'boolean': return nullable({ type: 'boolean' });
    // ISO text; the bundle's own check reads it as a date.
    case 'date': return nullable({ type: 'string' });
    default: {
      if (!f.categories) return nullable({ type: 'string' });
      return f.missingAllowed ? { type: ['string', 'null'], enum: [...f.categories, null] } : { type: 'string', enum: [...f.categories] };
    }
  }
}

const TYPE_WORDS: Record<string, string> = { number: 'a number', integer: 'an integer', string: 'a string', boolean: 'true or false', null: 'null', object: 'an object' };

/** The first problem, in the user's words: the field, what it must be, what it got (cut short). */
function describe(validate: ValidateFunction, row: unknown, names: Set<string>): string {
  const error = validate.errors![0]! as ErrorObject;
  if (error.instancePath === '') {
    if (error.keyword === 'type') return `must be an object of feature values, got ${shown(row)}`;
    if (error.keyword === 'required') return `missing field '${cut((error.params as { missingProperty: string }).missingProperty)}'`;
    if (error.keyword === 'additionalProperties') {
      const extra = Object.keys(row as object).filter((k) => !names.has(k));
      const listed = extra.slice(0, 10).map((k) => `'${cut(k)}'`).join(', ');
      return `unknown field(s) ${listed}${extra.length > 10 ? ` and ${extra.length - 10} more` : ''}: the model's features are ${[...names].map((n) => `'${n}'`).join(', ')} (serve --allow-extra-fields ignores other fields)`;
    }
    return error.message ?? 'is not a valid row';
  }
  const field = error.instancePath.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
  const value = (row as Record<string, unknown>)[field];
  if (error.keyword === 'type') {
    const named = (error.params as { type: string | string[] }).type;
    const types = Array.isArray(named) ? named : String(named).split(',');
    return `'${cut(field)}' must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, got ${shown(value)}`;
  }
  if (error.keyword === 'enum') {
    const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).filter((v) => v !== null);
    const list = allowed.slice(0, 20).map(String).join(', ');
    return `'${cut(field)}' must be one of ${list}${allowed.length > 20 ? ', …' : ''} (the categories seen in training), got ${shown(value)}`;
  }
  return `'${cut(field)}' ${error.message ?? 'is invalid'}`;
}

/** A value as JSON, cut at 40 characters: a message never echoes a huge value. */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  return cut(JSON.stringify(v) ?? String(v));
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
