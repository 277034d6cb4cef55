/**
 * Who owns a running run, and whether that owner is provably gone. A `kill -9`, the OOM killer or a
 * power cut leave a run `running` with nobody to finish its record; the next open of the store
 * asks this module whether the owner still lives. A pid alone is not proof (pids are reused), so
 * the owner also carries a token unique to that process on that boot: the kernel's boot id and the
 * process's start time in clock ticks (Linux /proc). Where /proc is missing, the pid is all we have.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive } from '../process-alive.ts';

/** The process that recorded a run: host, pid and a boot-unique token (null where unknown). */
export interface RunOwner {
  host: string;
  pid: number;
  token: string | null;
}

/**
 * A run on another host, or of an owner we cannot check, is dead only when its heartbeat is older
 * than this. Generous because a synchronous task can block the event loop, and so the heartbeat.
 */
export const STALE_HEARTBEAT_MS = 15 * 60_000;

/** How often a live run refreshes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

let own: RunOwner | undefined;

/**
 * This process as a run owner (computed once).
 * @example
 * currentOwner(); // { host: 'vm', pid: 4242, token: 'a2f9…/1067019' }
 */
export function currentOwner(): RunOwner {
  own ??= { host: hostname(), pid: process.pid, token: processToken(process.pid) };
  return own;
}

/** `<boot id>/<start time>` of a live pid, or null when /proc cannot say (not Linux, pid gone). */
function processToken(pid: number): string | null {
  const boot = bootId();
  if (!boot) return null;
  try {
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 22 of the whole line (starttime) is the 20th after the command name.
    const start = fields[19];
    return start && /^\d+$/.test(start) ? `${boot}/${start}` : null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** What the owner columns of a `running` run hold (nulls for runs recorded before owners were). */
export interface OwnerRow {
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
  /** Last sign of life: the heartbeat, else the run's start. */
  last_seen: number;
}

/**
 * Why the owner of a running run is provably gone, or undefined while it may be alive.
 * Same host: the pid is not alive, or it is but is another process (other boot, other start time).
 * Other host, or no owner recorded: no heartbeat for `staleMs`.
 * @example
 * ownerGone({ owner_host: 'vm', owner_pid: 99999, owner_token: null, last_seen: Date.now() }, Date.now());
 * // 'process 99999 on vm is no longer running'
 */
export function ownerGone(row: OwnerRow, now: number, staleMs = STALE_HEARTBEAT_MS): string | undefined {
  const me = currentOwner();
  if (row.owner_host === me.host && row.owner_pid !== null) {
    const who = `process ${row.owner_pid} on ${row.owner_host}`;
    if (row.owner_pid === me.pid && row.owner_token === me.token) return undefined;
    if (!processAlive(row.owner_pid)) return `${who} is no longer running`;
    if (row.owner_token !== null && me.token !== null && row.owner_token !== processToken(row.owner_pid)) {
      return row.owner_token.split('/')[0] !== me.token.split('/')[0]
        ? `${who} belonged to an earlier boot of this machine`
        : `${who} has ended (its pid now belongs to another process)`;
    }
    return undefined;
  }
  if (now - row.last_seen > staleMs) {
    const who = row.owner_pid === null ? 'its process' : `process ${row.owner_pid} on ${row.owner_host}`;
    return `no sign of life from ${who} for ${Math.round((now - row.last_seen) / 60_000)} minutes`;
  }
  return undefined;
}

