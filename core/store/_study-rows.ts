/**
 * Study and trial records to rows and back. Numbers a trial reports may be NaN or ±Infinity (a
 * diverging model), and must come back as they went in: SQLite keeps ±Infinity in a REAL but turns
 * NaN into NULL, and JSON has neither, so NaN is stored as the text 'NaN' and non-finite numbers in
 * JSON as the strings 'NaN', 'Infinity', '-Infinity'. Config and params hold no such numbers: a
 * non-finite one there is refused rather than silently stored as null.
 */
import { MlcycleError, ValidationError } from '../errors.ts';
import type { StoredReal, StudiesTable, TrialsTable, TrialValuesTable } from './_study-schema.ts';
import type { StudyConfig, StudyRecord, TrialRecord } from './study-types.ts';

/**
 * @example
 * toStoredReal(NaN); // 'NaN'
 */
export function toStoredReal(v: number): StoredReal {
  return Number.isNaN(v) ? 'NaN' : v;
}

/**
 * @example
 * fromStoredReal('NaN'); // NaN
 */
export function fromStoredReal(v: StoredReal): number {
  return v === 'NaN' ? NaN : v;
}

/** JSON of a map of numbers where any may be non-finite. */
function numbersToJson(values: Record<string, number>, what: string): string {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'number') throw new MlcycleError(`StudyStore: ${what}.${k} must be a number, got ${typeof v}`);
    out[k] = Number.isFinite(v) ? v : String(v);
  }
  return JSON.stringify(out);
}

function numbersFromJson(text: string): Record<string, number> {
  const parsed = JSON.parse(text) as Record<string, number | string>;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'string' ? Number(v) : v;
  return out;
}

/** JSON that refuses non-finite numbers instead of writing them as null. */
function strictJson(value: unknown, what: string): string {
  const text = JSON.stringify(value ?? null, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new ValidationError(`StudyStore: ${what}${key ? ` › ${key}` : ''} is ${v}; only finite numbers can be stored`);
    }
    return v;
  });
  return text;
}

/**
 * The row of a new study.
 * @example
 * const row = studyRow('20261126-153501-4f2a9c', 'wine-tpe', config, Date.now());
 */
export function studyRow(id: string, name: string, c: StudyConfig, createdAt: number): StudiesTable {
  for (const key of ['trials', 'parallel', 'seed'] as const) checkInteger(`study '${name}'`, key, c[key]);
  return {
    id, name, dag: c.dag, file: c.file, objective: c.objective, direction: c.direction,
    space: strictJson(c.space, 'space'), sampler: strictJson(c.sampler, 'sampler'), pruner: strictJson(c.pruner, 'pruner'),
    prune_on: c.pruneOn, fixed: strictJson(c.fixed ?? {}, 'fixed'),
    trials: c.trials, parallel: c.parallel, seed: c.seed, cwd: c.cwd ?? null,
    status: 'running', created_at: createdAt, finished_at: null, error: null,
    owner_host: null, owner_pid: null, owner_token: null, heartbeat_at: null,
  };
}

/**
 * Refuses a count or seed that is not an integer (SQLite would keep 2.5, and turn NaN into a NULL).
 * @example
 * checkInteger("study 'wine'", 'trials', 40);
 */
export function checkInteger(what: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ValidationError(`StudyStore: ${what}: ${key} must be an integer, got ${String(v)}`);
}

/**
 * @example
 * const study = toStudyRecord(reads.studyById.get({ id })!);
 */
export function toStudyRecord(r: StudiesTable): StudyRecord {
  return {
    id: r.id, name: r.name, dag: r.dag, file: r.file, objective: r.objective, direction: r.direction,
    space: JSON.parse(r.space), sampler: JSON.parse(r.sampler), pruner: JSON.parse(r.pruner),
    pruneOn: r.prune_on, fixed: JSON.parse(r.fixed) as Record<string, unknown>,
    trials: r.trials, parallel: r.parallel, seed: r.seed, cwd: r.cwd,
    status: r.status, createdAt: r.created_at, finishedAt: r.finished_at, error: r.error,
  };
}

/**
 * A trial's row and its intermediate-value rows.
 * @example
 * const { row, values } = trialRows(trial);
 */
export function trialRows(t: TrialRecord): { row: TrialsTable; values: TrialValuesTable[] } {
  if (!Number.isSafeInteger(t.number) || t.number < 0) {
    throw new MlcycleError(`StudyStore.putTrial: trial number must be a non-negative integer, got ${t.number}`);
  }
  const values = Object.entries(t.intermediate ?? {}).map(([step, value]) => intermediateRow(t.studyId, t.number, Number(step), value));
  return {
    row: {
      study_id: t.studyId, number: t.number, params: strictJson(t.params, `trial ${t.number} params`), state: t.state,
      value: t.value === null ? null : toStoredReal(t.value), attrs: numbersToJson(t.attrs ?? {}, `trial ${t.number} attrs`),
      run_id: t.runId, started_at: t.startedAt, finished_at: t.finishedAt, error: t.error, pruned_step: t.prunedStep,
    },
    values,
  };
}

/**
 * One intermediate point's row; the step must be an integer (a primary key part).
 * @example
 * intermediateRow(studyId, 3, 10, 0.91); // { study_id, number: 3, step: 10, value: 0.91 }
 */
export function intermediateRow(studyId: string, number: number, step: number, value: number): TrialValuesTable {
  if (!Number.isSafeInteger(step)) throw new MlcycleError(`StudyStore: trial ${number}: step must be an integer, got ${step}`);
  if (typeof value !== 'number') throw new MlcycleError(`StudyStore: trial ${number} step ${step}: value must be a number, got ${typeof value}`);
  return { study_id: studyId, number, step, value: toStoredReal(value) };
}

/**
 * The trial records of a study from its trial rows and value rows (both ordered by number).
 * @example
 * const trials = toTrialRecords(reads.trials.all({ study_id }), reads.values.all({ study_id }));
 */
export function toTrialRecords(rows: TrialsTable[], values: TrialValuesTable[]): TrialRecord[] {
  const byTrial = new Map<number, Record<number, number>>();
  for (const v of values) {
    let points = byTrial.get(v.number);
    if (!points) byTrial.set(v.number, (points = {}));
    points[v.step] = fromStoredReal(v.value);
  }
  return rows.map((r) => ({
    studyId: r.study_id, number: r.number, params: JSON.parse(r.params) as TrialRecord['params'], state: r.state,
    value: r.value === null ? null : fromStoredReal(r.value), intermediate: byTrial.get(r.number) ?? {},
    attrs: numbersFromJson(r.attrs), runId: r.run_id, startedAt: r.started_at, finishedAt: r.finished_at,
    error: r.error, prunedStep: r.pruned_step,
  }));
}
