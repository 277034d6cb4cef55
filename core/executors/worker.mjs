// Worker-thread entry for the piscina pool. Plain JS because it must exist before TypeScript can load:
// it makes the same jiti instance as the CLI (core/ts-loader.mjs: TypeScript, `mlcycle` aliases) and
// hands each request to worker-entry.ts, loading task modules through that instance.
import { fileURLToPath } from 'node:url';
import { createTsLoader, importThrough } from '../ts-loader.mjs';

const jiti = createTsLoader();
const entry = await jiti.import(fileURLToPath(new URL('./worker-entry.ts', import.meta.url)));
entry.setModuleLoader((url) => importThrough(jiti, url));

export default function run(message) {
  return entry.runInWorker(message);
}
