import type { ColumnTable } from 'arquero';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { defineTask, Json, Table, Type, ValidationError, type TaskContext } from '../../core/index.ts';
import { metricDirection } from '../evaluators/score.ts';
import { Problem, type ProblemSpec } from '../kinds.ts';
import { openModelRegistry, type ModelRegistry, type RegisteredModel } from '../registry/model-registry.ts';
import { loadModel } from '../serving/load-model.ts';
import { decide } from './_decide.ts';
import { commonRows, predictHeldOut, scoreOn, type RowPredictions } from './_held-out.ts';
import type { GateDecision } from './gate-decision.ts';

const METRICS = ['accuracy', 'balanced_accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'roc_auc', 'log_loss', 'r2', 'rmse', 'mae', 'mape'];

/**
 * The promotion gate: registers the DAG's bundle in the run's workspace registry as the next version
 * of `name` (or reuses the version already holding this very manifest, so a re-run never duplicates
 * one), scores it and the model the alias points at on the same held-out rows (raw rows as the split
 * made them: each bundle applies its own preprocessing; scored by the evaluators' code), and moves the
 * alias only when the candidate passes `threshold` and beats that champion by more than `margin` in the
 * metric's direction. A champion that cannot be loaded or scored keeps its alias. The decision, with one
 * sentence saying why, is the output; the alias history records the same sentence. Cached like any
 * task; a hit counts only while the registered version's folder still holds this manifest.
 * @example
 * const { decision } = b.add('register', register, { bundle: exported.bundle, test: split.test, problem },
 *   { name: 'penguins', alias: 'champion', threshold: 0.9 });
 */
export const register = defineTask({
  name: 'deploy/register',
  version: 1,
  params: Type.Object({
    name: Type.Union([Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }), Type.Null()], {
      default: null, description: "Registered model name; null = the bundle's name",
    }),
    alias: Type.String({ default: 'champion', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$', description: 'The alias the gate moves when the candidate wins' }),
    metric: Type.Union([Type.Enum(METRICS), Type.Null()], {
      default: null, description: "Metric compared on the held-out rows; null = the problem's metric. Errors and losses (rmse, mae, mape, log_loss) are lower-is-better",
    }),
    threshold: Type.Union([Type.Number(), Type.Null()], {
      default: null, description: 'The candidate must reach this value (at least it; at most it for lower-is-better metrics) to be promoted; null = no floor',
    }),
    margin: Type.Number({ default: 0, minimum: 0, description: 'The candidate must beat the champion by more than this to be promoted' }),
    by: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
      default: null, description: "Who registers and promotes, in the registry and the alias history; null = 'mlcycle run <run id>'",
    }),
  }),
  inputs: { bundle: Json, test: Table, problem: Problem },
  outputs: { decision: Json },
  verifyOutputs({ decision }) {
    const d = decision as GateDecision;
    return intactAt(d.dir, d.manifestSha256) || `the registered ${d.model} v${d.version} no longer holds this bundle (${join(d.dir, 'manifest.json')} is missing or changed)`;
  },
  async run({ bundle, test, problem }, params, ctx) {
    const made = bundleOutput(bundle);
    const name = params.name ?? made.name;
    const metric = params.metric ?? problem.metric;
    const direction = metricDirection(metric);
    const by = params.by ?? `mlcycle run ${ctx.run.id}`;
    const registry = openModelRegistry(ctx.home);
    let found: { version: RegisteredModel; reused: boolean };
    let championVersion: number | null;
    try {
      found = await registerOnce(registry, made, name, by, ctx);
      championVersion = registry.list().find((m) => m.name === name)?.aliases[params.alias] ?? null;
    } finally {
      registry.close();
    }
    const { version } = found;
    const candidate = await predictHeldOut(await loadModel(`models:/${name}/${version.version}`, { home: ctx.home }), test);
    let champion: RowPredictions | undefined;
    let championError: string | undefined;
    if (championVersion !== null && championVersion !== version.version) {
      try {
        champion = await predictHeldOut(await loadModel(`models:/${name}/${championVersion}`, { home: ctx.home }), test);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        championError = oneLine(err);
      }
    }
    const facts = scoreBoth(test, problem, metric, candidate, champion, championError);
    const verdict = decide({
      model: name, alias: params.alias, version: version.version, metric, direction, championVersion,
      threshold: params.threshold, margin: params.margin, ...facts,
    });
    if (verdict.promoted) {
      const reopened = openModelRegistry(ctx.home);
      try {
        reopened.setAlias(name, params.alias, version.version, { by, why: verdict.reason });
      } finally {
        reopened.close();
      }
    }
    ctx.log.info(verdict.reason);
    const decision: GateDecision = {
      model: name, version: version.version, alias: params.alias, promoted: verdict.promoted, previousVersion: championVersion,
      metric, direction, candidate: facts.candidate, champion: facts.champion, threshold: params.threshold, margin: params.margin,
      rows: facts.rows, reused: found.reused, reason: verdict.reason, dir: version.dir, manifestSha256: version.manifestSha256,
    };
    return { decision };
  },
});

