import { UsageError } from '../exit-codes.ts';

/** The flags of `mlcycle serve` as commander gives them (strings until checked). */
export interface ServeFlags {
  port: string;
  host: string;
  bodyLimit: string;
  logDir?: string;
  logSample: string;
  logMaxMb: string;
  log: boolean;
  watchMs: string;
  maxQueue: string;
  maxEventLoopDelayMs: string;
  allowExtraFields?: boolean;
  publicKey?: string;
}

/** The checked values. */
export interface ServeSettings {
  port: number;
  host: string;
  bodyLimitBytes: number;
  logSample: number;
  logMaxBytes: number;
  watchMs: number;
  maxQueue: number;
  maxEventLoopDelayMs: number;
}

/**
 * Checks serve's flags, naming the flag and the value on any problem (exit 2).
 * @example
 * parseServeFlags({ port: '0', bodyLimit: '8mb', … }).bodyLimitBytes; // 8388608
 */
export function parseServeFlags(flags: ServeFlags): ServeSettings {
  return {
    port: whole(flags.port, '--port', 0, 65535),
    host: flags.host,
    bodyLimitBytes: bytes(flags.bodyLimit),
    logSample: fraction(flags.logSample),
    logMaxBytes: whole(flags.logMaxMb, '--log-max-mb', 1, 1024 * 1024) * 1024 * 1024,
    watchMs: whole(flags.watchMs, '--watch-ms', 10, 24 * 3600 * 1000),
    maxQueue: whole(flags.maxQueue, '--max-queue', 1, 1_000_000),
    maxEventLoopDelayMs: whole(flags.maxEventLoopDelayMs, '--max-event-loop-delay-ms', 1, 3_600_000),
  };
}

function whole(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`serve: ${flag} must be a whole number from ${min} to ${max}, got '${text.slice(0, 40)}'`);
  }
  return n;
}

function fraction(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`serve: --log-sample must be a share of rows from 0 to 1 (e.g. 0.1), got '${text.slice(0, 40)}'`);
  }
  return n;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function bytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(text);
  const n = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase().replace(/^([kmg])$/, '$1b')]!) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`serve: --body-limit must be a size such as 8mb, 512kb or 1048576 (bytes), got '${text.slice(0, 40)}'`);
  }
  return n;
}
