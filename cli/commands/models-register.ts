import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliContext } from '../context.ts';
import { UsageError } from '../exit-codes.ts';
import { runBundle, runLineage, type RunBundle } from '../run-lineage.ts';
import { withWorkspace, workspaceExists } from '../workspace.ts';
import type { Command } from 'commander';

/** What `models register` registers: a folder, what its manifest must be (from a run), and the run's extra lineage. */
export interface RegisterSource {
  dir: string;
  expectedManifestSha256?: string;
  lineage?: Record<string, unknown>;
}

/**
 * `models register <bundle-dir | run-id>`: an existing folder is a bundle; anything else is looked up
 * as a run id (or unique prefix) whose exporters/bundle node wrote the folder, which must still hold
 * the manifest that run recorded. Either way, when the run is in this workspace, the version's
 * lineage gains the run's code digests and data-file digests from its nodes' cache keys.
 * @example
 * const src = await registerSource('20261201-0102', undefined, command, ctx); // { dir, expectedManifestSha256, lineage }
 */
export async function registerSource(source: string, node: string | undefined, command: Command, ctx: CliContext): Promise<RegisterSource> {
  const folder = resolve(ctx.cwd, source);
  const isFolder = existsSync(folder) && statSync(folder).isDirectory();
  if (isFolder && node !== undefined) throw new UsageError(`models register: --node picks the export of a run; '${source}' is a bundle folder`);
  if (!workspaceExists(command, ctx)) {
    if (isFolder) return { dir: folder };
    throw new UsageError(`models register: '${source}' is neither a bundle folder nor a run of this workspace (it has no runs yet)`);
  }
  return withWorkspace(command, ctx, (ws, core) => {
    let made: RunBundle | undefined;
    let runId: string | undefined;
    if (isFolder) {
      runId = manifestRunId(folder);
    } else {
      runId = ws.store.resolveRunId(source);
      if (!runId) throw new UsageError(`models register: '${source}' is neither a bundle folder nor a run id of this workspace (see mlcycle runs ls)`);
      try {
        made = runBundle(ws, (digest) => core.readArtifact(ws, digest, 'Json'), runId, node);
      } catch (err) {
        throw new UsageError(`models register: ${(err as Error).message}`);
      }
    }
    const lineage = runId === undefined ? undefined : runLineage(ws, runId);
    return {
      dir: made?.dir ?? folder,
      ...(made ? { expectedManifestSha256: made.manifestSha256 } : {}),
      ...(lineage ? { lineage: { runNodes: lineage.nodes, dataFiles: lineage.dataFiles } } : {}),
    };
  });
}

/** The run id a bundle's manifest names, read loosely: register verifies the bundle itself. */
function manifestRunId(folder: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { lineage?: { runId?: unknown } };
    const id = Object.hasOwn(manifest, 'lineage') && manifest.lineage && Object.hasOwn(manifest.lineage, 'runId') ? manifest.lineage.runId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
