import { describe, expect, it } from '@jest/globals';
import { from, lastValueFrom, toArray } from 'rxjs';
import { schedule, type ScheduleGraph } from '../../core/index.ts';

/** A graph from edges: [from, to][]. */
function graphOf(order: string[], edges: Array<[string, string]>): ScheduleGraph {
  const upstream = new Map(order.map((id) => [id, edges.filter(([, t]) => t === id).map(([f]) => f)]));
  const dependants = new Map(order.map((id) => [id, edges.filter(([f]) => f === id).map(([, t]) => t)]));
  return { order, upstream, dependants };
}

describe('schedule', () => {
  const diamond = graphOf(['a', 'b', 'c', 'd', 'e'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd'], ['d', 'e']]);

  it('starts a node only after all its upstream nodes are done', async () => {
    const finished = new Set<string>();
    const startedEarly: string[] = [];
    const outcomes = await lastValueFrom(
      schedule(diamond, (id) => {
        if ((diamond.upstream.get(id) ?? []).some((u) => !finished.has(u))) startedEarly.push(id);
        return from(new Promise<{ id: string; ok: boolean }>((r) => setTimeout(() => { finished.add(id); r({ id, ok: true }); }, 5)));
      }, { concurrency: 2 }).pipe(toArray()),
    );
    expect(startedEarly).toEqual([]);
    expect(outcomes.map((o) => o.id)).toEqual(['a', expect.any(String), expect.any(String), 'd', 'e']);
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
  });

  it('skips the transitive dependants of a failed node and finishes independent branches', async () => {
    const ran: string[] = [];
    const outcomes = await lastValueFrom(
      schedule(diamond, (id) => {
        ran.push(id);
        return from(Promise.resolve({ id, ok: id !== 'b' }));
      }, { concurrency: 4 }).pipe(toArray()),
    );
    expect(Object.fromEntries(outcomes.map((o) => [o.id, o.status]))).toEqual({ a: 'ok', b: 'failed', c: 'ok', d: 'skipped', e: 'skipped' });
    expect(outcomes.find((o) => o.id === 'e')!.cause).toBe('b');
    expect(ran.sort()).toEqual(['a', 'b', 'c']);
  });

  it('completes at once on an empty graph', async () => {
    expect(await lastValueFrom(schedule(graphOf([], []), () => from([]), { concurrency: 1 }).pipe(toArray()))).toEqual([]);
  });
});
