/**
 * Windows' DisplayNames, reduced to the product's name. Its own module
 * because the matcher needs it on every run and the apps scanner, where it
 * is used to read the registry, is loaded only when that scanner runs.
 */

const NAME_QUALIFIER = /\s*\((?:user|machine|system|all users|per[- ]user|current user|x64|x86|amd64|arm64|64[- ]bit|32[- ]bit)\)$/i;
const NAME_VERSION = /\s+(?:[-\u2013]\s+)?(?:version\s+|v)?\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.]+)*$/i;

/**
 * A DisplayName without what installers append to the product's name: a
 * scope or architecture in parentheses and a version, in any order
 * (`Windsurf (User)` → `Windsurf`, `7-Zip 24.08 (x64)` → `7-Zip`,
 * `Ollama version 0.12.3` → `Ollama`).
 */
export function displayNameStem(name: string): string {
  let stem = name.trim();
  for (;;) {
    const next = stem.replace(NAME_QUALIFIER, '').replace(NAME_VERSION, '').trim();
    if (next === stem || next === '') return stem;
    stem = next;
  }
}
