/**
 * The reference profile a bundle carries (reference-profile.json): the training rows' feature
 * distributions, the model's predictions on them and the target's, so `mlcycle monitor` compares new
 * data to training without the training data. Each part is a {@link ReferenceProfile} that
 * detectDrift takes as is (the prediction part has one feature, `predicted`).
 */
import { ValidationError } from '../../core/errors.ts';
import type { ColumnSchema, ProblemSpec } from '../kinds.ts';
import { buildProfile, type ProfileOptions, type ReferenceProfile } from './profile.ts';
import type { FeatureKind } from './_values.ts';
import { checkReferenceProfile } from './_profile-check.ts';

/** The file name inside a bundle. */
export const REFERENCE_PROFILE_FILE = 'reference-profile.json';
export const BUNDLE_PROFILE_FORMAT = 'mlcycle-reference-profile';

/** The name of the one feature of {@link BundleProfile.prediction}. */
export const PREDICTION_FEATURE = 'predicted';

/** reference-profile.json. */
export interface BundleProfile {
  format: typeof BUNDLE_PROFILE_FORMAT;
  version: 1;
  /** Training rows profiled. */
  rows: number;
  /** The monitored input features (the manifest's, minus `skipped`). */
  features: ReferenceProfile;
  /** The model's predictions on the training rows: categorical for classification, numeric for regression. */
  prediction: ReferenceProfile | null;
  /** The target column of the training rows, when they had it. */
  target: ReferenceProfile | null;
  /** Features not monitored, and why (a date column; a column with no value in training). */
  skipped: Array<{ name: string; reason: string }>;
}

/** What {@link buildBundleProfile} takes. */
export interface BundleProfileInput {
  /** The training rows before preprocessing, by column. */
  columns: Readonly<Record<string, ArrayLike<unknown>>>;
  /** The manifest's features (the schema's columns minus the target): their types decide the kinds. */
  features: readonly ColumnSchema[];
  problem: Pick<ProblemSpec, 'target' | 'task'>;
  /** The model's predictions on those rows (any length: a subsample is fine); null = none. */
  predictions: ArrayLike<unknown> | null;
}

/**
 * Profiles the training rows for a bundle. Numbers and integers are numeric, strings and booleans
 * categorical; dates and columns without a single value in training are listed in `skipped`. A
 * feature the rows lack is an error: the exporter was wired to the wrong table.
 * @example
 * const profile = buildBundleProfile({ columns: { bill: [39.1, 40.2], island: ['Dream', 'Biscoe'], Species: ['Adelie', 'Gentoo'] },
 *   features: manifest.features, problem, predictions: ['Adelie', 'Gentoo'] });
 */
export function buildBundleProfile(input: BundleProfileInput, options: ProfileOptions = {}): BundleProfile {
  const { columns, features, problem } = input;
  const picked: Record<string, ArrayLike<unknown>> = {};
  const kinds: Record<string, FeatureKind> = {};
  const skipped: BundleProfile['skipped'] = [];
  for (const feature of features) {
    if (!Object.hasOwn(columns, feature.name)) {
      const has = Object.keys(columns);
      throw new ValidationError(
        `reference profile: the training rows have no column '${feature.name}' (a feature of the model); wire the training rows BEFORE preprocessing (the split's train), whose columns are the raw features. Columns given: ${has.slice(0, 20).join(', ')}${has.length > 20 ? ', …' : ''}`,
      );
    }
    if (feature.type === 'date') {
      skipped.push({ name: feature.name, reason: 'a date column (not monitored)' });
      continue;
    }
    const values = columns[feature.name];
    if (!hasValue(values)) {
      skipped.push({ name: feature.name, reason: 'no value in the training rows' });
      continue;
    }
    picked[feature.name] = values;
    kinds[feature.name] = feature.type === 'number' || feature.type === 'integer' ? 'numeric' : 'categorical';
  }
  if (Object.keys(picked).length === 0) {
    throw new ValidationError('reference profile: no feature can be monitored (every one is a date or empty in the training rows)');
  }
  const outcome: FeatureKind = problem.task === 'regression' ? 'numeric' : 'categorical';
  const target = Object.hasOwn(columns, problem.target) && hasValue(columns[problem.target])
    ? buildProfile({ [problem.target]: columns[problem.target] }, { ...options, kinds: { [problem.target]: outcome } })
    : null;
  const prediction = input.predictions && hasValue(input.predictions)
    ? buildProfile({ [PREDICTION_FEATURE]: input.predictions }, { ...options, kinds: { [PREDICTION_FEATURE]: outcome } })
    : null;
  return {
    format: BUNDLE_PROFILE_FORMAT,
    version: 1,
    rows: Object.values(picked)[0].length,
    features: buildProfile(picked, { ...options, kinds }),
    prediction,
    target,
    skipped,
  };
}

/**
 * Checks a parsed reference-profile.json (untrusted JSON: own properties only, every number finite,
 * every array bounded) and returns it typed. Throws ValidationError naming the first fault.
 * @example
 * const profile = parseBundleProfile(JSON.parse(text));
 */
export function parseBundleProfile(value: unknown): BundleProfile {
  const fail = (why: string): never => {
    throw new ValidationError(`${REFERENCE_PROFILE_FILE}: ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('is not a JSON object');
  const own = (key: string): unknown => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  if (own('format') !== BUNDLE_PROFILE_FORMAT || own('version') !== 1) fail(`is not a version-1 ${BUNDLE_PROFILE_FORMAT}`);
  const rows = own('rows');
  if (!Number.isInteger(rows) || (rows as number) < 0) fail('rows is not a count');
  const skippedRaw = own('skipped');
  if (!Array.isArray(skippedRaw) || skippedRaw.length > 100_000) return fail('skipped is not a list');
  const skipped = skippedRaw.map((s, i) => {
    const name = s && typeof s === 'object' && Object.hasOwn(s, 'name') ? (s as { name: unknown }).name : undefined;
    const reason = s && typeof s === 'object' && Object.hasOwn(s, 'reason') ? (s as { reason: unknown }).reason : undefined;
    if (typeof name !== 'string' || typeof reason !== 'string') fail(`skipped[${i}] lacks name or reason`);
    return { name: name as string, reason: reason as string };
  });
  const part = (key: 'features' | 'prediction' | 'target', nullable: boolean): ReferenceProfile | null => {
    const v = own(key);
    if (v === null && nullable) return null;
    return checkReferenceProfile(v, key);
  };
  return { format: BUNDLE_PROFILE_FORMAT, version: 1, rows: rows as number, features: part('features', false)!, prediction: part('prediction', true), target: part('target', true), skipped };
}

function hasValue(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && v !== '' && !(typeof v === 'number' && Number.isNaN(v))) return true;
  }
  return false;
}
