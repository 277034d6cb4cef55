/**
 * TaskContext.home as a task sees it, through `mlcycle run` as a user runs it: the absolute workspace
 * folder on the main thread and in a worker thread (`--executor threads`), and never part of a cache
 * key (the same node in two workspaces has one key).
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { fixture, parseJsonStdout, runCli, tempDir } from './cli-harness.ts';

const dagFile = fixture('context-home.ts');

describe('TaskContext.home', () => {
  it.each([['inprocess', true], ['threads', false]] as const)('is the absolute workspace with --executor %s', async (executor, mainThread) => {
    const cwd = tempDir('mlcycle-ctx-home-');
    // A relative --home: the task must get it resolved, as every message names the real folder.
    const run = await runCli(['--home', 'ws', 'run', dagFile, '--executor', executor, '--json'], { cwd });
    expect(run.code).toBe(0);
    expect(parseJsonStdout(run).outputs.where).toEqual({ home: join(cwd, 'ws'), mainThread });
  }, 60_000);

  it('stays out of the cache key: one node, two workspaces, one key', async () => {
    const keyIn = async (home: string) => {
      const run = parseJsonStdout(await runCli(['--home', home, 'run', dagFile, '--json']));
      const shown = parseJsonStdout(await runCli(['--home', home, 'runs', 'show', run.runId, '--json']));
      return shown.nodes[0].key as string;
    };
    const [a, b] = [join(tempDir(), 'a'), join(tempDir(), 'b')];
    const keyA = await keyIn(a);
    expect(keyA).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyIn(b)).toBe(keyA);
  }, 60_000);
});
