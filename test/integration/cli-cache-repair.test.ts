/**
 * Classes 2, 3 and 8 of issue 7 through the CLI as a user runs it: `run --no-cache` repairs a
 * corrupt blob of the right size; an edit of a module loaded through createRequire (or of a file
 * read via `new URL(…, import.meta.url)`) re-runs the node; a computed require is refused with how to
 * declare it; `--param data=/dev/zero` is refused at plan time instead of growing without bound.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonStdout, runCli, tempDir } from './cli-harness.ts';

let dir: string;
let home: string;
beforeEach(() => {
  dir = tempDir('mlcycle-cache-repair-');
  home = join(dir, 'home');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A two-node DAG whose first node loads a local helper through createRequire and reads a JSON file via new URL. */
function writeProject(requireLine = "req('./helper.cjs')", extraSpec = ''): void {
  writeFileSync(join(dir, 'helper.cjs'), 'module.exports = { factor: 3 };\n');
  writeFileSync(join(dir, 'weights.json'), '{ "w": 1 }\n');
  writeFileSync(join(dir, 'probe.ts'), `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dag, defineTask, Json, Type } from 'mlcycle';

const req = createRequire(import.meta.url);

const scale = defineTask({
  name: 'probe/scale',
  version: 1,
  params: Type.Object({ x: Type.Number({ default: 2 }) }),
  inputs: {},
  outputs: { value: Json },${extraSpec}
  run: (_in, { x }) => {
    const { w } = JSON.parse(readFileSync(new URL('./weights.json', import.meta.url), 'utf8')) as { w: number };
    return { value: (${requireLine} as { factor: number }).factor * x * w };
  },
});

const describeValue = defineTask({
  name: 'probe/describe',
  version: 1,
  params: Type.Object({}),
  inputs: { value: Json },
  outputs: { text: Json },${extraSpec}
  run: ({ value }) => ({ text: 'value is ' + String(value) + ', '.repeat(40) }),
});

export default dag('probe', (b) => {
  const s = b.add('scale', scale, {}, {});
  return { value: s.value, text: b.add('describe', describeValue, { value: s.value }).text };
});
`);
}

async function run(...extra: string[]) {
  const result = await runCli(['run', 'probe.ts', '--home', home, '--json', ...extra], { cwd: dir });
  return { result, summary: result.code === 0 ? parseJsonStdout(result) : undefined };
}

const cached = (summary: any) => Object.fromEntries(summary.nodes.map((n: any) => [n.id, n.cached]));

describe('mlcycle run --no-cache repairs the store', () => {
  it('a corrupt blob of the right size is rewritten, and cache verify is clean', async () => {
    writeProject();
    const first = await run();
    expect(first.result.code).toBe(0);
    const objects = join(home, 'objects');
    const blobs = readdirSync(objects).filter((s) => s.length === 2).flatMap((s) => readdirSync(join(objects, s)).map((n) => join(objects, s, n)));
    // The longest blob is the describe node's text; flip one byte in it (same size).
    const victim = blobs.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    const good = readFileSync(victim);
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0x20;
    writeFileSync(victim, bad);
    expect((await runCli(['cache', 'verify', '--home', home], { cwd: dir })).code).toBe(1);

    const again = await run('--no-cache');
    expect(again.result.code).toBe(0);
    expect(cached(again.summary)).toEqual({ scale: false, describe: false });
    expect(readFileSync(victim).equals(good)).toBe(true);
    const name = victim.split('/').slice(-2).join('');
    expect(createHash('sha256').update(readFileSync(victim)).digest('hex')).toBe(name);
    const verify = await runCli(['cache', 'verify', '--home', home], { cwd: dir });
    expect(verify.code).toBe(0);
    // The bad copy is kept for inspection.
    expect(readdirSync(join(home, 'quarantine')).some((n) => n.startsWith(name))).toBe(true);
  }, 60_000);
});

describe('code loaded through createRequire and files read via new URL are in the key', () => {
  it('editing the createRequire helper or the new URL file re-runs the node and its dependant', async () => {
    writeProject();
    const first = await run();
    expect(first.summary.outputs.value).toBe(6);
    const hit = await run();
    expect(cached(hit.summary)).toEqual({ scale: true, describe: true });

    writeFileSync(join(dir, 'helper.cjs'), 'module.exports = { factor: 4 };\n');
    const edited = await run();
    expect(cached(edited.summary)).toEqual({ scale: false, describe: false });
    expect(edited.summary.outputs.value).toBe(8);

    writeFileSync(join(dir, 'weights.json'), '{ "w": 10 }\n');
    const reweighted = await run();
    expect(cached(reweighted.summary)).toEqual({ scale: false, describe: false });
    expect(reweighted.summary.outputs.value).toBe(80);
  }, 90_000);

  it('a computed require is refused (exit 2) with how to declare it; declared codeFiles are hashed', async () => {
    writeProject("req(process.env.PROBE_HELPER ?? './helper.cjs')");
    const refused = await run();
    expect(refused.result.code).toBe(2);
    expect(refused.result.stderr).toContain(
      "task 'probe/scale' loads code the cache key cannot follow: probe.ts:16: req(process.env.PROBE_HELPER ?? './helper.cjs') (req() with a computed specifier)",
    );
    expect(refused.result.stderr).toContain("list every local file it may load in defineTask's codeFiles");

    // Both tasks of the module declare it: the computed load is in their module, so in both digests.
    writeProject("req(process.env.PROBE_HELPER ?? './helper.cjs')", "\n  codeFiles: ['./helper.cjs'],");
    const declared = await run();
    expect(declared.result.code).toBe(0);
    expect(declared.summary.outputs.value).toBe(6);
    writeFileSync(join(dir, 'helper.cjs'), 'module.exports = { factor: 5 };\n');
    const edited = await run();
    expect(cached(edited.summary).scale).toBe(false);
    expect(edited.summary.outputs.value).toBe(10);
  }, 90_000);
});

describe('a data param naming what is not a regular file', () => {
  it('--param data=/dev/zero exits 2 at once, naming it, instead of reading without end', async () => {
    const result = await runCli(['run', 'dags/penguins.ts', '--home', home, '--param', 'data=/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'/dev/zero' is not a regular file");
  }, 60_000);
});
