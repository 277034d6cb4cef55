import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { from, fromCSV, toCSV } from 'arquero';
import { Command } from 'commander';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { registerPredict } from '../../cli/commands/predict.ts';
import { UsageError } from '../../cli/exit-codes.ts';
import { loadBundle, predictBundle } from '../../plugins/exporters/bundle-io.ts';
import { bundle } from '../../plugins/exporters/bundle.ts';
import { runTask } from '../helpers/task-context.ts';
import { trainPenguins, type Trained } from './exporters-fixture.ts';

let root: string;
let tree: Trained;
let features: Array<Record<string, unknown>>;

/** Runs `mlcycle predict …` through commander as main.ts would, capturing stdout and stderr. */
async function predict(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const streams = { stdout: new PassThrough(), stderr: new PassThrough() };
  const text = { stdout: '', stderr: '' };
  streams.stdout.on('data', (d) => (text.stdout += d));
  streams.stderr.on('data', (d) => (text.stderr += d));
  const program = new Command('mlcycle').exitOverride();
  registerPredict(program, { cwd: root, ...streams });
  await program.parseAsync(['predict', ...args], { from: 'user' });
  return text;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mlcycle-predict-'));
  tree = await trainPenguins('tree');
  const { model, transform, problem, schema, reference } = tree;
  await runTask(bundle, { model, transform, problem, schema, metrics: { accuracy: 0.9 }, reference }, { out: path.join(root, 'penguins'), name: 'penguins' });
  // One held-out penguin has Sex '.', a category training never saw: by design predict refuses it
  // (test/plugins/predict-strict-input.test.ts covers that row); these tests use the valid rows.
  features = tree.rows.test.map(({ Species, ...rest }) => rest).filter((r) => r.Sex !== '.');
  await writeFile(path.join(root, 'new.csv'), toCSV(from(features)));
  await writeFile(path.join(root, 'new.json'), JSON.stringify(features.slice(0, 3)));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('mlcycle predict', () => {
  it('CSV in, CSV out: the input rows with predicted class and probabilities', async () => {
    const { stderr, stdout } = await predict('penguins', 'new.csv', '--out', 'preds.csv');
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`wrote ${features.length} predictions to .*preds\\.csv`));
    const written = fromCSV(await readFile(path.join(root, 'preds.csv'), 'utf8'));
    const expected = await predictBundle(await loadBundle(path.join(root, 'penguins')), features);
    expect(written.columnNames()).toEqual(expected.columnNames());
    expect(written.array('predicted')).toEqual(expected.array('predicted'));
    expect(written.numRows()).toBe(features.length);
  });

  it('JSON in, --json out: one object on stdout', async () => {
    const { stdout } = await predict('penguins', 'new.json', '--json');
    const out = JSON.parse(stdout);
    expect(out.bundle).toBe('penguins');
    expect(out.rows).toBe(3);
    expect(out.predictions[0]).toMatchObject({ Island: features[0]!.Island, predicted: expect.any(String), prob_Adelie: expect.any(Number) });
  });

  it('without --out, prints CSV on stdout', async () => {
    const { stdout } = await predict('penguins', 'new.json');
    expect(stdout.split('\n')[0]).toContain('predicted,prob_Adelie,prob_Chinstrap,prob_Gentoo');
  });

  it('every failure is a UsageError (exit code 2) with one clear paragraph', async () => {
    await writeFile(path.join(root, 'bad.json'), JSON.stringify([{ Island: 'Biscoe' }]));
    const missing = await predict('penguins', 'bad.json').catch((e) => e);
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toMatch(/^predict: input does not match .*missing column\(s\): 'Beak Length \(mm\)'/);
    expect(missing.message).not.toContain('\n');
    await expect(predict('penguins', 'nope.csv')).rejects.toThrow(/nope\.csv: file not found/);
    await expect(predict('penguins', 'new.xlsx')).rejects.toThrow(/cannot tell the format from the extension '\.xlsx'/);
    await expect(predict('not-a-bundle', 'new.csv')).rejects.toThrow(/refused: manifest\.json is missing/);
    const manifest = path.join(root, 'penguins', 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"accuracy": 0.9', '"accuracy": 1'));
    await expect(predict('penguins', 'new.csv')).rejects.toThrow(UsageError);
  });
});
