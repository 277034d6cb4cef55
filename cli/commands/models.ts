import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AliasMove } from '../../core/index.ts';
import type { ModelRegistry, RegisteredModel } from '../../plugins/registry/model-registry.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { homeOf, printJson } from '../options.ts';
import { colorsFor, formatTime } from '../render/format.ts';
import { createTable } from '../render/table.ts';
import { workspaceExists } from '../workspace.ts';
import { registerSource } from './models-register.ts';

/** Error codes a user causes (a bad name, an unknown alias, a refused bundle): exit 2, as usage errors. */
const USER_CODES = new Set(['VALIDATION', 'DATA', 'INTEGRITY', 'DAG_LOAD']);

/**
 * Registers `mlcycle models register | export | ls | show | alias | tag`: the workspace's model registry
 * (plugins/registry). Every refusal a user can cause (bad name, unknown model/alias/version, a bundle
 * that fails verification) exits 2 with a message naming it.
 * @example
 * registerModels(program, ctx); // mlcycle models register bundles/penguins --name penguins
 */
export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('register exported bundles as versioned models; aliases with history');

  models
    .command('register')
    .description('verify a bundle and copy it into the workspace as the next version of a model')
    .argument('<bundle-dir | run-id>', 'bundle folder written by exporters/bundle, or a run (id or unique prefix) whose export to register')
    .requiredOption('--name <name>', 'model name (letters, digits, _ - .)')
    .option('--node <id>', 'with a run id: the exporters/bundle node, when the run exported several bundles')
    .option('--why <text>', 'why this version is registered (kept with it)')
    .option('--public-key <file>', 'require a bundle signed by this ed25519 public key (PEM); default env MLCYCLE_BUNDLE_PUBLIC_KEY')
    .option('--json', 'print the registered version as one JSON object on stdout')
    .action(async (source: string, flags: { name: string; node?: string; why?: string; publicKey?: string; json?: boolean }, command: Command) => {
      const from = await registerSource(source, flags.node, command, ctx);
      const v = await withRegistry(command, ctx, (r) => r.register(from.dir, {
        name: flags.name, why: flags.why, ...(flags.publicKey === undefined ? {} : { publicKey: resolve(ctx.cwd, flags.publicKey) }),
        ...(from.expectedManifestSha256 === undefined ? {} : { expectedManifestSha256: from.expectedManifestSha256 }),
        ...(from.lineage === undefined ? {} : { lineage: from.lineage }),
      }));
      if (flags.json) return printJson(ctx, v);
      ctx.stderr.write(`registered ${v.name} version ${v.version} (models:/${v.name}/${v.version}) from ${v.source}\n`);
    });

  models
    .command('export')
    .description('copy a registered version out as a plain bundle folder (verified, written atomically)')
    .argument('<model>', 'name@alias, name/version, name (latest) or models:/…')
    .argument('<dir>', 'folder to write; an existing bundle there is replaced, any other folder refused')
    .option('--json', 'print { name, version, out, files } as one JSON object on stdout')
    .action(async (ref: string, dir: string, flags: { json?: boolean }, command: Command) => {
      const { exportModelVersion } = await import('../../plugins/registry/export-version.ts');
      const done = await withRegistry(command, ctx, (r) => exportModelVersion(r, ref, resolve(ctx.cwd, dir)), ref.replace(/^models:\//, ''));
      if (flags.json) return printJson(ctx, done);
      ctx.stderr.write(`exported ${done.name} version ${done.version} to ${done.out} (${done.files.length} files)\n`);
    });

  models
    .command('ls')
    .alias('list')
    .description('list registered models')
    .option('--json', 'print { models: [...] } as one JSON object on stdout')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const list = workspaceExists(command, ctx) ? await withRegistry(command, ctx, (r) => r.list()) : [];
      if (flags.json) return printJson(ctx, { models: list });
      if (!list.length) {
        ctx.stderr.write('no models yet: register one with `mlcycle models register <bundle-dir> --name <name>`\n');
        return;
      }
      const table = createTable(['name', 'versions', 'latest', 'aliases', 'updated'], ctx.stderr);
      for (const m of list) table.push([m.name, String(m.versions), String(m.latest), aliasText(m.aliases), formatTime(m.updatedAt)]);
      ctx.stderr.write(`${table.toString()}\n`);
    });

  models
    .command('show')
    .description('show a model: versions, aliases, alias history, and the lineage of one version (default the latest)')
    .argument('<model>', 'name, name@alias or name/version')
    .option('--json', 'print { model, versions, aliases, history, selected } as one JSON object on stdout')
    .action(async (ref: string, flags: { json?: boolean }, command: Command) => {
      const shown = await withRegistry(command, ctx, (r) => {
        const selected = r.resolve(ref);
        const versions = r.versions(selected.name);
        return { model: selected.name, versions, aliases: r.list().find((m) => m.name === selected.name)?.aliases ?? {}, history: r.history(selected.name), selected };
      }, ref);
      if (flags.json) return printJson(ctx, shown);
      renderShow(shown, ctx.stderr);
    });

  models
    .command('alias')
    .description('point an alias (champion, staging…) at a version; every move is kept in the history')
    .argument('<name>', 'model name')
    .argument('<alias>', 'alias (letters, digits, _ -; starts with a letter)')
    .argument('<version>', 'version number')
    .option('--why <text>', 'why the alias moves (kept in the history)')
    .option('--json', 'print the move as one JSON object on stdout')
    .action(async (name: string, alias: string, version: string, flags: { why?: string; json?: boolean }, command: Command) => {
      const n = versionNumber(name, version);
      const move = await withRegistry(command, ctx, (r) => r.setAlias(name, alias, n, { why: flags.why }), name);
      if (flags.json) return printJson(ctx, move);
      ctx.stderr.write(`${name}@${alias}: ${move.from ?? '(new)'} → ${move.to}\n`);
    });

  models
    .command('tag')
    .description('set a tag (key=value) on a version')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number')
    .argument('<key>', 'tag key')
    .argument('<value>', 'tag value')
    .action(async (name: string, version: string, key: string, value: string, _flags: object, command: Command) => {
      const n = versionNumber(name, version);
      await withRegistry(command, ctx, (r) => r.tag(name, n, key, value), name);
      ctx.stderr.write(`${name}/${n}: ${key}=${value}\n`);
    });
}

