/**
 * The gate's rule (plugins/deploy/_decide.ts) on every branch, both metric directions, and the
 * public reader of a run's decision (gateDecisionOf). The CLI suites run the gate on real bundles.
 */
import { describe, expect, it } from '@jest/globals';
import { decide, type GateFacts } from '../../plugins/deploy/_decide.ts';
import { gateDecisionOf, isGateDecision } from '../../plugins/deploy/gate-decision.ts';
import { beats, metricDirection } from '../../plugins/evaluators/score.ts';

const facts = (over: Partial<GateFacts>): GateFacts => ({
  model: 'penguins', alias: 'champion', version: 3, metric: 'accuracy', direction: 'maximize', candidate: 0.95,
  championVersion: 2, champion: 0.9, threshold: null, margin: 0, rows: 84, ...over,
});

describe('decide', () => {
  it('promotes a candidate that beats the champion by more than the margin, saying by how much on how many rows', () => {
    expect(decide(facts({}))).toEqual({ promoted: true, reason: "promoted v3 to champion: accuracy 0.95 beats v2's 0.9 by more than 0 on 84 held-out rows" });
  });

  it('keeps the champion when the candidate ties, or wins by no more than the margin', () => {
    expect(decide(facts({ candidate: 0.9 })).promoted).toBe(false);
    const d = decide(facts({ margin: 0.05 }));
    expect(d.promoted).toBe(false);
    expect(d.reason).toBe("registered v3 without promotion: accuracy 0.95 does not beat v2's 0.9 by more than 0.05 on 84 held-out rows; champion stays v2");
  });

  it('reads lower-is-better metrics the other way round, for the threshold as for the champion', () => {
    const loss = { metric: 'log_loss', direction: 'minimize' as const };
    expect(decide(facts({ ...loss, candidate: 0.2, champion: 0.3 })).promoted).toBe(true);
    expect(decide(facts({ ...loss, candidate: 0.3, champion: 0.2 })).promoted).toBe(false);
    const high = decide(facts({ ...loss, candidate: 0.2, champion: 0.3, threshold: 0.1 }));
    expect(high).toEqual({ promoted: false, reason: 'registered v3 without promotion: log_loss 0.2 is above the threshold 0.1 on 84 held-out rows; champion stays v2' });
  });

  it('refuses a candidate below the threshold even without a champion, and promotes one at it', () => {
    const none = { championVersion: null, champion: null };
    expect(decide(facts({ ...none, threshold: 0.96 }))).toEqual({ promoted: false, reason: 'registered v3 without promotion: accuracy 0.95 is below the threshold 0.96 on 84 held-out rows' });
    expect(decide(facts({ ...none, threshold: 0.95 }))).toEqual({
      promoted: true, reason: 'promoted v3 to champion: accuracy 0.95 (passes the threshold 0.95) on 84 held-out rows; there was no champion before',
    });
  });

  it('does not promote when the champion could not be evaluated, and says how to promote by hand', () => {
    const d = decide(facts({ champion: null, championError: 'manifest.json does not match the registered one' }));
    expect(d.promoted).toBe(false);
    expect(d.reason).toContain('the champion v2 could not be evaluated on the held-out rows (manifest.json does not match the registered one)');
    expect(d.reason).toContain('mlcycle models alias penguins champion 3');
  });

  it('has nothing to do when the alias already points at the candidate', () => {
    expect(decide(facts({ championVersion: 3, champion: null }))).toEqual({ promoted: false, reason: 'v3 is already champion: nothing to promote (accuracy 0.95 on 84 held-out rows)' });
  });
});

describe('metric direction', () => {
  it('minimises errors and losses and maximises scores', () => {
    expect(['rmse', 'mae', 'mape', 'log_loss'].map(metricDirection)).toEqual(['minimize', 'minimize', 'minimize', 'minimize']);
    expect(['accuracy', 'f1_macro', 'roc_auc', 'r2'].map(metricDirection)).toEqual(['maximize', 'maximize', 'maximize', 'maximize']);
    expect(beats(0.3, 0.5, 0.1, 'minimize')).toBe(true);
    expect(beats(0.45, 0.5, 0.1, 'minimize')).toBe(false);
  });
});

describe('gateDecisionOf', () => {
  const decision = {
    model: 'penguins', version: 2, alias: 'champion', promoted: true, previousVersion: 1, metric: 'accuracy', direction: 'maximize',
    candidate: 0.97, champion: 0.9, threshold: null, margin: 0, rows: 84, reused: false, reason: 'promoted v2 to champion: …', dir: '/w/models/penguins/2', manifestSha256: 'ab',
  };

  it('finds the decision in a run summary or its outputs, by name first, else by shape when only one result has it', () => {
    expect(gateDecisionOf({ outputs: { metrics: { accuracy: 1 }, decision } })).toBe(decision);
    expect(gateDecisionOf({ metrics: { accuracy: 1 }, gate: decision })).toBe(decision);
    expect(isGateDecision(decision)).toBe(true);
  });

  it('is undefined when the run returns none, or two it cannot tell apart', () => {
    expect(gateDecisionOf({ outputs: { metrics: { accuracy: 1 } } })).toBeUndefined();
    expect(gateDecisionOf({ outputs: { a: decision, b: decision } })).toBeUndefined();
    expect(gateDecisionOf({ outputs: { decision: { reason: 'not a gate' } } })).toBeUndefined();
  });
});
