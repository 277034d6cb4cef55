import { canonicalJson, type MetricValues, type TaskContext } from '../../core/index.ts';
import type { DataSchemaSpec, ModelSpec, ProblemSpec, TransformSpec } from '../kinds.ts';
import { sha256 } from './_digest.ts';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, sealManifest, type BundleManifest } from './_manifest.ts';
import { REFERENCE_PROFILE_FILE, type BundleProfile } from '../monitor/bundle-profile.ts';
import { inputContract } from './_input-contract.ts';
import { modelFiles } from './_model-files.ts';
import { mlcycleVersion, tfjsVersion } from './_versions.ts';

const encoder = new TextEncoder();

/**
 * Everything a bundle folder holds, as bytes by file name: preprocessing.json, the model files,
 * reference-profile.json (what monitoring compares new data to) and manifest.json (which records every other file's sha256, so a changed byte is caught on load, and the
 * input contract: per feature the categories, range and missing-value rule training saw).
 * @example
 * const files = bundleFiles({ name: 'penguins', model, transform, problem, schema, metrics, profile, run: ctx.run });
 */
export function bundleFiles(input: {
  name: string;
  model: ModelSpec;
  transform: TransformSpec;
  problem: ProblemSpec;
  schema: DataSchemaSpec;
  metrics: MetricValues;
  profile: BundleProfile;
  run: TaskContext['run'];
  created?: Date;
}): { files: Record<string, Uint8Array>; manifest: BundleManifest } {
  const { name, model, transform, problem, schema, metrics, profile, run } = input;
  const files: Record<string, Uint8Array> = {
    'preprocessing.json': encoder.encode(JSON.stringify(transform, null, 2)),
    ...modelFiles(model),
    // Compact: up to 1,000 sample values per numeric feature; indenting would double its size.
    [REFERENCE_PROFILE_FILE]: encoder.encode(JSON.stringify(profile)),
  };
  const features = schema.columns.filter((c) => c.name !== problem.target);
  const manifest = sealManifest({
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    name,
    created: (input.created ?? new Date()).toISOString(),
    problem,
    features,
    model: { algorithm: model.algorithm, kind: model.tfjs ? 'tfjs' : 'classical' },
    metrics,
    lineage: {
      runId: run.id,
      dag: run.dag,
      dagFile: run.file ?? null,
      params: run.params,
      dataDigest: sha256(canonicalJson(schema)),
      dataDigestOf: 'schema',
      mlcycleVersion: mlcycleVersion(),
      tfjsVersion: model.tfjs ? tfjsVersion() : null,
    },
    files: Object.fromEntries(Object.entries(files).map(([file, bytes]) => [file, sha256(bytes)])),
    // What new rows are checked against at predict time (exporters/input-check).
    inputContract: inputContract(features, transform),
  });
  files['manifest.json'] = encoder.encode(JSON.stringify(manifest, null, 2));
  return { files, manifest };
}
