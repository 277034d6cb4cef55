/**
 * `--space` flags: `name=int(lo,hi[,log][,step=s])`, `name=float(lo,hi[,log][,step=s])`,
 * `name=choice(a,b,…)` (values may be arrays: `choice([64],[64,32])`). A flag whose name starts with a value of a choice (`forest.nEstimators` beside
 * `algorithm=choice(logreg,forest)`) is that value's conditional param, as the DAG names them: so
 * "which algorithm, and its hyperparameters" is a plain list of flags. Flags add to (and replace
 * names in) a sweep file's space.
 */
import type { ChoiceValue, Distribution, Space } from '../core/index.ts';
import { UsageError } from './exit-codes.ts';

/**
 * The space the flags describe, merged over `base` (a sweep file's space).
 * @example
 * parseSpaceFlags(['algorithm=choice(logreg,forest)', 'forest.nEstimators=int(50,500,log)'])
 * // { algorithm: { kind: 'branch', branches: { logreg: {}, forest: { nEstimators: int(50, 500, { log: true }) } } } }
 */
export function parseSpaceFlags(flags: readonly string[], base: Space = {}): Space {
  const flat = new Map<string, Distribution>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq > 0 ? flag.slice(0, eq).trim() : '';
    if (!name) throw new UsageError(`--space ${flag}: expected name=int(lo,hi)|float(lo,hi)|choice(a,b,…), e.g. --space 'forest.nEstimators=int(50,500,log)'`);
    flat.set(name, parseDistribution(name, flag.slice(eq + 1).trim()));
  }
  const out: Record<string, Distribution> = { ...base };
  // Branch params first go into a branch the base space (or a choice flag) already has.
  const choices = new Map<string, string>(); // branch value → the choice param it belongs to
  const remember = (param: string, d: Distribution) => {
    const values = d.kind === 'branch' ? Object.keys(d.branches) : d.kind === 'choice' ? d.choices : [];
    for (const v of values) if (typeof v === 'string') choices.set(v, param);
  };
  for (const [param, d] of Object.entries(out)) remember(param, d);
  for (const [name, d] of flat) if (!name.includes('.') || !choices.has(name.split('.')[0]!)) remember(name, d);
  for (const [name, d] of flat) {
    const dot = name.indexOf('.');
    const owner = dot > 0 ? choices.get(name.slice(0, dot)) : undefined;
    if (owner === undefined || owner === name) {
      out[name] = d;
      continue;
    }
    const branch = name.slice(0, dot);
    const ownerDist = flat.get(owner) ?? out[owner]!;
    const asBranch = toBranch(ownerDist);
    out[owner] = asBranch;
    if (flat.has(owner)) flat.set(owner, asBranch);
    (asBranch.branches as Record<string, Space>)[branch] = { ...asBranch.branches[branch], [name.slice(dot + 1)]: d };
  }
  return out;
}

function toBranch(d: Distribution): Distribution & { kind: 'branch' } {
  if (d.kind === 'branch') return { kind: 'branch', branches: { ...d.branches } };
  const values = (d as { choices: readonly ChoiceValue[] }).choices;
  return { kind: 'branch', branches: Object.fromEntries(values.map((v) => [String(v), {}])) };
}

function parseDistribution(name: string, text: string): Distribution {
  const m = /^(int|float|choice)\((.*)\)$/s.exec(text);
  if (!m) throw new UsageError(`--space ${name}=${text}: expected int(lo,hi[,log][,step=s]), float(lo,hi[,log][,step=s]) or choice(a,b,…)`);
  const [, fn, inner] = m;
  const args = splitArgs(inner!);
  if (fn === 'choice') {
    if (!args.length || args.some((a) => a === '')) throw new UsageError(`--space ${name}=${text}: choice needs at least one value, e.g. choice(relu,tanh)`);
    return { kind: 'choice', choices: args.map(scalar) };
  }
  const [lo, hi, ...opts] = args;
  const low = Number(lo);
  const high = Number(hi);
  if (lo === undefined || hi === undefined || lo === '' || hi === '' || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new UsageError(`--space ${name}=${text}: ${fn} needs two finite numbers, e.g. ${fn}(${fn === 'int' ? '1,10' : '0.001,1,log'})`);
  }
  let log = false;
  let step: number | undefined;
  for (const o of opts) {
    if (o === 'log') log = true;
    else if (/^step=/.test(o) && Number.isFinite(Number(o.slice(5))) && o.length > 5) step = Number(o.slice(5));
    else throw new UsageError(`--space ${name}=${text}: unknown option '${o}'; use log or step=<n>`);
  }
  return fn === 'int'
    ? { kind: 'int', low, high, log, step: step ?? 1 }
    : { kind: 'float', low, high, log, step: step ?? null };
}

/** Values as the user would mean them: numbers, true/false/null, `[64,32]` arrays, else the text (quotes optional). */
function scalar(text: string): ChoiceValue {
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as ChoiceValue;
    } catch {
      throw new UsageError(`--space: choice value ${text} is not a JSON array; write it as [64,32]`);
    }
  }
  if (/^(['"]).*\1$/s.test(text)) return text.slice(1, -1);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) && /^[-+]?(\d|\.\d)/.test(text) ? n : text;
}

function splitArgs(inner: string): string[] {
  if (inner.trim() === '') return [];
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let depth = 0; // inside [ ] an array value's commas are its own
  for (const ch of inner) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      cur += ch;
      quote = ch;
    } else if (ch === '[' || ch === ']') {
      depth += ch === '[' ? 1 : -1;
      cur += ch;
    } else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}
