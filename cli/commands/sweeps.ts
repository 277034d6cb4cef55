import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Space, StudyRecord, StudyStore, TrialRecord } from '../../core/index.ts';
import { bestOf } from '../../core/sweep/best-trial.ts';
import { loadCore, type CliContext, type Core } from '../context.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { loadDagOrSweep } from '../load-dag.ts';
import { homeOf, positiveInt, printJson } from '../options.ts';
import { colorsFor, formatTime } from '../render/format.ts';
import { paramsText, rankTrials } from '../render/sweep-lines.ts';
import { createTable } from '../render/table.ts';
import { workspaceExists } from '../workspace.ts';
import { studyJson } from './sweeps-json.ts';

/** `mlcycle sweeps ls | show | best`: the studies kept in the workspace's run store. */
export function registerSweeps(program: Command, ctx: CliContext): void {
  const sweeps = program.command('sweeps').description('list and inspect sweep studies; export the best trial\'s bundle');

  sweeps
    .command('ls')
    .alias('list')
    .description('list studies, newest first')
    .option('-n, --limit <n>', 'how many studies', positiveInt, 20)
    .option('--json', 'print { studies: [...] } as one JSON object on stdout')
    .action(async (flags: { limit: number; json?: boolean }, command: Command) => {
      const list = workspaceExists(command, ctx) ? await withStudies(command, ctx, (store) => store.listStudies({ limit: flags.limit })) : [];
      if (flags.json) return printJson(ctx, { studies: list });
      if (!list.length) {
        ctx.stderr.write('no studies yet: start one with `mlcycle sweep <sweep file>`\n');
        return;
      }
      const c = colorsFor(ctx.stderr);
      const table = createTable(['name', 'dag', 'status', 'trials', 'best', 'objective', 'created'], ctx.stderr);
      for (const s of list) {
        const done = s.counts.complete + s.counts.pruned + s.counts.failed;
        const status = s.status === 'complete' ? c.green(s.status) : s.status === 'failed' ? c.red(s.status) : c.yellow(s.status);
        const extra = [s.counts.pruned && `${s.counts.pruned} pruned`, s.counts.failed && `${s.counts.failed} failed`].filter(Boolean).join(', ');
        table.push([s.name, s.dag, status, `${done}/${s.trials}${extra ? ` (${extra})` : ''}`, s.best ? `${fmt(s.best.value)} (#${s.best.number})` : '-', `${s.direction} ${s.objective}`, formatTime(s.createdAt)]);
      }
      ctx.stderr.write(`${table.toString()}\n`);
    });

  sweeps
    .command('show')
    .description('show a study\'s trials (best first), or write its HTML report')
    .argument('<study>', 'study name, id or id prefix')
    .option('--report <file.html>', 'write an HTML report: history, parallel coordinates, slices, importances, intermediate values')
    .option('--json', 'print { study, best, trials } as one JSON object on stdout')
    .action(async (ref: string, flags: { report?: string; json?: boolean }, command: Command) => {
      const { study, trials } = await readStudy(command, ctx, ref);
      if (flags.report) {
        const core = await loadCore(ctx);
        // Loaded here, not at start-up: vega is heavy and only the report needs it.
        const { sweepReportHtml } = (await ctx.importModule(fileURLToPath(new URL('../sweep-report/html.ts', import.meta.url)))) as typeof import('../sweep-report/html.ts');
        const out = resolve(ctx.cwd, flags.report);
        await core.writeUserFile(out, await sweepReportHtml({ ...study, space: study.space as Space }, trials), { cwd: ctx.cwd });
        ctx.stderr.write(`wrote ${flags.report}\n`);
      }
      if (flags.json) return printJson(ctx, studyJson(study, trials));
      if (flags.report) return;
      renderShow(study, trials, ctx.stderr);
    });

  sweeps
    .command('best')
    .description('print the best trial\'s params; with --export, write its bundle from the cache (no retraining)')
    .argument('<study>', 'study name, id or id prefix')
    .option('--export <dir>', 'write the best trial\'s bundle to this folder (re-runs the DAG with its params: every node but the export is a cache hit)')
    .option('--json', 'print { trial, params, value, runId } as one JSON object on stdout')
    .action(async (ref: string, flags: { export?: string; json?: boolean }, command: Command) => {
      const { study, trials } = await readStudy(command, ctx, ref);
      const best = bestOf(trials, study.direction);
      if (!best) throw new UsageError(`study '${study.name}' has no complete trial yet (${trials.length} trials); run or resume it with mlcycle sweep --resume ${study.name}`);
      if (flags.export) ctx.exitCode = await exportBest(command, ctx, study, best, flags.export);
      if (flags.json) printJson(ctx, { trial: best.number, params: best.params, value: best.value, runId: best.runId });
      else ctx.stderr.write(`best of ${study.name}: trial #${best.number}, ${study.objective} = ${fmt(best.value)}\n  ${paramsText(best.params)}\n`);
    });
}

