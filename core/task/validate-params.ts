import { Ajv, type ErrorObject } from 'ajv';
import type { TSchema } from 'typebox';

// One Ajv for the process: compiling a schema is the slow part, so each task compiles once.
// No $data and no allErrors, as DESIGN §8 asks for untrusted input; useDefaults fills defaults in.
const ajv = new Ajv({ useDefaults: true, coerceTypes: false, strict: false });

/** A compiled validator that fills defaults and returns readable messages. */
export type ParamsValidator = (value: unknown) => { value: any; errors: string[] };

export function compileParams(schema: TSchema): ParamsValidator {
  // A misspelled param must be an error, not silently ignored: close objects unless told otherwise.
  const closed =
    (schema as any).type === 'object' && (schema as any).additionalProperties === undefined
      ? { ...schema, additionalProperties: false }
      : schema;
  const check = ajv.compile(closed as object);
  return (input: unknown) => {
    // Defaults are written into the object: work on a copy so the caller's object is untouched.
    const value = input === undefined ? {} : structuredClone(input);
    if (check(value)) return { value, errors: [] };
    return { value, errors: (check.errors ?? []).map((e) => describeAjvError(e, value)) };
  };
}

function describeAjvError(e: ErrorObject, root: unknown): string {
  const path = 'params' + e.instancePath.replace(/\//g, '.');
  const got = JSON.stringify(lookup(root, e.instancePath));
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
  for (const part of pointer.split('/').slice(1)) cur = cur?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}
