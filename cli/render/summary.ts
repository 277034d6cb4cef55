import { failureSentences, RESUME_HINT, type RunSummary } from '../../core/index.ts';
import { createTable } from './table.ts';
import { colorsFor, colourStatus, formatDuration } from './format.ts';
import { countsLine, selectNodes, SUMMARY_LIST_LIMIT, thousands } from './summary-nodes.ts';

/**
 * The final summary on stderr: the nodes (every one in a small DAG; above SUMMARY_LIST_LIMIT, the
 * ones that failed or ran, up to the limit, and a count per status), the DAG's small results, and
 * for a failed run one paragraph naming the failed node, its error and how to resume.
 * @example
 * renderSummary(await handle.done, process.stderr);
 */
export function renderSummary(summary: RunSummary, stream: NodeJS.WritableStream, resultKinds: Record<string, string> = {}): void {
  const c = colorsFor(stream);
  const selection = selectNodes(summary.nodes);
  if (selection.listed.length) {
    const table = createTable(['node', 'task', 'status', 'cached', 'attempts', 'duration'], stream);
    for (const n of selection.listed) {
      table.push([n.id, n.task, colourStatus(n.status, c), n.cached ? 'yes' : '', String(n.attempts), formatDuration(n.durationMs)]);
    }
    stream.write(`${table.toString()}\n`);
  }
  if (selection.condensed) {
    for (const [status, k] of selection.unlisted) {
      // Succeeded rows beyond the limit are the faster ones (selectNodes keeps the slowest).
      const which = status === 'succeeded' && selection.listed.some((n) => n.status === 'succeeded') ? ', faster than those listed' : '';
      stream.write(`${c.dim(`… and ${thousands(k)} more ${status}${which}`)}\n`);
    }
    stream.write(`${thousands(summary.nodes.length)} nodes: ${countsLine(selection.counts)} ${c.dim('(every node: --json)')}\n`);
  }
  const results = Object.entries(summary.outputs ?? {}).filter(([, v]) => !isDigestRef(v));
  for (const [name, value] of results) {
    // Metrics print as scores (beside their baselines); a Json result holding CV summaries as mean ± std.
    const kind = Object.hasOwn(resultKinds, name) ? resultKinds[name] : undefined;
    const scores = kind === 'Metrics' || kind === undefined ? scoreTable(value, stream) : kind === 'Json' ? cvSummaryTable(value, stream) : undefined;
    // A result that explains itself (a gate's decision) reads as its sentence; --json keeps every field.
    const reason = scores ? undefined : reasonOf(value);
    stream.write(scores ? `${c.bold(name)}:\n${scores}\n` : `${c.bold(name)}: ${reason ?? oneLine(value)}\n`);
  }
  const id = summary.runId;
  const took = formatDuration(summary.durationMs);
  if (summary.status === 'succeeded') {
    const cached = summary.nodes.filter((n) => n.cached).length;
    stream.write(`${c.green('✓')} run ${id} of '${summary.dag}' succeeded in ${took} (${thousands(cached)}/${thousands(summary.nodes.length)} nodes cached)\n`);
  } else if (summary.status === 'cancelled') {
    stream.write(`${c.yellow('⊘')} run ${id} of '${summary.dag}' was cancelled after ${took}; ${RESUME_HINT}.\n`);
  } else if (summary.status === 'pruned') {
    // Only a sweep prunes: its reason (the failure's first line) says at which step and why.
    const reason = summary.failure?.split('\n')[0];
    stream.write(`${c.yellow('✂')} run ${id} of '${summary.dag}' was pruned after ${took}${reason ? `: ${reason}` : ''}\n`);
  } else {
    stream.write(`${c.red('✗')} ${failureParagraph(summary)}\n`);
  }
}

/**
 * Which node failed, with what error, what that skipped, and how to resume: the engine's failure
 * sentences (core/run/failure-text.ts) on one line, naming at most SUMMARY_LIST_LIMIT failed and
 * skipped nodes each, since the table above is bounded the same way.
 * @example
 * if (summary.status === 'failed') console.error(failureParagraph(summary));
 */
export function failureParagraph(summary: RunSummary): string {
  const parts = [`run ${summary.runId} of '${summary.dag}' failed:`];
  if (!summary.nodes.some((n) => n.status === 'failed')) parts.push(summary.failure ?? 'the engine reported a failure without a failed node.');
  parts.push(...failureSentences(summary.nodes, { limit: SUMMARY_LIST_LIMIT, everyOne: '--json' }));
  return parts.join(' ');
}

/**
 * A metrics result (flat numbers) as a table, with each `baseline_<m>` beside `<m>`, so a model's
 * scores read against the trivial baseline at a glance. Undefined for anything else.
 */
function scoreTable(value: unknown, stream: NodeJS.WritableStream): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const cv = cvSummaryTable(value, stream);
  if (cv) return cv;
  if (!entries.length || !entries.every(([, v]) => typeof v === 'number')) return undefined;
  const values = value as Record<string, number>;
  const names = Object.keys(values).filter((k) => !k.startsWith('baseline_'));
  const hasBaseline = names.some((k) => `baseline_${k}` in values);
  const table = createTable(hasBaseline ? ['metric', 'model', 'baseline'] : ['metric', 'value'], stream);
  const fmt = (v: number | undefined) => (v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(4));
  for (const k of names) table.push(hasBaseline ? [k, fmt(values[k]), fmt(values[`baseline_${k}`])] : [k, fmt(values[k])]);
  return table.toString();
}

/** A cross-validation summary (metrics as { mean, std } beside plain facts such as the fold count). */
function cvSummaryTable(value: unknown, stream: NodeJS.WritableStream): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const summaries = entries.filter(([, v]) => isMeanStd(v)) as Array<[string, MeanStd]>;
  if (!summaries.length || !entries.every(([, v]) => isMeanStd(v) || typeof v !== 'object')) return undefined;
  return cvTable(summaries, stream);
}

interface MeanStd {
  mean: number;
  std: number;
}

function isMeanStd(v: unknown): v is MeanStd {
  return typeof v === 'object' && v !== null && typeof (v as MeanStd).mean === 'number' && typeof (v as MeanStd).std === 'number';
}

/** A cross-validation summary (`{ metric: { mean, std } }`): mean ± std per metric, baseline beside. */
function cvTable(entries: Array<[string, MeanStd]>, stream: NodeJS.WritableStream): string {
  const byName = new Map(entries);
  const names = entries.map(([k]) => k).filter((k) => !k.startsWith('baseline_'));
  const cell = (v: MeanStd | undefined) => (v ? `${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}` : '');
  const hasBaseline = names.some((k) => byName.has(`baseline_${k}`));
  const table = createTable(hasBaseline ? ['metric', 'model (mean ± std)', 'baseline'] : ['metric', 'mean ± std'], stream);
  for (const k of names) table.push(hasBaseline ? [k, cell(byName.get(k)), cell(byName.get(`baseline_${k}`))] : [k, cell(byName.get(k))]);
  return table.toString();
}

function isDigestRef(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'digest' in v && 'kind' in v && Object.keys(v).length <= 3;
}

/** The `reason` sentence of an object result, when it has one. */
function reasonOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'reason')) return undefined;
  const reason = (value as { reason: unknown }).reason;
  return typeof reason === 'string' && reason.trim() !== '' ? reason.replace(/\s+/g, ' ').trim() : undefined;
}

function oneLine(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}