async function withRegistry<T>(command: Command, ctx: CliContext, fn: (r: ModelRegistry) => T | Promise<T>, ref?: string): Promise<T> {
  // Reading commands must not create a workspace just to say the model is unknown.
  if (ref !== undefined && !workspaceExists(command, ctx)) {
    throw new UsageError(`no model '${ref.split(/[@/]/)[0]}': the workspace ${homeOf(command, ctx)} has no registry yet (mlcycle models register <bundle-dir> --name <name>)`);
  }
  // Loaded here, not at start-up: `mlcycle --help` must not pay for the bundle reader.
  const { openModelRegistry } = await import('../../plugins/registry/model-registry.ts');
  return asUsage(async () => {
    const registry = openModelRegistry(homeOf(command, ctx));
    try {
      return await fn(registry);
    } finally {
      registry.close();
    }
  });
}

/** By code, not class: the plugin may see another instance of core than the CLI's loader. */
async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && USER_CODES.has(code)) throw Object.assign(new UsageError((err as Error).message), { cause: err });
    throw err;
  }
}

function versionNumber(name: string, text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new UsageError(`version '${text}' of model '${name}' is not valid: a version is a whole number >= 1`);
  return Number(text);
}

function aliasText(aliases: Record<string, number>): string {
  return Object.entries(aliases).map(([a, v]) => `${a}→${v}`).join(', ') || '-';
}

interface Shown {
  model: string;
  versions: RegisteredModel[];
  aliases: Record<string, number>;
  history: AliasMove[];
  selected: RegisteredModel;
}

function renderShow(s: Shown, stream: NodeJS.WritableStream): void {
  const c = colorsFor(stream);
  stream.write(`${c.bold(s.model)}: ${s.versions.length} version(s); aliases ${aliasText(s.aliases)}\n`);
  const table = createTable(['version', 'aliases', 'algorithm', 'metrics', 'run', 'registered', 'by', 'why'], stream);
  for (const v of s.versions) {
    const l = v.lineage as { algorithm?: string; metrics?: Record<string, unknown>; runId?: string };
    table.push([String(v.version), v.aliases.join(', ') || '-', l.algorithm ?? '-', metricsText(l.metrics), l.runId ?? '-', formatTime(v.registeredAt), v.registeredBy, v.why ?? '']);
  }
  stream.write(`${table.toString()}\n`);
  if (s.history.length) {
    stream.write('alias history (oldest first):\n');
    for (const h of s.history) {
      stream.write(`  ${formatTime(h.at)}  ${h.alias}: ${h.from ?? '(new)'} → ${h.to}  by ${h.by}${h.why ? `  "${h.why}"` : ''}\n`);
    }
  }
  const v = s.selected;
  const l = v.lineage as Record<string, unknown>;
  stream.write(`version ${v.version} (models:/${v.name}/${v.version}) at ${v.dir}\n`);
  stream.write(`  manifest sha256 ${v.manifestSha256}\n  source ${v.source}\n`);
  for (const key of ['runId', 'dag', 'dagFile', 'params', 'dataDigest', 'mlcycleVersion', 'metrics', 'signedBy']) {
    if (l[key] !== undefined && l[key] !== null) stream.write(`  ${key}: ${typeof l[key] === 'string' ? l[key] : JSON.stringify(l[key])}\n`);
  }
  const nodes = l.runNodes as Record<string, { task: string; codeDigest: string | null }> | undefined;
  if (nodes) stream.write(`  code: ${Object.entries(nodes).map(([id, n]) => `${id} ${n.codeDigest ? n.codeDigest.slice(0, 12) : '-'}`).join(', ')}\n`);
  const data = l.dataFiles as Record<string, string> | undefined;
  if (data) for (const [file, digest] of Object.entries(data)) stream.write(`  data file: ${file} sha256 ${digest}\n`);
  if (Object.keys(v.tags).length) stream.write(`  tags: ${Object.entries(v.tags).map(([k, t]) => `${k}=${t}`).join(', ')}\n`);
}

function metricsText(metrics: Record<string, unknown> | undefined): string {
  if (!metrics) return '-';
  return Object.entries(metrics).slice(0, 3).map(([k, m]) => `${k}=${typeof m === 'number' ? Number(m.toPrecision(4)) : JSON.stringify(m)}`).join(' ') || '-';
}
