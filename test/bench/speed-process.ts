/**
 * Runs one command as a child process under GNU time for the speed benchmark: wall seconds and peak
 * RSS from `/usr/bin/time -f '%e %M'`, a sampled peak of the whole process tree's memory (PSS), and a
 * timeout that kills the child's whole process group.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TimedRun {
  /** 'ok': exit 0; 'failed': a non-zero exit or a signal; 'timeout': killed after `timeoutS`. */
  status: 'ok' | 'failed' | 'timeout';
  exitCode: number | null;
  /** Wall seconds as GNU time measured them (the bench's own clock for a timeout). */
  seconds: number;
  /**
   * Peak RSS in KiB from GNU time (`%M`): the largest single process among the child and the
   * descendants it waited for, not their sum (scikit-learn's n_jobs workers are separate processes).
   */
  peakKiB: number | undefined;
  /** Peak of the summed PSS of the whole process tree, sampled every `sampleMs` (default 500): shared pages counted once. */
  treePeakKiB: number | undefined;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  timeoutS: number;
  sampleMs?: number;
}

const TIME = '/usr/bin/time';

/**
 * Runs `command args…` under GNU time; never throws for a failing or slow command.
 * @example
 * const r = await timedRun('/usr/bin/python3', ['speed-peer.py', 'cv', csv, 'y', 'tree'], { cwd: root, timeoutS: 900 });
 * if (r.status === 'ok') console.log(r.seconds, r.peakKiB);
 */
export async function timedRun(command: string, args: string[], opts: RunOptions): Promise<TimedRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'mlcycle-speed-time-'));
  const timeFile = join(scratch, 'time.txt');
  const started = performance.now();
  // detached: the child leads its own process group, so a timeout can kill it with every descendant.
  const child = spawn(TIME, ['-f', '%e %M', '-o', timeFile, command, ...args], {
    cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let treePeak = 0;
  const sample = () => {
    if (child.pid !== undefined) treePeak = Math.max(treePeak, treePssKiB(child.pid));
  };
  const sampler = setInterval(sample, opts.sampleMs ?? 500);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutS * 1000);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const wall = (performance.now() - started) / 1000;
    const measured = readTime(timeFile);
    const status = timedOut ? 'timeout' : exitCode === 0 ? 'ok' : 'failed';
    return {
      status, exitCode,
      seconds: status === 'timeout' || measured === undefined ? wall : measured.seconds,
      peakKiB: status === 'timeout' ? undefined : measured?.peakKiB,
      treePeakKiB: treePeak > 0 ? treePeak : undefined,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  } finally {
    clearInterval(sampler);
    clearTimeout(timer);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** GNU time writes "Command exited with non-zero status N" before the format line on failure: read the last line. */
function readTime(file: string): { seconds: number; peakKiB: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const last = text.trim().split('\n').pop() ?? '';
  const [seconds, peakKiB] = last.split(' ').map(Number);
  return Number.isFinite(seconds) && Number.isFinite(peakKiB) ? { seconds, peakKiB } : undefined;
}

/**
 * The summed proportional set size (KiB) of `root` and all its descendants right now, from /proc;
 * 0 when /proc cannot be read. PSS splits shared pages among the processes that map them, so two
 * worker processes loading the same libraries are not counted twice, as summed RSS would.
 * @example
 * treePssKiB(child.pid) // 183204
 */
export function treePssKiB(root: number): number {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === undefined) continue;
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += pssOf(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function pssOf(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
