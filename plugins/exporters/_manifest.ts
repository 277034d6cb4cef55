import { canonicalJson, IntegrityError, type MetricValues } from '../../core/index.ts';
import type { ColumnSchema, ProblemSpec } from '../kinds.ts';
import { sha256 } from './_digest.ts';

/** The bundle format this code writes; loaders refuse other versions rather than guess. */
export const BUNDLE_FORMAT = 'mlcycle-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** Where a bundle came from: enough to find the run and re-create it. */
export interface BundleLineage {
  runId: string;
  dag: string;
  dagFile: string | null;
  params: Record<string, unknown>;
  /** sha256 of the canonical JSON of the data schema the model was trained against. */
  dataDigest: string;
  dataDigestOf: 'schema';
  mlcycleVersion: string;
  /** The TensorFlow.js version installed when the bundle was written (null if not installed). */
  tfjsVersion: string | null;
}

/** manifest.json of a bundle. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  name: string;
  created: string;
  problem: ProblemSpec;
  /** The input contract: the data schema's columns minus the target. */
  features: ColumnSchema[];
  model: { algorithm: string; kind: 'tfjs' | 'classical' };
  metrics: MetricValues;
  lineage: BundleLineage;
  /** File name → sha256 of its bytes, for every file of the bundle except the manifest. */
  files: Record<string, string>;
  /** sha256 of the canonical JSON of this manifest without `digest`: catches edits to the manifest itself. */
  digest: string;
}

/**
 * Seals a manifest: adds `digest`, the sha256 of its canonical JSON.
 * @example
 * const manifest = sealManifest({ format: BUNDLE_FORMAT, formatVersion: 1, … });
 */
export function sealManifest(body: Omit<BundleManifest, 'digest'>): BundleManifest {
  return { ...body, digest: sha256(canonicalJson(body)) };
}

/**
 * Parses and checks manifest.json text; throws IntegrityError saying what is wrong and that the
 * bundle should be re-exported, never a bare SyntaxError.
 * @example
 * const manifest = parseManifest(await readFile(path.join(dir, 'manifest.json'), 'utf8'), dir);
 */
export function parseManifest(text: string, dir: string): BundleManifest {
  const refuse = (why: string): never => {
    throw new IntegrityError(`bundle '${dir}' refused: ${why}. Re-export it with exporters/bundle.`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    refuse(`manifest.json is not valid JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) refuse('manifest.json is not a JSON object');
  const m = value as Partial<BundleManifest>;
  if (m.format !== BUNDLE_FORMAT) refuse(`manifest.json format is ${JSON.stringify(m.format)}, expected '${BUNDLE_FORMAT}'`);
  if (m.formatVersion !== BUNDLE_FORMAT_VERSION) {
    refuse(`manifest.json formatVersion is ${JSON.stringify(m.formatVersion)}; this mlcycle reads version ${BUNDLE_FORMAT_VERSION}`);
  }
  if (!m.files || typeof m.files !== 'object' || !Array.isArray(m.features) || !m.problem) {
    refuse('manifest.json lacks files, features or problem');
  }
  const { digest, ...body } = m;
  if (digest !== sha256(canonicalJson(body))) refuse('manifest.json was modified after export (its digest does not match)');
  return m as BundleManifest;
}
