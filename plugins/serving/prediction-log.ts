import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Where and how much {@link PredictionLog} writes. */
export interface PredictionLogOptions {
  /** The folder of NDJSON files (created if missing). */
  dir: string;
  /** Share of rows logged, 0..1. */
  sample: number;
  /** Bound on the folder: the oldest files are deleted past it (default 64 MiB). */
  maxBytes?: number;
  /** A file is closed and a new one started past this size (default 8 MiB, at most half of maxBytes). */
  fileBytes?: number;
  /** Buffered lines are written at least this often (default 500 ms). */
  flushMs?: number;
  /** Told once per failed write; logging never fails a request (default: ignored). */
  onError?: (err: Error) => void;
  /** Default Math.random; a test passes a seeded one. */
  random?: () => number;
}

/** Name of a log file: `predictions-<UTC yyyymmddThhmmssZ>-<pid>.ndjson`. */
export const PREDICTION_LOG_FILE = /^predictions-(\d{8}T\d{6}Z)-(\d+)\.ndjson$/;

const MiB = 1024 * 1024;
const FLUSH_AT_BYTES = 256 * 1024;

/**
 * The prediction log `mlcycle serve` writes and `mlcycle monitor --from-log` reads: a sampled share of
 * request rows, one NDJSON line each (`{"ts","model","version","row","prediction"}`). Lines are
 * buffered in memory and appended in the background, so a request never waits for the disk; files
 * rotate past `fileBytes` and the folder stays under `maxBytes` by deleting the oldest file first.
 * `close()` writes what is buffered.
 * @example
 * const log = new PredictionLog({ dir: 'logs/penguins', sample: 0.1 });
 * log.record('penguins', 3, rows, predictions);
 * await log.close();
 */
export class PredictionLog {
  private lines: string[] = [];
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private file: { handle: FileHandle; name: string; bytes: number } | undefined;
  private failed = false;
  private readonly maxBytes: number;
  private readonly fileBytes: number;
  private readonly random: () => number;

  constructor(private readonly options: PredictionLogOptions) {
    this.maxBytes = options.maxBytes ?? 64 * MiB;
    this.fileBytes = Math.max(1024, Math.min(options.fileBytes ?? 8 * MiB, Math.floor(this.maxBytes / 2)));
    this.random = options.random ?? Math.random;
  }

  /** Samples `rows` (feature values as sent) with their predictions into the buffer. */
  record(model: string, version: number | null, rows: ReadonlyArray<Record<string, unknown>>, predictions: readonly unknown[]): void {
    const ts = new Date().toISOString();
    for (let i = 0; i < rows.length; i++) {
      if (this.options.sample < 1 && this.random() >= this.options.sample) continue;
      const line = `${JSON.stringify({ ts, model, version, row: rows[i], prediction: predictions[i] ?? null })}\n`;
      this.lines.push(line);
      this.buffered += Buffer.byteLength(line);
    }
    if (this.buffered >= FLUSH_AT_BYTES) void this.flush();
    else if (this.lines.length && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? 500);
      this.timer.unref();
    }
  }

  /** Writes the buffered lines; resolves once they are on disk (or dropped after a write error). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const chunk = this.lines.join('');
    this.lines = [];
    this.buffered = 0;
    if (chunk) this.writing = this.writing.then(() => this.write(chunk)).catch((err: Error) => this.report(err));
    return this.writing;
  }

  /** Flushes and closes the current file. */
  async close(): Promise<void> {
    await this.flush();
    await this.writing;
    if (this.file) await this.file.handle.close().catch((err: Error) => this.report(err));
    this.file = undefined;
  }

  private async write(chunk: string): Promise<void> {
    const bytes = Buffer.from(chunk);
    if (this.file && this.file.bytes > 0 && this.file.bytes + bytes.length > this.fileBytes) {
      await this.file.handle.close();
      this.file = undefined;
    }
    if (!this.file) this.file = await this.newFile();
    await this.file.handle.write(bytes);
    this.file.bytes += bytes.length;
    await this.bound();
  }

  private async newFile(): Promise<{ handle: FileHandle; name: string; bytes: number }> {
    await mkdir(this.options.dir, { recursive: true });
    // Two rotations in one second would reuse a name: step the stamp on instead (names sort by time).
    for (let t = Date.now(); ; t += 1000) {
      const name = `predictions-${new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${process.pid}.ndjson`;
      try {
        return { handle: await open(join(this.options.dir, name), 'wx'), name, bytes: 0 };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  /** Deletes the oldest files (never the current one) while the folder is over maxBytes. */
  private async bound(): Promise<void> {
    const names = (await readdir(this.options.dir)).filter((n) => PREDICTION_LOG_FILE.test(n)).sort((a, b) => stamp(a).localeCompare(stamp(b)) || a.localeCompare(b));
    const sizes = await Promise.all(names.map(async (n) => (await stat(join(this.options.dir, n)).catch(() => ({ size: 0 }))).size));
    let total = sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < names.length && total > this.maxBytes; i++) {
      if (names[i] === this.file?.name) continue;
      await unlink(join(this.options.dir, names[i]!)).catch(() => undefined);
      total -= sizes[i]!;
    }
  }

  private report(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError?.(err);
  }
}

function stamp(name: string): string {
  return PREDICTION_LOG_FILE.exec(name)?.[1] ?? '';
}
