import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, fixture, parseJsonStdout, runCli, storeExists, tempDir } from './cli-harness.ts';

describe('mlcycle graph', () => {
  it('prints nodes, tasks and port-labelled edges as text, without opening a workspace', async () => {
    const cwd = tempDir();
    const r = await runCli(['graph', fixture('diamond.ts')], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('source (fixtures/source)');
    expect(r.stdout).toContain('left.value → join.left');
    expect(r.stdout).toContain('join.total → report.total');
    expect(storeExists(join(cwd, '.mlcycle'))).toBe(false);
  });

  it('prints Mermaid and DOT, and follows --param', async () => {
    const [mermaid, dot] = await Promise.all([
      runCli(['graph', fixture('diamond.ts'), '--format', 'mermaid']),
      runCli(['graph', fixture('diamond.ts'), '-f', 'dot', '--param', 'bump=5']),
    ]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid.stdout).toMatch(/n1 -->\|"value → left"\| n3/);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "diamond" \{/);
    expect(dot.stdout).toContain('"left" -> "join" [label="value → left"];');
    expect(dot.stdout.trim().endsWith('}')).toBe(true);
  });

  it('rejects an unknown format with exit 2', async () => {
    const r = await runCli(['graph', fixture('diamond.ts'), '--format', 'png']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/png/);
  });
});

describe('mlcycle init', () => {
  it('scaffolds a project that runs from its own folder, importing from mlcycle', async () => {
    const project = join(tempDir(), 'my-project');
    const init = await runCli(['init', project]);
    expect(init.code).toBe(0);
    for (const f of ['package.json', 'README.md', 'dags/hello.ts', 'plugins/hello/greet.ts']) expect(existsSync(join(project, f))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.scripts.mlcycle).toContain(bin);
    expect(readFileSync(join(project, 'dags/hello.ts'), 'utf8')).toContain("from 'mlcycle'");

    // The way a user runs it: from the project folder, workspace defaulting to ./.mlcycle there.
    const run = await runCli(['run', 'dags/hello.ts', '--param', 'name=Ada', '--json'], { cwd: project });
    expect(run.stderr).toContain('✓ greet (hello/greet)');
    expect(run.code).toBe(0);
    const summary = parseJsonStdout(run);
    expect(summary.outputs).toMatchObject({ message: 'Hello, Ada!', loud: 'HELLO, ADA! HELLO, ADA!' });
    expect(storeExists(join(project, '.mlcycle'))).toBe(true);
  });

  it('refuses a non-empty folder and leaves it untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
  });
});

describe('mlcycle --help', () => {
  it('lists the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'plan', 'graph', 'runs', 'cache', 'init']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });
});
