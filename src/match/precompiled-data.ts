/**
 * The built-in catalog's OS-only compile as JSON text per OS, each behind a
 * function (so only the host's is compiled, and code-cached). From source
 * there is none; the build (scripts/build.mjs) writes this module's contents
 * from the catalog it bundles.
 */
import type { OperatingSystem } from '../catalog/schema.js';

const PRECOMPILED: Partial<Record<OperatingSystem, () => string>> | undefined = undefined;
export default PRECOMPILED;
