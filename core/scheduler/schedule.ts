import { mergeMap, Observable, Subject } from 'rxjs';

/** The shape the scheduler needs: ids in dependency order, with edges both ways. */
export interface ScheduleGraph {
  order: readonly string[];
  upstream: ReadonlyMap<string, readonly string[]>;
  dependants: ReadonlyMap<string, readonly string[]>;
}

export type ScheduleOutcome = { id: string; status: 'ok' | 'failed' | 'skipped'; cause?: string };

/** What a node's execution emits when it is done: its id and whether it succeeded. */
export interface NodeDone {
  id: string;
  ok: boolean;
}

/**
 * Runs every node once all its upstream nodes succeeded, at most `concurrency` at a time, and emits one
 * outcome per node. When a node fails, its transitive dependants are emitted as skipped while
 * independent branches go on. Unsubscribing cancels: in-flight node observables are unsubscribed,
 * which is how their executions get aborted.
 * `runNode` must not complete synchronously (executions are promises), so a 10,000-node chain does not
 * grow the stack.
 * @example
 * schedule(graph, (id) => from(exec(id).then((ok) => ({ id, ok }))), { concurrency: 2 }).subscribe(console.log);
 */
export function schedule(
  graph: ScheduleGraph,
  runNode: (id: string) => Observable<NodeDone>,
  options: { concurrency: number },
): Observable<ScheduleOutcome> {
  return new Observable<ScheduleOutcome>((subscriber) => {
    const waiting = new Map<string, number>();
    for (const id of graph.order) waiting.set(id, graph.upstream.get(id)?.length ?? 0);
    let remaining = graph.order.length;
    const ready$ = new Subject<string>();

    const settle = (outcome: ScheduleOutcome) => {
      remaining--;
      subscriber.next(outcome);
    };
    const skipFrom = (failed: string) => {
      const stack = [...(graph.dependants.get(failed) ?? [])];
      while (stack.length) {
        const id = stack.pop()!;
        if (!waiting.has(id)) continue;
        waiting.delete(id);
        settle({ id, status: 'skipped', cause: failed });
        stack.push(...(graph.dependants.get(id) ?? []));
      }
    };

    const sub = ready$
      .pipe(mergeMap(runNode, options.concurrency))
      .subscribe({
        next: ({ id, ok }) => {
          settle({ id, status: ok ? 'ok' : 'failed' });
          const next: string[] = [];
          if (ok) {
            for (const d of graph.dependants.get(id) ?? []) {
              const left = waiting.get(d);
              if (left === undefined) continue;
              if (left === 1) {
                waiting.delete(d);
                next.push(d);
              } else waiting.set(d, left - 1);
            }
          } else skipFrom(id);
          if (remaining === 0) ready$.complete();
          for (const d of next) ready$.next(d);
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });

    if (remaining === 0) ready$.complete();
    const roots = graph.order.filter((id) => waiting.get(id) === 0);
    for (const id of roots) waiting.delete(id);
    for (const id of roots) ready$.next(id);
    return () => sub.unsubscribe();
  });
}
