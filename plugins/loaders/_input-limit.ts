import { constants } from 'node:buffer';
import { DataError } from '../../core/index.ts';

/** The env var that overrides how many bytes a loader reads at most. */
export const INPUT_LIMIT_VAR = 'MLCYCLE_MAX_INPUT_BYTES';

/** 2 GiB: past readFile's own cap, and more than a table built in memory from it is likely to fit. */
export const DEFAULT_INPUT_LIMIT = 2 * 1024 ** 3;

/** The most one Buffer holds on this Node (4 GiB on Node 20): a larger limit could not be honoured. */
const BUFFER_MAX = constants.MAX_LENGTH - 1;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** How many bytes a loader may read, and where that number came from (for the error message). */
export interface InputLimit {
  bytes: number;
  /** 'the default', or `MLCYCLE_MAX_INPUT_BYTES=…`. */
  source: string;
}

/**
 * The input limit in force: MLCYCLE_MAX_INPUT_BYTES when set (bytes, or with a K/M/G/T suffix that
 * counts in powers of 1024: '512M', '4GiB'), else 2 GiB. Read at each call, so a worker thread and
 * a test see the current environment. A value that is not a positive finite size is an error,
 * never a silent default: an unbounded read is what the limit exists to stop.
 * @example
 * inputLimit();                                        // { bytes: 2147483648, source: 'the default' }
 * inputLimit({ MLCYCLE_MAX_INPUT_BYTES: '512M' }).bytes; // 536870912
 */
export function inputLimit(env: NodeJS.ProcessEnv = process.env): InputLimit {
  const raw = env[INPUT_LIMIT_VAR];
  if (raw === undefined || raw.trim() === '') return { bytes: DEFAULT_INPUT_LIMIT, source: 'the default' };
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(raw);
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new DataError(`${INPUT_LIMIT_VAR}=${JSON.stringify(raw.slice(0, 40))} is not a size. `
      + `Give a number of bytes, or one with a K, M, G or T suffix (powers of 1024), e.g. ${INPUT_LIMIT_VAR}=4G`);
  }
  return { bytes: Math.min(bytes, BUFFER_MAX), source: `${INPUT_LIMIT_VAR}=${raw.trim()}` };
}

/**
 * A byte count for people: '812 B', '3.1 GiB' (powers of 1024, one decimal above KiB).
 * @example
 * formatBytes(3.1 * 1024 ** 3); // '3.1 GiB'
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  if (u === 0) return `${n} B`;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * The error for input over the limit, saying how to raise it. `needBytes` (when known: the file's
 * size, the decoded size) makes the suggested setting one that would let this input through.
 * @example
 * throw overLimit('big.csv', 'file is 3.1 GiB', inputLimit(), 3.1 * 1024 ** 3);
 */
export function overLimit(file: string, what: string, limit: InputLimit, needBytes = 2 * limit.bytes): DataError {
  const base = `${file}: ${what}, over the ${formatBytes(limit.bytes)} input limit (${limit.source})`;
  if (limit.bytes >= BUFFER_MAX || needBytes > BUFFER_MAX) {
    return new DataError(`${base}; ${formatBytes(BUFFER_MAX + 1)} is the most one buffer holds on this Node. Load a sample or a split of the file`);
  }
  const [unit, suffix] = needBytes >= 1024 ** 3 ? [1024 ** 3, 'G'] : needBytes >= 1024 ** 2 ? [1024 ** 2, 'M'] : [1024, 'K'];
  const hint = `${Math.ceil(needBytes / unit)}${suffix}`;
  return new DataError(`${base}. Raise ${INPUT_LIMIT_VAR} (e.g. ${INPUT_LIMIT_VAR}=${hint}) if this machine has the memory, `
    + 'or load a sample or a split of the file');
}
