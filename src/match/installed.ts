/**
 * Matching what is installed or configured: home traces, packages, editor
 * extensions, desktop apps, MCP server configurations and profile changes.
 * Each observation carries an exact key (a package name, an extension id, the
 * catalog pattern that found a file), so matching is an index lookup, and
 * every match is `confirmed`. Pure.
 */
import type {
  AppObservation,
  BrowserExtensionObservation,
  SkillObservation,
  ConfigChangeObservation,
  Detection,
  Evidence,
  ExtensionObservation,
  McpServerObservation,
  PackageObservation,
  TraceObservation,
} from '../types.js';
import { displayNameStem } from '../scanners/display-name.js';
import { appPathCandidates } from './candidates.js';
import { key, type CompiledCatalog, type CompiledTool } from './compile.js';

function detections(tools: readonly CompiledTool[] | undefined, kind: Detection['kind'], evidence: Evidence): Detection[] {
  return (tools ?? []).map((tool) => ({ tool: tool.entry.id, kind, confidence: 'confirmed' as const, evidence }));
}

export function matchTrace(observation: TraceObservation, catalog: CompiledCatalog): Detection[] {
  return detections(catalog.index.get(key.trace(observation.pattern)), 'trace', {
    path: observation.path,
    matched: `${observation.isDirectory ? 'folder' : 'file'} ${observation.pattern}`,
  });
}

export function matchPackage(observation: PackageObservation, catalog: CompiledCatalog): Detection[] {
  const native = observation.manager === 'native';
  return detections(catalog.index.get(key.package(observation.manager, observation.name)), 'package', {
    path: observation.path,
    ...(native ? {} : { package: observation.name }),
    ...(observation.version ? { version: observation.version } : {}),
    installMethod: observation.manager,
    matched: native ? `install folder ${observation.name}` : `${observation.manager} package ${observation.name}`,
  });
}

export function matchExtension(observation: ExtensionObservation, catalog: CompiledCatalog): Detection[] {
  const what = observation.family === 'zed' ? 'setting' : observation.family === 'jetbrains' ? 'plugin' : 'extension';
  return detections(catalog.index.get(key.extension(observation.family, observation.id)), 'extension', {
    path: observation.path,
    editor: observation.editor,
    extensionId: observation.id,
    ...(observation.version ? { version: observation.version } : {}),
    installMethod: 'extension',
    matched: `${observation.editor} ${what} ${observation.id}${observation.detail ? ` (${observation.detail})` : ''}`,
  });
}

function appTools(observation: AppObservation, catalog: CompiledCatalog): { tools: CompiledTool[]; matched: string } {
  const lookup = (k: string, matched: string) => ({ tools: catalog.index.get(k) ?? [], matched });
  switch (observation.source) {
    case 'snap':
      return lookup(key.snap(observation.name), `snap ${observation.name}`);
    case 'flatpak':
      return lookup(key.flatpak(observation.bundleId ?? observation.name), `flatpak ${observation.bundleId ?? observation.name}`);
    case 'bundle': {
      const byId = observation.bundleId ? catalog.index.get(key.bundleId(observation.bundleId)) : undefined;
      if (byId?.length) return { tools: byId, matched: `app bundle id ${observation.bundleId}` };
      return lookup(key.bundleName(observation.name), `app bundle ${observation.name}`);
    }
    case 'desktop-file': {
      const byFile = catalog.index.get(key.desktopFile(observation.name));
      if (byFile?.length) return { tools: byFile, matched: `desktop file ${observation.name}` };
      break;
    }
    case 'start-menu':
    case 'registry': {
      const name = observation.displayName ?? observation.name;
      // Installers append a scope, an architecture or a version to the DisplayName they register (`Windsurf (User)`).
      const names = observation.source === 'registry' ? [name, displayNameStem(name)] : [name];
      for (const candidate of names) {
        const byName = catalog.index.get(key.displayName(candidate));
        if (byName?.length) return { tools: byName, matched: `installed app ${name}` };
      }
      break;
    }
    default:
      break;
  }
  // Install folders (/opt/cursor, %LOCALAPPDATA%/Programs/cursor), and .desktop files or shortcuts that run from one.
  const candidates = [observation.path, observation.exec].filter((p): p is string => Boolean(p));
  const tools = appPathCandidates(catalog, candidates).filter((tool) => tool.appPaths.some((pattern) => candidates.some((c) => pattern.match(c))));
  return { tools, matched: `app installed at ${observation.path}` };
}

export function matchApp(observation: AppObservation, catalog: CompiledCatalog): Detection[] {
  const { tools, matched } = appTools(observation, catalog);
  return detections(tools, 'app', {
    path: observation.path,
    name: observation.displayName ?? observation.name,
    source: observation.source,
    ...(observation.exec ? { exe: observation.exec } : {}),
    ...(observation.bundleId ? { bundleId: observation.bundleId } : {}),
    ...(observation.version ? { version: observation.version } : {}),
    installMethod: 'app',
    matched,
  });
}

export function matchMcpServer(observation: McpServerObservation, catalog: CompiledCatalog): Detection[] {
  const server = {
    name: observation.name,
    ...(observation.command ? { command: observation.command } : {}),
    ...(observation.args?.length ? { args: observation.args } : {}),
    ...(observation.url ? { url: observation.url } : {}),
  };
  return detections(catalog.index.get(key.mcpConfig(observation.config)), 'mcp-server', {
    path: observation.path,
    server,
    scope: observation.scope,
    matched: `MCP server ${observation.name}${observation.project ? ` (project ${observation.project})` : ''} in ${observation.config}`,
  });
}

export function matchConfigChange(observation: ConfigChangeObservation, catalog: CompiledCatalog): Detection[] {
  return detections(catalog.index.get(key.marker(observation.marker)), 'config-change', {
    path: observation.path,
    line: observation.line,
    excerpt: observation.excerpt,
    matched: observation.marker,
  });
}

export function matchSkill(observation: SkillObservation, catalog: CompiledCatalog): Detection[] {
  const skill: NonNullable<Evidence['skill']> = {
    ...(observation.description === undefined ? {} : { description: observation.description }),
    ...(observation.shell === undefined ? {} : { shell: observation.shell }),
    ...(observation.unread === undefined ? {} : { unread: observation.unread }),
  };
  return detections(catalog.index.get(key.skillFolder(observation.folder)), 'skill', {
    path: observation.path,
    name: observation.name,
    scope: observation.scope,
    skill,
    matched: `skill in ${observation.folder}`,
  });
}

export function matchBrowserExtension(observation: BrowserExtensionObservation, catalog: CompiledCatalog): Detection[] {
  return detections(catalog.index.get(key.browserExtension(observation.family, observation.id)), 'browser-extension', {
    path: observation.path,
    browser: observation.browser,
    profile: observation.profile,
    extensionId: observation.id,
    ...(observation.name === undefined ? {} : { name: observation.name }),
    ...(observation.version === undefined ? {} : { version: observation.version }),
    installMethod: 'extension',
    matched: `${observation.browser} extension ${observation.id}`,
  });
}
