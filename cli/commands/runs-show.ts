import { join, resolve } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { MetricRecord, NodeRunRecord, NodeSummary, RunRecord } from '../../core/index.ts';
import type { CliContext, Core } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { createTable } from '../render/table.ts';
import { colorsFor, colourStatus, formatDuration, formatMetrics, formatTime } from '../render/format.ts';
import { countsLine, selectNodes, SUMMARY_LIST_LIMIT, thousands } from '../render/summary-nodes.ts';
import { homeOf, printJson } from '../options.ts';
import { withWorkspace, workspaceExists, type Workspace } from '../workspace.ts';

/**
 * `mlcycle runs show <id|prefix>`: one run's nodes, params and final metrics; `--report` writes the
 * run's HTML report (the output of kind 'Report') to a file. Above SUMMARY_LIST_LIMIT nodes the
 * table lists failures, then the slowest, and counts the rest (as the end-of-run summary does);
 * `--all` lists every node, `--json` always has every node.
 */
export function registerRunsShow(runs: Command, ctx: CliContext): void {
  runs
    .command('show')
    .description("show one run: nodes (status, cached, attempts, duration), params, final metrics")
    .argument('<id>', 'run id or a unique prefix of it (as `runs ls` prints)')
    .option('--json', 'print { run, nodes, metrics, logs } as one JSON object on stdout')
    .option('--report <file>', "write the run's HTML report artifact to <file>")
    .option('--logs', 'also print what the tasks logged (info and warn lines, e.g. the TensorFlow.js backend)')
    .option('--all', `list every node (above ${SUMMARY_LIST_LIMIT} nodes the table lists failures and the slowest, and counts the rest)`)
    .action(async (idOrPrefix: string, flags: { json?: boolean; report?: string; logs?: boolean; all?: boolean }, command: Command) => {
      if (!workspaceExists(command, ctx)) {
        throw new UsageError(`no runs in ${homeOf(command, ctx)} yet (no run store there): check --home or MLCYCLE_HOME, or start a run with \`mlcycle run <dag file>\`.`);
      }
      await withWorkspace(command, ctx, (ws, core) => {
        const id = ws.store.resolveRunId(idOrPrefix);
        const run = id ? ws.store.getRun(id) : undefined;
        if (!id || !run) {
          const matches = ws.store.listRuns().filter((r) => r.id.startsWith(idOrPrefix)).map((r) => r.id);
          throw new UsageError(
            matches.length > 1
              ? `'${idOrPrefix}' matches ${matches.length} runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}): pass a longer prefix.`
              : `no run matches '${idOrPrefix}' in ${ws.home}: list runs with \`mlcycle runs ls\`.`,
          );
        }
        const nodes = ws.store.nodeRuns(id);
        const metrics = ws.store.metrics(id);
        const logs = ws.store.logs(id);
        if (flags.json) {
          if (flags.report) writeReport(ctx, core, ws, run, nodes, flags.report);
          return printJson(ctx, { run, nodes, metrics: finalMetrics(metrics), logs });
        }
        const text = describeRun(run, nodes, metrics, ctx.stderr, Boolean(flags.all));
        ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
        // Warnings always (they explain odd results); everything else on request.
        const shown = flags.logs ? logs : logs.filter((l) => l.level === 'warn');
        if (shown.length) ctx.stderr.write(`${flags.logs ? 'logs' : 'warnings'}:\n${shown.map((l) => `  [${l.node}] ${l.level === 'warn' ? 'warn: ' : ''}${l.message}`).join('\n')}\n`);
        const hidden = logs.length - shown.length;
        if (!flags.logs && hidden > 0) ctx.stderr.write(`(${hidden} info line${hidden === 1 ? '' : 's'}: --logs shows ${hidden === 1 ? 'it' : 'them'})\n`);
        if (flags.report) writeReport(ctx, core, ws, run, nodes, flags.report);
      });
    });
}

/** Final (not per-step) metrics by node: `{ eval: { accuracy: 0.93 } }`. */
function finalMetrics(metrics: MetricRecord[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const m of metrics) if (m.step === null) (out[m.node] ??= {})[m.name] = m.value;
  return out;
}

function writeReport(ctx: CliContext, core: Core, ws: Workspace, run: RunRecord, nodes: NodeRunRecord[], file: string): void {
  const found = nodes.flatMap((n) => Object.entries(n.outputs).filter(([, o]) => o.kind === 'Report').map(([port, o]) => ({ node: n.node, port, ...o })));
  if (found.length === 0) {
    throw new UsageError(
      `run ${run.id} has no output of kind 'Report': add a reporting node (a task with a Report output) to DAG '${run.dag}' and run it again.`,
    );
  }
  // The last Report wins: reports sit at the end of a DAG, and a later one summarises more.
  const pick = found[found.length - 1];
  // The stored bytes, not readArtifact(): a Report's codec is the identity, and decoding would need
  // the plugin that registers the 'Report' kind, which `runs show` has no reason to load.
  const target = resolve(ctx.cwd, file);
  // Atomic (the old file survives ENOSPC), and never over the store it reads from.
  const store = join(ws.home, 'mlcycle.db');
  const inputs = [store, `${store}-wal`, `${store}-shm`, ws.blobs.path(pick.digest)];
  core.writeUserFile(target, ws.blobs.read(pick.digest), { inputs });
  ctx.stderr.write(`wrote the report of node '${pick.node}' (${pick.bytes} bytes) to ${target}\n`);
}

