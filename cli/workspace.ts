import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Whether the command's workspace has a run store yet. Read-only commands check this first so that
 * `mlcycle runs ls` in a fresh folder does not leave an empty `.mlcycle/` behind.
 */
export function workspaceExists(command: Command, ctx: CliContext): boolean {
  return existsSync(join(homeOf(command, ctx), 'mlcycle.db'));
}
