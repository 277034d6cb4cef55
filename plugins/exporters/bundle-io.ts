/**
 * Reading and serving exported bundles: `loadBundle` verifies a folder written by exporters/bundle,
 * `predictBundle` runs it on new rows. Used by `mlcycle predict` and by anyone embedding a bundle.
 * @example
 * const bundle = await loadBundle('bundles/penguins');
 * const predictions = await predictBundle(bundle, fromCSV(text));
 */
export { loadBundle, type Bundle } from './_bundle-load.ts';
export { predictBundle } from './_bundle-predict.ts';
export { checkFeatures, type InputRows } from './_feature-check.ts';
export type { BundleManifest, BundleLineage } from './_manifest.ts';
