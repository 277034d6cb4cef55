/**
 * Node executions in flight in a session, by cache key: when two runs need the same key at the same
 * time, one execution serves both. A flight is refcounted by the runs attached to it: a run that is
 * cancelled (or pruned) only detaches, and the execution is aborted when the last run detaches, so a
 * cancellation never reaches a run that did not ask for it.
 */
import { Observable, type Subscription } from 'rxjs';
import { CancelledError } from '../errors.ts';
import type { ExecResult } from '../executors/types.ts';
import type { StepMetrics } from '../task/types.ts';

/** How a flight ended: its result, or the error it failed with after its retry policy ran. */
export type FlightEnd =
  | { ok: true; result: ExecResult; attempts: number; durationMs: number }
  | { ok: false; error: unknown; attempts: number; durationMs: number };

/**
 * What an execution says while it runs. `attempt` and `retrying` concern the run that started it
 * (its owner) and reach only that run while it is attached; `log` and `report` reach every attached
 * run, so a run waiting on a training node still sees its per-step metrics (a pruner can act on them);
 * `owner-left` tells the others that the owner detached and the execution goes on for them.
 */
export type FlightEvent =
  | { type: 'attempt'; attempt: number }
  | { type: 'retrying'; attempt: number; delayMs: number; error: unknown }
  | { type: 'log'; level: 'info' | 'warn' | 'debug'; message: string }
  | { type: 'report'; step: number; metrics: StepMetrics }
  | { type: 'owner-left'; ownerRunId: string };

/** One run attached to a flight. */
export interface FlightMember {
  runId: string;
  onEvent(event: FlightEvent): void;
}

/** One execution of one key, shared by the runs attached to it. */
export interface Flight {
  readonly key: string;
  /** The run that started the execution. */
  readonly ownerRunId: string;
  /**
   * Attaches a run: emits the flight's end once, then completes. The first member to join starts the
   * execution (and is its owner); unsubscribing before the end detaches, and the last detach aborts it.
   */
  join(member: FlightMember): Observable<FlightEnd>;
}

/** The flights of one session. */
export interface InFlightMap {
  /** The flight executing `key` right now, if any. */
  get(key: string): Flight | undefined;
  /**
   * A new flight for `key`. `work` is subscribed when the first member joins and must emit exactly one
   * FlightEnd (errors are turned into a failed end); unsubscribing it must abort the execution.
   * `shared: false` keeps the flight out of the map (a `--no-cache` run, a task with `cache: false`):
   * nobody else can join it.
   */
  start(key: string, ownerRunId: string, work: (say: (event: FlightEvent) => void) => Observable<FlightEnd>, options?: { shared?: boolean }): Flight;
  /** How many shared flights are in the map (0 once every run has ended). */
  readonly size: number;
}

/**
 * @example
 * const flights = createInFlightMap();
 * const flight = flights.get(key) ?? flights.start(key, runId, (say) => attempts$(say));
 * flight.join({ runId, onEvent: (e) => log(e) }).subscribe((end) => console.log(end.ok));
 */
export function createInFlightMap(): InFlightMap {
  const flights = new Map<string, Flight>();
  return {
    get: (key) => flights.get(key),
    start(key, ownerRunId, work, options = {}) {
      const shared = options.shared ?? true;
      // Removing only our own entry: once we left, a later flight may hold the key.
      const leave = () => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      const flight = createFlight(key, ownerRunId, work, leave);
      if (shared) flights.set(key, flight);
      return flight;
    },
    get size() {
      return flights.size;
    },
  };
}

interface Attached {
  member: FlightMember;
  deliver(end: FlightEnd): void;
}

function createFlight(
  key: string,
  ownerRunId: string,
  work: (say: (event: FlightEvent) => void) => Observable<FlightEnd>,
  leave: () => void,
): Flight {
  const members = new Set<Attached>();
  let owner: Attached | undefined;
  let running: Subscription | undefined;
  let end: FlightEnd | undefined;
  const startedAt = Date.now();

  const say = (event: FlightEvent) => {
    if (event.type === 'attempt' || event.type === 'retrying') owner?.member.onEvent(event);
    else for (const m of [...members]) m.member.onEvent(event);
  };

  const finish = (e: FlightEnd) => {
    if (end) return;
    end = e;
    // Out of the map before anyone hears the end: a run that asks for the key from then on finds the
    // cache entry the work wrote, never a finished flight.
    leave();
    const all = [...members];
    members.clear();
    owner = undefined;
    for (const m of all) m.deliver(e);
  };

  return {
    key,
    ownerRunId,
    join(member) {
      return new Observable<FlightEnd>((subscriber) => {
        if (end) {
          subscriber.next(end);
          subscriber.complete();
          return;
        }
        const attached: Attached = {
          member,
          deliver: (e) => {
            subscriber.next(e);
            subscriber.complete();
          },
        };
        members.add(attached);
        if (!running) {
          owner = attached;
          running = work(say).subscribe({
            next: finish,
            error: (error) => finish({ ok: false, error, attempts: 0, durationMs: Date.now() - startedAt }),
            // Only when nothing came first: building an Error (its stack) on every flight is costly.
            complete: () => {
              if (!end) finish({ ok: false, error: new Error(`execution of key ${key} ended without a result`), attempts: 0, durationMs: Date.now() - startedAt });
            },
          });
        }
        return () => {
          if (end || !members.delete(attached)) return;
          if (attached === owner) {
            owner = undefined;
            for (const m of [...members]) m.member.onEvent({ type: 'owner-left', ownerRunId: member.runId });
          }
          if (members.size > 0) return;
          // Nobody wants the result any more: abort the execution and free the key.
          end = { ok: false, error: new CancelledError('every run waiting for this execution was cancelled'), attempts: 0, durationMs: Date.now() - startedAt };
          leave();
          running?.unsubscribe();
        };
      });
    },
  };
}
