import { readFileSync } from 'node:fs';
import { embeddedVersion } from './embedded.js';

/** The package version, read once from package.json beside dist/ (and src/ under tests), or the copy the standalone executable carries. */
export const VERSION: string =
  embeddedVersion ?? (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
