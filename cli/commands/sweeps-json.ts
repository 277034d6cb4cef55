/**
 * The one JSON object `mlcycle sweep --json` and `sweeps show --json` print:
 * `{ study, best: { trial, params, value, runId }, trials: [...] }`.
 */
import { bestOf } from '../../core/sweep/best-trial.ts';
import type { StudyRecord, TrialRecord } from '../../core/store/study-types.ts';

/**
 * @example
 * printJson(ctx, studyJson(result.study, result.trials));
 */
export function studyJson(study: StudyRecord, trials: readonly TrialRecord[]): unknown {
  const best = bestOf(trials, study.direction);
  return {
    study: { id: study.id, name: study.name, dag: study.dag, file: study.file, status: study.status, objective: study.objective, direction: study.direction,
      trials: study.trials, parallel: study.parallel, seed: study.seed, sampler: study.sampler, pruner: study.pruner, space: study.space, fixed: study.fixed,
      createdAt: study.createdAt, finishedAt: study.finishedAt, error: study.error },
    best: best ? { trial: best.number, params: best.params, value: best.value, runId: best.runId } : null,
    trials: trials.map((t) => ({
      number: t.number, state: t.state, params: t.params, value: t.value, runId: t.runId, startedAt: t.startedAt, finishedAt: t.finishedAt,
      error: t.error, prunedStep: t.prunedStep, intermediate: t.intermediate,
    })),
  };
}
