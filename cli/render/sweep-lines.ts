/**
 * What `mlcycle sweep` prints on stderr: one line per trial as it ends (n/N, params, value, best so
 * far, or the step it was pruned at), then a table of the top trials and the best params.
 */
import type { StudyEvent, StudyResult } from '../../core/index.ts';
import type { TrialRecord } from '../../core/store/study-types.ts';
import { colorsFor, formatDuration } from './format.ts';
import { createTable } from './table.ts';
import { rankTrials } from '../sweep-report/summary.ts';

// One ranking for the live table, `sweeps show` and the HTML report.
export { rankTrials };

/**
 * A study event listener that writes the live lines.
 * @example
 * runStudy({ …, onEvent: sweepLines(process.stderr) });
 */
export function sweepLines(stream: NodeJS.WritableStream): (event: StudyEvent) => void {
  const c = colorsFor(stream);
  return (event) => {
    switch (event.type) {
      case 'study-started': {
        const s = event.study;
        const head = `${event.resumed ? 'resuming' : 'study'} ${c.bold(s.name)}: ${s.trials} trials of ${s.dag}, ${s.direction} ${s.objective}, sampler ${kindOf(s.sampler)}, pruner ${kindOf(s.pruner)}, ${s.parallel} at a time`;
        const resumed = event.resumed ? ` (${event.finished} finished, ${event.rerun} to run again)` : '';
        stream.write(`${head}${resumed}\n`);
        break;
      }
      case 'trial-finished': {
        const t = event.trial;
        const n = `${String(event.finished).padStart(String(event.target).length)}/${event.target}`;
        const value = t.state === 'complete' ? c.bold(fmt(t.value)) : t.state === 'pruned' ? c.yellow(`pruned at step ${t.prunedStep ?? '?'}`) : c.red('failed');
        const best = event.best ? `best ${fmt(event.best.value)} (#${event.best.number})` : 'best -';
        const took = t.startedAt && t.finishedAt ? formatDuration(t.finishedAt - t.startedAt) : '';
        const work = `${event.executed} ran, ${event.cached} cached`;
        stream.write(`trial ${n} #${t.number} ${paramsText(t.params)}  ${value}  ${best}  ${c.dim(`${took}, ${work}`)}\n`);
        if (t.state === 'failed' && t.error) stream.write(`  ${c.red(firstLine(t.error))}\n`);
        if (t.state === 'pruned' && t.error) stream.write(`  ${c.dim(t.error)}\n`);
        break;
      }
      default:
        break;
    }
  };
}

/**
 * The final table (top `limit` complete trials by value) and the best params.
 * @example
 * renderStudyResult(result, process.stderr);
 */
export function renderStudyResult(result: StudyResult, stream: NodeJS.WritableStream, limit = 10): void {
  const c = colorsFor(stream);
  const { study, best } = result;
  const ranked = rankTrials(result.trials, study.direction).slice(0, limit);
  const counts = countStates(result.trials);
  if (ranked.length) {
    const table = createTable(['#', study.objective, 'params', 'run'], stream);
    for (const t of ranked) table.push([String(t.number), fmt(t.value), paramsText(t.params), t.runId ?? '-']);
    stream.write(`${table.toString()}\n`);
  }
  stream.write(`${study.name}: ${counts}${result.exhausted ? ' (the grid has no point left)' : ''}; ${result.executedNodes} node executions, ${result.cachedNodes} served from the cache or another trial\n`);
  if (best) {
    stream.write(`best: trial #${best.number}, ${study.objective} = ${c.bold(fmt(best.value))}\n  ${paramsText(best.params)}\n`);
    if (result.outParam) stream.write(`  export its bundle: mlcycle sweeps best ${study.name} --export <dir>\n`);
  }
}

export function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : Array.isArray(v) ? JSON.stringify(v) : String(v)}`).join(' ');
}

export function countStates(trials: readonly TrialRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials';
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(5))) : v.toExponential(3);
}

function kindOf(spec: unknown): string {
  return (spec as { kind?: string })?.kind ?? String(spec);
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? s;
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
