import { Ajv, type ErrorObject } from 'ajv';
import type { TSchema } from 'typebox';

// One Ajv for the process: compiling a schema is the slow part, so each task compiles once.
// No $data and no allErrors, as DESIGN §8 asks for untrusted input; useDefaults fills defaults in.
// strictNumbers: NaN and ±Infinity are not numbers here, whatever the schema's minimum says
// (Infinity passes `minimum: 1` and `integer`, and a loop bounded by it never ends).
const ajv = new Ajv({ useDefaults: true, coerceTypes: false, strict: false, strictNumbers: true });

/** A compiled validator that fills defaults and returns readable messages. */
export type ParamsValidator = (value: unknown) => { value: any; errors: string[] };

/**
 * Compiles a params schema into a validator that fills defaults and words its errors for users.
 * Besides the schema, every number anywhere in the value must be finite, and every value an
 * `integer` schema accepts must be a safe integer (within ±(2^53 − 1), so it is exactly the integer
 * the user wrote).
 * @example
 * const validate = compileParams(Type.Object({ k: Type.Integer({ default: 5 }) }));
 * validate({}).value; // { k: 5 }
 * validate({ k: Infinity }).errors; // ['params.k must be a finite number, got Infinity']
 */
export function compileParams(schema: TSchema): ParamsValidator {
  // A misspelled param must be an error, not silently ignored: close objects unless told otherwise.
  const closed =
    (schema as any).type === 'object' && (schema as any).additionalProperties === undefined
      ? { ...schema, additionalProperties: false }
      : schema;
  const check = ajv.compile(safeIntegerSchema(closed) as object);
  return (input: unknown) => {
    // Defaults are written into the object: work on a copy so the caller's object is untouched.
    const value = input === undefined ? {} : structuredClone(input);
    // Non-finite numbers first: whatever else is wrong, "Infinity" is the clearest thing to say.
    const bad = nonFiniteNumbers(value, 'params');
    if (bad.length) return { value, errors: bad };
    if (!check(value)) return { value, errors: (check.errors ?? []).map((e) => describeAjvError(e, value)) };
    // Defaults come from the schema, which a task author may have given a non-finite number.
    return { value, errors: nonFiniteNumbers(value, 'params') };
  };
}

function describeAjvError(e: ErrorObject, root: unknown): string {
  const path = 'params' + e.instancePath.replace(/\//g, '.');
  const found = lookup(root, e.instancePath);
  const got = typeof found === 'number' ? String(found) : JSON.stringify(found);
  switch (e.keyword) {
    case 'required':
      return `params.${String(e.params.missingProperty)} is required`;
    case 'additionalProperties':
      return `params.${String(e.params.additionalProperty)} is not a known parameter`;
    case 'type':
      return `${path} must be ${String(e.params.type)}, got ${got}`;
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      if (Math.abs(Number(e.params.limit)) === SAFE_INTEGER_LIMIT) {
        return `${path} is not exactly representable, got ${got}; integers must be within ±2^53 (±${SAFE_INTEGER_LIMIT})`;
      }
      return `${path} must be ${String(e.params.comparison)} ${String(e.params.limit)}, got ${got}`;
    case 'enum':
    case 'const':
      return `${path} must be one of ${JSON.stringify(e.params.allowedValues ?? [e.params.allowedValue])}, got ${got}`;
    case 'anyOf':
      return `${path} does not match any allowed form, got ${got}`;
    default:
      return `${path} ${e.message ?? 'is invalid'}, got ${got}`;
  }
}

function lookup(root: unknown, pointer: string): unknown {
  let cur: any = root;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    // Own properties only: a param named 'constructor' must not read Object.prototype's.
    cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, key) ? cur[key] : undefined;
  }
  return cur;
}

// The two number rules every params value obeys beyond its schema (DESIGN §10): numbers are finite,
// and integers are exact. JSON cannot carry NaN or Infinity, but `1e400` parses to Infinity and
// TypeScript DAG files can pass anything; ajv's `integer` and `minimum` let Infinity through.

/** 2^53 − 1: the largest integer a double holds exactly together with its neighbours. */
export const SAFE_INTEGER_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Messages for every non-finite number in `value` (nested objects, arrays and typed arrays too),
 * each naming its path below `root`; empty when there is none.
 * @example
 * nonFiniteNumbers({ hiddenLayers: [8, Infinity] }, 'params'); // ['params.hiddenLayers.1 must be a finite number, got Infinity']
 */
export function nonFiniteNumbers(value: unknown, root: string): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) out.push(`${path} must be a finite number, got ${String(v)}`);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (!(v instanceof DataView)) Array.prototype.forEach.call(v, (x: unknown, i: number) => visit(x, `${path}.${i}`));
      return;
    }
    for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key], `${path}.${key}`);
  };
  visit(value, root);
  return out;
}

// Keywords whose values are data, not subschemas: a default of { type: 'integer' } stays as written.
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

/**
 * A copy of a JSON schema in which every `integer` schema also bounds its value to the safe
 * integers (keeping any tighter bound the schema had), so 2^53 is refused rather than stored as a
 * rounded neighbour of what the user meant. TypeBox's symbol keys are kept.
 * @example
 * safeIntegerSchema({ type: 'integer', minimum: 1 }); // { type: 'integer', minimum: 1, maximum: 9007199254740991 }
 */
export function safeIntegerSchema<S>(schema: S): S {
  if (Array.isArray(schema)) return schema.map((s) => safeIntegerSchema(s)) as S;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(schema)) {
    const v = (schema as Record<string | symbol, unknown>)[key];
    // defineProperty: a param named '__proto__' stays a key instead of replacing the prototype.
    const copy = typeof key === 'string' && DATA_KEYWORDS.has(key) ? v : safeIntegerSchema(v);
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  const type = out.type;
  if (type === 'integer' || (Array.isArray(type) && type.includes('integer'))) {
    const lower = typeof out.minimum === 'number' ? out.minimum : -Infinity;
    const upper = typeof out.maximum === 'number' ? out.maximum : Infinity;
    if (lower < -SAFE_INTEGER_LIMIT) out.minimum = -SAFE_INTEGER_LIMIT;
    if (upper > SAFE_INTEGER_LIMIT) out.maximum = SAFE_INTEGER_LIMIT;
  }
  return out as S;
}
