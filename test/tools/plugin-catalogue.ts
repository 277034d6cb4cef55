/**
 * Generates docs/plugins.md from the task definitions themselves: every plugins/<category>/[!_]*.ts
 * is imported and each exported task's name, version, params schema, ports, isolation and cache
 * setting are read from the object; the summary and @example come from the TSDoc above the export.
 * test/unit/plugin-catalogue.test.ts regenerates it in memory and compares, so the page cannot drift.
 *   node cli/run-ts.mjs test/tools/plugin-catalogue.ts           # writes docs/plugins.md
 *   node cli/run-ts.mjs test/tools/plugin-catalogue.ts --check   # exit 1 if docs/plugins.md is stale
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file lives in test/tools/). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Categories in lifecycle order, with one line each; unknown categories follow alphabetically. */
const CATEGORIES: Array<[string, string]> = [
  ['problem', 'Say what is being solved: target column, task type, metric.'],
  ['loaders', 'Read a file into a Table. The file is declared with `files()`, so its content is part of the cache key.'],
  ['validators', 'Infer a table\'s schema and check new data against it.'],
  ['cleaners', 'Row and column clean-up before splitting (stateless), and outlier/missing-value transforms fitted on train.'],
  ['splitters', 'Train/test holdouts and k-fold splits, seeded.'],
  ['transformers', 'Preprocessing fitted on the training rows only (a Transform artifact), applied unchanged to other tables with transformers/apply.'],
  ['algorithms', 'Train a Model from a prepared table and a Problem; algorithms/predict scores a table with any Model.'],
  ['evaluators', 'Score predictions against the baseline, summarise folds, render the HTML report.'],
  ['exporters', 'Write artifacts out of the store (a bundle `mlcycle predict` can serve).'],
  ['deploy', 'Register the exported bundle in the workspace\'s model registry and promote it past a gate (threshold, champion on the same held-out rows).'],
];

