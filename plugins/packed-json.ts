/**
 * JSON that carries typed arrays as raw bytes beside it. Models hold megabytes of weights, tree
 * nodes and training rows (k-NN); as JSON numbers those would be several times larger and slow to
 * parse, and float64 text round-trips are costly. `packJson` swaps every typed array for a small
 * reference `{ "$typed": "f64", "offset": …, "length": … }` into one binary section; `unpackJson`
 * swaps them back. The Model artifact and a bundle's model files both use it.
 */
import { NonRetryableError } from '../core/index.ts';

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

const CODES = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array, i8: Int8Array, i16: Int16Array, u16: Uint16Array,
} as const;
type Code = keyof typeof CODES;

interface TypedRef {
  $typed: Code;
  offset: number;
  length: number;
}

function codeOf(a: Typed): Code {
  for (const [code, ctor] of Object.entries(CODES)) if (a instanceof ctor) return code as Code;
  throw new NonRetryableError(`packJson: unsupported typed array ${Object.prototype.toString.call(a)}`);
}

/**
 * Splits a value into JSON text and the bytes of its typed arrays (each 8-byte aligned).
 * @example
 * const { json, binary } = packJson({ coef: Float64Array.of(1, 2) });
 * unpackJson(json, binary).coef; // Float64Array [1, 2]
 */
export function packJson(value: unknown): { json: string; binary: Uint8Array } {
  const parts: Uint8Array[] = [];
  let size = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (!ArrayBuffer.isView(v) || v instanceof DataView) return v;
    const typed = v as Typed;
    const ref: TypedRef = { $typed: codeOf(typed), offset: size, length: typed.length };
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    const padded = Math.ceil(bytes.byteLength / 8) * 8;
    parts.push(bytes);
    if (padded > bytes.byteLength) parts.push(new Uint8Array(padded - bytes.byteLength));
    size += padded;
    return ref;
  });
  const binary = new Uint8Array(size);
  let at = 0;
  for (const p of parts) binary.set(p, at), (at += p.byteLength);
  return { json, binary };
}

/**
 * Rebuilds what `packJson` split. Typed arrays are copies, so they never alias `binary`.
 * A reference outside `binary` fails: the bytes are not the ones this JSON was packed with.
 * @example
 * const model = unpackJson<MyModel>(json, binary);
 */
export function unpackJson<T = unknown>(json: string, binary: Uint8Array): T {
  return JSON.parse(json, (_key, v: unknown) => {
    if (!isRef(v)) return v;
    const ctor = CODES[v.$typed];
    const bytes = v.length * ctor.BYTES_PER_ELEMENT;
    if (!Number.isSafeInteger(v.offset) || v.offset < 0 || v.offset + bytes > binary.byteLength) {
      throw new NonRetryableError(`packed JSON refers to bytes ${v.offset}..${v.offset + bytes} beyond its ${binary.byteLength}-byte binary section`);
    }
    const copy = binary.slice(v.offset, v.offset + bytes);
    return new ctor(copy.buffer, 0, v.length);
  }) as T;
}

function isRef(v: unknown): v is TypedRef {
  if (typeof v !== 'object' || v === null || !Object.hasOwn(v, '$typed')) return false;
  const r = v as TypedRef;
  return Object.hasOwn(CODES, r.$typed) && Number.isSafeInteger(r.length) && r.length >= 0;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/**
 * One file of packed JSON: a `magic` that names the format, the JSON's byte length (uint32 LE), the
 * JSON, then the binary section. Artifacts with typed arrays (Model, Folds) are stored this way.
 * @example
 * const bytes = packedFile('MLCF1', folds);
 * readPackedFile(bytes, 'MLCF1'); // { json, binary }
 */
export function packedFile(magic: string, value: unknown): Uint8Array {
  const { json, binary } = packJson(value);
  const header = textEncoder.encode(json);
  const out = new Uint8Array(magic.length + 4 + header.byteLength + binary.byteLength);
  out.set(textEncoder.encode(magic), 0);
  new DataView(out.buffer).setUint32(magic.length, header.byteLength, true);
  out.set(header, magic.length + 4);
  out.set(binary, magic.length + 4 + header.byteLength);
  return out;
}

/**
 * The JSON text and binary section of a `packedFile`, or undefined when `bytes` do not start with
 * one of `magics` (an older format the caller may still read). `magic` says which one matched.
 * @example
 * const file = readPackedFile(bytes, ['MLCM2']);
 * if (file) unpackJson(file.json, file.binary);
 */
export function readPackedFile(bytes: Uint8Array, magics: string[]): { magic: string; json: string; binary: Uint8Array } | undefined {
  const magic = magics.find((m) => textDecoder.decode(bytes.subarray(0, m.length)) === m);
  if (!magic) return undefined;
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(magic.length, true);
  const start = magic.length + 4;
  if (start + len > bytes.byteLength) throw new NonRetryableError(`${magic}: the header runs past the end of the file (truncated?)`);
  return { magic, json: textDecoder.decode(bytes.subarray(start, start + len)), binary: bytes.subarray(start + len) };
}
