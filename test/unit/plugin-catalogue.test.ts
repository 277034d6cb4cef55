import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defineTask, Json, many, Metrics, Table, Type } from '../../core/index.ts';
import {
  cataloguePath, collectTasks, describeTask, generateCatalogue, renderCatalogue, renderTask, repoRoot, taskFiles, tsdocAbove,
} from '../tools/plugin-catalogue.ts';

const REGENERATE = 'node cli/run-ts.mjs test/tools/plugin-catalogue.ts';

describe('docs/plugins.md', () => {
  it('is exactly what the generator makes from the task definitions (regenerate it when this fails)', async () => {
    const committed = readFileSync(cataloguePath(), 'utf8');
    const fresh = await generateCatalogue();
    // A readable failure first: the first line that differs.
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const at = b.findIndex((line, i) => line !== a[i]);
    if (at >= 0 || a.length !== b.length) {
      throw new Error(`docs/plugins.md is stale at line ${at + 1}:\n  committed: ${a[at]}\n  generated: ${b[at]}\nRun: ${REGENERATE}`);
    }
    expect(committed).toBe(fresh);
  });

  it('lists every task file, and each file defines a task named after its path', async () => {
    const files = taskFiles().map((f) => relative(repoRoot, f).split('\\').join('/'));
    expect(files.length).toBeGreaterThan(30);
    const tasks = await collectTasks();
    const committed = readFileSync(cataloguePath(), 'utf8');
    for (const file of files) {
      const defined = tasks.filter((t) => t.file === file);
      expect({ file, tasks: defined.length }).toEqual({ file, tasks: 1 });
      const name = file.replace(/^plugins\//, '').replace(/\.ts$/, '');
      expect(defined[0].name).toBe(name);
      expect(committed).toContain(`### ${name}\n`);
      expect(committed).toContain(`\`${file}\``);
    }
  });

  it('gives every task a summary and an example from its TSDoc', async () => {
    const missing = (await collectTasks()).filter((t) => !t.summary || !t.example).map((t) => t.name);
    expect(missing).toEqual([]);
  });
});

describe('plugin-catalogue rendering', () => {
  const source = [
    "import { defineTask } from 'mlcycle';",
    '/**',
    ' * Scales a number by a factor. Second sentence.',
    ' *',
    ' * Details that are not the summary.',
    ' * @example',
    " * const s = b.add('scale', scale, { value }, { factor: 2 });",
    ' * // s.value',
    ' * @see elsewhere',
    ' */',
    'export const scale = defineTask({});',
  ].join('\n');
  const task = defineTask({
    name: 'demo/scale',
    version: 3,
    isolation: 'worker',
    cache: false,
    params: Type.Object({
      factor: Type.Number({ default: 2, exclusiveMinimum: 0, maximum: 10, description: 'Multiplier | applied once.' }),
      mode: Type.Enum(['up', 'down'], { default: 'up' }),
      column: Type.String({ minLength: 1, description: 'Which column.' }),
      layers: Type.Array(Type.Integer({ minimum: 1 }), { default: [4] }),
      note: Type.Optional(Type.String()),
    }),
    inputs: { value: Table, extra: many(Metrics) },
    outputs: { value: Json },
    run: () => ({ value: 1 }),
  });

  it('reads the summary paragraph and the whole first @example block', () => {
    expect(tsdocAbove(source, 'scale')).toEqual({
      summary: 'Scales a number by a factor. Second sentence.',
      example: "const s = b.add('scale', scale, { value }, { factor: 2 });\n// s.value",
    });
    expect(tsdocAbove('export const bare = 1;', 'bare')).toEqual({ summary: '', example: '' });
  });

  it('renders params with type, default, bounds, required and escaped pipes', () => {
    const md = renderTask(describeTask(task, 'scale', 'plugins/demo/scale.ts', source));
    expect(md).toContain('### demo/scale\n');
    expect(md).toContain('version 3');
    expect(md).toContain("isolation: 'worker'");
    expect(md).toContain('never cached (`cache: false`)');
    expect(md).toContain('- **inputs:** `value`: Table, `extra`: many(Metrics)');
    expect(md).toContain('| `factor` | `number` | `2` | > 0, ≤ 10 | Multiplier \\| applied once. |');
    expect(md).toContain("| `mode` | `'up' \\| 'down'` | `\"up\"` |");
    expect(md).toContain('| `column` | `string` | **required** | length ≥ 1 | Which column. |');
    expect(md).toContain('| `layers` | `integer[]` | `[4]` | each ≥ 1 |');
    expect(md).toContain('| `note` | `string` | (optional) |');
  });

  it('changes when a param is added, so a stale page fails the comparison', () => {
    const info = describeTask(task, 'scale', 'plugins/demo/scale.ts', source);
    const before = renderCatalogue([info]);
    const after = renderCatalogue([{ ...info, params: [...info.params, { name: 'bias', type: 'number', required: false, default: 0, constraints: [], description: '' }] }]);
    expect(after).not.toBe(before);
    expect(after).toContain('| `bias` |');
    // Unknown categories still get a section.
    expect(before).toContain('## demo\n');
  });
});
