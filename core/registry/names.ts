/**
 * Names in the model registry and the `models:/` URIs that point into it. Model names become folder
 * names under `<home>/models/`, so they are plain names only; an alias must not look like a version
 * number, so `name@3` can never be mistaken for `name/3`.
 */
import { ValidationError } from '../errors.ts';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const TAG_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** The prefix of a registry URI. */
export const MODELS_URI_PREFIX = 'models:/';

/**
 * Throws a ValidationError unless `name` can name a registered model.
 * @example
 * checkModelName('penguins'); // ok
 * checkModelName('../x');     // throws
 */
export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name) || /^\.+$/.test(name)) {
    throw new ValidationError(
      `model name ${JSON.stringify(name).slice(0, 70)} is not valid: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit (e.g. penguins)`,
    );
  }
  return name;
}

/**
 * Throws a ValidationError unless `alias` can name an alias (a letter first, so it never reads as a version).
 * @example
 * checkAlias('champion'); // ok
 */
export function checkAlias(alias: string): string {
  if (!ALIAS_NAME.test(alias)) {
    throw new ValidationError(
      `alias ${JSON.stringify(alias).slice(0, 70)} is not valid: use 1-64 letters, digits, '_' or '-', starting with a letter (e.g. champion)`,
    );
  }
  return alias;
}

/**
 * Throws a ValidationError unless `key` can name a tag.
 * @example
 * checkTagKey('reviewed-by'); // ok
 */
export function checkTagKey(key: string): string {
  if (!TAG_KEY.test(key)) {
    throw new ValidationError(`tag key ${JSON.stringify(key).slice(0, 70)} is not valid: use 1-64 letters, digits, '_', '.', ':' or '-'`);
  }
  return key;
}

/** Which version of a model a reference means: a number, an alias, or (neither) the latest. */
export interface ModelRef {
  name: string;
  version?: number;
  alias?: string;
}

/**
 * Parses `name`, `name@alias` or `name/version` (the part after `models:/`, or a `models show` argument).
 * @example
 * parseModelRef('penguins@champion'); // { name: 'penguins', alias: 'champion' }
 * parseModelRef('penguins/3');        // { name: 'penguins', version: 3 }
 */
export function parseModelRef(text: string): ModelRef {
  const at = text.indexOf('@');
  if (at >= 0) return { name: checkModelName(text.slice(0, at)), alias: checkAlias(text.slice(at + 1)) };
  const slash = text.indexOf('/');
  if (slash < 0) return { name: checkModelName(text) };
  const name = checkModelName(text.slice(0, slash));
  const version = text.slice(slash + 1);
  if (!/^[1-9][0-9]{0,8}$/.test(version)) {
    throw new ValidationError(`version '${version.slice(0, 20)}' of model '${name}' is not valid: a version is a whole number >= 1 (e.g. ${name}/3)`);
  }
  return { name, version: Number(version) };
}

/**
 * Parses `models:/name@alias` or `models:/name/version`; undefined when `text` is not a registry URI.
 * @example
 * parseModelUri('models:/penguins@champion'); // { name: 'penguins', alias: 'champion' }
 * parseModelUri('bundles/penguins');          // undefined
 */
export function parseModelUri(text: string): ModelRef | undefined {
  if (!text.startsWith(MODELS_URI_PREFIX)) return undefined;
  return parseModelRef(text.slice(MODELS_URI_PREFIX.length));
}
