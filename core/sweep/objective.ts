/**
 * The objective of a trial: a dotted path into the run's results (`cv.accuracy.mean` is
 * `summary.outputs.cv.accuracy.mean`). A path that does not lead to a number is the user's to fix,
 * so the error lists the numeric paths the results do have, nearest first.
 */
import { ValidationError } from '../errors.ts';
import { closestName } from './_did-you-mean.ts';

/**
 * The number at `path` in `results`, or a ValidationError naming the path and the paths there are.
 * @example
 * readObjective({ cv: { accuracy: { mean: 0.97 } } }, 'cv.accuracy.mean') // 0.97
 */
export function readObjective(results: Record<string, unknown>, path: string): number {
  let at: unknown = results;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) {
      at = undefined;
      break;
    }
    at = (at as Record<string, unknown>)[part];
  }
  if (typeof at === 'number') return at;
  const known = numericPaths(results);
  const near = closestName(path, known);
  const listed = known.slice(0, 12).join(', ') + (known.length > 12 ? `, … (${known.length} in all)` : '');
  throw new ValidationError(
    `objective '${path}' is ${at === undefined ? 'not in the DAG\'s results' : `not a number (${typeof at})`}` +
      (near ? `; did you mean '${near}'?` : '') +
      (known.length ? ` The results hold: ${listed}` : ' The DAG returns no numeric results; return a Json or Metrics output from its builder.'),
  );
}

/**
 * Every dotted path to a number in `value` (arrays are left out: a fold's value is not an objective).
 * @example
 * numericPaths({ cv: { accuracy: { mean: 1, values: [1] }, folds: 5 } }) // ['cv.accuracy.mean', 'cv.folds']
 */
export function numericPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'number') return prefix ? [prefix] : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => numericPaths(v, prefix ? `${prefix}.${k}` : k));
}
