import { DataError } from '../../core/index.ts';
import { describeInvalid, INVALID_REASON_COLUMN } from '../exporters/bundle-io.ts';
import type { LoadedModel } from './load-model.ts';

/** Rows per model call at most; a single larger request still goes through, alone. */
const MAX_BATCH_ROWS = 1024;

interface Waiting {
  rows: Array<Record<string, unknown>>;
  resolve: (outputs: Array<Record<string, unknown>>) => void;
  reject: (err: unknown) => void;
}

/**
 * Adaptive batching, as BentoML and Triton do it: one model call at a time per served version; the
 * requests that arrive while it runs wait and then go together in the next call. A prediction's fixed
 * cost (building the table, each preprocessing step, the model call) is ~0.5 ms whatever the rows,
 * so under load this is what keeps a single-row request from queueing behind hundreds of single-row
 * calls; when idle a request goes alone, at once (no timer, no added latency).
 *
 * Rows are checked per request as if alone: the batch predicts with `onInvalid: 'null'`, and a
 * request with an invalid row fails with its own rows numbered from 1, the others are unaffected.
 * If the batch call itself throws, each request is retried alone, so one cannot fail another.
 * @example
 * const batcher = new PredictBatcher(model);
 * const outputs = await batcher.predict(rows); // [{ predicted: 'Adelie', prob_Adelie: 0.97, … }]
 */
export class PredictBatcher {
  private queue: Waiting[] = [];
  private running = false;

  constructor(private readonly model: LoadedModel) {}

  predict(rows: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) await this.runBatch(this.take());
    } finally {
      this.running = false;
    }
  }

  private take(): Waiting[] {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n]!.rows.length <= MAX_BATCH_ROWS)) rows += this.queue[n++]!.rows.length;
    return this.queue.splice(0, n);
  }

  private async runBatch(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]!);
    let outputs: Array<Record<string, unknown>>;
    try {
      outputs = await this.model.predict(batch.flatMap((w) => w.rows), { onInvalid: 'null' });
    } catch {
      for (const w of batch) await this.runAlone(w);
      return;
    }
    let at = 0;
    for (const w of batch) {
      settle(w, outputs.slice(at, at + w.rows.length));
      at += w.rows.length;
    }
  }

  private async runAlone(w: Waiting): Promise<void> {
    try {
      settle(w, await this.model.predict(w.rows, { onInvalid: 'null' }));
    } catch (err) {
      w.reject(err);
    }
  }
}

/** Resolves with the outputs (without the reason column), or rejects naming the request's invalid rows. */
function settle(w: Waiting, outputs: Array<Record<string, unknown>>): void {
  const invalid = outputs.flatMap((o, i) => (o[INVALID_REASON_COLUMN] == null ? [] : [{ row: i + 1, reasons: [String(o[INVALID_REASON_COLUMN])] }]));
  if (invalid.length) {
    w.reject(new DataError(`${describeInvalid(invalid, w.rows.length)}\nFix these rows and send them again.`));
    return;
  }
  w.resolve(outputs.map(({ [INVALID_REASON_COLUMN]: _reason, ...rest }) => rest));
}