function describeRun(run: RunRecord, nodes: NodeRunRecord[], metrics: MetricRecord[], stream: NodeJS.WritableStream, all: boolean): string {
  const c = colorsFor(stream);
  const took = run.finishedAt == null ? '' : ` in ${formatDuration(run.finishedAt - run.startedAt)}`;
  const lines = [
    `${c.bold(`run ${run.id}`)} · dag '${run.dag}'${run.file ? ` (${run.file})` : ''}`,
    `status: ${colourStatus(run.status, c)}${took} · started ${formatTime(run.startedAt)} · executor ${run.executor}`,
  ];
  if (run.error) lines.push(`error: ${run.error}`);
  const params = Object.entries(run.params ?? {});
  lines.push(params.length ? `params: ${params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : 'params: (none)');
  lines.push(...nodeLines(nodes, stream, all));
  const finals = Object.entries(finalMetrics(metrics));
  if (finals.length) {
    lines.push('metrics:');
    for (const [node, values] of finals) lines.push(`  ${node}: ${formatMetrics(values)}`);
  }
  return `${lines.join('\n')}\n`;
}

const HEAD = ['node', 'task', 'status', 'cached', 'attempts', 'duration', 'error'];
// cli-table3 lays out a table in time quadratic in its rows; chunks of this many keep `--all` linear.
const CHUNK_ROWS = 50;

/**
 * The node table: every node of a small run (or with `--all`); above SUMMARY_LIST_LIMIT, the nodes
 * selectNodes picks (failures first, then the slowest) and a count per status for the rest.
 */
function nodeLines(nodes: NodeRunRecord[], stream: NodeJS.WritableStream, all: boolean): string[] {
  const c = colorsFor(stream);
  const rowOf = (n: NodeRunRecord) => [n.node, n.task, colourStatus(n.status, c), n.cached ? 'yes' : '', String(n.attempts), formatDuration(n.durationMs), n.error?.message ?? ''];
  if (all || nodes.length <= SUMMARY_LIST_LIMIT) return nodes.length > CHUNK_ROWS ? [chunkedTable(nodes.map(rowOf), stream)] : [tableOf(nodes.map(rowOf), stream)];
  const records = new Map<NodeSummary, NodeRunRecord>();
  const summaries = nodes.map((n) => {
    // A stored node may also be 'interrupted' (a dead run, marked on open); selectNodes counts any status by name.
    const s: NodeSummary = { id: n.node, task: n.task, status: n.status as NodeSummary['status'], cached: n.cached, attempts: n.attempts, durationMs: n.durationMs ?? NaN };
    records.set(s, n);
    return s;
  });
  const selection = selectNodes(summaries);
  const out: string[] = [];
  if (selection.listed.length) out.push(tableOf(selection.listed.map((s) => rowOf(records.get(s)!)), stream));
  for (const [status, k] of selection.unlisted) {
    // Succeeded rows beyond the limit are the faster ones (selectNodes keeps the slowest).
    const which = status === 'succeeded' && selection.listed.some((n) => n.status === 'succeeded') ? ', faster than those listed' : '';
    out.push(c.dim(`… and ${thousands(k)} more ${status}${which}`));
  }
  out.push(`${thousands(nodes.length)} nodes: ${countsLine(selection.counts)} ${c.dim('(every node: --all, or --json)')}`);
  return out;
}

function tableOf(rows: string[][], stream: NodeJS.WritableStream): string {
  const table = createTable(HEAD, stream);
  for (const row of rows) table.push(row);
  return table.toString();
}

/**
 * One table drawn as chunks of CHUNK_ROWS rows that share column widths (the widest cell of each
 * column over all rows, as cli-table3 would pick), joined without the borders between them, so it
 * reads as a single table in linear time.
 */
function chunkedTable(rows: string[][], stream: NodeJS.WritableStream): string {
  const widths = HEAD.map((h, col) => rows.reduce((w, row) => Math.max(w, cellWidth(row[col])), cellWidth(h)) + 2);
  const parts: string[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const table = fixedWidthTable(start === 0 ? HEAD : [], widths, stream);
    for (const row of rows.slice(start, start + CHUNK_ROWS)) table.push(row);
    const text = table.toString().split('\n');
    const first = start === 0 ? 0 : 1; // later chunks: drop their top border
    const last = start + CHUNK_ROWS >= rows.length ? text.length : text.length - 1; // all but the last: drop the bottom
    parts.push(...text.slice(first, last));
  }
  return parts.join('\n');
}

/** createTable's compact style with column widths fixed in advance (so separate chunks line up). */
function fixedWidthTable(head: string[], colWidths: number[], stream: NodeJS.WritableStream): InstanceType<typeof Table> {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  return new Table({
    head,
    colWidths,
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

/**
 * Display width of a cell: its widest line without colour codes, in code points. Node and task names
 * are plain text; a cell of double-width characters would be cut short with '…' (cli-table3 truncates
 * to a fixed width), where a single table would have widened the column.
 */
function cellWidth(text: string): number {
  let widest = 0;
  for (const line of text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) widest = Math.max(widest, [...line].length);
  return widest;
}
