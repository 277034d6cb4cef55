/**
 * `mlcycle predict` as a user runs it (issue 7, class 5 and predict's part of class 4): new data is
 * read through the training loaders with their errors, rows unlike the training data follow
 * --on-invalid, and --out is written atomically, never over the input. Real files, real processes,
 * ENOSPC on a 64k tmpfs (skipped with the reason printed where mount is not allowed).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { fillUp, mountSmallTmpfs, unmountSmallTmpfs } from '../helpers/small-tmpfs.ts';
import { runTask } from '../helpers/task-context.ts';
import { trainPenguins } from '../plugins/exporters-fixture.ts';
import { parseJsonStdout, runCli, tempDir } from './cli-harness.ts';

const dir = tempDir('mlcycle-predict-input-');
const header = 'Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex';
const good = 'Torgersen,39.1,18.7,181,3750,MALE';
const write = (name: string, content: string | Uint8Array) => {
  writeFileSync(join(dir, name), content);
  return name;
};
const predict = (...args: string[]) => runCli(['predict', 'b', ...args], { cwd: dir });

beforeAll(async () => {
  const { model, transform, problem, schema, reference } = await trainPenguins('tree');
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: join(dir, 'b'), name: 'penguins' });
}, 60_000);

describe('predict reads new data as training does (exit 2, file:line: what. fix)', () => {
  it.each([
    ['ragged.csv', `${header}\n${good}\nDream,40\n`, 'ragged.csv:3: line 3 has 2 field(s), the header (line 1) has 6'],
    ['dup.csv', `Island,Island,Sex\nDream,Biscoe,MALE\n`, "dup.csv:1: column 'Island' is named twice in the header (columns 1 and 2)"],
    ['latin1.csv', Uint8Array.from([...Buffer.from(`${header}\nDream,39,18,181,3750,M`), 0xc4, 0x0a]), 'latin1.csv:2: not valid UTF-8: byte 0xc4'],
    ['empty.csv', '', 'empty.csv: file is empty (0 bytes)'],
    ['bad.json', '[{"Island": "Dream",}]', 'bad.json:1: invalid JSON at '],
  ])('%s', async (name, content, expected) => {
    write(name, content);
    const r = await predict(name);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: predict: ${dir}/${expected}`);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('an all-blank row is invalid, named by its line; a BOM is no false "missing column"', async () => {
    write('blank-row.csv', `${header}\n${good}\n,,,,,\n`);
    const r = await predict('blank-row.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: predict: 1 of 2 input rows are not like the training data:\n  row 2 (line 3): every feature is blank\n');
    write('bom.csv', `\uFEFF${header}\n${good}\n`);
    const ok = await predict('bom.csv');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Island,.*,predicted,prob_Adelie,prob_Chinstrap,prob_Gentoo\nTorgersen,39\.1,18\.7,181,3750,MALE,Adelie,/);
  }, 30_000);
});

describe('--on-invalid', () => {
  beforeAll(() => {
    write('mixed.csv', `${header}\n${good}\nAtlantis,39.1,18.7,181,3750,MALE\nDream,39.1,18.7,181.5,3750,FEMALE\n${good}\n`);
  });

  it('error (default): exit 2 listing each invalid row with its line, nothing on stdout', async () => {
    const r = await predict('mixed.csv');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("row 2 (line 3): column 'Island' = \"Atlantis\" was never seen in training (seen: Biscoe, Dream, Torgersen)");
    expect(r.stderr).toContain("row 3 (line 4): column 'Flipper Length (mm)' = 181.5 is not a whole number (training saw only integers)");
    expect(r.stderr).toContain('--on-invalid skip');
  }, 30_000);

  it('skip: the valid rows predicted, the count on stderr and in --json', async () => {
    const r = await predict('mixed.csv', '--on-invalid', 'skip', '--json');
    expect(r.code).toBe(0);
    const out = parseJsonStdout(r) as Record<string, any>;
    expect(out).toMatchObject({ bundle: 'penguins', rows: 2, predicted: 2, onInvalid: 'skip' });
    expect(out.invalid.map((i: { row: number; line: number }) => [i.row, i.line])).toEqual([[2, 3], [3, 4]]);
    expect(out.predictions.map((p: { Island: string }) => p.Island)).toEqual(['Torgersen', 'Torgersen']);
    expect(r.stderr).toContain('(--on-invalid skip: 2 row(s) left out)');
  }, 30_000);

  it('null: every row kept; invalid ones with an empty prediction and invalid_reason', async () => {
    const r = await predict('mixed.csv', '--on-invalid', 'null');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`${header},predicted,prob_Adelie,prob_Chinstrap,prob_Gentoo,invalid_reason`);
    expect(lines[2]).toBe('Atlantis,39.1,18.7,181,3750,MALE,,,,,"column \'Island\' = ""Atlantis"" was never seen in training (seen: Biscoe, Dream, Torgersen)"');
    expect(lines[1]).toMatch(/^Torgersen,39\.1,18\.7,181,3750,MALE,Adelie,[\d.]+,[\d.]+,[\d.]+,$/);
  }, 30_000);

  it('refuses an unknown policy and a non-finite tolerance (exit 2)', async () => {
    expect((await predict('mixed.csv', '--on-invalid', 'guess')).code).toBe(2);
    const r = await predict('mixed.csv', '--range-tolerance', '1e400');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--range-tolerance must be a finite number >= 0');
  }, 30_000);
});

describe('--out', () => {
  it('writes whole files; --out equal to the input (path, symlink, hard link) is refused and the input kept', async () => {
    const input = `${header}\n${good}\n`;
    write('in.csv', input);
    symlinkSync(join(dir, 'in.csv'), join(dir, 'in-link.csv'));
    linkSync(join(dir, 'in.csv'), join(dir, 'in-hard.csv'));
    for (const out of ['in.csv', './in.csv', join(dir, 'in-link.csv'), 'in-hard.csv']) {
      const r = await predict('in.csv', '--out', out);
      expect([out, r.code]).toEqual([out, 2]);
      expect(r.stderr).toContain(`refusing to write '${out}': it is the input file`);
      expect(readFileSync(join(dir, 'in.csv'), 'utf8')).toBe(input);
    }
    const ok = await predict('in.csv', '--out', 'preds.csv');
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'preds.csv'), 'utf8')).toMatch(/^Island,.*predicted.*\nTorgersen,.*,Adelie,/);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('a missing --out folder: exit 2 naming it, before any work', async () => {
    write('in2.csv', `${header}\n${good}\n`);
    const r = await predict('in2.csv', '--out', 'no/such/preds.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`folder ${join(dir, 'no/such')} does not exist`);
  }, 30_000);

  const tmpfs = mountSmallTmpfs('cli-predict-input');
  afterAll(() => unmountSmallTmpfs(tmpfs));
  (tmpfs ? it : it.skip)('ENOSPC: exit 1, the previous --out file byte-identical, no temp file left', async () => {
    const previous = 'previous predictions\n';
    writeFileSync(join(tmpfs!, 'preds.csv'), previous);
    // Enough rows that the CSV cannot fit in what is left of the 64k.
    write('many.csv', `${header}\n${Array.from({ length: 400 }, () => good).join('\n')}\n`);
    fillUp(tmpfs!);
    const r = await predict('many.csv', '--out', join(tmpfs!, 'preds.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no space left on device');
    expect(r.stderr).toContain('the existing file is unchanged');
    expect(readFileSync(join(tmpfs!, 'preds.csv'), 'utf8')).toBe(previous);
    expect(readdirSync(tmpfs!).sort()).toEqual(['filler', 'preds.csv']);
  }, 60_000);
});

describe('--public-key', () => {
  it('is passed to the bundle check: an unsigned bundle with a key required is refused (exit 2)', async () => {
    write('k.csv', `${header}\n${good}\n`);
    const r = await predict('k.csv', '--public-key', 'missing-key.pem');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing-key.pem');
  }, 30_000);
});
