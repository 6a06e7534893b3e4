/**
 * Matching agent SDKs: a repository's declared dependency on one, and a copy
 * installed in a project's `node_modules`. Each observation carries the exact
 * package name in its ecosystem, so matching is an index lookup (an npm
 * `claude` or a PyPI `codex` is no catalog SDK's key), and every match is
 * `confirmed`: the package is the vendor's and runs the agent. Pure.
 */
import type { Detection, DependencyObservation, SdkInstallObservation } from '../types.js';
import { key, type CompiledCatalog } from './compile.js';

const ECOSYSTEM_WORD: Record<DependencyObservation['ecosystem'], string> = { npm: 'npm', pip: 'PyPI', go: 'Go module' };

export function matchDependency(observation: DependencyObservation, catalog: CompiledCatalog): Detection[] {
  const tools = catalog.index.get(key.sdk(observation.ecosystem, observation.name)) ?? [];
  return tools.map((tool) => ({
    tool: tool.entry.id,
    kind: 'dependency' as const,
    confidence: 'confirmed' as const,
    evidence: {
      path: `${observation.root}/${observation.file}`,
      root: observation.root,
      file: observation.file,
      status: observation.status,
      line: observation.line,
      package: observation.name,
      ecosystem: observation.ecosystem,
      ...(observation.spec ? { spec: observation.spec } : {}),
      field: observation.field,
      ...(observation.alias ? { alias: observation.alias } : {}),
      ...(observation.commit ? { commit: observation.commit } : {}),
      matched: `${ECOSYSTEM_WORD[observation.ecosystem]} SDK ${observation.name}${observation.alias ? ` as ${observation.alias}` : ''} (${observation.field})`,
    },
  }));
}

export function matchSdkInstall(observation: SdkInstallObservation, catalog: CompiledCatalog): Detection[] {
  const tools = catalog.index.get(key.sdk('npm', observation.name)) ?? [];
  return tools.map((tool) => ({
    tool: tool.entry.id,
    kind: 'package' as const,
    confidence: 'confirmed' as const,
    evidence: {
      path: observation.path,
      package: observation.name,
      ...(observation.version ? { version: observation.version } : {}),
      installMethod: 'sdk' as const,
      project: observation.project,
      matched: `npm SDK ${observation.name} installed in ${observation.project}`,
    },
  }));
}
