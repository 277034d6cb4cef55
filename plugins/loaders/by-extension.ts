import path from 'node:path';
import { arrowLoader } from './arrow.ts';
import { csvLoader } from './csv.ts';
import { jsonLoader } from './json.ts';
import { ndjsonLoader } from './ndjson.ts';
import { parquetLoader } from './parquet.ts';
import { tsvLoader } from './tsv.ts';

/** The loader task for each file extension a DAG's `data` param may have (the same set `predict` reads). */
export const LOADERS_BY_EXTENSION = {
  csv: csvLoader, tsv: tsvLoader, tab: tsvLoader, txt: tsvLoader, json: jsonLoader, ndjson: ndjsonLoader,
  jsonl: ndjsonLoader, parquet: parquetLoader, arrow: arrowLoader, feather: arrowLoader, ipc: arrowLoader,
} as const;

/** Any of the loaders: each takes `path` and outputs `table`. */
export type FileLoader = (typeof LOADERS_BY_EXTENSION)[keyof typeof LOADERS_BY_EXTENSION];

/**
 * The loader for a file by its extension, or undefined (say which extensions work with
 * {@link loaderExtensions}). Lets one DAG train on penguins.json and retrain on new.csv.
 * @example
 * const loader = loaderFor('new-penguins.csv'); // csvLoader
 */
export function loaderFor(file: string): FileLoader | undefined {
  const ext = path.extname(file).slice(1).toLowerCase();
  return Object.hasOwn(LOADERS_BY_EXTENSION, ext) ? LOADERS_BY_EXTENSION[ext as keyof typeof LOADERS_BY_EXTENSION] : undefined;
}

/**
 * The extensions {@link loaderFor} knows, for messages.
 * @example
 * loaderExtensions(); // '.csv, .tsv, .tab, …'
 */
export function loaderExtensions(): string {
  return Object.keys(LOADERS_BY_EXTENSION).map((e) => `.${e}`).join(', ');
}