async function exportBest(command: Command, ctx: CliContext, study: StudyRecord, best: TrialRecord, dir: string): Promise<number> {
  if (!study.file) throw new UsageError(`study '${study.name}' has no DAG file recorded; run the DAG with its best params instead`);
  // The study's own folder: its fixed params' relative paths must name the files the trials read.
  const cwd = study.cwd ?? ctx.cwd;
  const target = await loadDagOrSweep(ctx, study.file, cwd);
  const dag = target.kind === 'sweep' ? target.sweep.dag : target.dag;
  const core = await loadCore(ctx);
  const out = resolve(ctx.cwd, dir);
  const built = dag.build({ params: { ...study.fixed, ...best.params, out }, cwd, file: study.file });
  if (!built.params.some((p) => p.name === 'out')) {
    throw new UsageError(`DAG '${dag.name}' has no 'out' param to export to; run it with the best params: mlcycle run ${study.file} ${Object.entries(best.params).map(([k, v]) => `--param ${k}=${v}`).join(' ')}`);
  }
  const summary = await core.runDag(built, { home: homeOf(command, ctx), seed: study.seed }).done;
  const ran = summary.nodes.filter((n) => n.status === 'succeeded' && !n.cached);
  const cached = summary.nodes.filter((n) => n.cached).length;
  if (summary.status !== 'succeeded') {
    ctx.stderr.write(`error: exporting trial #${best.number} failed: ${summary.failure ?? summary.status}\n`);
    return summary.status === 'cancelled' ? ExitCode.cancelled : ExitCode.failed;
  }
  ctx.stderr.write(`exported trial #${best.number} to ${dir}: ${cached} nodes from the cache, ${ran.length} executed (${ran.map((n) => n.id).join(', ') || 'none'}); run ${summary.runId}\n`);
  const retrained = ran.filter((n) => built.nodes.get(n.id)!.task.name.startsWith('algorithms/') && n.id !== 'export');
  if (retrained.length) {
    ctx.stderr.write(`note: ${retrained.map((n) => n.id).join(', ')} trained again: the cache no longer held them (cache gc, another --home), or the DAG, its code or its data changed since the sweep\n`);
  }
  return ExitCode.ok;
}

function renderShow(study: StudyRecord, trials: TrialRecord[], stream: NodeJS.WritableStream): void {
  const c = colorsFor(stream);
  stream.write(`${c.bold(study.name)} (${study.id}) ${study.status}: ${study.direction} ${study.objective} over ${study.dag}, sampler ${(study.sampler as { kind: string }).kind}, pruner ${(study.pruner as { kind: string }).kind}, seed ${study.seed}\n`);
  if (study.error) stream.write(`  ${c.red(study.error.split('\n')[0]!)}\n`);
  const ranked: TrialRecord[] = rankTrials(trials, study.direction);
  const rest = trials.filter((t) => !ranked.includes(t));
  const table = createTable(['#', 'state', study.objective, 'params', 'run'], stream);
  for (const t of [...ranked, ...rest]) {
    const state = t.state === 'pruned' ? `pruned@${t.prunedStep ?? '?'}` : t.state;
    table.push([String(t.number), state, fmt(t.value), paramsText(t.params), t.runId ?? '-']);
  }
  stream.write(`${table.toString()}\n`);
}

async function readStudy(command: Command, ctx: CliContext, ref: string): Promise<{ study: StudyRecord; trials: TrialRecord[] }> {
  if (!workspaceExists(command, ctx)) throw new UsageError(`no study '${ref}': the workspace ${homeOf(command, ctx)} has no run store yet`);
  return withStudies(command, ctx, (store) => {
    const study = store.getStudy(ref);
    if (!study) {
      const known = store.listStudies({ limit: 5 }).map((s) => s.name);
      throw new UsageError(`no study '${ref}'${known.length ? `; recent: ${known.join(', ')} (mlcycle sweeps ls)` : ' in this workspace'}`);
    }
    return { study, trials: store.trials(study.id) };
  });
}

async function withStudies<T>(command: Command, ctx: CliContext, fn: (store: StudyStore, core: Core) => T): Promise<T> {
  const core = await loadCore(ctx);
  const store = core.openStudyStore(join(homeOf(command, ctx), 'mlcycle.db'));
  try {
    return fn(store, core);
  } finally {
    store.close();
  }
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
}
