import { nameList, thousands } from './summary-nodes.ts';

/** A burst this small keeps one line per node, exactly as a small DAG has always printed. */
export const BURST_LIST_MAX = 5;
/** A burst is printed once no quiet node arrived for this long, so a tail -f never lags behind. */
export const BURST_IDLE_MS = 1000;
/** …and at least this often while quiet nodes keep trickling in (slow cache verification). */
export const BURST_MAX_AGE_MS = 10_000;
/** Node names a collapsed line quotes before `… and N more`. */
const NAMES_SHOWN = 3;

/** A node that did no work in this run: served from the cache, or skipped. */
export interface QuietNode {
  kind: 'cached' | 'skipped';
  node: string;
  /** Why it was skipped; bursts are grouped by it. */
  reason?: string;
  /** Its own line, used when the burst is small or every node is wanted. */
  line: string;
}

/** Collapses runs of cache hits and skips into one line per kind (and skip reason). */
export interface QuietBurst {
  add(node: QuietNode): void;
  /** Prints what is held: call before any other line so the log keeps the order things happened. */
  flush(): void;
  dispose(): void;
}

interface Options {
  write: (text: string) => void;
  /** Symbols, coloured or not: `↺` for cached, `-` for skipped. */
  symbols: { cached: string; skipped: string };
  /** One line per node always (MLCYCLE_DEBUG). */
  listEach?: boolean;
  idleMs?: number;
  maxAgeMs?: number;
}

/**
 * Holds consecutive quiet nodes and prints them as `↺ cached 4,990 nodes: a, b, c … and 4,987 more`.
 * A burst ends at the next printed line (a node starting, finishing, failing, retrying, logging), at
 * the end of the run, or after a quiet second: so the line sits where the hits happened, between
 * the work around them.
 * @example
 * const burst = createQuietBurst({ write: (t) => process.stderr.write(`${t}\n`), symbols: { cached: '↺', skipped: '-' } });
 * burst.add({ kind: 'cached', node: 'train', line: '↺ cached train' });
 * burst.flush();
 */
export function createQuietBurst(options: Options): QuietBurst {
  const idleMs = options.idleMs ?? BURST_IDLE_MS;
  const maxAgeMs = options.maxAgeMs ?? BURST_MAX_AGE_MS;
  let held: QuietNode[] = [];
  let firstAt = 0;
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!held.length) return;
    const nodes = held;
    held = [];
    if (options.listEach || nodes.length <= BURST_LIST_MAX) {
      for (const n of nodes) options.write(n.line);
      return;
    }
    for (const group of groupsOf(nodes)) options.write(collapsedLine(group, options.symbols));
  };
  // One timer per burst rather than one per node: thousands of hits in a burst re-arm nothing.
  const check = () => {
    const now = Date.now();
    if (now - lastAt >= idleMs || now - firstAt >= maxAgeMs) return flush();
    timer = setTimeout(check, Math.max(1, Math.min(idleMs - (now - lastAt), maxAgeMs - (now - firstAt))));
    timer.unref?.();
  };
  return {
    add(node) {
      lastAt = Date.now();
      if (!held.length) firstAt = lastAt;
      held.push(node);
      if (!timer) {
        timer = setTimeout(check, idleMs);
        timer.unref?.();
      }
    },
    flush,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Nodes of one kind and skip reason, in order of first appearance. */
function groupsOf(nodes: QuietNode[]): QuietNode[][] {
  const groups = new Map<string, QuietNode[]>();
  for (const n of nodes) {
    const key = `${n.kind}\u0000${n.reason ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(n);
  }
  return [...groups.values()];
}

function collapsedLine(group: QuietNode[], symbols: Options['symbols']): string {
  const { kind, reason } = group[0];
  const names = nameList(group.map((n) => n.node), NAMES_SHOWN);
  const count = `${thousands(group.length)} nodes`;
  if (kind === 'cached') return `${symbols.cached} cached ${count}: ${names}`;
  return `${symbols.skipped} skipped ${count}${reason ? ` (${reason})` : ''}: ${names}`;
}
