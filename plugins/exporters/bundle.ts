import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineTask, Json, Metrics, DataError, Type } from '../../core/index.ts';
import { DataSchema, Model, Problem, Transform } from '../kinds.ts';
import { bundleFiles } from './_bundle-files.ts';
import { sha256 } from './_digest.ts';
import { writeFolderAtomically } from './_write-folder.ts';

/**
 * Exports a trained model as a self-describing folder that `mlcycle predict` (and loadBundle) can
 * serve without the DAG: manifest.json (problem, input feature schema, metrics, lineage, sha256 of
 * every file), preprocessing.json (the fitted Transform) and the model files (tfjs: model.json +
 * weights.bin, loadable by TensorFlow.js itself; classical: model.json). The folder is written
 * atomically. Cached like any task, but a hit counts only while the folder still holds the very
 * manifest this node wrote (verifyOutputs); a deleted or replaced bundle is written again.
 * @example
 * const { bundle } = b.add('export', bundle, { model: fit.model, transform: prep.transform, problem: p.problem,
 *   schema: s.schema, metrics: ev.metrics }, { out: 'bundles/penguins', name: 'penguins' });
 */
export const bundle = defineTask({
  name: 'exporters/bundle',
  version: 1,
  params: Type.Object({
    out: Type.String({ default: 'bundles/model', minLength: 1, description: 'Folder to write, resolved against the working directory; an existing bundle there is replaced' }),
    name: Type.String({ default: 'model', minLength: 1, description: 'Name recorded in the manifest' }),
  }),
  inputs: { model: Model, transform: Transform, problem: Problem, schema: DataSchema, metrics: Metrics },
  outputs: { bundle: Json },
  verifyOutputs({ bundle: made }) {
    const manifest = path.join(made.path, 'manifest.json');
    if (!existsSync(manifest)) return `${manifest} is missing`;
    return sha256(readFileSync(manifest)) === made.manifestSha256 || `${manifest} was changed or replaced`;
  },
  async run({ model, transform, problem, schema, metrics }, { out, name }, ctx) {
    if (model.target !== problem.target) {
      throw new DataError(`exporters/bundle: the model predicts '${model.target}' but the problem's target is '${problem.target}'`);
    }
    const dir = path.resolve(out);
    const { files } = bundleFiles({ name, model, transform, problem, schema, metrics, run: ctx.run });
    await writeFolderAtomically(dir, files);
    ctx.log.info(`exporters/bundle: wrote ${Object.keys(files).length} files to ${dir}`);
    return { bundle: { path: dir, name, files: Object.keys(files).sort(), manifestSha256: sha256(files['manifest.json']) } };
  },
});
