/**
 * Runs `mlcycle sweep` as a user does (a child `node cli/bin.mjs`, a fresh --home each time) under
 * /usr/bin/time, and reads back what the study did from that home's run store: which trial runs
 * executed which node (not served from the cache or another trial), and the training steps each
 * executed node reported. Shared by parts 3 (sweep-study.ts) and 4 (sweep-asha.ts) of bench:sweep.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunStore } from '../../core/store/sqlite-store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'cli/bin.mjs');

/** One trial as `mlcycle sweep --json` prints it (the fields the bench reads). */
export interface JsonTrial {
  number: number;
  state: 'complete' | 'pruned' | 'failed' | 'queued' | 'running';
  params: Record<string, unknown>;
  value: number | null;
  runId: string | null;
  error: string | null;
  prunedStep: number | null;
  intermediate: Record<string, number>;
}

export interface SweepCliResult {
  home: string;
  /** The CLI's exit code. */
  code: number;
  wallMs: number;
  /** User + system CPU time of the whole process (worker threads included), from /usr/bin/time. */
  cpuMs: number;
  /** One-minute load average before and after: the machine is shared, so say how busy it was. */
  load: [number, number];
  study: { name: string; status: string };
  best: { trial: number; value: number; params: Record<string, unknown> } | null;
  trials: JsonTrial[];
  /** Last lines of stderr, for a failure message. */
  stderrTail: string;
}

/**
 * Runs `node cli/bin.mjs --home <fresh> sweep <args> --json`, timed. The home is kept (the caller
 * reads its store, then calls `dropHome`).
 * @example
 * const r = await runSweepCli(['dags/tabular.sweep.ts', '--param', 'data=d.csv', '--trials', '30', '--parallel', '2']);
 */
export function runSweepCli(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<SweepCliResult> {
  const home = mkdtempSync(path.join(tmpdir(), 'mlcycle-bench-sweep-'));
  const timeFile = path.join(home, 'time.txt');
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, process.execPath, BIN, '--home', home, 'sweep', ...args, '--json'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const [, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      let json: { study: { name: string; status: string }; best: SweepCliResult['best']; trials: JsonTrial[] };
      try {
        json = JSON.parse(out);
      } catch {
        reject(new Error(`mlcycle sweep ${args.join(' ')} printed no JSON (exit ${code}):\n${err}`));
        return;
      }
      resolve({
        home, code: code ?? -1, wallMs, cpuMs: (user + sys) * 1000, load: [loadBefore, loadavg()[0]],
        study: json.study, best: json.best, trials: json.trials, stderrTail: err.split('\n').slice(-8).join('\n'),
      });
    });
  });
}

/** Removes a home `runSweepCli` made. */
export function dropHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

/** What the run store says the study's trial runs did. */
export interface StoreCounts {
  /** Per node id: how many trial runs executed it (attempted it themselves, not cached). */
  executions: Map<string, number>;
  /** Per node id: how many trial runs served it from the cache or from another trial's execution. */
  served: Map<string, number>;
  /** Per trial number: step rows of `metric` reported by the nodes that trial executed (epochs × training nodes). */
  steps: Map<number, number>;
  /** Per node id: summed duration (ms) of its executions, to see where a study's time goes. */
  durationMs: Map<string, number>;
  /**
   * Node executions running at once, averaged over the time from the first node's start to the last
   * one's end (time-weighted). Near the worker pool's size means the pool was always full: more
   * trials at once cannot go faster without more threads.
   */
  meanBusy: number;
}

/**
 * Counts node executions and reported steps of the trials' runs in `home`'s run store (read-only).
 * A node counts as executed when its record is not `cached` and it started (succeeded, failed,
 * pruned or cancelled after starting); `skipped` and never-started nodes count as neither.
 * @example
 * const { executions } = storeCounts(r.home, r.trials, 'val_score');
 */
export function storeCounts(home: string, trials: readonly JsonTrial[], metric: string): StoreCounts {
  const store = openRunStore(path.join(home, 'mlcycle.db'), { readOnly: true });
  const executions = new Map<string, number>();
  const served = new Map<string, number>();
  const steps = new Map<number, number>();
  const durationMs = new Map<string, number>();
  const edges: Array<[number, number]> = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  try {
    for (const t of trials) {
      if (!t.runId) continue;
      const ran = new Set<string>();
      for (const n of store.nodeRuns(t.runId)) {
        if (n.cached) bump(served, n.node);
        else if (n.startedAt !== null) {
          bump(executions, n.node);
          durationMs.set(n.node, (durationMs.get(n.node) ?? 0) + (n.durationMs ?? 0));
          if (n.finishedAt !== null) edges.push([n.startedAt, 1], [n.finishedAt, -1]);
          ran.add(n.node);
        }
      }
      steps.set(t.number, store.metrics(t.runId).filter((m) => m.step !== null && m.name === metric && ran.has(m.node)).length);
    }
  } finally {
    store.close();
  }
  return { executions, served, steps, durationMs, meanBusy: meanBusy(edges) };
}

/** Time-weighted mean of the count of open intervals, over their whole span. */
function meanBusy(edges: Array<[number, number]>): number {
  if (!edges.length) return 0;
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let area = 0;
  for (let i = 0; i < edges.length; i++) {
    if (i > 0) area += open * (edges[i][0] - edges[i - 1][0]);
    open += edges[i][1];
  }
  const span = edges[edges.length - 1][0] - edges[0][0];
  return span > 0 ? area / span : 0;
}
