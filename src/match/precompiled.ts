/**
 * The built-in catalog's OS-only compile (see PrecompiledCatalog), made by
 * scripts/build.mjs and written into the build as JSON text per OS
 * (./precompiled-data.ts); only the host's is parsed. Running from source
 * (the tests), there is none and compileCatalog works it out itself.
 */
import type { OperatingSystem } from '../catalog/schema.js';
import type { PrecompiledCatalog } from './compile.js';
import BUILT from './precompiled-data.js';

export function precompiledCatalog(os: OperatingSystem): PrecompiledCatalog | undefined {
  const text = (BUILT as Partial<Record<OperatingSystem, () => string>> | undefined)?.[os]?.();
  return text === undefined ? undefined : (JSON.parse(text) as PrecompiledCatalog);
}
