import { batchType, Column, float64, int32, int8 } from '@uwdata/flechette';
import type { ColumnTable } from 'arquero';

/**
 * Columns backed by Arrow (flechette) buffers, so large tables move between tasks without a JS value
 * per cell: the Table codec writes such a column's buffers as they are, and these helpers read and
 * build them as typed arrays. A table decoded from a Table artifact already holds such columns.
 */

type Batch = {
  length: number; nullCount: number; type: { typeId: number }; validity?: Uint8Array;
  values?: ArrayLike<unknown> & { constructor: new (n: number) => any }; offsets?: unknown; children?: unknown;
  dictionary?: unknown; setDictionary?(d: unknown): Batch;
};
/** The flechette Column shape, checked by duck typing (arquero and this file may load flechette twice). */
export type ArrowColumn = { type: { typeId: number; precision?: number; bitWidth?: number }; length: number; nullCount: number; data: Batch[] };

// flechette's Type ids: Int = 2, Float = 3, Dictionary = -1 (fixed-width values, one per row).
const INT = 2;
const FLOAT = 3;
const DICTIONARY = -1;

/**
 * The Arrow column behind an arquero column, when it has a single batch: a flechette Column, or
 * arquero's wrapper of a dictionary column to which the Table codec attached it as `arrow`.
 * @example
 * arrowColumnOf(Table.decode(bytes).column('x')) // Column { type: Float64, … }
 */
export function arrowColumnOf(col: unknown): ArrowColumn | undefined {
  const c = (col as { arrow?: unknown })?.arrow ?? col;
  const a = c as ArrowColumn;
  if (!a || typeof a !== 'object' || !Array.isArray(a.data) || a.data.length !== 1 || typeof a.type?.typeId !== 'number') return undefined;
  return a;
}

/** Whether validity bit `i` is set (Arrow bitmaps are least-significant-bit first). */
function valid(validity: Uint8Array, i: number): boolean {
  return (validity[i >> 3] & (1 << (i & 7))) !== 0;
}

/**
 * A column's numbers as a Float64Array with NaN for missing, read straight from Arrow buffers when the
 * column is an Arrow Int or Float column of a table with no filter or order; undefined otherwise (the
 * caller then reads values one by one).
 * @example
 * readNumbers(table, 'Body Mass (g)') // Float64Array [3750, NaN, …]
 */
export function readNumbers(table: ColumnTable, name: string): Float64Array | undefined {
  if (table.isFiltered() || table.isOrdered()) return undefined;
  const a = arrowColumnOf(table.column(name));
  if (!a || (a.type.typeId !== INT && a.type.typeId !== FLOAT)) return undefined;
  const batch = a.data[0];
  const values = batch.values;
  // Int64 keeps bigints in its buffer and Float16 keeps raw halves: both need per-value conversion.
  if (!values || values instanceof BigInt64Array || values instanceof BigUint64Array || values instanceof Uint16Array && a.type.typeId === FLOAT) return undefined;
  const out = values instanceof Float64Array ? Float64Array.from(values) : Float64Array.from(values as ArrayLike<number>);
  if (batch.nullCount && batch.validity?.length) {
    const v = batch.validity;
    for (let i = 0; i < out.length; i++) if (!valid(v, i)) out[i] = NaN;
  }
  return out;
}

/**
 * An Arrow Float64 column from numbers where NaN means missing (written as null, so any Arrow reader
 * sees a missing value).
 * @example
 * numberColumn(Float64Array.of(1, NaN, 3)).toArray() // [1, null, 3]
 */
export function numberColumn(values: Float64Array): Column<number> {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nulls++;
  let validity = new Uint8Array(0);
  if (nulls) {
    validity = new Uint8Array((values.length + 7) >> 3);
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) validity[i >> 3] |= 1 << (i & 7);
  }
  const type = float64();
  const Batch = batchType(type) as unknown as new (o: object) => any;
  return new Column([new Batch({ length: values.length, nullCount: nulls, type, validity, values })]);
}

/**
 * Small integer codes (one-hot indicators, ordinal codes) as an Arrow column of the given typed array.
 * @example
 * codeColumn(Int8Array.of(0, 1, 1)).toArray() // Int8Array [0, 1, 1]
 */
export function codeColumn(values: Int8Array | Int32Array): Column<number> {
  const type = values instanceof Int8Array ? int8() : int32();
  const Batch = batchType(type) as unknown as new (o: object) => any;
  return new Column([new Batch({ length: values.length, nullCount: 0, type, validity: new Uint8Array(0), values })]);
}

/**
 * The rows at `indices` of an Arrow column with fixed-width values (Int, Float, dictionary-encoded
 * strings), gathered buffer to buffer; undefined for other columns.
 * @example
 * gatherColumn(col, Int32Array.of(4, 0)) // Column of 2 rows
 */
export function gatherColumn(col: unknown, indices: ArrayLike<number>): Column<unknown> | undefined {
  const a = arrowColumnOf(col);
  if (!a) return undefined;
  const t = a.type.typeId;
  const batch = a.data[0];
  const values = batch.values;
  if ((t !== INT && t !== FLOAT && t !== DICTIONARY) || !values || batch.offsets || batch.children) return undefined;
  const n = indices.length;
  const out = new values.constructor(n);
  for (let k = 0; k < n; k++) out[k] = values[indices[k]];
  let nulls = 0;
  let validity = new Uint8Array(0);
  if (batch.nullCount && batch.validity?.length) {
    const v = batch.validity;
    validity = new Uint8Array((n + 7) >> 3);
    for (let k = 0; k < n; k++) {
      if (valid(v, indices[k])) validity[k >> 3] |= 1 << (k & 7);
      else nulls++;
    }
    if (!nulls) validity = new Uint8Array(0);
  }
  const Batch = batchType(batch.type as any) as unknown as new (o: object) => Batch;
  let made = new Batch({ length: n, nullCount: nulls, type: batch.type, validity, values: out });
  if (t === DICTIONARY) made = made.setDictionary!(batch.dictionary);
  return new Column([made as any], batch.type as any);
}
