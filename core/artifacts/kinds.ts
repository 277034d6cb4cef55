import type { ColumnTable } from 'arquero';
import { defineKind, jsonKind, type ArtifactKind } from './kind.ts';
import { decodeTable, encodeTable } from './table-codec.ts';

/** Any JSON value. Stored as canonical JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A JSON document.
 * @example
 * outputs: { summary: Json }
 */
export const Json: ArtifactKind<'Json', any> = jsonKind<'Json', any>('Json');

/** Named numeric scores (`{ accuracy: 0.93 }`); the CLI prints these and the store records them. */
export type MetricValues = Record<string, number>;

/**
 * Final scores of a node, by metric name.
 * @example
 * outputs: { scores: Metrics }
 */
export const Metrics: ArtifactKind<'Metrics', MetricValues> = jsonKind<'Metrics', MetricValues>('Metrics');

/**
 * A data table (arquero), stored as Arrow IPC so any Arrow reader can open the blob.
 * @example
 * inputs: { table: Table }
 */
export const Table: ArtifactKind<'Table', ColumnTable> = defineKind<'Table', ColumnTable>('Table', {
  encode: encodeTable,
  decode: decodeTable,
});

/**
 * Raw bytes (a file, a rendered report).
 * @example
 * outputs: { report: Blob }
 */
export const Blob: ArtifactKind<'Blob', Uint8Array> = defineKind<'Blob', Uint8Array>('Blob', {
  encode: (bytes) => bytes,
  decode: (bytes) => bytes,
});
