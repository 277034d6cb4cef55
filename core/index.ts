/**
 * The public API of mlcycle. Plugins and user DAGs import from here (as `mlcycle`), nothing else.
 * @example
 * import { dag, defineTask, Json, Type } from 'mlcycle';
 */
export { Type } from 'typebox';
export type { Static, TSchema } from 'typebox';

export {
  MlcycleError, NonRetryableError, ValidationError, DataError, DagLoadError, TimeoutError, CancelledError, IntegrityError,
  isRetryable, INPUT_ERROR_CODES,
} from './errors.ts';
export type { ErrorInfo } from './errors.ts';
export { PrunedError } from './errors.ts';

export { defineKind, jsonKind, canonicalJson, many, isMany } from './artifacts/kind.ts';
export type { ArtifactKind, AnyKind, ManyKind, ValueOf } from './artifacts/kind.ts';
export { Json, Metrics, Table, Blob } from './artifacts/kinds.ts';
export type { JsonValue, MetricValues } from './artifacts/kinds.ts';

export { defineTask } from './task/define-task.ts';
export type {
  Task, AnyTask, TaskSpec, TaskContext, TaskLogger, TaskRef, RetryPolicy, Ports, InputPorts, PortValues, StepMetrics,
} from './task/types.ts';

export { dag } from './dag/dag.ts';
export type {
  DagBuilder, DagDefinition, BuiltDag, DagNode, NodeInput, DagParam, DagResults, OutputRef, InputRefs, OutputRefs, BuildOptions,
} from './dag/types.ts';

export type { RunEvent, RunEventType, NodeStatus, RunStatus, OutputDigest } from './run/events.ts';
export { createRunState, reduceRun, nodeEnded } from './run/reduce-run.ts';
export type { RunState, NodeRunState, NodeActivity } from './run/reduce-run.ts';
export { failureSentences, failedNodeSentence, runFailure, RESUME_HINT } from './run/failure-text.ts';
export type { FailureNode, FailureTextOptions } from './run/failure-text.ts';
export { nameList, thousands } from './run/name-list.ts';
export type { RunOptions, RunSummary, RunHandle, NodeSummary, PlanEntry, ExecutorName, Session, SessionOptions, SessionRunOptions } from './engine/types.ts';
export type { RunStore, RunRecord, NodeRunRecord, MetricRecord, LogRecord, CacheEntry, RecordedRunStatus, RecordedNodeStatus } from './store/types.ts';

export { runDag } from './engine/run-dag.ts';
export { openSession } from './engine/session.ts';
export { planDag } from './engine/plan-dag.ts';
export { openWorkspace, readArtifact, resolveHome } from './engine/workspace.ts';
export { displayPath } from './engine/display-path.ts';
export { mlcycleRoot, mlcycleManifest } from './engine/mlcycle-root.ts';
export { fileInTheWay } from './engine/home-path.ts';
export type { Workspace } from './engine/workspace.ts';
export { verifyCache, gcCache } from './engine/cache-commands.ts';
export { writeUserFile, checkUserFile } from './artifacts/user-file.ts';
export type { WriteUserFileOptions } from './artifacts/user-file.ts';
export { kindByName } from './artifacts/kind.ts';
export type { BlobStore } from './artifacts/blob-store.ts';
export type { Executor, ExecRequest, ExecResult, ExecHooks, InputArtifact } from './executors/types.ts';
export { inProcessExecutor } from './executors/inprocess.ts';
export { threadsExecutor, closeWorkerPools } from './executors/threads.ts';
export { schedule } from './scheduler/schedule.ts';
export type { ScheduleGraph, ScheduleOutcome, NodeDone } from './scheduler/schedule.ts';
export { HOST_TAG, processAlive } from './process-alive.ts';
// Sweeps (issue 8, in progress): search spaces, their check against a DAG, samplers and pruners.
export { int, float, choice } from './sweep/space.ts';
export type { Space, Distribution, TrialParams, ChoiceValue } from './sweep/space.ts';
export { checkSpace, spaceErrors } from './sweep/space-check.ts';
export { randomSampler } from './sweep/samplers/random.ts';
export { gridSampler, gridSize } from './sweep/samplers/grid.ts';
export { tpeSampler, defaultGamma, type TpeOptions } from './sweep/samplers/tpe.ts';
export { SpaceExhaustedError } from './sweep/samplers/types.ts';
export type { Sampler, SampleContext, FinishedTrial, RunningTrial, Direction } from './sweep/samplers/types.ts';
export { nonePruner, medianPruner, percentilePruner, ashaPruner, createPruner, foldMeanAt, foldMeanCurve, PRUNER_NAMES } from './sweep/pruners/index.ts';
export type { Pruner, PruneContext, PruneDecision, PrunerSpec } from './sweep/pruners/index.ts';
export { sweep, isSweep, resolveSweep, SAMPLER_NAMES, DEFAULT_TRIALS, DEFAULT_PRUNE_ON } from './sweep/define-sweep.ts';
export type { SweepOptions, SweepDefinition, ResolvedSweep, SamplerSpec, SamplerName } from './sweep/define-sweep.ts';
export { createSampler } from './sweep/samplers/create-sampler.ts';
export { readObjective, numericPaths } from './sweep/objective.ts';
export { runStudy, checkSweep, type RunStudyOptions } from './sweep/run-study.ts';
export { bestOf } from './sweep/best-trial.ts';
export { defaultStudyName } from './sweep/open-study.ts';
export type { StudyEvent, StudyResult } from './sweep/study-types.ts';
export { openStudyStore, type StudyStore, type StudyLease } from './store/study-store.ts';
export { openModelStore, type ModelStore, type ModelVersionRecord, type ModelSummary, type AliasMove, type NewVersion } from './registry/model-store.ts';
export { checkAlias, checkModelName, checkTagKey, parseModelRef, parseModelUri, MODELS_URI_PREFIX, type ModelRef } from './registry/names.ts';
export type { StudyRecord, StudySummary, TrialRecord, StudyConfig, StudyStatus, TrialState } from './store/study-types.ts';
