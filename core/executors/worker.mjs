// Worker-thread entry for the piscina pool. Plain JS because it must exist before TypeScript can load:
// it creates a jiti instance (TypeScript, `mlcycle` alias) and hands each request to worker-entry.ts.
import { createJiti } from 'jiti';
import { fileURLToPath } from 'node:url';

const coreIndex = fileURLToPath(new URL('../index.ts', import.meta.url));
const plugins = fileURLToPath(new URL('../../plugins', import.meta.url));
// The same aliases as the CLI (cli/runtime.mjs), so task modules load here exactly as there.
const jiti = createJiti(import.meta.url, { alias: { 'mlcycle/plugins': plugins, mlcycle: coreIndex }, fsCache: true, moduleCache: true, tryNative: false });
const entry = await jiti.import(fileURLToPath(new URL('./worker-entry.ts', import.meta.url)));
entry.setModuleLoader((url) => jiti.import(url.startsWith('file:') ? fileURLToPath(url) : url));

export default function run(message) {
  return entry.runInWorker(message);
}
