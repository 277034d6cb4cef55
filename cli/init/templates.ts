/**
 * The files `mlcycle init` writes. They import from 'mlcycle', which the CLI's loader resolves to
 * this checkout's package root, plugins/index.ts (no install step); tsconfig.json maps the same name for editors and tsc.
 */
export function scaffoldFiles(o: { name: string; binPath: string; corePath: string }): Record<string, string> {
  const run = `node ${JSON.stringify(o.binPath).slice(1, -1)}`;
  return {
    'package.json': `${JSON.stringify(
      {
        name: o.name,
        private: true,
        type: 'module',
        scripts: { mlcycle: run, start: `${run} run dags/hello.ts` },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          // The built-in plugins resolve beside the API, as the CLI's aliases do at run time.
          paths: { mlcycle: [o.corePath.replace(/core[\\/]index\.ts$/, 'plugins/index.ts')], 'mlcycle/plugins/*': [o.corePath.replace(/core[\\/]index\.ts$/, 'plugins/*')] },
        },
        include: ['dags', 'plugins'],
      },
      null,
      2,
    )}\n`,
    '.gitignore': '.mlcycle/\nnode_modules/\n',
    'plugins/hello/greet.ts': GREET,
    'plugins/hello/shout.ts': SHOUT,
    'dags/hello.ts': DAG,
    'README.md': readme(o.name),
  };
}

const GREET = `import { defineTask, Json, Type } from 'mlcycle';

/**
 * Makes a greeting. A task is a pure function of its params and inputs, so its output is cached:
 * run the DAG twice and the second run is served from the cache.
 */
export const greet = defineTask({
  name: 'hello/greet',
  version: 1,
  params: Type.Object({
    name: Type.String({ default: 'world' }),
    greeting: Type.String({ default: 'Hello' }),
  }),
  inputs: {},
  outputs: { message: Json },
  run: (_inputs, { name, greeting }, ctx) => {
    ctx.log.info(\`greeting \${name}\`);
    return { message: \`\${greeting}, \${name}!\` };
  },
});
`;

const SHOUT = `import { defineTask, Json, Type } from 'mlcycle';

/** Upper-cases a message, repeated \`times\` times: a task that reads another task's output. */
export const shout = defineTask({
  name: 'hello/shout',
  version: 1,
  params: Type.Object({ times: Type.Integer({ minimum: 1, default: 1 }) }),
  inputs: { message: Json },
  outputs: { loud: Json },
  run: ({ message }, { times }) => ({ loud: Array.from({ length: times }, () => String(message).toUpperCase()).join(' ') }),
});
`;

const DAG = `import { dag, Type } from 'mlcycle';
import { greet } from '../plugins/hello/greet.ts';
import { shout } from '../plugins/hello/shout.ts';

/**
 * Two nodes: greet → shout. Override a parameter with --param:
 *   mlcycle run dags/hello.ts --param name=Ada
 */
export default dag('hello', (b) => {
  const name = b.param('name', Type.String(), 'world');
  const times = b.param('times', Type.Integer({ minimum: 1 }), 2);
  const { message } = b.add('greet', greet, {}, { name });
  const { loud } = b.add('shout', shout, { message }, { times });
  return { message, loud };
});
`;

function readme(name: string): string {
  return `# ${name}

An [mlcycle](https://github.com/) project: the machine-learning lifecycle as a DAG of typed, cached tasks.

\`\`\`sh
npm run mlcycle -- run dags/hello.ts                 # run the DAG (a second run is all cache hits)
npm run mlcycle -- run dags/hello.ts --param name=Ada # change a parameter: only what it touches re-runs
npm run mlcycle -- plan dags/hello.ts --param name=Ada
npm run mlcycle -- graph dags/hello.ts --format mermaid
npm run mlcycle -- runs ls
\`\`\`

- \`dags/\` holds DAG files: each \`export default dag(...)\`.
- \`plugins/<category>/<name>.ts\` holds one task each, named \`'<category>/<name>'\`.
- \`.mlcycle/\` is the workspace (run store and cached artifacts); it is safe to delete.
`;
}
