/**
 * The checks a space needs whatever the DAG: each distribution well-formed, ranges non-empty,
 * numbers finite, steps dividing the range, choices non-empty and distinct, names unique once
 * branches are flattened. A space may come from JSON (a stored study, `--space`), so the input is
 * not trusted to have the types' shape.
 */
import { gridPointCount } from './distribution.ts';

const KINDS = ['int', 'float', 'choice', 'branch'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));

/** One shape problem: the full name of the param at fault ('' for the space itself) and the message. */
export interface ShapeError {
  name: string;
  message: string;
}

/**
 * Every shape problem in `space`, each message as "space '<param>': <problem>; <fix>". Empty when
 * well-formed.
 * @example
 * spaceShapeErrors({ n: int(10, 1) }) // [{ name: 'n', message: "space 'n': empty range int(10, 1): low > high; swap them: int(1, 10)" }]
 */
export function spaceShapeErrors(space: unknown): ShapeError[] {
  const errors: ShapeError[] = [];
  const seen = new Set<string>();
  const walk = (s: unknown, prefix: string, where: string): void => {
    if (!isObject(s)) {
      errors.push({ name: prefix.slice(0, -1), message: `${where}: a space must be an object of param name → int(), float() or choice(), got ${show(s)}` });
      return;
    }
    for (const key of Object.keys(s).sort()) {
      const name = prefix + key;
      const fail = (message: string): void => void errors.push({ name, message });
      if (key === '') fail(`${where}: a param name is empty; name a DAG param`);
      if (seen.has(name)) fail(`space '${name}': the param is swept twice (a top-level name and a branch's param flatten to the same name); keep one`);
      seen.add(name);
      const d = s[key];
      const at = `space '${name}'`;
      if (!isObject(d) || !KINDS.includes(d.kind as string)) {
        fail(`${at}: expected int(…), float(…) or choice(…), got ${show(d)}`);
        continue;
      }
      if (d.kind === 'int' || d.kind === 'float') rangeErrors(at, d).forEach(fail);
      else if (d.kind === 'choice') choiceErrors(at, d.choices).forEach(fail);
      else {
        if (!isObject(d.branches) || Object.keys(d.branches).length === 0) {
          fail(`${at}: a conditional choice needs at least one branch, e.g. choice({ forest: { nEstimators: int(50, 500) } })`);
          continue;
        }
        for (const b of Object.keys(d.branches)) {
          if (b === '') fail(`${at}: a branch name is empty; use one of the param's values`);
          walk(d.branches[b], `${prefix}${b}.`, `${at} › branch '${b}'`);
        }
      }
    }
  };
  walk(space, '', 'space');
  return errors;
}

function rangeErrors(at: string, d: Record<string, unknown>): string[] {
  const { kind, low, high, log, step } = d as { kind: 'int' | 'float'; low: unknown; high: unknown; log: unknown; step: unknown };
  const call = `${kind}(${show(low)}, ${show(high)}${log === true ? ', { log: true }' : ''})`;
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
    return [`${at}: ${call} needs finite numbers as bounds; give both low and high as finite numbers`];
  }
  if (typeof log !== 'boolean') return [`${at}: log must be true or false, got ${show(log)}`];
  const errors: string[] = [];
  if (kind === 'int' && (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))) {
    errors.push(`${at}: ${call} needs integer bounds; use float(${low}, ${high}) for a real-valued param`);
  }
  if (low > high) errors.push(`${at}: empty range ${call}: low > high; swap them: ${kind}(${high}, ${low})`);
  if (log && kind === 'int' && low < 1) errors.push(`${at}: ${call}: a log range needs low >= 1; raise low or drop log`);
  if (log && kind === 'float' && low <= 0) errors.push(`${at}: ${call}: a log range needs low > 0; raise low (e.g. 1e-6) or drop log`);
  if (kind === 'float' && (step === undefined || step === null)) return errors;
  if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0 || (kind === 'int' && !Number.isSafeInteger(step))) {
    errors.push(`${at}: step must be a positive ${kind === 'int' ? 'integer' : 'finite number'}, got ${show(step)}`);
    return errors;
  }
  if (log && (kind === 'float' || step !== 1)) {
    errors.push(`${at}: ${call}: log and step cannot be combined (as in Optuna); drop one of them`);
    return errors;
  }
  if (errors.length) return errors;
  const n = gridPointCount({ kind: 'float', low, high, log, step });
  const top = low + (n - 1) * step;
  // A step that does not divide the range would silently move high (Optuna warns and does); say so instead.
  if (Math.abs(top - high) > 1e-9 * Math.max(1, Math.abs(high), Math.abs(step))) {
    errors.push(`${at}: step ${step} does not divide high − low = ${high - low}; use high = ${Number(top.toPrecision(15))} or another step`);
  }
  return errors;
}

function choiceErrors(at: string, choices: unknown): string[] {
  if (!Array.isArray(choices)) return [`${at}: choice() needs an array of values, got ${show(choices)}`];
  if (choices.length === 0) return [`${at}: choice([]) has nothing to choose; list at least one value`];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const c of choices) {
    if (!isScalar(c) && !(Array.isArray(c) && c.every(isScalar))) {
      errors.push(`${at}: choice values must be strings, finite numbers, booleans, null or flat arrays of them, got ${show(c)}`);
      continue;
    }
    const key = JSON.stringify(c);
    if (seen.has(key)) errors.push(`${at}: ${key} is listed twice in choice(); list each value once`);
    seen.add(key);
  }
  return errors;
}

function isScalar(c: unknown): boolean {
  return c === null || typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c));
}
