import stringify from 'safe-stable-stringify';

/**
 * An artifact kind: a name that type-checks wiring, and the codec that turns values into the bytes
 * that are hashed and stored. `Name` is a string literal so that wiring a Table output into a Model
 * input is a compile error.
 * @example
 * const Problem = jsonKind<'Problem', { target: string }>('Problem');
 */
export interface ArtifactKind<Name extends string = string, T = unknown> {
  readonly name: Name;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /** Phantom: the value type, for inference only. */
  readonly __value?: T;
}

export type AnyKind = ArtifactKind<string, any>;
export type ValueOf<K> = K extends ArtifactKind<string, infer T> ? T : never;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Canonical JSON: sorted keys, so equal values give equal bytes and equal digests.
 * @example
 * canonicalJson({ b: 1, a: 2 }); // '{"a":2,"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: value is not serialisable to JSON');
  return text;
}

/**
 * Defines a kind whose bytes are canonical JSON of the value.
 * @example
 * const Schema = jsonKind<'Schema', DataSchema>('Schema');
 */
export function jsonKind<Name extends string, T>(name: Name): ArtifactKind<Name, T> {
  return register({
    name,
    encode: (value: T) => encoder.encode(canonicalJson(value)),
    decode: (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as T,
  });
}

/** Defines a kind with a codec of its own (Arrow IPC, a model file, raw bytes…). */
export function defineKind<Name extends string, T>(
  name: Name,
  codec: { encode(value: T): Uint8Array; decode(bytes: Uint8Array): T },
): ArtifactKind<Name, T> {
  return register({ name, encode: codec.encode, decode: codec.decode });
}

// Kinds by name, so tools that only have a stored digest and its kind (runs show, exporters) can decode.
const kinds = new Map<string, AnyKind>();

function register<K extends AnyKind>(kind: K): K {
  kinds.set(kind.name, kind);
  return kind;
}

/**
 * The kind registered under `name` (every kind made by jsonKind/defineKind registers itself).
 * @example
 * kindByName('Metrics')!.decode(bytes);
 */
export function kindByName(name: string): AnyKind | undefined {
  return kinds.get(name);
}

/**
 * An input port that takes any number of outputs of one kind (fan-in: the k folds of a
 * cross-validation). The task receives the decoded values as an array, in wiring order.
 * @example
 * inputs: { folds: many(Metrics) }   // b.add('cv', cv, { folds: [f0.metrics, f1.metrics] })
 */
export interface ManyKind<K extends AnyKind = AnyKind> {
  readonly name: K['name'];
  readonly many: true;
  readonly item: K;
}

export function many<K extends AnyKind>(item: K): ManyKind<K> {
  return { name: item.name, many: true, item };
}

/**
 * Whether a port takes a list (`many(kind)`).
 * @example
 * isMany(many(Metrics)); // true
 */
export function isMany(kind: AnyKind | ManyKind): kind is ManyKind {
  return (kind as ManyKind).many === true;
}
