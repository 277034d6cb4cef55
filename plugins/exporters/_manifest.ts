import { canonicalJson, IntegrityError, type MetricValues } from '../../core/index.ts';
import type { ColumnSchema, ProblemSpec } from '../kinds.ts';
import { sha256 } from './_digest.ts';
import { parseJsonBytes } from './_safe-json.ts';

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
  // --- Input contract (what validating new rows needs) -------------------------------------------
  /** What training saw, per feature; absent in bundles written before input checks (schema types only). */
  inputContract?: InputContract;
}

// --- Input contract: written by exporters/bundle, read by exporters/input-check ------------------

/** What the model saw in training for one input feature; new rows outside it are invalid. */
export interface FeatureContract {
  name: string;
  type: ColumnSchema['type'];
  /**
   * The only values allowed (as `String(value)`): the categories the fitted encoder learned on the
   * training split, else the schema's categories. Absent: free text, any value passes.
   */
  categories?: string[];
  /** The smallest and largest value in the data the schema was inferred on (number/integer features). */
  min?: number;
  max?: number;
  /** A missing value is fine: an imputer fills it, or an encoder saw missing values in training. */
  missingAllowed: boolean;
}

/** The input contract of a bundle: every feature the model needs, in the schema's order. */
export interface InputContract {
  version: 1;
  features: FeatureContract[];
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
 * Parses and checks manifest.json bytes; throws IntegrityError saying what is wrong and that the
 * bundle should be re-exported, never a bare SyntaxError and never the file's text. Fields are read
 * as own properties only (a manifest is untrusted input), and every listed file must carry a sha256.
 * The digest catches a manifest damaged or hand-edited without re-sealing; it is an unkeyed checksum,
 * so it proves nothing about who wrote the bundle (signature.json does that).
 * @example
 * const manifest = parseManifest(await readFile(path.join(dir, 'manifest.json')), dir);
 */
export function parseManifest(bytes: Uint8Array, dir: string): BundleManifest {
  const refuse = (why: string): never => {
    throw new IntegrityError(`bundle '${dir}' refused: ${why}. Re-export it with exporters/bundle.`);
  };
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return refuse(`manifest.json ${parsed.why}`);
  const value = parsed.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return refuse('manifest.json is not a JSON object');
  const own = (key: keyof BundleManifest): unknown => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  const format = own('format');
  if (format !== BUNDLE_FORMAT) refuse(`manifest.json format is ${shortJson(format)}, expected '${BUNDLE_FORMAT}'`);
  const version = own('formatVersion');
  if (version !== BUNDLE_FORMAT_VERSION) {
    refuse(`manifest.json formatVersion is ${shortJson(version)}; this mlcycle reads version ${BUNDLE_FORMAT_VERSION}`);
  }
  const files = own('files');
  if (!files || typeof files !== 'object' || Array.isArray(files) || !Array.isArray(own('features')) || !own('problem')) {
    refuse('manifest.json lacks files, features or problem');
  }
  for (const [name, digest] of Object.entries(files as object)) {
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) refuse(`manifest.json records no sha256 for ${shortJson(name)}`);
  }
  const { digest, ...body } = value as Partial<BundleManifest>;
  if (!Object.hasOwn(value, 'digest') || digest !== sha256(canonicalJson(body))) {
    refuse('manifest.json was modified after export (its digest does not match)');
  }
  return value as BundleManifest;
}

/** A manifest value in an error: JSON, cut at 40 characters so a hostile manifest cannot flood it. */
function shortJson(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
