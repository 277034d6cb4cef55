import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve('cli/bin.mjs');

/** A user project in its own folder: tasks importing a local helper, and a DAG, all from 'mlcycle'. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-proj-'));
  writeFileSync(join(dir, 'helper.ts'), 'export const bonus = 1;\n');
  writeFileSync(join(dir, 'unrelated.ts'), 'export const nothing = 0;\n');
  writeFileSync(join(dir, 'tasks.ts'), `
import { defineTask, Json, Type } from 'mlcycle';
import { bonus } from './helper.ts';
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((res, rej) => {
  const t = setTimeout(res, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); rej(new Error('aborted')); });
});
export const make = defineTask({
  name: 'proj/make', version: 1, params: Type.Object({ n: Type.Number() }), inputs: {}, outputs: { value: Json },
  run: (_i, { n }) => ({ value: n }),
});
export const boost = defineTask({
  name: 'proj/boost', version: 1, params: Type.Object({}), inputs: { value: Json }, outputs: { value: Json },
  run: ({ value }) => ({ value: value + bonus }),
});
export const wait = defineTask({
  name: 'proj/wait', version: 1, params: Type.Object({ ms: Type.Number() }), inputs: { value: Json }, outputs: { value: Json },
  run: async ({ value }, { ms }, ctx) => { await sleep(ms, ctx.signal); return { value }; },
});
`);
  writeFileSync(join(dir, 'dag.ts'), `
import { dag, Type } from 'mlcycle';
import { boost, make, wait } from './tasks.ts';
export default dag('proj', (b) => {
  const ms = b.param('ms', Type.Number(), 0);
  const a = b.add('make', make, {}, { n: 1 });
  const other = b.add('other', make, {}, { n: 2 });
  const up = b.add('boost', boost, { value: a.value });
  const w = b.add('wait', wait, { value: up.value }, { ms });
  return { out: w.value, other: other.value };
});
`);
  return dir;
}

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cachedById = (stdout: string) => Object.fromEntries(JSON.parse(stdout).nodes.map((n: any) => [n.id, n.cached]));

describe('a DAG of the user\'s own, from another folder', () => {
  it('re-runs what a helper edit touches, nothing for an unrelated edit, and plan says why', () => {
    const dir = project();
    const home = join(dir, 'home');
    expect(cli(['run', 'dag.ts', '--home', home, '--json'], dir).code).toBe(0);
    writeFileSync(join(dir, 'unrelated.ts'), 'export const nothing = 1;\n');
    const same = cli(['run', 'dag.ts', '--home', home, '--json'], dir);
    expect(cachedById(same.stdout)).toEqual({ make: true, other: true, boost: true, wait: true });

    writeFileSync(join(dir, 'helper.ts'), 'export const bonus = 10;\n');
    const plan = cli(['plan', 'dag.ts', '--home', home, '--json'], dir);
    const entries = JSON.parse(plan.stdout);
    const boost = (Array.isArray(entries) ? entries : entries.nodes).find((e: any) => e.id === 'boost');
    expect(boost.state).toBe('stale');
    expect(boost.reasons.join(' ')).toMatch(/code changed: .*helper\.ts/);
    // tasks.ts defines every task, so its helper is part of every task's code digest.
    const after = cli(['run', 'dag.ts', '--home', home, '--json'], dir);
    expect(JSON.parse(after.stdout).outputs.out).toBe(11);
  });

  it("uses the built-in plugins through 'mlcycle/plugins/…'", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlcycle-plugins-'));
    writeFileSync(join(dir, 'data.csv'), 'x,y,label\n1,2,a\n2,3,b\n3,1,a\n');
    writeFileSync(join(dir, 'dag.ts'), `
import { dag } from 'mlcycle';
import { csvLoader } from 'mlcycle/plugins/loaders/csv.ts';
import { inferSchema } from 'mlcycle/plugins/validators/infer-schema.ts';
export default dag('with-plugins', (b) => {
  const { table } = b.add('load', csvLoader, {}, { path: 'data.csv' });
  const { schema } = b.add('schema', inferSchema, { table });
  return { schema };
});
`);
    const r = cli(['run', 'dag.ts', '--home', join(dir, 'home'), '--json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).nodes.map((n: any) => n.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('kill -9 mid-run, then re-run: completed nodes are hits and no partial artifact is read', async () => {
    const dir = project();
    const home = join(dir, 'home');
    const child = spawn(process.execPath, [bin, 'run', 'dag.ts', '--home', home, '--param', 'ms=30000'], { cwd: dir });
    let stderr = '';
    await new Promise<void>((res) => {
      child.stderr.on('data', (d) => {
        stderr += String(d);
        if (/wait/.test(stderr) && /boost/.test(stderr) && /✓ boost|boost.*succeeded/.test(stderr)) res();
      });
    });
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const rerun = cli(['run', 'dag.ts', '--home', home, '--param', 'ms=0', '--json'], dir);
    expect(rerun.code).toBe(0);
    expect(cachedById(rerun.stdout)).toEqual({ make: true, other: true, boost: true, wait: false });
    const objects = join(home, 'objects');
    const temp = readdirSync(objects, { recursive: true }).map(String).filter((f) => f.includes('.tmp-'));
    expect(temp).toEqual([]);
  });

  it('two concurrent runs of one DAG on one home both succeed with one blob per digest', async () => {
    const dir = project();
    const home = join(dir, 'home');
    mkdirSync(home);
    const runOnce = () => new Promise<{ code: number | null; stdout: string }>((res) => {
      const c = spawn(process.execPath, [bin, 'run', 'dag.ts', '--home', home, '--param', 'ms=200', '--json'], { cwd: dir });
      let stdout = '';
      c.stdout.on('data', (d) => (stdout += String(d)));
      c.on('exit', (code) => res({ code, stdout }));
    });
    const [a, b] = await Promise.all([runOnce(), runOnce()]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(JSON.parse(a.stdout).outputs).toEqual(JSON.parse(b.stdout).outputs);
    const runs = JSON.parse(cli(['runs', 'ls', '--home', home, '--json'], dir).stdout);
    expect((Array.isArray(runs) ? runs : runs.runs).filter((r: any) => r.status === 'succeeded')).toHaveLength(2);
    const files = readdirSync(join(home, 'objects'), { recursive: true }).map(String).filter((f) => /^[0-9a-f]{2}\/[0-9a-f]{62}$/.test(f));
    const digests = files.map((f) => f.replace('/', ''));
    expect(new Set(digests).size).toBe(digests.length);
    // Outputs are 1, 2, 2, 2: content addressing stores two blobs.
    expect(digests.length).toBe(2);
  });
});