/** A JSON Schema node as TypeBox emits it (only the fields the catalogue reads). */
interface Schema {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

interface PortInfo { name: string; kind: string; many: boolean }
interface ParamInfo { name: string; type: string; required: boolean; default?: unknown; constraints: string[]; description: string }

/** Everything the catalogue says about one task, read from the task object and its source. */
export interface TaskInfo {
  name: string;
  exportName: string;
  /** Relative to the repo root, with forward slashes. */
  file: string;
  category: string;
  version: number | string;
  isolation: 'inprocess' | 'worker';
  cache: boolean;
  readsFiles: boolean;
  verifiesOutputs: boolean;
  retry?: Record<string, unknown>;
  timeoutMs?: number;
  inputs: PortInfo[];
  outputs: PortInfo[];
  params: ParamInfo[];
  summary: string;
  example: string;
  /** Set when the file also exports the task's algorithm definition (plugins/algorithms/define-algorithm.ts). */
  algorithm?: AlgorithmInfo;
}

/** What an algorithm definition adds to its training task's entry. */
export interface AlgorithmInfo { name: string; supports: string[]; hyperparameters: string[]; solver: string }

/**
 * Public modules inside a category that define no task: what other folders (DAGs, sweeps, user
 * plugins) use to work with the category's tasks, such as the algorithm registry.
 */
export const SUPPORT_MODULES = new Set([
  'algorithms/define-algorithm.ts', 'algorithms/registry.ts', 'algorithms/hyperparameters.ts', 'algorithms/predict-table.ts', 'transformers/steps.ts', 'transformers/columns-transform.ts',
  'exporters/input-check.ts', 'exporters/bundle-io.ts', 'loaders/read-table.ts', 'algorithms/cart-trees.ts',
  'evaluators/render-svg.ts', 'evaluators/html-escape.ts', 'evaluators/score.ts',
  // Drift statistics, the bundle's reference profile and monitorModel (issue 9): `mlcycle monitor` and the drift-check task use them.
  ...['ks', 'chi-squared', 'wasserstein', 'jensen-shannon', 'psi', 'profile', 'drift-tests', 'dataset-drift', 'bundle-profile', 'monitor-model', 'monitor-json', 'monitor-html', 'read-prediction-log'].map((f) => `monitor/${f}.ts`),
  // The model registry (issue 9): what `models`, `predict models:/…` and later `serve` use.
  'registry/model-registry.ts', 'registry/export-version.ts', 'loaders/by-extension.ts',
  // The serving module (issue 9): loadModel, what predict, serve, monitor and applications load models with.
  'serving/load-model.ts', 'serving/prediction-columns.ts',
  // The model server (issue 9): what `mlcycle serve` runs and applications embed.
  ...['create-server', 'loopback', 'prediction-log', 'request-rows', 'row-schema'].map((f) => `serving/${f}.ts`),
  'loaders/delimited-text.ts',
  // The gate's decision as data (issue 9): what monitor --retrain reads from a run's results.
  'deploy/gate-decision.ts',
]);

/** plugins/<category>/<file>.ts, without helpers (`_*.ts`), support modules and declaration files, sorted. */
export function taskFiles(root = repoRoot): string[] {
  const plugins = join(root, 'plugins');
  const out: string[] = [];
  for (const dir of readdirSync(plugins, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith('_')) continue;
    for (const f of readdirSync(join(plugins, dir.name))) {
      if (SUPPORT_MODULES.has(`${dir.name}/${f}`)) continue;
      if (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_')) out.push(join(plugins, dir.name, f));
    }
  }
  return out.sort();
}

/** Imports every task file and describes each exported task. */
export async function collectTasks(root = repoRoot): Promise<TaskInfo[]> {
  const tasks: TaskInfo[] = [];
  for (const abs of taskFiles(root)) {
    const mod = (await import(pathToFileURL(abs).href)) as Record<string, any>;
    const source = readFileSync(abs, 'utf8');
    const file = relative(root, abs).split('\\').join('/');
    const algorithms = Object.values(mod).filter((v) => v?.__brand === 'mlcycle.Algorithm');
    for (const [exportName, value] of Object.entries(mod)) {
      if (value?.__brand !== 'mlcycle.Task') continue;
      const info = describeTask(value, exportName, file, source);
      const a = algorithms.find((x) => x.task === value);
      if (a) info.algorithm = { name: a.name, supports: [...a.supports], hyperparameters: [...a.hyperparameters], solver: a.solver };
      tasks.push(info);
    }
  }
  return tasks.sort((a, b) => a.name.localeCompare(b.name));
}

/** Describes one task object; `source` is its file's text (for the TSDoc). */
export function describeTask(task: any, exportName: string, file: string, source: string): TaskInfo {
  const doc = tsdocAbove(source, exportName);
  const ports = (p: Record<string, any>): PortInfo[] =>
    Object.entries(p ?? {}).map(([name, k]) => ({ name, kind: k.name, many: k.many === true }));
  return {
    name: task.name,
    exportName,
    file,
    category: file.split('/')[1] ?? task.name.split('/')[0],
    version: task.version,
    isolation: task.isolation === 'worker' ? 'worker' : 'inprocess',
    cache: task.cache !== false,
    readsFiles: typeof task.files === 'function',
    verifiesOutputs: typeof task.verifyOutputs === 'function',
    ...(task.retry ? { retry: task.retry } : {}),
    ...(task.timeoutMs ? { timeoutMs: task.timeoutMs } : {}),
    inputs: ports(task.inputs),
    outputs: ports(task.outputs),
    params: describeParams(task.params as Schema),
    ...doc,
  };
}

/** One row per property of an object schema, in declaration order. */
export function describeParams(schema: Schema): ParamInfo[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    type: typeOf(s),
    // TypeBox lists defaulted properties as required; ajv fills them, so the user need not give them.
    required: required.has(name) && s.default === undefined,
    ...(s.default !== undefined ? { default: s.default } : {}),
    constraints: constraintsOf(s),
    description: s.description ?? '',
  }));
}

/** A TypeScript-like rendering of a schema's type: `integer[]`, `'a' | 'b'`, `Record<string, …>`. */
export function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v))).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') {
    const item = s.items ? typeOf(s.items) : 'unknown';
    return /[ |]/.test(item) ? `(${item})[]` : `${item}[]`;
  }
  if (s.type === 'object') {
    const values = Object.values(s.patternProperties ?? {});
    if (values.length && !s.properties) return `Record<string, ${values.map(typeOf).join(' | ')}>`;
    if (s.properties) return `{ ${Object.entries(s.properties).map(([k, v]) => `${k}: ${typeOf(v)}`).join('; ')} }`;
    return 'object';
  }
  return s.type ?? 'any';
}

