import pc from 'picocolors';

/** Colours for one stream: on only when that stream is a terminal (and NO_COLOR is unset). */
export function colorsFor(stream: NodeJS.WritableStream): ReturnType<typeof pc.createColors> {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  return pc.createColors(tty && !process.env.NO_COLOR);
}

/** `850ms`, `12.3s`, `4m05s`: short enough for a table column. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

/** `loss=0.1234 acc=0.91`: metric values rounded for a single line. */
export function formatMetrics(metrics: Record<string, number> | undefined): string {
  if (!metrics) return '';
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Number(v.toPrecision(4))}`)
    .join(' ');
}

/** `2024-05-01 14:03:22` in local time. */
export function formatTime(ms: number | null | undefined): string {
  if (ms == null) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A run's or node's status in its colour: green done, blue cached, red failed, yellow for work that
 * stopped before its end (interrupted, cancelled, pruned) or never ran (skipped); anything else (running,
 * pending, a status a newer engine adds) plain, never an error.
 * @example
 * colourStatus('pruned', colorsFor(process.stderr)); // yellow 'pruned' on a terminal
 */
export function colourStatus(status: string, c: ReturnType<typeof colorsFor>): string {
  switch (status) {
    case 'succeeded':
      return c.green(status);
    case 'cached':
      return c.blue(status);
    case 'failed':
      return c.red(status);
    case 'interrupted':
    case 'cancelled':
    case 'pruned':
    case 'skipped':
      return c.yellow(status);
    default:
      return status;
  }
}
