/**
 * Shape check of a reference profile read from a file. The profile is hashed in the bundle manifest,
 * so a bad one means a re-sealed edit or a writer bug; either way the drift code must not meet a
 * string where it sums numbers, an inherited property, or an array of a billion entries.
 */
import { ValidationError } from '../../core/errors.ts';
import type { CategoricalProfile, FeatureProfile, NumericProfile, ReferenceProfile } from './profile.ts';

/** Longest array a profile may hold (samples are 1,000 by default; histograms and edges far fewer). */
const MAX_ARRAY = 100_000;

type Obj = Record<string, unknown>;

/**
 * Returns `value` typed when it is a well-formed version-1 ReferenceProfile; throws ValidationError otherwise.
 * @example
 * checkReferenceProfile(JSON.parse(text).features, 'features')
 */
export function checkReferenceProfile(value: unknown, where: string): ReferenceProfile {
  const fail = (why: string): never => {
    throw new ValidationError(`reference-profile.json: ${where}${why}`);
  };
  const obj = asObject(value) ?? fail(' is not an object');
  if (get(obj, 'version') !== 1) fail(' is not a version-1 profile');
  const rows = get(obj, 'rows');
  if (!isCount(rows)) fail('.rows is not a count');
  const features = get(obj, 'features');
  if (!Array.isArray(features) || features.length > MAX_ARRAY) return fail('.features is not a list');
  const seen = new Set<string>();
  const checked = features.map((f, i): FeatureProfile => {
    const at = `${where}.features[${i}]`;
    const feature = checkFeature(f, (why) => {
      throw new ValidationError(`reference-profile.json: ${at}${why}`);
    });
    if (seen.has(feature.name)) fail(`.features names '${feature.name}' twice`);
    seen.add(feature.name);
    return feature;
  });
  return { version: 1, rows: rows as number, features: checked };
}

function checkFeature(value: unknown, fail: (why: string) => never): FeatureProfile {
  const obj = asObject(value) ?? fail(' is not an object');
  const name = get(obj, 'name');
  if (typeof name !== 'string' || name.length === 0) fail('.name is not a string');
  const count = get(obj, 'count');
  if (!isCount(count)) fail('.count is not a count');
  const missingShare = get(obj, 'missingShare');
  if (!isShare(missingShare)) fail('.missingShare is not a share in [0, 1]');
  const kind = get(obj, 'kind');
  if (kind === 'numeric') {
    const nums = ['min', 'max', 'mean', 'std'].map((k) => get(obj, k));
    if (!nums.every(isFinite)) fail('.min, .max, .mean or .std is not a finite number');
    const sample = numbers(get(obj, 'sample'));
    if (!sample || sample.length === 0) fail('.sample is not a non-empty list of finite numbers');
    const edges = numbers(get(obj, 'psiEdges'));
    const shares = numbers(get(obj, 'psiShares'));
    if (!edges || !shares || shares.length !== edges.length + 1) fail('.psiEdges/.psiShares are not lists of finite numbers (one more share than edges)');
    const histogram = asObject(get(obj, 'histogram'));
    const hEdges = histogram && numbers(get(histogram, 'edges'));
    const hCounts = histogram && numbers(get(histogram, 'counts'));
    if (!hEdges || !hCounts || hEdges.length !== hCounts.length + 1) fail('.histogram is not { edges, counts } with one more edge than counts');
    const complete = get(obj, 'sampleIsComplete');
    if (typeof complete !== 'boolean') fail('.sampleIsComplete is not a boolean');
    const [min, max, mean, std] = nums as number[];
    const profile: NumericProfile = {
      name: name as string, kind, count: count as number, missingShare: missingShare as number, min, max, mean, std,
      sample: sample!, sampleIsComplete: complete as boolean, psiEdges: edges!, psiShares: shares!, histogram: { edges: hEdges!, counts: hCounts! },
    };
    return profile;
  }
  if (kind === 'categorical') {
    const raw = asObject(get(obj, 'shares')) ?? fail('.shares is not an object');
    const keys = Object.keys(raw);
    if (keys.length > MAX_ARRAY) fail('.shares has too many categories');
    // Null prototype: a category named '__proto__' or 'constructor' is just a category.
    const shares: Record<string, number> = Object.create(null);
    for (const key of keys) {
      const v = raw[key];
      if (!isShare(v)) fail(`.shares has a share that is not in [0, 1]`);
      shares[key] = v as number;
    }
    const otherShare = get(obj, 'otherShare');
    if (!isShare(otherShare)) fail('.otherShare is not a share in [0, 1]');
    const profile: CategoricalProfile = { name: name as string, kind, count: count as number, missingShare: missingShare as number, shares, otherShare: otherShare as number };
    return profile;
  }
  return fail(".kind is neither 'numeric' nor 'categorical'");
}

function asObject(value: unknown): Obj | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function get(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isFinite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isCount(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0;
}

function isShare(v: unknown): boolean {
  return isFinite(v) && v >= 0 && v <= 1;
}

function numbers(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_ARRAY || !v.every(isFinite)) return undefined;
  return v as number[];
}
