/**
 * The package files the standalone executable carries inside itself
 * (scripts/build-sea.mjs): it has no package folder beside it to read
 * package.json or policies/*.yaml from. In the regular build and under
 * tests nothing is embedded and the files are read as before.
 *
 * esbuild's `define` replaces AITOOL_EMBEDDED with an object literal in the
 * standalone build only; elsewhere the name is never declared, and `typeof`
 * is the one way to test an undeclared name without a ReferenceError.
 */
import { createRequire } from 'node:module';

declare const AITOOL_EMBEDDED: { version: string; presets: Readonly<Record<string, string>> } | undefined;

const embedded = typeof AITOOL_EMBEDDED === 'undefined' ? undefined : AITOOL_EMBEDDED;

/** package.json's version, when this is the standalone executable. */
export const embeddedVersion: string | undefined = embedded?.version;

/** A preset's YAML text by its name (`strict` for `aitool:strict`), when this is the standalone executable. */
export function embeddedPreset(name: string): string | undefined {
  return embedded !== undefined && Object.prototype.hasOwnProperty.call(embedded.presets, name) ? embedded.presets[name] : undefined;
}

/**
 * The executable itself when this runs as the standalone executable: what
 * installed hooks and services must run, since there is no bin/aitool.js and
 * maybe no node. Asked of Node too (`node:sea`, Node >= 20.12, always the
 * case inside the executable), so the standalone bundle run by a plain
 * `node` records node's own path nowhere as if it were aitool.
 */
export function standaloneExecutable(): string | undefined {
  if (embedded === undefined) return undefined;
  try {
    const sea = createRequire(import.meta.url)('node:sea') as { isSea?: () => boolean };
    return sea.isSea?.() === true ? process.execPath : undefined;
  } catch {
    return undefined;
  }
}
