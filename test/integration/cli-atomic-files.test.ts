/**
 * Files the user gets are written atomically (issue 7, class 4): temp + fsync + rename through
 * writeUserFile, for the helper itself and for the CLI commands that write files (runs show --report,
 * init). Real files, a real `kill -9`, and ENOSPC on a 64k tmpfs (skipped, with the reason printed,
 * where mount is not allowed).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import {
  chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync,
  unlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { MlcycleError, ValidationError, writeUserFile } from '../../core/index.ts';
import { fixture, parseJsonStdout, repoRoot, runCli, tempDir } from './cli-harness.ts';
import { fillUp, mountSmallTmpfs, unmountSmallTmpfs } from '../helpers/small-tmpfs.ts';

const tmpfs = { dir: mountSmallTmpfs('cli-atomic-files') };
const onTmpfs = tmpfs.dir ? it : it.skip;
afterAll(() => unmountSmallTmpfs(tmpfs.dir));

const hidden = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));

describe('writeUserFile', () => {
  it('replaces a file whole, keeping its mode, and leaves no temp file', () => {
    const dir = tempDir();
    const file = join(dir, 'out.csv');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    writeUserFile(file, 'a,b\n1,2\n');
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    writeUserFile(join(dir, 'new.bin'), new Uint8Array([1, 2, 3]));
    expect([...readFileSync(join(dir, 'new.bin'))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['new.bin', 'out.csv']);
  });

  it('refuses an output that is one of the inputs, however it is spelled, and leaves the input intact', () => {
    const dir = tempDir();
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'x\n1\n');
    symlinkSync(input, join(dir, 'link.csv'));
    linkSync(input, join(dir, 'hard.csv'));
    mkdirSync(join(dir, 'sub'));
    const spellings = [input, 'in.csv', './sub/../in.csv', join(dir, 'link.csv'), join(dir, 'hard.csv')];
    for (const target of spellings) {
      expect(() => writeUserFile(target, 'y\n', { inputs: ['in.csv'], cwd: dir })).toThrow(ValidationError);
      expect(() => writeUserFile(target, 'y\n', { inputs: ['in.csv'], cwd: dir })).toThrow(/is the input file 'in.csv'.*choose another output file/);
    }
    // The input named through a link is refused too.
    expect(() => writeUserFile(input, 'y\n', { inputs: [join(dir, 'link.csv')] })).toThrow(ValidationError);
    expect(readFileSync(input, 'utf8')).toBe('x\n1\n');
    expect(hidden(dir)).toEqual([]);
  });

  it('writes through a symlink (the link stays), refuses a missing folder, a folder target, and existing files without overwrite', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.txt'), 'old');
    symlinkSync(join(dir, 'real.txt'), join(dir, 'link.txt'));
    writeUserFile(join(dir, 'link.txt'), 'new');
    expect(lstatSync(join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.txt'), 'utf8')).toBe('new');

    const missing = join(dir, 'no-such-folder');
    expect(() => writeUserFile(join(missing, 'r.html'), 'x')).toThrow(`folder ${missing} does not exist; create it first`);
    expect(existsSync(missing)).toBe(false);
    expect(() => writeUserFile(dir, 'x')).toThrow(/it is a folder/);
    expect(() => writeUserFile(join(dir, 'real.txt'), 'x', { overwrite: false })).toThrow(/already exists/);
    expect(readFileSync(join(dir, 'real.txt'), 'utf8')).toBe('new');
    writeUserFile(join(dir, 'fresh.txt'), 'x', { overwrite: false });
    expect(readFileSync(join(dir, 'fresh.txt'), 'utf8')).toBe('x');
    expect(hidden(dir)).toEqual([]);
  });

  it('kill -9 while writing leaves the old file whole; the next write removes the dead writer\'s temp', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.bin');
    writeFileSync(file, 'the old content\n');
    const script = join(dir, 'writer.ts');
    writeFileSync(script, [
      `import { writeUserFile } from ${JSON.stringify(join(repoRoot, 'core/index.ts'))};`,
      `process.stderr.write('ready\\n');`,
      // Big enough that the write + fsync is still under way when the parent sees the temp file.
      `const data = new Uint8Array(64 * 1024 * 1024).fill(7);`,
      `for (;;) writeUserFile(process.argv[2], data);`,
    ].join('\n'));
    const child = spawn(process.execPath, [join(repoRoot, 'cli/run-ts.mjs'), script, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // Kill as soon as a temp beside the file exists: the writer is between open and rename.
    while (!hidden(dir).some((n) => n.startsWith('.big.bin.tmp-'))) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Either the first rename had not happened (old content) or a later temp was being written over
    // a whole new file; never a partial file.
    const now = readFileSync(file);
    if (now.length !== 16) expect(now.length === 64 * 1024 * 1024 && now.every((b) => b === 7)).toBe(true);
    else expect(now.toString()).toBe('the old content\n');
    expect(hidden(dir).length).toBeGreaterThan(0);
    writeUserFile(file, 'after\n');
    expect(readFileSync(file, 'utf8')).toBe('after\n');
    expect(hidden(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  }, 60_000);

  onTmpfs('on ENOSPC the old file stays byte-identical and no temp is left', () => {
    const dir = join(tmpfs.dir!, 'helper');
    mkdirSync(dir);
    const file = join(dir, 'small.txt');
    writeFileSync(file, 'small but precious\n');
    // Larger than the whole file system: fails part-way through the write.
    let caught: unknown;
    try {
      writeUserFile(file, new Uint8Array(128 * 1024).fill(65));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MlcycleError);
    expect((caught as Error).message).toMatch(/no space left on device \(ENOSPC\); the existing file is unchanged/);
    expect(readFileSync(file, 'utf8')).toBe('small but precious\n');
    expect(readdirSync(dir)).toEqual(['small.txt']);
    rmSync(dir, { recursive: true });
  });
});

describe('mlcycle runs show --report', () => {
  let home: string | undefined;
  let runId = '';
  async function diamondRun(): Promise<{ home: string; runId: string }> {
    if (!home) {
      home = join(tempDir(), 'home');
      const run = await runCli(['run', fixture('diamond.ts'), '--home', home, '--json']);
      expect(run.code).toBe(0);
      runId = parseJsonStdout(run).runId;
    }
    return { home, runId };
  }

  it('into a missing folder: exit 2 naming the folder, nothing created', async () => {
    const { home, runId } = await diamondRun();
    const missing = join(tempDir(), 'reports');
    const r = await runCli(['runs', 'show', runId, '--home', home, '--report', join(missing, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: cannot write '${join(missing, 'r.html')}': folder ${missing} does not exist; create it first.`);
    expect(r.stderr).not.toMatch(/ENOENT/);
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it('over the run store it reads: exit 2, the store still works', async () => {
    const { home, runId } = await diamondRun();
    const r = await runCli(['runs', 'show', runId, '--home', home, '--report', join(home, 'mlcycle.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write '.*mlcycle\.db': it is the input file/);
    const again = await runCli(['runs', 'show', runId, '--home', home, '--json']);
    expect(again.code).toBe(0);
    expect(parseJsonStdout(again).run.status).toBe('succeeded');
  }, 60_000);

  onTmpfs('on a full disk: exit 1, the old report byte-identical, no temp left', async () => {
    const { home, runId } = await diamondRun();
    const dir = join(tmpfs.dir!, 'cli');
    mkdirSync(dir);
    const report = join(dir, 'report.html');
    writeFileSync(report, 'old');
    const filler = fillUp(tmpfs.dir!);
    try {
      const r = await runCli(['runs', 'show', runId, '--home', home, '--report', report]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: could not write '${report}': no space left on device (ENOSPC); the existing file is unchanged.`);
      expect(readFileSync(report, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['report.html']);
    } finally {
      unlinkSync(filler);
    }
    // With space again the same command replaces it.
    const ok = await runCli(['runs', 'show', runId, '--home', home, '--report', report]);
    expect(ok.code).toBe(0);
    expect(readFileSync(report, 'utf8')).toBe('<!doctype html><h1>total 9</h1>');
    rmSync(dir, { recursive: true });
  }, 60_000);
});

describe('mlcycle init', () => {
  onTmpfs('on a full disk: exit 1 and no half project left behind', async () => {
    const filler = fillUp(tmpfs.dir!);
    try {
      const project = join(tmpfs.dir!, 'proj');
      const r = await runCli(['init', project]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: could not write '.*': no space left on device \(ENOSPC\)/);
      expect(existsSync(project)).toBe(false);
      expect(readdirSync(tmpfs.dir!)).toEqual(['filler']);
    } finally {
      unlinkSync(filler);
    }
  }, 60_000);
});
