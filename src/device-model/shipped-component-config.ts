/**
 * The shipped component configuration (config/component-config/) loaded at build time: `npm run
 * generate` (scripts/generate-shipped-config.ts) stores its components as JSON with the SHA-256 of
 * the files they came from. A start whose config files hash the same takes those components instead
 * of strict-parsing, schema-validating and checking 212 KB of JSON again (20–65 ms of a cold start,
 * issue 9, docs/fleet/cold-start.md); an edited file changes the hash, so edits are never ignored.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { SHIPPED_COMPONENTS_JSON, SHIPPED_CONFIG_SHA256 } from '../generated/shipped-component-config.js';
import type { LoadedComponent } from './types.js';

/** A config file as read from a directory: its path and text. */
export interface ConfigFileText {
  file: string;
  content: unknown;
}

/**
 * SHA-256 (hex) of a config directory's files: each file's path relative to `dir` (with `/`) and
 * its text, in the order given (readConfigDirectory's); undefined when a content is not text.
 *
 * @example
 * configDigest('config/component-config', [{ file: 'config/component-config/custom/EVSE_1.json', content: '{...}' }]);
 */
export function configDigest(dir: string, files: readonly ConfigFileText[]): string | undefined {
  const hash = createHash('sha256');
  for (const { file, content } of files) {
    if (typeof content !== 'string') return undefined;
    // Length-prefixed, so that no two different file lists hash the same text.
    const name = path.relative(dir, file).split(path.sep).join('/');
    hash.update(`${name.length}:${name}\n${content.length}:`).update(content);
  }
  return hash.digest('hex');
}

/**
 * Components as stored by the generator, with each `file` relative to the config directory (`/`).
 * Parsed anew on each call: the caller owns (and may change) what it gets.
 */
function storedComponents(): LoadedComponent[] {
  return JSON.parse(SHIPPED_COMPONENTS_JSON) as LoadedComponent[];
}

/**
 * The components of the shipped configuration, when `files` (read from `dir`) are exactly its
 * files (same names and texts, by SHA-256); else undefined, and the caller loads the files. Each
 * component's `file` names the file under `dir`, as loading it would.
 *
 * @example
 * const components = shippedComponents(dir, files) ?? loadComponentFiles(files, issues);
 */
export function shippedComponents(
  dir: string,
  files: readonly ConfigFileText[],
): LoadedComponent[] | undefined {
  if (files.length === 0 || configDigest(dir, files) !== SHIPPED_CONFIG_SHA256) return undefined;
  const components = storedComponents();
  for (const component of components) component.file = path.join(dir, ...component.file.split('/'));
  return components;
}
