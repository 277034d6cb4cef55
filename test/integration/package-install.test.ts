/**
 * mlcycle as a dependency of a plain Node 20 application (issue 9): `npm pack` (prepack builds dist/),
 * `npm install <tarball>` into a temporary app, then the app imports `mlcycle` with no loader, loads
 * bundles with `loadModel` and predicts exactly what the installed `mlcycle predict` prints; plain Node
 * also trains (worker pool and forest worker from dist/), a TypeScript app type-checks against the
 * shipped .d.ts, and the installed CLI runs a DAG. The app's files are test/fixtures/package/.
 *
 * The install runs with --ignore-scripts: better-sqlite3's install script downloads a prebuilt binary
 * from GitHub or compiles SQLite with node-gyp (minutes, and neither is the npm registry). The binary
 * the repo's own install built (same Node, same machine) is put where that script would put it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tempDir } from './cli-harness.ts';

const run = promisify(execFile);
const dir = tempDir('mlcycle-package-');
const app = join(dir, 'app');
const penguinsFile = join(repoRoot, 'node_modules/vega-datasets/data/penguins.json');
const require = createRequire(import.meta.url);

// Children get a clean environment: no npm_* of an enclosing `npm test`, no jest's NODE_OPTIONS, no workspace.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_OPTIONS' && k !== 'MLCYCLE_HOME'));
const sh = (cmd: string, args: string[], cwd = app, extraEnv: Record<string, string> = {}) =>
  run(cmd, args, { cwd, env: { ...env, NO_COLOR: '1', ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
const npx = (...args: string[]) => sh('npx', ['--no', '--', ...args]);

let tarball: string;

beforeAll(async () => {
  await sh('npm', ['pack', '--pack-destination', dir, '--silent'], repoRoot);
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', '--ignore-scripts']);
  const sqliteBinary = join(dirname(require.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node');
  mkdirSync(join(app, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  copyFileSync(sqliteBinary, join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
  cpSync(join(repoRoot, 'test/fixtures/package'), app, { recursive: true });
  // Every 40th penguin without its label: the rows both the app and `mlcycle predict` are given.
  const penguins = JSON.parse(readFileSync(penguinsFile, 'utf8')) as Array<Record<string, unknown>>;
  const rows = penguins.filter((_, i) => i % 40 === 0).map(({ Species: _species, ...features }) => features);
  writeFileSync(join(app, 'rows.json'), JSON.stringify(rows));
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('holds the compiled package, the workers it starts and the CLI, not the tests', async () => {
    const { stdout } = await sh('tar', ['-tzf', tarball], dir);
    const files = stdout.split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'dist/plugins/index.js', 'dist/plugins/index.d.ts', 'dist/core/index.js',
      'dist/core/executors/worker.mjs', 'dist/core/ts-loader.mjs', 'dist/plugins/algorithms/_forest-worker.mjs',
      'dist/plugins/serving/load-model.js', 'cli/bin.mjs', 'cli/main.ts', 'core/index.ts', 'plugins/index.ts',
    ]));
    expect(files.filter((f) => /^(test|docs|dags|bundles|\.mlcycle)\//.test(f))).toEqual([]);
  });
});

describe('an application that installed the tarball', () => {
  const predictions = (out: string) => (JSON.parse(out) as { predictions: Array<Record<string, unknown>> }).predictions;

  it('runs the installed CLI: --help, and a DAG (the TypeScript sources through its loader)', async () => {
    expect((await npx('mlcycle', '--help')).stdout).toContain('Usage: mlcycle');
    const { stdout } = await npx('mlcycle', '--home', join(dir, 'home-cli'), 'run', 'dag.ts', '--param', `data=${penguinsFile}`, '--param', 'out=bundles', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded' });
  }, 120_000);

  it("loadModel(dir).predict from plain Node equals the installed `mlcycle predict` (forest, MLP, k-NN)", async () => {
    const out = JSON.parse((await sh('node', ['app.mjs', 'rows.json', 'bundles/forest', 'bundles/mlp', 'bundles/knn'])).stdout);
    expect(out.api).toEqual({ dag: 'function', typeObject: 'function', isModelUri: true });
    for (const name of ['forest', 'mlp', 'knn']) {
      const model = out.models[`bundles/${name}`];
      expect(model).toMatchObject({ name: `penguins-${name}`, version: null });
      const cli = predictions((await npx('mlcycle', 'predict', `bundles/${name}`, 'rows.json', '--json')).stdout);
      expect(model.predictions).toHaveLength(cli.length);
      // The CLI repeats the input columns; the app gets only what the model adds.
      expect(model.predictions).toEqual(cli.map((row) => Object.fromEntries(Object.keys(model.predictions[0]).map((k) => [k, row[k]]))));
      expect(Object.keys(model.predictions[0])).toEqual(['predicted', 'prob_Adelie', 'prob_Chinstrap', 'prob_Gentoo']);
    }
  }, 120_000);

  it('loadModel(models:/…) reads the registry the installed CLI wrote (SQLite from plain Node)', async () => {
    const home = join(dir, 'home-registry');
    await npx('mlcycle', '--home', home, 'models', 'register', 'bundles/knn', '--name', 'penguins');
    const out = JSON.parse((await sh('node', ['app.mjs', 'rows.json', 'models:/penguins/1', 'bundles/knn'], app, { MLCYCLE_HOME: home })).stdout);
    expect(out.models['models:/penguins/1']).toMatchObject({ name: 'penguins', version: 1 });
    expect(out.models['models:/penguins/1'].predictions).toEqual(out.models['bundles/knn'].predictions);
  }, 120_000);

  it('trains from plain Node on worker threads (pool and forest workers from dist/): the same forest as the CLI', async () => {
    const { stdout } = await sh('node', ['train.mjs', penguinsFile, join(app, 'node-forest'), join(dir, 'home-node')]);
    const summary = JSON.parse(stdout);
    expect(summary.nodes.filter((n: { status: string }) => n.status !== 'succeeded')).toEqual([]);
    expect(summary.status).toBe('succeeded');
    // Compiled code finds mlcycle's package.json one folder deeper (dist/) and records its version.
    const manifest = JSON.parse(readFileSync(join(app, 'node-forest/manifest.json'), 'utf8'));
    expect(manifest.lineage.mlcycleVersion).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const out = JSON.parse((await sh('node', ['app.mjs', 'rows.json', 'bundles/forest', 'node-forest'])).stdout);
    expect(out.models['node-forest'].predictions).toEqual(out.models['bundles/forest'].predictions);
  }, 120_000);

  it('type-checks a TypeScript app against the shipped .d.ts (NodeNext)', async () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true,
        // @types/node is the app's own dependency in real life; here the repo's copy stands in.
        types: ['node'], typeRoots: [join(repoRoot, 'node_modules/@types')],
      },
      files: ['app.ts'],
    }));
    const tsc = require.resolve('typescript/bin/tsc');
    await expect(sh(process.execPath, [tsc, '-p', 'tsconfig.json'])).resolves.toMatchObject({ stderr: '' });
  }, 120_000);
});
