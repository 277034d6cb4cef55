/**
 * Timing and the row shape shared by the parts of the hardening benchmark (hardening.bench.ts): each
 * safety check is timed against the unchecked path (or a floor) in the same process, the two sides
 * alternating, and the best of N kept, because this machine is shared and noisy and the minimum is
 * the run least disturbed by others.
 */

/** One line of the summary table. */
export interface HardeningRow {
  /** Which safety check (e.g. 'finite model'). */
  check: string;
  /** What was timed (e.g. 'forest, 20k × 20'). */
  case: string;
  /** Best time of the checked path, in ms. */
  checkedMs: number;
  /** Best time of the unchecked path or floor, in ms. */
  uncheckedMs: number;
  /** What the unchecked side is, for the table (e.g. 'fit', 'writeFileSync'). */
  against: string;
  /** checked / unchecked, or for `share` rows checked as a share of unchecked. */
  ratio: number;
  /** The target in words ('≤ 1.05×', 'report'). */
  target: string;
  /** 'ok', 'OVER' or 'report' (no target: the figures are the result). */
  verdict: 'ok' | 'OVER' | 'report';
  /** Display unit for the two times: per call in ms or µs. */
  unit: 'ms' | 'µs';
  /** How many items the times cover, for per-item figures (blobs per batch); 1 otherwise. */
  perItem?: number;
  /** The ratio is a share (the check is a part of the unchecked side's time): shown as a percentage. */
  share?: boolean;
  /** Extra figures said under the table. */
  note?: string;
}

/** Best (minimum) times of two sides run alternately. */
export interface Paired {
  checkedMs: number;
  uncheckedMs: number;
}

/**
 * Runs `unchecked` then `checked`, `reps` times each, alternating after one untimed warm-up of each,
 * and keeps the best time of each side. Each call may return a value (kept alive so no side is
 * optimised away) and may set up untimed work through `before`.
 * @example
 * const { checkedMs, uncheckedMs } = await paired(5, () => fileDigest(f, '/'), () => plainHash(f));
 */
export async function paired(
  reps: number,
  checked: () => unknown,
  unchecked: () => unknown,
  options: { warmup?: boolean; before?: () => unknown } = {},
): Promise<Paired> {
  const sink: unknown[] = [];
  if (options.warmup !== false) {
    await options.before?.();
    sink.push(await unchecked());
    await options.before?.();
    sink.push(await checked());
  }
  let [best, floor] = [Infinity, Infinity];
  for (let i = 0; i < reps; i++) {
    await options.before?.();
    floor = Math.min(floor, await timed(unchecked, sink));
    await options.before?.();
    best = Math.min(best, await timed(checked, sink));
  }
  if (sink.length > 1e6) console.log(sink.length); // never: keeps results reachable
  return { checkedMs: best, uncheckedMs: floor };
}

/**
 * Best (minimum) time of `reps` calls after one untimed warm-up.
 * @example
 * const statMs = await bestOf(5, () => paths.map((p) => statSync(p).size));
 */
export async function bestOf(reps: number, fn: () => unknown): Promise<number> {
  const sink: unknown[] = [await fn()];
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, await timed(fn, sink));
  return best;
}

/**
 * Milliseconds one call takes (awaited when it returns a promise).
 * @example
 * const ms = await timed(() => fit(), []);
 */
export async function timed(fn: () => unknown, sink: unknown[] = []): Promise<number> {
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  sink.push(out);
  if (sink.length > 64) sink.length = 0;
  return ms;
}

/**
 * A row with its ratio and verdict: `maxRatio` undefined means report only.
 * @example
 * row({ check: 'file digest', case: '256 MiB', against: 'sha256(readFileSync)', unit: 'ms' }, times, 1.1);
 * row({ check: 'finite model', case: 'forest', against: 'fit', unit: 'ms', share: true }, times, 0.05);
 */
export function row(
  what: Pick<HardeningRow, 'check' | 'case' | 'against' | 'unit' | 'perItem' | 'share' | 'note'>,
  times: Paired,
  maxRatio?: number,
): HardeningRow {
  const ratio = times.checkedMs / times.uncheckedMs;
  const verdict = maxRatio === undefined ? 'report' : ratio <= maxRatio ? 'ok' : 'OVER';
  const target = maxRatio === undefined ? 'report' : `≤ ${ratioText(maxRatio, what.share)}`;
  return { ...what, ...times, ratio, target, verdict };
}

/**
 * A time in the row's unit, per item.
 * @example
 * shown(0.25, 'µs', 1); // '250 µs'
 */
export function shown(ms: number, unit: HardeningRow['unit'], perItem = 1): string {
  const v = (unit === 'µs' ? ms * 1000 : ms) / perItem;
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
  return `${v.toFixed(digits)} ${unit}`;
}

/**
 * A ratio for the table: `1.03×`, or a percentage for a share.
 * @example
 * ratioText(1.034); // '1.03×'
 * ratioText(0.012, true); // '1.2%'
 */
export function ratioText(ratio: number, asShare = false): string {
  if (asShare) return `${(ratio * 100).toFixed(ratio < 0.01 ? 2 : ratio < 10 ? 1 : 0)}%`;
  return `${ratio.toFixed(ratio < 10 ? 2 : 0)}×`;
}
