/**
 * Finding or creating a study's record. A study's default name is the DAG's name and a digest of
 * everything that makes its trials what they are (DAG file, fixed params, space, objective,
 * direction, sampler, pruner, seed), so running the same command again resumes it after a crash,
 * and changing any of those starts another. An explicit name that exists must ask the same, or the
 * resumed study would mix trials of two questions.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { ValidationError } from '../errors.ts';
import type { StudyStore } from '../store/study-store.ts';
import type { StudyConfig, StudyRecord } from '../store/study-types.ts';
import type { ResolvedSweep } from './define-sweep.ts';

// The fields whose change makes another study; trials and parallel may change on resume.
const IDENTITY = ['dag', 'file', 'objective', 'direction', 'space', 'sampler', 'pruner', 'pruneOn', 'fixed', 'seed'] as const;

/**
 * The study config a sweep stores.
 * @example
 * studyConfig(resolved, 'tabular', '/work/dags/tabular.ts', process.cwd())
 */
export function studyConfig(sweep: ResolvedSweep, dag: string, file: string | null, cwd: string | null = null): StudyConfig {
  return {
    dag, file, cwd, objective: sweep.objective, direction: sweep.direction, space: sweep.space, sampler: sweep.sampler,
    pruner: sweep.pruner, pruneOn: sweep.pruneOn, fixed: sweep.fixed, trials: sweep.trials, parallel: sweep.parallel, seed: sweep.seed,
  };
}

/**
 * `<dag>-<8 hex>`: the same sweep asked again gets the same name.
 * @example
 * defaultStudyName(config) // 'tabular-3fa1c09b'
 */
export function defaultStudyName(config: StudyConfig): string {
  const identity = Object.fromEntries(IDENTITY.map((k) => [k, config[k]]));
  return `${config.dag}-${createHash('sha256').update(stringify(identity) ?? '').digest('hex').slice(0, 8)}`;
}

/**
 * The study to run: `resume` (an id or name) must exist; otherwise `name` is resumed when it exists
 * and asks the same, else created.
 * @example
 * const { study, resumed } = openStudy(store, config, { name: 'penguins-algos' });
 */
export function openStudy(store: StudyStore, config: StudyConfig, options: { name?: string; resume?: string }): { study: StudyRecord; resumed: boolean } {
  if (options.resume !== undefined) {
    const study = store.getStudy(options.resume);
    if (!study) {
      const known = store.listStudies({ limit: 5 }).map((s) => s.name);
      throw new ValidationError(`--resume ${options.resume}: no such study${known.length ? ` (recent: ${known.join(', ')}; see mlcycle sweeps ls)` : ' in this workspace'}`);
    }
    checkSameQuestion(study, config, `--resume ${options.resume}`);
    return { study, resumed: true };
  }
  const name = options.name ?? defaultStudyName(config);
  const existing = store.getStudy(name);
  if (existing && existing.name === name) {
    checkSameQuestion(existing, config, `study '${name}'`);
    return { study: existing, resumed: true };
  }
  return { study: store.createStudy(name, config), resumed: false };
}

function checkSameQuestion(study: StudyRecord, config: StudyConfig, what: string): void {
  const differ = IDENTITY.filter((k) => k !== 'file' && stringify(study[k]) !== stringify(config[k]));
  if (!differ.length) return;
  const lines = differ.map((k) => `  - ${k}: was ${short(study[k])}, now ${short(config[k])}`);
  throw new ValidationError(
    `${what} was started with another question, so its trials cannot be continued:\n${lines.join('\n')}\n` +
      'Give --name <new-name> to start another study, or run the sweep as it was.',
  );
}

function short(v: unknown): string {
  const s = stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}
