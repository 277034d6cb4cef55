import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, fixture, newHome, repoRoot, tempDir } from './cli-harness.ts';

// util-linux `script` gives the CLI a real pseudo-terminal; without it this suite cannot run.
const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const describeTty = script ? describe : describe.skip;

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

describeTty('mlcycle run on a terminal', () => {
  it('draws the live per-node view on stderr and keeps --json stdout clean', async () => {
    const out = join(tempDir(), 'summary.json');
    const command = `stty cols 100 rows 40; ${quote(process.execPath)} ${quote(bin)} run ${quote(fixture('diamond.ts'))} --home ${quote(newHome())} --json > ${quote(out)}`;
    const transcript = await new Promise<string>((resolve, reject) => {
      execFile(script!, ['-qec', command, '/dev/null'], { cwd: repoRoot, env: { ...process.env, CI: '', NO_COLOR: '1' }, timeout: 30_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
    const plain = transcript.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    // listr2 rows (✔ and the node label), not the plain renderer's lines (which start with ✓).
    expect(plain).toMatch(/✔ join \(fixtures\/join\) \d+ms/);
    expect(plain).not.toMatch(/^✓ join/m);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ dag: 'diamond', status: 'succeeded' });
  });
});
