import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { scaffoldFiles } from '../init/templates.ts';

/** `mlcycle init <dir>`: a runnable starter project (one DAG, two small tasks, a README). */
export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('scaffold a project: package.json, dags/hello.ts, plugins/hello/*.ts, README')
    .argument('<dir>', 'folder to create (must be empty or absent)')
    .action((dir: string) => {
      const root = resolve(ctx.cwd, dir);
      if (existsSync(root)) {
        if (!statSync(root).isDirectory()) throw new UsageError(`cannot init '${dir}': it is a file; pick a new folder name.`);
        if (readdirSync(root).length > 0) {
          throw new UsageError(`cannot init '${dir}': the folder is not empty, and init never overwrites files; pick a new or empty folder.`);
        }
      }
      const name = toPackageName(basename(root));
      const files = scaffoldFiles({ name, binPath: ctx.binPath, corePath: ctx.corePath });
      for (const [rel, text] of Object.entries(files)) {
        const target = join(root, rel);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text, { flag: 'wx' });
      }
      ctx.stderr.write(
        `created ${Object.keys(files).length} files in ${root}\n` +
          `next:\n  cd ${dir}\n  npm run mlcycle -- run dags/hello.ts\n`,
      );
    });
}

function toPackageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'mlcycle-project';
}
