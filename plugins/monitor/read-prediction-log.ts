/**
 * Reads the prediction log `mlcycle serve` writes (docs: prediction-log format): a folder of
 * `predictions-<yyyymmddThhmmssZ>-<pid>.ndjson` files, or one such file, each line
 *   {"ts":"…","model":"penguins","version":3,"row":{…features…},"prediction":"Adelie"}
 * As strict as the loaders: plain files only, bounded in bytes, own properties only, a malformed line
 * fails naming file and line (never quoting it). The one exception is a file's LAST line when it
 * does not parse: a crash cuts the line being written, so it is skipped with a warning and counted.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../../core/errors.ts';

/** Files of a log folder, oldest first by name: `predictions-20261201T020304Z-4242.ndjson`. */
export const PREDICTION_LOG_FILE = /^predictions-\d{8}T\d{6}Z-\d+\.ndjson$/;

/** Default bound on the bytes read in all: serve keeps a folder to 64 MiB by default. */
export const DEFAULT_MAX_LOG_BYTES = 512 * 1024 ** 2;

/** Options of {@link readPredictionLog}. */
export interface ReadPredictionLogOptions {
  /** Keep only the lines of this model name (others are counted in `otherModels`); without it, a log mixing names is refused. */
  model?: string;
  /** Bytes read at most over all files (default 512 MiB). */
  maxBytes?: number;
}

/** What {@link readPredictionLog} returns. */
export interface PredictionLog {
  /** Feature values per logged row (null-prototype objects, own keys only). */
  rows: Record<string, unknown>[];
  /** The logged prediction of each row. */
  predictions: unknown[];
  /** The model name the rows are of. */
  model: string | null;
  /** How many rows each model version served ('null' when unversioned). */
  versions: Record<string, number>;
  /** Rows of other model names left out, by name. */
  otherModels: Record<string, number>;
  /** The files read, in order. */
  files: string[];
  /** Final lines cut short by a crash and skipped. */
  tornLines: number;
  warnings: string[];
}

type Line = { ts: string; model: string; version: number | null; row: Record<string, unknown>; prediction: unknown };

/**
 * Reads a prediction log folder (every `predictions-*.ndjson` in name order) or one log file.
 * @example
 * const log = await readPredictionLog('.mlcycle/prediction-logs/penguins', { model: 'penguins' });
 * const report = await monitorModel(model, log.rows, { predictions: log.predictions });
 */
export async function readPredictionLog(location: string, options: ReadPredictionLogOptions = {}): Promise<PredictionLog> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
  const info = await lstat(location).catch((err: NodeJS.ErrnoException) => {
    throw new DataError(`${location}: cannot read the prediction log (${err.code === 'ENOENT' ? 'no such file or folder' : err.code ?? 'error'}); give serve's --log-dir folder or one of its .ndjson files`);
  });
  let files: string[];
  if (info.isDirectory()) {
    files = (await readdir(location)).filter((f) => PREDICTION_LOG_FILE.test(f)).sort().map((f) => path.join(location, f));
    if (files.length === 0) throw new DataError(`${location}: no prediction log files (predictions-<time>-<pid>.ndjson) in this folder; is it serve's --log-dir, and was logging on (--log-sample)?`);
  } else {
    files = [location];
  }
  const out: PredictionLog = { rows: [], predictions: [], model: options.model ?? null, versions: Object.create(null), otherModels: Object.create(null), files, tornLines: 0, warnings: [] };
  let total = 0;
  for (const file of files) {
    const bytes = await readPlainFile(file, maxBytes - total, maxBytes);
    total += bytes.byteLength;
    readLines(file, bytes, out);
  }
  if (out.rows.length === 0) {
    const others = Object.keys(out.otherModels);
    throw new DataError(`${location}: the prediction log holds no rows${options.model && others.length ? ` of model '${options.model}' (only of ${others.map((m) => `'${m}'`).join(', ')})` : ''}`);
  }
  return out;
}

function readLines(file: string, bytes: Uint8Array, out: PredictionLog): void {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError(`${file}: is not UTF-8 text; a prediction log is NDJSON`);
  }
  const lines = text.split('\n');
  // The text after the last newline is the line a crash may have cut; an ending newline leaves ''.
  const last = lines.length - 1;
  lines.forEach((source, i) => {
    if (source.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      if (i === last) {
        out.tornLines++;
        out.warnings.push(`${file}:${i + 1}: the last line is cut short (a crash while logging?); skipped`);
        return;
      }
      throw new DataError(`${file}:${i + 1}: line ${i + 1} is not valid JSON; each line of a prediction log is one JSON object`);
    }
    const line = checkLine(value, `${file}:${i + 1}`);
    if (out.model === null) out.model = line.model;
    if (line.model !== out.model) {
      out.otherModels[line.model] = (out.otherModels[line.model] ?? 0) + 1;
      return;
    }
    out.rows.push(line.row);
    out.predictions.push(line.prediction);
    const v = String(line.version);
    out.versions[v] = (out.versions[v] ?? 0) + 1;
  });
}

function checkLine(value: unknown, at: string): Line {
  const fail = (why: string): never => {
    throw new DataError(`${at}: ${why}; a prediction log line is {"ts", "model", "version", "row": {…}, "prediction"}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('not a JSON object');
  const get = (k: string): unknown => (Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : undefined);
  const model = get('model');
  if (typeof model !== 'string' || model === '') fail('"model" is not a name');
  const version = get('version');
  if (version !== null && version !== undefined && !(Number.isInteger(version) && (version as number) >= 1)) fail('"version" is not a positive integer or null');
  const ts = get('ts');
  if (typeof ts !== 'string') fail('"ts" is not a time stamp');
  const row = get('row');
  if (!row || typeof row !== 'object' || Array.isArray(row)) return fail('"row" is not an object');
  // Null prototype: a feature named '__proto__' is a key like any other, never the object's prototype.
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(row)) {
    const v = (row as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object') fail(`"row" value of '${key.slice(0, 60)}' is an object or list; rows hold plain values`);
    copy[key] = v;
  }
  const prediction = get('prediction');
  if (prediction !== null && prediction !== undefined && typeof prediction !== 'string' && typeof prediction !== 'number' && typeof prediction !== 'boolean') {
    fail('"prediction" is not a label or a number');
  }
  return { ts: ts as string, model: model as string, version: (version as number | null | undefined) ?? null, row: copy, prediction: prediction ?? null };
}

/** A regular file (no link followed, no FIFO waited on), read whole if it fits in `budget` bytes. */
async function readPlainFile(file: string, budget: number, limit: number): Promise<Uint8Array> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(file, flags).catch((err: NodeJS.ErrnoException) => {
    throw new DataError(`${file}: cannot open (${err.code === 'ELOOP' ? 'a symbolic link; the log holds plain files' : err.code ?? 'error'})`);
  });
  try {
    const info: Stats = await handle.stat();
    if (!info.isFile()) throw new DataError(`${file}: not a regular file; a prediction log holds plain .ndjson files`);
    if (info.size > budget) {
      throw new DataError(`${file}: the prediction log is larger than the ${Math.round(limit / 1024 ** 2)} MiB monitor reads at once; point --from-log at fewer files (one .ndjson file)`);
    }
    const bytes = await handle.readFile();
    if (bytes.byteLength > budget) throw new DataError(`${file}: grew past the size limit while it was read`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}
