/**
 * The bundle folder swap (exporters/bundle → writeFolderAtomically) under concurrency and after a
 * crash (issue 7, class 4): two real processes exporting to one folder at once both succeed and the
 * folder always ends as one whole bundle; `.tmp-`/`.old-` folders a crashed swap left are removed
 * by the next export, while a live exporter's are not.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';
import { repoRoot } from '../integration/cli-harness.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const metrics = { accuracy: 0.95 };
let root: string;
let tree: Trained;

async function exportTo(dir: string, runId = 'run-parent'): Promise<void> {
  const { model, transform, problem, schema, reference } = tree;
  const ctx = makeContext({ run: { id: runId, dag: 'penguins', params: {} } });
  await runTask(bundle, { model, transform, problem, schema, metrics, reference }, { out: dir, name: 'penguins' }, ctx);
}

/** A process that trains, waits for `go`, then exports to `out` `times` times, each with its own run id. */
function exporterScript(): string {
  const at = (p: string) => JSON.stringify(path.join(repoRoot, p));
  return `
import { existsSync } from 'node:fs';
import { bundle } from ${at('plugins/exporters/bundle.ts')};
import { makeContext, runTask } from ${at('test/helpers/task-context.ts')};
import { trainPenguins } from ${at('test/plugins/exporters-fixture.ts')};
const [out, go, tag, times] = process.argv.slice(2);
const { model, transform, problem, schema, reference } = await trainPenguins('tree');
process.stderr.write('ready\\n');
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < Number(times); i++) {
  const ctx = makeContext({ run: { id: tag + '-' + i, dag: 'penguins', params: {} } });
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.95 }, reference }, { out, name: 'penguins' }, ctx);
}
process.stderr.write('done\\n');
`;
}

function startExporter(script: string, args: string[]): { ready: Promise<void>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'cli/run-ts.mjs'), script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (stderr.includes('ready\n')) onReady();
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((r) => child.on('close', (code) => {
    onReady();
    r({ code, stderr });
  }));
  return { ready, exit };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-swap-'));
  tree = await trainPenguins('tree');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('writeFolderAtomically', () => {
  it('two processes exporting to one folder at once both succeed, and it ends as one whole bundle', async () => {
    const script = path.join(root, 'exporter.ts');
    await writeFile(script, exporterScript());
    for (let round = 0; round < 3; round++) {
      const dir = path.join(root, `concurrent-${round}`);
      await mkdir(dir);
      const out = path.join(dir, 'bundle');
      const go = path.join(dir, 'go');
      const a = startExporter(script, [out, go, 'a', '15']);
      const b = startExporter(script, [out, go, 'b', '15']);
      await Promise.all([a.ready, b.ready]);
      await writeFile(go, '');
      const [ea, eb] = await Promise.all([a.exit, b.exit]);
      expect(ea).toEqual({ code: 0, stderr: 'ready\ndone\n' });
      expect(eb).toEqual({ code: 0, stderr: 'ready\ndone\n' });
      // One whole bundle (every file matches its manifest), written by the last export of a or b.
      const loaded = await loadBundle(out);
      expect(loaded.manifest.lineage.runId).toMatch(/^[ab]-14$/);
      expect((await readdir(out)).sort()).toEqual(['arrays.bin', 'manifest.json', 'model.json', 'preprocessing.json', 'reference-profile.json']);
      expect((await readdir(dir)).sort()).toEqual(['bundle', 'go']);
    }
  }, 240_000);

  it("removes a crashed swap's .tmp-/.old- folders on the next export, but not a live exporter's or another bundle's", async () => {
    const dir = path.join(root, 'crashed');
    const out = path.join(dir, 'penguins');
    await exportTo(out);
    const deadPid = await pidOfExitedProcess();
    const leftovers = {
      // This version's names (host-pid-random) from a process that is gone, one half-written.
      [`.penguins.tmp-${HOST}-${deadPid}-0a1b2c3d`]: { 'model.json': '{"half' },
      [`.penguins.old-${HOST}-${deadPid}-0a1b2c3e`]: { 'manifest.json': '{}' },
      // The previous version's names (pid-random).
      [`.penguins.tmp-${deadPid}-1a2b3c4d`]: { 'x': 'x' },
      // Another machine's (cannot check its pid): kept until a day old, so one is old and one young.
      [`.penguins.old-ffffffff-${deadPid}-2a2b3c4d`]: { 'x': 'x' },
      [`.penguins.tmp-ffffffff-${deadPid}-3a2b3c4d`]: { 'x': 'x' },
    };
    for (const [name, files] of Object.entries(leftovers)) {
      await mkdir(path.join(dir, name));
      for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, name, file), text);
    }
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(path.join(dir, `.penguins.old-ffffffff-${deadPid}-2a2b3c4d`), twoDaysAgo, twoDaysAgo);
    const kept = [
      `.penguins.tmp-${HOST}-${process.pid}-4a2b3c4d`, // a live exporter (this process)
      `.penguins.tmp-ffffffff-${deadPid}-3a2b3c4d`, // another machine's, young
      `.other.tmp-${HOST}-${deadPid}-5a2b3c4d`, // another bundle's
      `.penguins.tmp-not-ours`, // not a name we make
    ];
    for (const name of kept.slice(0, 1).concat(kept.slice(2))) await mkdir(path.join(dir, name));

    await exportTo(out, 'run-after-crash');
    expect((await readdir(dir)).sort()).toEqual(['penguins', ...kept].sort());
    expect((await loadBundle(out)).manifest.lineage.runId).toBe('run-after-crash');
    expect(JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')).name).toBe('penguins');
  }, 60_000);
});

/** The pid of a process that has exited (not reused this quickly on Linux, which cycles through pid_max). */
async function pidOfExitedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}
