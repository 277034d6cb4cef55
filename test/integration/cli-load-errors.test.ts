import { describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, newHome, runCli, storeExists, tempDir } from './cli-harness.ts';

/**
 * Every way a DAG file can be wrong ends the same way: exit 2, one paragraph on stderr that names the
 * file and the fix, nothing on stdout, and no workspace written.
 */
async function expectLoadError(args: string[], mentions: RegExp[]): Promise<string> {
  const home = newHome();
  const r = await runCli([...args, '--home', home]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.any(String) });
  expect(r.stdout).toBe('');
  const message = r.stderr.trim();
  expect(message).toMatch(/^error: /);
  // One paragraph: no blank line inside, and no stack trace.
  expect(message).not.toMatch(/\n\s*\n/);
  expect(message).not.toMatch(/^\s+at /m);
  for (const m of mentions) expect(message).toMatch(m);
  expect(storeExists(home)).toBe(false);
  expect(existsSync(home)).toBe(false);
  return message;
}

describe('mlcycle run: DAG files that do not load or validate exit 2 and write nothing', () => {
  it.concurrent('missing file', async () => {
    await expectLoadError(['run', 'test/fixtures/dags/nope.ts'], [/test\/fixtures\/dags\/nope\.ts/, /no such file/]);
  });

  it.concurrent('syntax error, with file:line:col, in a DAG outside the repo', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.ts');
    writeFileSync(file, "import { dag } from 'mlcycle';\n\nconst x = ;\nexport default dag('broken', () => {});\n");
    await expectLoadError(['run', file], [new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+`), /syntax error/]);
  });

  it.concurrent('no default export, naming the DAG that should be the default', async () => {
    await expectLoadError(['run', fixture('no-default.ts')], [/no-default\.ts/, /export default dag\(/, /'pipeline'/]);
  });

  it.concurrent('default export that is not a DAG', async () => {
    await expectLoadError(['run', fixture('not-a-dag.ts')], [/not-a-dag\.ts/, /not a DAG/]);
  });

  it.concurrent('cycle (a ValidationError thrown by core in the DAG file is caught as one by the CLI)', async () => {
    await expectLoadError(['run', fixture('cycle.ts')], [/cycle\.ts/, /cycle \(a → b\)|cycle \(b → a\)/]);
  });

  it.concurrent('unknown --param lists the known ones', async () => {
    await expectLoadError(['run', fixture('diamond.ts'), '--param', 'nope=1'], [/diamond\.ts/, /unknown param 'nope'/, /known params: n, bump/]);
  });

  it.concurrent('wrong --param type', async () => {
    await expectLoadError(['run', fixture('diamond.ts'), '--param', 'n=abc'], [/diamond\.ts/, /param 'n'/, /must be number, got "abc"/]);
  });

  it.concurrent('malformed --param (no =)', async () => {
    await expectLoadError(['run', fixture('diamond.ts'), '--param', 'n'], [/--param 'n' is malformed/, /name=value/]);
  });

  it.concurrent('plan and graph report the same errors the same way', async () => {
    await expectLoadError(['plan', fixture('cycle.ts')], [/cycle\.ts/]);
    await expectLoadError(['graph', fixture('no-default.ts')], [/no-default\.ts/]);
  });

  it.concurrent('commander usage errors exit 2, not 1', async () => {
    await expectLoadError(['run', fixture('diamond.ts'), '--concurrency', 'zero'], [/concurrency/]);
    await expectLoadError(['frobnicate'], [/unknown command/]);
  });
});