/** Bounds of a schema (and of its array items), as `≥ 1`, `< 1`, `length ≥ 1`. */
export function constraintsOf(s: Schema, prefix = ''): string[] {
  const out: string[] = [];
  if (s.minimum !== undefined) out.push(`${prefix}≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`${prefix}> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) out.push(`${prefix}≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`${prefix}< ${s.exclusiveMaximum}`);
  if (s.minLength !== undefined) out.push(`${prefix}length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`${prefix}length ≤ ${s.maxLength}`);
  if (s.minItems !== undefined) out.push(`${prefix}items ≥ ${s.minItems}`);
  if (s.maxItems !== undefined) out.push(`${prefix}items ≤ ${s.maxItems}`);
  if (s.type === 'array' && s.items) out.push(...constraintsOf(s.items, 'each '));
  return out;
}

/**
 * The TSDoc comment directly above `export const <name>` (or `export function`): its first
 * paragraph as the summary and its first @example block.
 */
export function tsdocAbove(source: string, exportName: string): { summary: string; example: string } {
  const decl = new RegExp(`export\\s+(?:const|function|async\\s+function)\\s+${exportName}\\b`).exec(source);
  if (!decl) return { summary: '', example: '' };
  const before = source.slice(0, decl.index).trimEnd();
  if (!before.endsWith('*/')) return { summary: '', example: '' };
  const start = before.lastIndexOf('/**');
  if (start < 0) return { summary: '', example: '' };
  const lines = before
    .slice(start + 3, -2)
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trimEnd());
  const summary: string[] = [];
  let i = 0;
  for (; i < lines.length && !lines[i].startsWith('@'); i++) {
    if (lines[i].trim() === '') {
      if (summary.length) break;
      continue;
    }
    summary.push(lines[i].trim());
  }
  const example: string[] = [];
  const at = lines.findIndex((l) => l.startsWith('@example'));
  if (at >= 0) {
    const first = lines[at].slice('@example'.length).trim();
    if (first) example.push(first);
    for (let j = at + 1; j < lines.length && !lines[j].startsWith('@'); j++) example.push(lines[j]);
  }
  while (example.length && example[example.length - 1].trim() === '') example.pop();
  return { summary: summary.join(' '), example: example.join('\n') };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => (text ? `\`${text.replace(/\|/g, '\\|')}\`` : '');
const anchor = (name: string) => name.replace(/[^a-z0-9]+/g, '-');
const port = (p: PortInfo) => `\`${p.name}\`: ${p.many ? `many(${p.kind})` : p.kind}`;

/** Renders one task's section. */
export function renderTask(t: TaskInfo): string {
  const out: string[] = [];
  out.push(`<a id="${anchor(t.name)}"></a>`, `### ${t.name}`, '');
  if (t.summary) out.push(t.summary, '');
  const facts = [
    `\`${t.exportName}\` from \`${t.file}\``,
    `version ${t.version}`,
    t.isolation === 'worker' ? "runs in the worker-thread pool (`isolation: 'worker'`)" : 'runs in-process',
    t.cache ? 'cached' : 'never cached (`cache: false`): runs every time',
  ];
  if (t.verifiesOutputs) facts.push('a cache hit counts only while `verifyOutputs` finds its effect intact');
  if (t.readsFiles) facts.push('reads files named by its params (their content is in the cache key)');
  if (t.retry) facts.push(`retry ${JSON.stringify(t.retry)}`);
  if (t.timeoutMs) facts.push(`timeout ${t.timeoutMs} ms`);
  out.push(`- ${facts.join(' · ')}`);
  if (t.algorithm) {
    const a = t.algorithm;
    out.push(`- **algorithm \`${a.name}\`** (\`--param algorithm=${a.name}\` in dags/tabular.ts) · fits ${a.supports.join(', ')} · solver: ${a.solver}`);
    out.push(`- **hyperparameters** (DAG params in dags/tabular.ts): ${a.hyperparameters.map((h) => `\`${a.name}.${h}\``).join(', ')}`);
  }
  out.push(`- **inputs:** ${t.inputs.length ? t.inputs.map(port).join(', ') : '(none)'}`);
  out.push(`- **outputs:** ${t.outputs.map(port).join(', ')}`);
  out.push('');
  if (t.params.length) {
    out.push('| param | type | default | constraints | description |', '|---|---|---|---|---|');
    for (const p of t.params) {
      const dflt = p.default !== undefined ? code(JSON.stringify(p.default)) : p.required ? '**required**' : '(optional)';
      out.push(`| \`${p.name}\` | ${code(p.type)} | ${dflt} | ${cell(p.constraints.join(', '))} | ${cell(p.description)} |`);
    }
  } else {
    out.push('No params.');
  }
  out.push('');
  if (t.example) out.push('```ts', t.example, '```', '');
  return out.join('\n');
}

