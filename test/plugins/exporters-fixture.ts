import { readFileSync } from 'node:fs';
import { from, type ColumnTable } from 'arquero';
import { decisionTree } from '../../plugins/algorithms/decision-tree.ts';
import { logisticRegression } from '../../plugins/algorithms/logistic-regression.ts';
import type { DataSchemaSpec, ModelSpec, ProblemSpec, TransformSpec } from '../../plugins/kinds.ts';
import { applyTransform } from '../../plugins/transformers/steps.ts';
import { autoPreprocess } from '../../plugins/transformers/auto-preprocess.ts';
import { inferSchema } from '../../plugins/validators/infer-schema.ts';
import { runTask } from '../helpers/task-context.ts';

/** Everything exporters/bundle takes, trained on real data (Palmer penguins) the way a DAG would. */
export interface Trained {
  rows: { train: Array<Record<string, unknown>>; test: Array<Record<string, unknown>> };
  problem: ProblemSpec;
  schema: DataSchemaSpec;
  transform: TransformSpec;
  model: ModelSpec;
  testX: ColumnTable;
  /** The train rows before preprocessing: exporters/bundle's `reference` input. */
  reference: ColumnTable;
}

/** Penguins, every 3rd row held out; nulls kept (the Transform imputes them). */
export function penguins(): Trained['rows'] {
  const all = JSON.parse(
    readFileSync(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url), 'utf8'),
  ) as Array<Record<string, unknown>>;
  return { train: all.filter((_, i) => i % 3 !== 0), test: all.filter((_, i) => i % 3 === 0) };
}

export const penguinProblem: ProblemSpec = {
  target: 'Species', task: 'multiclass', metric: 'accuracy', classes: ['Adelie', 'Chinstrap', 'Gentoo'],
};

/** Infers the schema, fits preprocessing and trains `algorithm` on the train rows. */
export async function trainPenguins(algorithm: 'tree' | 'logreg'): Promise<Trained> {
  const rows = penguins();
  const problem = penguinProblem;
  const train = from(rows.train);
  const { schema } = await runTask(inferSchema, { table: train });
  const { transform } = await runTask(autoPreprocess, { train, problem });
  const trainX = applyTransform(train, transform);
  const { model } = algorithm === 'tree'
    ? await runTask(decisionTree, { train: trainX, problem }, { maxDepth: 4 })
    : await runTask(logisticRegression, { train: trainX, problem }, { C: 1 });
  return { rows, problem, schema, transform, model, testX: applyTransform(from(rows.test), transform), reference: train };
}
