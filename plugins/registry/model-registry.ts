/**
 * The model registry: named models whose versions are immutable, verified copies of exported bundles
 * under `<home>/models/<name>/<version>/`, with aliases (`champion`, `staging`) whose every move is
 * kept in an append-only history. Records live in the run store (core/registry/model-store.ts); this
 * module adds what needs the bundle reader (plugins/exporters), which core may not import.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkAlias, checkModelName, checkTagKey, openModelStore, parseModelRef, parseModelUri, ValidationError,
  type AliasMove, type ModelRef, type ModelStore, type ModelSummary, type ModelVersionRecord,
} from '../../core/index.ts';
import { loadBundle, type Bundle, type LoadBundleOptions } from '../exporters/bundle-io.ts';
import { stageBundle } from './_copy-bundle.ts';

/** A registered version with the folder that holds its files. */
export interface RegisteredModel extends ModelVersionRecord {
  dir: string;
}

export interface RegisterOptions {
  name: string;
  /** Who registers (default: the OS user). */
  by?: string;
  why?: string;
  /** Passed to loadBundle: require a signature by this key (default env MLCYCLE_BUNDLE_PUBLIC_KEY). */
  publicKey?: LoadBundleOptions['publicKey'];
  /** The manifest sha256 the bundle must have (a run's recorded export): a folder overwritten since is refused. */
  expectedManifestSha256?: string;
  /** More provenance to keep with the version (the run's code and data digests), beside the manifest's lineage. */
  lineage?: Record<string, unknown>;
}

export interface ModelRegistry {
  /** Verifies the bundle, copies it in as version n+1 (atomically), records its lineage. */
  register(bundleDir: string, options: RegisterOptions): Promise<RegisteredModel>;
  list(): ModelSummary[];
  /** Every version of a model, oldest first; ValidationError for an unknown model. */
  versions(name: string): RegisteredModel[];
  /** A version by number, alias, or (omitted) the latest; ValidationError naming what is unknown. */
  get(name: string, ref?: number | string): RegisteredModel;
  /** `models:/name@alias`, `models:/name/3`, or `name@alias` / `name/3` / `name`. */
  resolve(uri: string): RegisteredModel;
  /** Loads a registered version, demanding the manifest recorded at registration (a tampered copy is refused). */
  load(uri: string, options?: Omit<LoadBundleOptions, 'expectedManifestSha256'>): Promise<Bundle>;
  setAlias(name: string, alias: string, version: number, options?: { by?: string; why?: string }): AliasMove;
  history(name: string): AliasMove[];
  tag(name: string, version: number, key: string, value: string): void;
  close(): void;
}

/**
 * Opens the registry of the workspace `home` (its run store `mlcycle.db`, its `models/` folder).
 * @example
 * const registry = openModelRegistry('.mlcycle');
 * const v = await registry.register('bundles/penguins', { name: 'penguins', why: 'first forest' });
 * registry.setAlias('penguins', 'champion', v.version, { why: 'beats the baseline' });
 * const bundle = await registry.load('models:/penguins@champion');
 * registry.close();
 */
export function openModelRegistry(home: string): ModelRegistry {
  const root = resolve(home);
  const modelsDir = join(root, 'models');
  mkdirSync(root, { recursive: true });
  const store: ModelStore = openModelStore(join(root, 'mlcycle.db'));
  const withDir = (r: ModelVersionRecord): RegisteredModel => ({ ...r, dir: join(modelsDir, r.name, String(r.version)) });

  const registry: ModelRegistry = {
    async register(bundleDir, options) {
      const name = checkModelName(options.name);
      const source = resolve(bundleDir);
      const staged = await stageBundle(source, join(modelsDir, '.tmp'), {
        ...(options.publicKey === undefined ? {} : { publicKey: options.publicKey }),
        ...(options.expectedManifestSha256 === undefined ? {} : { expectedManifestSha256: options.expectedManifestSha256 }),
      });
      try {
        const record = store.addVersion(name, (version) => {
          const target = join(modelsDir, name, String(version));
          // Under the store's write lock and with no row for this number, a folder here can only be
          // the leftover of a register killed between its rename and its commit: never a version.
          if (existsSync(target)) rmSync(target, { recursive: true, force: true });
          mkdirSync(join(modelsDir, name), { recursive: true });
          renameSync(staged.tmp, target);
        }, { manifestSha256: staged.manifestSha256, source, lineage: { ...lineageOf(staged.bundle), ...options.lineage }, by: options.by ?? osUser(), why: options.why ?? null });
        return withDir(record);
      } finally {
        rmSync(staged.tmp, { recursive: true, force: true });
      }
    },
    list: () => store.list(),
    versions(name) {
      checkModelName(name);
      const all = store.versions(name);
      if (!all.length) throw unknownModel(name);
      return all.map(withDir);
    },
    get(name, ref) {
      checkModelName(name);
      const all = store.versions(name);
      if (!all.length) throw unknownModel(name);
      if (ref === undefined) return withDir(all[all.length - 1]!);
      if (typeof ref === 'number') {
        const found = all.find((v) => v.version === ref);
        if (!found) throw new ValidationError(`model '${name}' has no version ${ref} (versions: ${all.map((v) => v.version).join(', ')}); see mlcycle models show ${name}`);
        return withDir(found);
      }
      checkAlias(ref);
      const aliases = store.aliases(name);
      const version = aliases[ref];
      if (version === undefined) {
        const known = Object.keys(aliases);
        throw new ValidationError(`model '${name}' has no alias '${ref}' (${known.length ? `aliases: ${known.join(', ')}` : 'it has no aliases'}); set one with mlcycle models alias ${name} ${ref} <version>`);
      }
      return withDir(all.find((v) => v.version === version)!);
    },
    resolve(uri) {
      const ref: ModelRef = parseModelUri(uri) ?? parseModelRef(uri);
      return registry.get(ref.name, ref.version ?? ref.alias);
    },
    async load(uri, options = {}) {
      const model = registry.resolve(uri);
      return loadBundle(model.dir, { ...options, expectedManifestSha256: model.manifestSha256 });
    },
    setAlias: (name, alias, version, options = {}) => store.setAlias(name, alias, version, { by: options.by ?? osUser(), why: options.why ?? null }),
    history(name) {
      checkModelName(name);
      return store.history(name);
    },
    tag(name, version, key, value) {
      checkTagKey(key);
      store.setTag(name, version, key, value);
    },
    close: () => store.close(),
  };
  return registry;
}

function unknownModel(name: string): ValidationError {
  return new ValidationError(`no model named '${name}' is registered; see mlcycle models ls, or register one with mlcycle models register <bundle> --name ${name}`);
}

/** What the registry keeps of a bundle's provenance: enough to find the run and judge the model without loading it. */
function lineageOf(bundle: Bundle): Record<string, unknown> {
  const m = bundle.manifest;
  return {
    ...m.lineage,
    bundleName: m.name,
    created: m.created,
    algorithm: m.model.algorithm,
    modelKind: m.model.kind,
    metrics: m.metrics,
    files: m.files,
    signedBy: bundle.verifiedBy,
  };
}

/** The OS user; a container without a passwd entry has none, so fall back to the environment. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