/** Renders the whole catalogue page. */
export function renderCatalogue(tasks: TaskInfo[]): string {
  const known = CATEGORIES.map(([c]) => c);
  const extra = [...new Set(tasks.map((t) => t.category))].filter((c) => !known.includes(c)).sort();
  const order = [...known, ...extra].filter((c) => tasks.some((t) => t.category === c));
  const blurb = new Map(CATEGORIES);
  const out: string[] = [
    '<!-- GENERATED by test/tools/plugin-catalogue.ts from the task definitions: do not edit by hand.',
    '     Regenerate: node cli/run-ts.mjs test/tools/plugin-catalogue.ts -->',
    '# Plugin catalogue',
    '',
    `Every built-in task (${tasks.length} of them), read from the task objects in \`plugins/\`: name, version, params`,
    '(a TypeBox schema, validated when the DAG is built, defaults filled in), input and output ports with their',
    'artifact kinds, where the task runs and whether it is cached. The summary and example are the TSDoc above',
    'each export. Import a task from its file and add it with `b.add(id, task, inputs, params)`',
    '(see [authoring-dags.md](authoring-dags.md)); kinds are described in [concepts.md](concepts.md#artifact-kinds).',
    '',
    'A param marked **required** has no default and must be given; *(optional)* ones may be left out',
    '(the task then picks, as its description says).',
    '',
    '| category | tasks |',
    '|---|---|',
  ];
  for (const c of order) {
    const names = tasks.filter((t) => t.category === c).map((t) => `[${t.name.slice(c.length + 1)}](#${anchor(t.name)})`);
    out.push(`| [${c}](#${c}) | ${names.join(', ')} |`);
  }
  out.push('');
  for (const c of order) {
    out.push(`## ${c}`, '');
    if (blurb.get(c)) out.push(blurb.get(c)!, '');
    const algos = tasks.filter((x) => x.category === c && x.algorithm);
    if (algos.length) {
      out.push('| algorithm | task | fits | solver | hyperparameters |', '|---|---|---|---|---|');
      for (const t of algos) {
        const a = t.algorithm!;
        out.push(`| \`${a.name}\` | [${t.name}](#${anchor(t.name)}) | ${a.supports.join(', ')} | ${cell(a.solver)} | ${a.hyperparameters.map((h) => `\`${h}\``).join(', ')} |`);
      }
      out.push('');
    }
    for (const t of tasks.filter((x) => x.category === c)) out.push(renderTask(t));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The catalogue as it should be committed. */
export async function generateCatalogue(root = repoRoot): Promise<string> {
  return renderCatalogue(await collectTasks(root));
}

export const cataloguePath = (root = repoRoot) => join(root, 'docs', 'plugins.md');

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const text = await generateCatalogue();
  const target = cataloguePath();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch { /* missing counts as stale */ }
    if (current !== text) {
      process.stderr.write(`${relative(process.cwd(), target)} is stale: run node cli/run-ts.mjs test/tools/plugin-catalogue.ts\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${relative(process.cwd(), target)} is up to date\n`);
    }
  } else {
    writeFileSync(target, text);
    process.stderr.write(`wrote ${relative(process.cwd(), target)}\n`);
  }
}
