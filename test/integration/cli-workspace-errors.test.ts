/**
 * Workspace errors a user can cause, through the CLI as a user runs it: a `--home` that is a file,
 * and a store that cannot be written (a read-only mount; a user without write permission). Read
 * commands keep working on a read-only store; write commands say it is read-only, exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, parseJsonStdout, runCli, spawnCli, tempDir, waitForStderr } from './cli-harness.ts';

const slow = fixture('slow.ts');
const fast = { MLCYCLE_FIXTURE_SLEEP_MS: '10' };

describe('--home naming a file', () => {
  const dir = tempDir();
  const file = join(dir, 'not-a-folder');
  writeFileSync(file, 'keep me\n');
  const commands = [['run', slow], ['plan', slow], ['runs', 'ls'], ['runs', 'show', 'abc'], ['cache', 'verify'], ['cache', 'gc']];

  it.each(commands)('%s %s: exit 2 naming it, the file untouched', async (...args) => {
    const r = await runCli([...args, '--home', file], { env: fast });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--home ${file} is a file, not a folder`);
    expect(r.stderr).not.toMatch(/no runs yet|EEXIST|ENOTDIR|MLCYCLE_DEBUG/);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });

  it('says the same for MLCYCLE_HOME, and names a file further up the path', async () => {
    const env = await runCli(['runs', 'ls'], { env: { MLCYCLE_HOME: file } });
    expect([env.code, env.stderr]).toEqual([2, expect.stringContaining(`MLCYCLE_HOME ${file} is a file, not a folder`)]);
    const below = await runCli(['run', slow, '--home', join(file, 'ws')], { env: fast });
    expect(below.code).toBe(2);
    expect(below.stderr).toContain(`${file} is a file, not a folder`);
  });
});

/** A workspace with one succeeded run and one killed with SIGKILL. */
async function workspaceWithRuns(home: string): Promise<void> {
  expect((await runCli(['run', slow, '--home', home], { env: fast })).code).toBe(0);
  // --no-cache: the sleep is not in the key, so without it the first run's results would serve this one.
  const child = spawnCli(['run', slow, '--home', home, '--concurrency', '2', '--no-cache'], { env: { MLCYCLE_FIXTURE_SLEEP_MS: '60000' } });
  await waitForStderr(child, 'sleeping 60000ms', 60_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill('SIGKILL');
  await child.result;
}

/** What every read command must still do on a store it cannot write. */
async function expectReadCommandsWork(home: string, env: Record<string, string> = {}, as?: string[]) {
  const cli = (args: string[]) => (as ? runAs(as, args, env) : runCli(args, { env }));
  const ls = await cli(['runs', 'ls', '--home', home, '--json']);
  expect(ls.code).toBe(0);
  const runs = parseJsonStdout(ls).runs;
  // The killed run reads as interrupted though nobody could record it so.
  expect(runs.map((r: any) => r.status)).toEqual(['interrupted', 'succeeded']);
  const show = await cli(['runs', 'show', runs[0].id, '--home', home, '--json']);
  expect(show.code).toBe(0);
  expect(Object.fromEntries(parseJsonStdout(show).nodes.map((n: any) => [n.node, n.status]))).toEqual({ first: 'succeeded', last: 'succeeded', wait: 'interrupted' });
  const plan = await cli(['plan', slow, '--home', home, '--json']);
  expect(plan.code).toBe(0);
  expect(parseJsonStdout(plan).nodes.map((n: any) => n.state)).toEqual(['cached', 'cached', 'cached']);
  const graph = await cli(['graph', slow, '--home', home]);
  expect(graph.code).toBe(0);
  const run = await cli(['run', slow, '--home', home]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`the workspace store ${join(home, 'mlcycle.db')} is read-only: `);
  expect(run.stderr).not.toContain('MLCYCLE_DEBUG');
  return run.stderr;
}

function runAs(as: string[], args: string[], env: Record<string, string>) {
  const r = spawnSync(as[0], [...as.slice(1), 'env', 'NO_COLOR=1', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, join(process.cwd(), 'cli', 'bin.mjs'), ...args], { encoding: 'utf8' });
  return Promise.resolve({ code: r.status, signal: null, stdout: r.stdout, stderr: r.stderr });
}

describe('a read-only store', () => {
  // Mounted in beforeAll (not at collection), so a run that filters these tests out mounts nothing.
  let mnt = '';
  let mounted = false;
  beforeAll(() => {
    mnt = tempDir('mlcycle-ro-');
    mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]).status === 0;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [mnt]);
  });

  it('on a read-only mount: read commands work, run exits 2 saying so', async () => {
    if (!mounted) return console.log(`skipped: cannot mount a tmpfs on ${mnt} (needs root)`);
    const home = join(mnt, 'home');
    await workspaceWithRuns(home);
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    const stderr = await expectReadCommandsWork(home, fast);
    expect(stderr).toContain('it is on a read-only file system');
  }, 120_000);

  it('for a user who may not write it: read commands work, run exits 2 saying so', async () => {
    if (spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']).status !== 0) {
      return console.log('skipped: cannot run as nobody with setpriv (needs root and util-linux)');
    }
    const dir = tempDir('mlcycle-nobody-');
    const home = join(dir, 'home');
    mkdirSync(home);
    await workspaceWithRuns(home);
    chmodSync(dir, 0o755);
    const stderr = await expectReadCommandsWork(home, fast, ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']);
    expect(stderr).toContain(`this user may not write ${home} (EACCES)`);
  }, 120_000);
});
