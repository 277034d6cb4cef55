import { defineTask, Json, NonRetryableError, Table, Type } from '../../core/index.ts';
import { loadModel } from '../serving/load-model.ts';
import { monitorReportJson, type MonitorJson } from './monitor-json.ts';
import { monitorModel } from './monitor-model.ts';

const Threshold = (description: string, max?: number) =>
  Type.Union([Type.Number({ exclusiveMinimum: 0, ...(max === undefined ? {} : { maximum: max }) }), Type.Null()], { default: null, description });

/**
 * `mlcycle monitor` as a node: tests the rows it is given against the reference profile of a model
 * (a bundle folder, or `models:/name@alias` in the run's workspace) and outputs the same report as
 * `monitor --json`, plus a one-line `reason` the run summary prints. With `onDrift: 'fail'` dataset
 * drift fails the node (and so stops whatever depends on it, e.g. a deployment step), as an
 * Evidently test suite fails a pipeline. Never cached: the model an alias names moves outside the
 * DAG, so yesterday's verdict is not today's; nodes downstream still hit the cache when the report
 * is unchanged.
 * @example
 * const { table } = b.add('load-new', csvLoader, {}, { path: 'new-penguins.csv' });
 * const { report } = b.add('drift', driftCheck, { table }, { model: 'models:/penguins@champion', onDrift: 'fail' });
 */
export const driftCheck = defineTask({
  name: 'monitor/drift-check',
  version: 1,
  params: Type.Object({
    model: Type.String({ minLength: 1, description: 'The model whose reference profile the rows are tested against: a bundle folder, or models:/name@alias | models:/name/version in the run\'s workspace' }),
    onDrift: Type.Union([Type.Literal('continue'), Type.Literal('fail')], { default: 'continue', description: "'fail' fails the node on dataset drift; 'continue' only reports it" }),
    pValue: Threshold('KS / chi-squared: drift when p is below this (null = 0.05)', 1),
    distance: Threshold('Wasserstein / Jensen–Shannon: drift when the distance is at least this (null = 0.1)'),
    driftShare: Threshold('Dataset drift when at least this share of the features drifted (null = 0.5)', 1),
  }),
  inputs: { table: Table },
  outputs: { report: Json },
  cache: false,
  async run({ table }, { model: ref, onDrift, pValue, distance, driftShare }, ctx) {
    const model = await loadModel(ref, { home: ctx.home });
    const options = {
      ...(pValue === null ? {} : { pValue }), ...(distance === null ? {} : { distance }), ...(driftShare === null ? {} : { datasetShare: driftShare }),
    };
    const report: MonitorJson & { reason?: string } = monitorReportJson(await monitorModel(model, table, options));
    const drifted = report.drift.features.filter((f) => f.drifted).map((f) => f.name);
    const against = `${model.name}${model.version === null ? '' : ` v${model.version}`}`;
    const reason = report.drift.dataset
      ? `dataset drift against ${against}: ${drifted.length} of ${report.drift.features.length} features drifted (${drifted.join(', ')})`
      : `no dataset drift against ${against}: ${drifted.length} of ${report.drift.features.length} features drifted${drifted.length ? ` (${drifted.join(', ')})` : ''}`;
    ctx.log.info(reason);
    if (report.drift.dataset && onDrift === 'fail') throw new NonRetryableError(`monitor/drift-check: ${reason}`);
    return { report: { ...report, reason } };
  },
});
