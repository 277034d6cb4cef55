import { nameList as namesUpTo, thousands, type NodeSummary } from '../../core/index.ts';

export { thousands };

/**
 * Most nodes an end-of-run summary lists by name (table rows, failed and skipped nodes in the failure
 * paragraph). Above it a summary counts: a 5,000-node table helps nobody and cli-table3's layout is
 * quadratic in rows. `--json` always has every node.
 */
export const SUMMARY_LIST_LIMIT = 20;

/** Order statuses are counted in: what needs attention first, then work done, then what was not. */
const STATUS_ORDER: readonly string[] = ['failed', 'interrupted', 'cancelled', 'pruned', 'succeeded', 'cached', 'skipped', 'running', 'pending'];

/** What a summary shows of a run's nodes. */
export interface NodeSelection {
  /** The rows to print, in print order. */
  listed: NodeSummary[];
  /** Nodes per status, non-zero only, in STATUS_ORDER (unknown statuses last). */
  counts: Array<[status: string, count: number]>;
  /** Nodes that ran or failed but did not fit under the limit, per status. */
  unlisted: Array<[status: string, count: number]>;
  /** True when the summary counts instead of listing every node. */
  condensed: boolean;
}

/**
 * Picks the nodes a summary names. Up to `limit` nodes: all of them, in node order (the table
 * users know). Above: only nodes that ran or failed, failures first (always named, up to the limit),
 * then cancelled and pruned, then succeeded; if those overflow, the slowest succeeded ones, slowest first,
 * since where the time went is what a truncated list of work should answer. Cached and skipped
 * nodes are counted, never listed. Linear in nodes apart from sorting the succeeded ones.
 * @example
 * const { listed, counts } = selectNodes(summary.nodes);
 * // counts: [['succeeded', 3], ['cached', 4997]]; listed: the 3 that ran
 */
export function selectNodes(nodes: readonly NodeSummary[], limit = SUMMARY_LIST_LIMIT): NodeSelection {
  const byStatus = new Map<string, NodeSummary[]>();
  for (const n of nodes) {
    let group = byStatus.get(n.status);
    if (!group) byStatus.set(n.status, (group = []));
    group.push(n);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => rank(a) - rank(b));
  const counts = statuses.map((s) => [s, byStatus.get(s)!.length] as [string, number]);
  if (nodes.length <= limit) return { listed: [...nodes], counts, unlisted: [], condensed: false };

  const failed = byStatus.get('failed') ?? [];
  const cancelled = byStatus.get('cancelled') ?? [];
  const pruned = byStatus.get('pruned') ?? [];
  const succeeded = byStatus.get('succeeded') ?? [];
  const listed = failed.slice(0, limit);
  listed.push(...cancelled.slice(0, limit - listed.length));
  listed.push(...pruned.slice(0, limit - listed.length));
  const room = limit - listed.length;
  listed.push(...(succeeded.length <= room ? succeeded : slowest(succeeded, room)));
  const unlisted: Array<[string, number]> = [];
  const left = (status: string, group: NodeSummary[]) => {
    const shown = listed.reduce((k, n) => k + (n.status === status ? 1 : 0), 0);
    if (group.length > shown) unlisted.push([status, group.length - shown]);
  };
  left('failed', failed);
  left('cancelled', cancelled);
  left('pruned', pruned);
  left('succeeded', succeeded);
  return { listed, counts, unlisted, condensed: true };
}

/**
 * `1 failed · 12 succeeded · 4,987 cached`: a count per status, thousands grouped.
 * @example
 * countsLine([['succeeded', 2], ['cached', 1234]]) // '2 succeeded · 1,234 cached'
 */
export function countsLine(counts: ReadonlyArray<readonly [string, number]>): string {
  return counts.map(([s, k]) => `${thousands(k)} ${s}`).join(' · ');
}

/**
 * `a, b, c … and 17 more`: core's nameList, bounded by SUMMARY_LIST_LIMIT unless told otherwise.
 * @example
 * nameList(['a', 'b', 'c'], 2) // 'a, b … and 1 more'
 */
export function nameList(names: readonly string[], limit = SUMMARY_LIST_LIMIT): string {
  return namesUpTo(names, limit);
}

function rank(status: string): number {
  const i = STATUS_ORDER.indexOf(status);
  return i === -1 ? STATUS_ORDER.length : i;
}

/** The `k` slowest, slowest first; ties keep node order (sort is stable). */
function slowest(nodes: NodeSummary[], k: number): NodeSummary[] {
  if (k <= 0) return [];
  return [...nodes].sort((a, b) => (finite(b.durationMs) - finite(a.durationMs))).slice(0, k);
}

function finite(ms: number): number {
  return Number.isFinite(ms) ? ms : -1;
}
