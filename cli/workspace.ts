import type { Command } from 'commander';
import { loadCore, type CliContext, type Core } from './context.ts';
import { homeOf } from './options.ts';

export type { Workspace } from '../core/index.ts';
import type { Workspace } from '../core/index.ts';

/**
 * Opens the command's workspace, runs `fn`, and always closes it (SQLite must not be left open).
 * `fn` also gets core, already loaded, for the functions that take a workspace.
 */
export async function withWorkspace<T>(command: Command, ctx: CliContext, fn: (ws: Workspace, core: Core) => T | Promise<T>): Promise<T> {
  const core = await loadCore(ctx);
  const ws = core.openWorkspace({ home: homeOf(command, ctx) });
  try {
    return await fn(ws, core);
  } finally {
    ws.close();
  }
}
