/**
 * The package root: what `import … from 'mlcycle'` gives, in a DAG file (through the CLI's loader)
 * and in a plain Node application (compiled, see package.json "exports"). It is core's public API
 * (core/index.ts) plus the serving API, which lives among the plugins because it reads bundles and
 * runs models, and core never imports plugins.
 * @example
 * import { dag, Type, loadModel } from 'mlcycle';
 */
export * from '../core/index.ts';
export { isModelUri, loadModel, type LoadedModel, type LoadModelOptions, type ModelPredictOptions, type ModelRows } from './serving/load-model.ts';
