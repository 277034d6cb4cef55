import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCore, type CliContext, type Core } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { scaffoldFiles } from '../init/templates.ts';

/** `mlcycle init <dir>`: a runnable starter project (one DAG, two small tasks, a README). */
export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('scaffold a project: package.json, dags/hello.ts, plugins/hello/*.ts, README')
    .argument('<dir>', 'folder to create (must be empty or absent)')
    .action(async (dir: string) => {
      const root = resolve(ctx.cwd, dir);
      if (existsSync(root)) {
        if (!statSync(root).isDirectory()) throw new UsageError(`cannot init '${dir}': it is a file; pick a new folder name.`);
        if (readdirSync(root).length > 0) {
          throw new UsageError(`cannot init '${dir}': the folder is not empty, and init never overwrites files; pick a new or empty folder.`);
        }
      }
      const name = toPackageName(basename(root));
      const files = scaffoldFiles({ name, binPath: ctx.binPath, corePath: ctx.corePath });
      writeScaffold(await loadCore(ctx), root, files);
      ctx.stderr.write(
        `created ${Object.keys(files).length} files in ${root}\n` +
          `next:\n  cd ${dir}\n  npm run mlcycle -- run dags/hello.ts\n`,
      );
    });
}

/**
 * Each file atomically and never over an existing one; on any failure (a full disk) everything this
 * call created is removed again, so the user never gets half a project that looks whole.
 */
function writeScaffold(core: Core, root: string, files: Record<string, string>): void {
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const [rel, text] of Object.entries(files)) {
      const target = join(root, rel);
      const made = mkdirSync(dirname(target), { recursive: true });
      if (made) createdDirs.push(...foldersBetween(made, dirname(target)));
      core.writeUserFile(target, text, { overwrite: false });
      createdFiles.push(target);
    }
  } catch (err) {
    for (const file of createdFiles) unlinkQuietly(file);
    // Deepest first; rmdir (not rm -r) so a file someone else put there meanwhile is never removed.
    for (const folder of createdDirs.sort((a, b) => b.length - a.length)) rmdirQuietly(folder);
    throw err;
  }
}

/** `top` and every folder under it down to `bottom` (what one mkdir -p created). */
function foldersBetween(top: string, bottom: string): string[] {
  const out = [bottom];
  for (let d = bottom; d !== top && dirname(d) !== d; ) out.push((d = dirname(d)));
  return out;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function rmdirQuietly(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty or gone: leave it.
  }
}

function toPackageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'mlcycle-project';
}
