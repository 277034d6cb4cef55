/**
 * The serving module: one way to get from "a model" (a bundle folder or a registered `models:/` URI)
 * to predictions, with the bundle's own checks and preprocessing. `mlcycle predict`, `mlcycle serve`,
 * `mlcycle monitor`, the deploy gate and applications embedding a model all load through here, so they
 * all refuse the same tampered bundles and the same bad rows with the same errors.
 *
 * The bundle reader, arquero and the model code load on the first call, not on import: this module is
 * part of the package root (`import … from 'mlcycle'`), which every DAG file imports.
 */
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ColumnTable } from 'arquero';
import { MODELS_URI_PREFIX, resolveHome, ValidationError } from '../../core/index.ts';
import type { Bundle, BundleManifest, PredictRowsResult } from '../exporters/bundle-io.ts';

/** Where {@link loadModel} looks and what it must verify. */
export interface LoadModelOptions {
  /** Workspace whose registry `models:/` URIs name (default MLCYCLE_HOME, else `<cwd>/.mlcycle`). */
  home?: string;
  /** Relative bundle folders and the default home resolve here (default process.cwd()). */
  cwd?: string;
  /** Read for MLCYCLE_HOME and MLCYCLE_BUNDLE_PUBLIC_KEY (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Require an ed25519 signature by this key (a KeyObject or a PEM file); default env MLCYCLE_BUNDLE_PUBLIC_KEY. */
  publicKey?: string | KeyObject;
}

/** How one prediction call treats rows unlike the training data. */
export interface ModelPredictOptions {
  /** 'error' (default) fails the call naming every bad row; 'skip' leaves them out; 'null' predicts them as empty. */
  onInvalid?: 'error' | 'skip' | 'null';
  /** How far past the training range a number may be, as a fraction of the range (default 0.1). */
  rangeTolerance?: number;
  /** The file line a 0-based row starts on, for messages. */
  lineOf?: (row: number) => number | undefined;
}

/** Rows to predict: plain objects (feature name → value) or an arquero table. */
export type ModelRows = Array<Record<string, unknown>> | ColumnTable;

/** A verified model in memory, ready to predict. */
export interface LoadedModel {
  /** The reference as given. */
  uri: string;
  /** The registered name, else the bundle manifest's name. */
  name: string;
  /** The registry version; null for a bundle folder. */
  version: number | null;
  /** Absolute folder of the bundle's files. */
  dir: string;
  manifest: BundleManifest;
  bundle: Bundle;
  /**
   * One object per predicted row, in input order: `predicted` and, for classifiers, `prob_<class>`.
   * With the default `onInvalid: 'error'` a row unlike the training data fails the call (DataError
   * naming the row and column) and nothing is predicted.
   */
  predict(rows: ModelRows, options?: ModelPredictOptions): Promise<Array<Record<string, unknown>>>;
  /** The whole result: the input columns with the predictions appended, the invalid rows, notes. */
  predictRows(rows: ModelRows, options?: ModelPredictOptions): Promise<PredictRowsResult>;
}

/** True for `models:/…` references, which name a registered model rather than a folder. */
export function isModelUri(text: string): boolean {
  return text.startsWith(MODELS_URI_PREFIX);
}

/**
 * Loads and verifies a model: a bundle folder written by exporters/bundle, or a registered version
 * (`models:/name@alias`, `models:/name/3`) whose manifest must be the one recorded at registration.
 * An unknown model, alias or version, or a workspace without a registry, is a ValidationError; a
 * bundle that fails verification an IntegrityError.
 * @example
 * import { loadModel } from 'mlcycle';
 * const model = await loadModel('models:/penguins@champion');
 * const [first] = await model.predict([{ Island: 'Biscoe', 'Beak Length (mm)': 39.1, … }]);
 * first.predicted; // 'Adelie'
 */
export async function loadModel(uriOrDir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const cwd = options.cwd ?? process.cwd();
  const keyOptions = { ...(options.publicKey === undefined ? {} : { publicKey: options.publicKey }), ...(options.env ? { env: options.env } : {}) };
  const { loadBundle } = await import('../exporters/bundle-io.ts');
  if (!isModelUri(uriOrDir)) {
    const bundle = await loadBundle(resolve(cwd, uriOrDir), keyOptions);
    return serve(uriOrDir, bundle.manifest.name, null, bundle);
  }
  const home = resolveHome(options.home === undefined ? {} : { home: options.home }, { cwd, env: options.env ?? process.env });
  // Opening the registry would create a workspace; a reader must not leave one behind a typo.
  if (!existsSync(join(home, 'mlcycle.db'))) {
    throw new ValidationError(`loadModel: no model registry in the workspace ${home} (for ${uriOrDir}); register a bundle with mlcycle models register <bundle-dir> --name <name>, or point --home / MLCYCLE_HOME at the workspace that has it`);
  }
  const { openModelRegistry } = await import('../registry/model-registry.ts');
  const registry = openModelRegistry(home);
  try {
    const found = registry.resolve(uriOrDir);
    const bundle = await loadBundle(found.dir, { ...keyOptions, expectedManifestSha256: found.manifestSha256 });
    return serve(uriOrDir, found.name, found.version, bundle);
  } finally {
    registry.close();
  }
}

// Loaded once, on the first prediction: a dynamic import per call costs more than a small prediction.
let predictionModules: Promise<[typeof import('../exporters/bundle-io.ts'), typeof import('./prediction-columns.ts')]> | undefined;
const modules = () => (predictionModules ??= Promise.all([import('../exporters/bundle-io.ts'), import('./prediction-columns.ts')]));

/** Rows per call at most that take the column-array path (predictRowsFast). */
const FAST_ROWS = 64;

function serve(uri: string, name: string, version: number | null, bundle: Bundle): LoadedModel {
  const predictRows = async (rows: ModelRows, options: ModelPredictOptions = {}) => (await modules())[0].predictRows(bundle, rows, options);
  return {
    uri, name, version, dir: bundle.dir, manifest: bundle.manifest, bundle, predictRows,
    async predict(rows, options = {}) {
      const [io, columns] = await modules();
      // A server's requests are a row or a few: without a table per preprocessing step they cost a
      // fraction (same checks, same numbers; anything unusual goes the table way, which has the answer).
      if (Array.isArray(rows) && rows.length <= FAST_ROWS && !rows.some((r) => Object.hasOwn(r, io.INVALID_REASON_COLUMN))) {
        const fast = await io.predictRowsFast(bundle, rows, options);
        if (fast) return fast;
      }
      return columns.predictionColumns((await io.predictRows(bundle, rows, options)).predictions, bundle);
    },
  };
}