interface BundleOutput { path: string; name: string; manifestSha256: string }

/** The exporters/bundle output, checked: a gate wired to something else says so instead of failing later. */
function bundleOutput(value: unknown): BundleOutput {
  const b = value as Partial<BundleOutput> | null;
  if (!b || typeof b !== 'object' || typeof b.path !== 'string' || typeof b.name !== 'string' || typeof b.manifestSha256 !== 'string') {
    throw new ValidationError("deploy/register: input 'bundle' must be the 'bundle' output of exporters/bundle ({ path, name, manifestSha256 … })");
  }
  return { path: b.path, name: b.name, manifestSha256: b.manifestSha256 };
}

/**
 * The version holding this manifest, registering it only when no intact one does: a re-run of the gate
 * on the same bundle (its cache entry lost, a param changed) must not add a duplicate version. A version
 * whose folder no longer holds the manifest is not reused: the bundle is registered again.
 */
async function registerOnce(registry: ModelRegistry, made: BundleOutput, name: string, by: string, ctx: TaskContext): Promise<{ version: RegisteredModel; reused: boolean }> {
  const known = registry.list().some((m) => m.name === name) ? registry.versions(name) : [];
  const same = known.filter((v) => v.manifestSha256 === made.manifestSha256);
  const intact = same.find((v) => intactAt(v.dir, v.manifestSha256));
  if (intact) {
    ctx.log.info(`${name} v${intact.version} already holds this bundle (manifest ${made.manifestSha256.slice(0, 12)}…); not registering it again`);
    return { version: intact, reused: true };
  }
  if (same.length) ctx.log.warn(`${name} ${same.map((v) => `v${v.version}`).join(', ')} held this bundle but ${same.length === 1 ? 'its folder is' : 'their folders are'} missing or changed; registering it again`);
  // Only the bundle the export node made: a folder overwritten since (another run's export) is refused.
  const version = await registry.register(made.path, { name, by, why: `exported by run ${ctx.run.id} of '${ctx.run.dag}'`, expectedManifestSha256: made.manifestSha256 });
  ctx.log.info(`registered ${name} v${version.version} from ${made.path}`);
  return { version, reused: false };
}

/** Candidate and champion scored on the rows both predicted (the target present), or the champion's failure. */
function scoreBoth(test: ColumnTable, problem: ProblemSpec, metric: string, candidate: RowPredictions, champion: RowPredictions | undefined, championError: string | undefined) {
  const own = commonRows(test, problem, candidate);
  if (!own.length) throw new ValidationError(`deploy/register: none of the ${test.numRows()} held-out rows could be predicted by the candidate (missing target or refused by its input checks); check the rows wired to 'test'`);
  const candidateAlone = scoreOn(test, problem, candidate, own, metric);
  if (!champion) return { candidate: candidateAlone, champion: null, rows: own.length, ...(championError ? { championError } : {}) };
  const both = commonRows(test, problem, candidate, champion);
  if (!both.length) return { candidate: candidateAlone, champion: null, rows: own.length, championError: 'it refused every held-out row the candidate predicted' };
  const candidateBoth = scoreOn(test, problem, candidate, both, metric);
  try {
    return { candidate: candidateBoth, champion: scoreOn(test, problem, champion, both, metric), rows: both.length };
  } catch (err) {
    return { candidate: candidateAlone, champion: null, rows: own.length, championError: oneLine(err) };
  }
}

function oneLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when the version folder still holds exactly the manifest recorded at registration. */
function intactAt(dir: string, manifestSha256: string): boolean {
  const manifest = join(dir, 'manifest.json');
  return existsSync(manifest) && sha256(readFileSync(manifest)) === manifestSha256;
}
