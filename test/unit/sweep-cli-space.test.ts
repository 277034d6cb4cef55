/**
 * `--space` flags and sweep options: the parsing a user meets first. Conditional params attach to the
 * choice whose value prefixes them; problems are named per field.
 */
import { describe, expect, it } from '@jest/globals';
import { float, int, choice, resolveSweep, sweep, ValidationError, type Space } from '../../core/index.ts';
import { parseSpaceFlags } from '../../cli/space-flags.ts';
import { UsageError } from '../../cli/exit-codes.ts';
import tabular from '../../dags/tabular.ts';

describe('parseSpaceFlags', () => {
  it('parses int, float and choice with log and step', () => {
    expect(parseSpaceFlags(['a=int(1,10)', 'b=float(0.001,1,log)', 'c=int(0,100,step=5)', 'd=choice(relu,tanh,3,true,null,"7")'])).toEqual({
      a: int(1, 10), b: float(0.001, 1, { log: true }), c: int(0, 100, { step: 5 }), d: choice(['relu', 'tanh', 3, true, null, '7']),
    });
  });

  it('reads array values (layer sizes) whole', () => {
    expect(parseSpaceFlags(['mlp.hiddenLayers=choice([64],[64,32],[128, 64, 32])'])).toEqual({ 'mlp.hiddenLayers': choice([[64], [64, 32], [128, 64, 32]]) });
    expect(() => parseSpaceFlags(['x=choice([1,2)'])).toThrow(/not a JSON array/);
  });

  it('makes params prefixed by a choice value that value\'s conditional params, in any flag order', () => {
    const expected: Space = { algorithm: choice({ logreg: {}, forest: { nEstimators: int(50, 500, { log: true }) }, knn: { k: int(1, 9) } }) };
    expect(parseSpaceFlags(['algorithm=choice(logreg,forest,knn)', 'forest.nEstimators=int(50,500,log)', 'knn.k=int(1,9)'])).toEqual(expected);
    expect(parseSpaceFlags(['knn.k=int(1,9)', 'forest.nEstimators=int(50,500,log)', 'algorithm=choice(logreg,forest,knn)'])).toEqual(expected);
    // A dotted name no choice owns stays a plain param (the DAG decides whether it exists).
    expect(parseSpaceFlags(['mlp.alpha=float(0.1,1)'])).toEqual({ 'mlp.alpha': float(0.1, 1) });
  });

  it('adds to a sweep file\'s space: into its branches, replacing names it gives again', () => {
    const base: Space = { algorithm: choice({ logreg: { C: float(1, 2) }, forest: {} }), seed: int(0, 3) };
    expect(parseSpaceFlags(['forest.nEstimators=int(10,20)', 'seed=int(0,9)'], base)).toEqual({
      algorithm: choice({ logreg: { C: float(1, 2) }, forest: { nEstimators: int(10, 20) } }), seed: int(0, 9),
    });
  });

  it('refuses malformed flags with the form to use', () => {
    expect(() => parseSpaceFlags(['x']) ).toThrow(UsageError);
    expect(() => parseSpaceFlags(['x=uniform(0,1)'])).toThrow(/expected int\(lo,hi/);
    expect(() => parseSpaceFlags(['x=int(a,3)'])).toThrow(/two finite numbers/);
    expect(() => parseSpaceFlags(['x=float(0,1,lg)'])).toThrow(/unknown option 'lg'; use log or step=<n>/);
    expect(() => parseSpaceFlags(['x=choice()'])).toThrow(/at least one value/);
  });
});

describe('resolveSweep', () => {
  const space = { x: float(0, 1) };
  it('fills Optuna-like defaults, pruning off', () => {
    expect(resolveSweep({ space, objective: 'a.b', direction: 'minimize' })).toEqual({
      fixed: {}, space, objective: 'a.b', direction: 'minimize', trials: 20, sampler: { kind: 'tpe' }, pruner: { kind: 'none' },
      pruneOn: 'val_score', parallel: 1, seed: 0, enqueue: [],
    });
  });

  it('lists every bad field at once', () => {
    let err: unknown;
    try {
      resolveSweep({ space: {}, objective: 'a..b', direction: 'up' as never, trials: 0, parallel: 1.5, sampler: 'cmaes' as never, pruner: 'hyperband' as never, name: '../x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const lines = (err as Error).message.split('\n');
    for (const field of ['objective', 'direction', 'space', 'trials', 'parallel', 'sampler', 'pruner', 'name']) {
      expect(lines.some((l) => l.startsWith(`sweep › ${field}:`))).toBe(true);
    }
  });

  it('sweep() refuses what is not a DAG', () => {
    expect(() => sweep({} as never, { space, objective: 'a', direction: 'maximize' })).toThrow(/must be what dag\(\) returns/);
    expect(sweep(tabular, { space, objective: 'a', direction: 'maximize' }).__brand).toBe('mlcycle.Sweep');
  });
});
