// Worker-thread entry for the piscina pool. Plain JS because it must exist before TypeScript can load:
// it makes the same jiti instance as the CLI (core/ts-loader.mjs: TypeScript, `mlcycle` aliases) and
// hands each request to worker-entry.ts, loading task modules through that instance. From dist/ it
// loads the compiled worker-entry.js through the same instance, so task modules share its registry.
import { createTsLoader, importThrough, sourceOrBuilt } from '../ts-loader.mjs';

const jiti = createTsLoader();
const entry = await jiti.import(sourceOrBuilt('./worker-entry.ts', import.meta.url));
entry.setModuleLoader((url) => importThrough(jiti, url));

export default function run(message) {
  return entry.runInWorker(message);
}
