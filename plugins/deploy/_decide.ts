import { beats, type MetricDirection } from '../evaluators/score.ts';

/** What the gate knows when it decides. */
export interface GateFacts {
  model: string;
  alias: string;
  version: number;
  metric: string;
  direction: MetricDirection;
  candidate: number;
  /** The version the alias points at now; null when the alias does not exist yet. */
  championVersion: number | null;
  /** The champion's score on the same rows; null when there is none or it could not be scored. */
  champion: number | null;
  /** Why the champion could not be scored (set only then). */
  championError?: string;
  threshold: number | null;
  margin: number;
  rows: number;
}

/** The verdict and the one sentence a user reads. */
export interface Verdict {
  promoted: boolean;
  reason: string;
}

/**
 * The promotion rule: promote when the candidate passes the threshold and, if a champion exists,
 * beats it by more than the margin. Conservative on doubt: a champion that could not be scored keeps
 * its alias, since a comparison that did not happen is no evidence the candidate is better.
 */
export function decide(f: GateFacts): Verdict {
  const v = (n: number) => `v${n}`;
  const on = `on ${f.rows} held-out row${f.rows === 1 ? '' : 's'}`;
  const score = `${f.metric} ${fmt(f.candidate)}`;
  const kept = `registered ${v(f.version)} without promotion`;
  if (f.championVersion === f.version) {
    return { promoted: false, reason: `${v(f.version)} is already ${f.alias}: nothing to promote (${score} ${on})` };
  }
  if (f.threshold !== null && !passes(f.candidate, f.threshold, f.direction)) {
    const side = f.direction === 'maximize' ? 'below' : 'above';
    return { promoted: false, reason: `${kept}: ${score} is ${side} the threshold ${fmt(f.threshold)} ${on}${stays(f)}` };
  }
  if (f.championVersion === null) {
    const passed = f.threshold === null ? 'no threshold set' : `passes the threshold ${fmt(f.threshold)}`;
    return { promoted: true, reason: `promoted ${v(f.version)} to ${f.alias}: ${score} (${passed}) ${on}; there was no ${f.alias} before` };
  }
  if (f.champion === null) {
    return {
      promoted: false,
      reason: `${kept}: the ${f.alias} ${v(f.championVersion)} could not be evaluated on the held-out rows (${f.championError ?? 'unknown error'}), so nothing shows ${v(f.version)} is better; ` +
        `move the alias by hand if it is: mlcycle models alias ${f.model} ${f.alias} ${f.version}`,
    };
  }
  const versus = `${v(f.championVersion)}'s ${fmt(f.champion)}`;
  if (beats(f.candidate, f.champion, f.margin, f.direction)) {
    return { promoted: true, reason: `promoted ${v(f.version)} to ${f.alias}: ${score} beats ${versus} by more than ${fmt(f.margin)} ${on}` };
  }
  return { promoted: false, reason: `${kept}: ${score} does not beat ${versus} by more than ${fmt(f.margin)} ${on}${stays(f)}` };
}

function passes(value: number, threshold: number, direction: MetricDirection): boolean {
  return direction === 'maximize' ? value >= threshold : value <= threshold;
}

function stays(f: GateFacts): string {
  return f.championVersion === null ? '' : `; ${f.alias} stays v${f.championVersion}`;
}

/** Four decimals at most, trailing zeros dropped: 0.988, 0.9767, 0. */
function fmt(n: number): string {
  return String(Number(n.toFixed(4)));
}
