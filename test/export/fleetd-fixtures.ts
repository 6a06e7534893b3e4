/**
 * ai_tools rows built from each catalog entry's signatures, shaped as fleetd
 * reports them (fleetdm/fleet orbit/pkg/table/ai_tools: tables.go's row
 * mappers and the collectors under internal/), and decoys that must not be
 * counted. The facts about what fleetd looks for are written out here again,
 * from the Go code, rather than imported from src/export/fleetd.ts, so a
 * mistake there shows as a fixture the export misses.
 */
import type { ToolEntry } from '../../src/catalog/schema.js';
import { unambiguousNames } from '../../src/export/probes.js';
import type { Platform } from '../../src/export/sql.js';
import { compileCatalog } from '../../src/match/compile.js';
import { matchBrowserExtension, matchExtension } from '../../src/match/installed.js';
import { compilePathPattern } from '../../src/patterns.js';
import { repoPatternMatcher } from '../../src/scanners/repo.js';
import { detail, type AiToolsRow } from './ai-tools-db.js';
import { HOMES, native, where } from './fixtures.js';

export interface AiToolsFixture {
  tool: string;
  label: string;
  row: AiToolsRow;
}

const OWNER = { uid: '1000', username: 'alice' };

/** agents.go knownAgents(): npm package or pipx venv → the executable fleetd names the row by. */
const AGENT_PACKAGES: Record<string, string> = {
  '@anthropic-ai/claude-code': 'claude',
  '@google/gemini-cli': 'gemini',
  '@openai/codex': 'codex',
  'opencode-ai': 'opencode',
  cline: 'cline',
  '@continuedev/cli': 'cn',
};
const AGENT_PIPX: Record<string, string> = { 'aider-chat': 'aider' };
const AGENT_EXECUTABLES = new Set(['claude', 'gemini', 'codex', 'aider', 'goose', 'opencode', 'cline', 'cn', 'cursor-agent', 'q', 'kiro', 'grok']);

/** mcp.go: the MCP files fleetd reads, home-relative, per platform (paths.go roots). */
function mcpFiles(platform: Platform): string[] {
  const app = { darwin: 'Library/Application Support', windows: 'AppData/Roaming', linux: '.config' }[platform];
  const desktop = platform === 'linux' ? '.config/claude-desktop' : `${app}/Claude`;
  const forks = ['Code', 'Code - Insiders', 'Cursor', 'VSCodium', 'Windsurf'];
  return [
    `${desktop}/claude_desktop_config.json`, '.claude.json', '.claude/settings.json', '.mcp.json', '.cursor/mcp.json',
    '.codeium/windsurf/mcp_config.json', `${app}/Code/User/mcp.json`, '.config/zed/settings.json',
    ...(platform === 'darwin' ? ['Library/Application Support/Zed/settings.json'] : []),
    ...forks.map((f) => `${app}/${f}/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`),
    ...forks.map((f) => `${app}/${f}/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json`),
    '.continue/config.yaml', '.continue/config.json',
    // Project files, found in a project folder under the home.
    ...['.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json', '.roo/mcp.json'].map((f) => `Projects/webapp/${f}`),
  ];
}

/** instructions.go projectFiles, as they appear in a project folder. */
const INSTRUCTION_FILES = ['CLAUDE.md', 'CLAUDE.local.md', 'AGENTS.md', 'GEMINI.md', '.cursorrules', '.windsurfrules', '.clinerules', '.roorules', '.github/copilot-instructions.md', '.cursor/rules/style.mdc'];

const CHROME_ROOT: Record<Platform, string> = { darwin: 'Library/Application Support/Google/Chrome', windows: 'AppData/Local/Google/Chrome/User Data', linux: '.config/google-chrome' };

const JETBRAINS_ROOT: Record<Platform, string> = { darwin: 'Library/Application Support/JetBrains', windows: 'AppData/Roaming/JetBrains', linux: '.local/share/JetBrains' };

function at(platform: Platform, relative: string): string {
  return native(`${HOMES[platform]}/${relative}`, platform);
}

export function aiToolsFixturesFor(tool: ToolEntry, platform: Platform): AiToolsFixture[] {
  const s = tool.signatures;
  const out: AiToolsFixture[] = [];
  const add = (label: string, row: AiToolsRow) => out.push({ tool: tool.id, label, row: { location: 'local', ...OWNER, ...row } });
  const catalog = compileCatalog([tool], where(platform));

  for (const id of s.vscodeExtensions ?? []) {
    // fleetd reads Cursor's, Windsurf's, Trae's and Antigravity's extension folders too; the id is lower-cased.
    for (const editor of ['vscode', 'cursor', 'antigravity']) {
      const folder = editor === 'vscode' ? '.vscode' : `.${editor}`;
      const found = matchExtension({ kind: 'extension', family: 'vscode', editor, id: id.toLowerCase(), path: '/x' }, catalog);
      if (!found.some((d) => d.tool === tool.id)) throw new Error(`${id} is not ${tool.id} to aitool`);
      add(`${editor} extension ${id}`, {
        type: 'ide_plugins', name: id, identifier: id.toLowerCase(), category: 'coding-assistant', source: editor, version: '1.0.0',
        path: at(platform, `${folder}/extensions/${id.toLowerCase()}-1.0.0`),
        detail: detail({ editor_family: 'vscode', publisher: id.split('.')[0]!, scope: 'user' }),
      });
    }
  }
  for (const id of s.jetbrainsPlugins ?? []) {
    add(`JetBrains plugin ${id}`, {
      type: 'ide_plugins', name: id, identifier: id, category: 'coding-assistant', source: 'intellijidea', version: '1.0',
      path: at(platform, `${JETBRAINS_ROOT[platform]}/IntelliJIdea2025.1/plugins/${id}`),
      detail: detail({ editor_family: 'jetbrains', scope: 'user' }),
    });
  }
  for (const name of s.vimPlugins ?? []) {
    add(`Neovim plugin ${name}`, {
      type: 'ide_plugins', name, identifier: name, category: 'ai-tool', source: 'neovim',
      path: at(platform, `.local/share/nvim/lazy/${name}`), detail: detail({ editor_family: 'vim', scope: 'user' }),
    });
  }

  const agent = (label: string, identifier: string, source: string, path: string) =>
    add(label, { type: 'agents', name: identifier, identifier, category: 'agent-runtime', source, version: '1.0.0', path, detail: detail({ binary: identifier, kind: 'catalog', runtime: 'node' }) });
  for (const name of s.packages?.npm ?? []) {
    const binary = AGENT_PACKAGES[name];
    if (binary) agent(`fleetd agent from npm ${name}`, binary, 'npm-global', at(platform, `.npm-global/lib/node_modules/${name}`));
  }
  for (const name of s.packages?.pip ?? []) {
    const binary = AGENT_PIPX[name];
    if (binary) agent(`fleetd agent from pipx ${name}`, binary, 'pipx', at(platform, `.local/pipx/venvs/${name}`));
  }
  for (const name of unambiguousNames(tool).filter((n) => AGENT_EXECUTABLES.has(n))) {
    agent(`fleetd agent executable ${name}`, name, 'native', at(platform, `.local/bin/${name}${platform === 'windows' ? '.exe' : ''}`));
  }

  for (const config of s.mcpConfigs ?? []) {
    if (config.os && !config.os.includes(where(platform).os)) continue;
    const compiled = compilePathPattern(config.path, where(platform));
    for (const relative of mcpFiles(platform).filter((rel) => compiled?.match(`${HOMES[platform]}/${rel}`))) {
      add(`MCP server in ${relative} (${config.path})`, {
        type: 'mcp_server', name: 'notes', identifier: 'notes', category: 'mcp-server', source: 'client', path: at(platform, relative),
        detail: detail({ transport: 'stdio', command: 'npx', args: '["-y","notes-mcp"]', source_type: 'config', scope: 'user' }),
      });
    }
  }

  // browserext: Chromium rows name the Extensions/<id> folder and hash its manifest; Gecko rows the add-on's .xpi.
  const extension = (label: string, id: string, browser: string, engine: string, path: string) =>
    add(label, {
      type: 'browser_extension', name: tool.name, identifier: id, category: 'ai-assistant', source: browser, version: '1.0.0', path: at(platform, path),
      detail: detail({ browser, engine, profile: 'Default', scope: 'user', manifest_version: engine === 'chromium' ? '3' : '0', host_perms: '<all_urls>' }),
    });
  for (const id of s.browserExtensions?.chromium ?? []) {
    if (!matchBrowserExtension({ kind: 'browser-extension', family: 'chromium', browser: 'Chrome', profile: 'Default', id, path: '/x' }, catalog).some((d) => d.tool === tool.id)) throw new Error(`${id} is not ${tool.id} to aitool`);
    for (const [browser, root] of [['chrome', CHROME_ROOT[platform]], ['arc', 'Library/Application Support/Arc/User Data'], ['comet', '.config/Perplexity/Comet']] as const) {
      extension(`${browser} extension ${id}`, id, browser, 'chromium', `${root}/Default/Extensions/${id}/1.0.0_0/manifest.json`);
    }
  }
  for (const id of s.browserExtensions?.firefox ?? []) {
    if (!matchBrowserExtension({ kind: 'browser-extension', family: 'firefox', browser: 'Firefox', profile: 'default', id, path: '/x' }, catalog).some((d) => d.tool === tool.id)) throw new Error(`${id} is not ${tool.id} to aitool`);
    for (const browser of ['firefox', 'zen']) extension(`${browser} add-on ${id}`, id, browser, 'gecko', `.${browser}/abc.default/extensions/${id}.xpi`);
    extension(`firefox add-on ${id} in upper case`, id.toUpperCase(), 'librewolf', 'gecko', `.librewolf/abc.default/extensions/${id.toUpperCase()}.xpi`);
  }

  const repo = s.repo ?? [];
  const matches = repo.length > 0 ? repoPatternMatcher(repo) : () => undefined;
  for (const file of INSTRUCTION_FILES.filter((f) => matches(f) !== undefined)) {
    add(`instruction file ${file}`, {
      type: 'agent_instruction', name: file.split('/').pop()!, identifier: 'generic', category: 'agent-instruction', source: 'generic',
      path: at(platform, `Projects/webapp/${file}`), detail: detail({ scope: 'project', size: '120' }),
    });
  }
  return out;
}

/** Rows fleetd reports that no catalog tool is proven by: guesses from folder names, shared executable names, look-alike ids. */
export function aiToolsDecoys(tools: readonly ToolEntry[], platform: Platform): AiToolsRow[] {
  const rows: AiToolsRow[] = [];
  const add = (row: AiToolsRow) => rows.push({ location: 'local', ...OWNER, ...row });
  // Tier-B rows: a project folder called like an agent, named by fleetd after the folder.
  for (const name of ['codex', 'claude', 'gemini', 'opencode']) {
    add({ type: 'agents', name, identifier: name, category: 'agent-runtime', source: 'evidence', path: at(platform, `Projects/${name}`), detail: detail({ kind: 'candidate' }) });
  }
  // fleetd's own catalog names executables other programs share: alone they prove nothing.
  const ambiguous = new Set(tools.flatMap((t) => [...(t.signatures.processes?.ambiguousNames ?? []), ...(t.signatures.executables ?? []).filter((e) => e.ambiguous).map((e) => e.name)]));
  for (const name of [...AGENT_EXECUTABLES].filter((n) => ambiguous.has(n))) {
    add({ type: 'agents', name, identifier: name, category: 'agent-runtime', source: 'native', path: at(platform, `go/bin/${name}`), detail: detail({ binary: name, kind: 'catalog' }) });
  }
  // Editor plugins with ids next to the catalog's, or a catalog id under another editor family.
  for (const id of tools.flatMap((t) => t.signatures.vscodeExtensions ?? [])) {
    for (const decoy of [`${id}-pack`, `x${id}`, id.replace('.', '_')]) {
      add({ type: 'ide_plugins', name: decoy, identifier: decoy.toLowerCase(), source: 'vscode', path: at(platform, `.vscode/extensions/${decoy}`), detail: detail({ editor_family: 'vscode' }) });
    }
  }
  for (const id of tools.flatMap((t) => t.signatures.jetbrainsPlugins ?? [])) {
    add({ type: 'ide_plugins', name: id, identifier: id.toLowerCase(), source: 'zed', path: at(platform, `.local/share/zed/extensions/installed/${id}`), detail: detail({ editor_family: 'zed' }) });
    add({ type: 'ide_plugins', name: `${id}.helper`, identifier: `${id}.helper`, source: 'intellijidea', path: at(platform, `x/${id}.helper`), detail: detail({ editor_family: 'jetbrains' }) });
  }
  // MCP servers in files fleetd reads that no catalog entry names, and instruction files no entry claims.
  for (const relative of ['.claude/settings.json', '.continue/config.yaml']) {
    add({ type: 'mcp_server', name: 'notes', identifier: 'notes', source: 'client', path: at(platform, relative), detail: detail({ command: 'npx', source_type: 'config' }) });
  }
  add({ type: 'agent_instruction', name: '.claude.md', identifier: 'claude', source: 'claude', path: at(platform, '.claude.md'), detail: detail({ scope: 'user' }) });
  add({ type: 'agent_instruction', name: 'instructions.md', identifier: 'codex', source: 'codex', path: at(platform, '.codex/instructions.md'), detail: detail({ scope: 'user' }) });
  // Browser extensions: an AI extension no entry names, ids one letter longer than the catalog's, a
  // catalog id under the other engine, and the same identifier on rows of other types.
  const browserRow = (id: string, engine: string, name: string) =>
    add({ type: 'browser_extension', name, identifier: id, category: 'ai-tool', source: engine === 'chromium' ? 'chrome' : 'firefox', path: at(platform, `x/${id}`), detail: detail({ browser: engine === 'chromium' ? 'chrome' : 'firefox', engine, profile: 'Default', scope: 'user' }) });
  browserRow('aaaabbbbccccddddeeeeffffgggghhhh', 'chromium', 'Some GPT helper');
  const chromium = tools.flatMap((t) => t.signatures.browserExtensions?.chromium ?? []);
  const firefox = tools.flatMap((t) => t.signatures.browserExtensions?.firefox ?? []);
  for (const id of chromium) {
    browserRow(`${id}a`, 'chromium', 'Look-alike');
    browserRow(id, 'gecko', 'Look-alike');
  }
  for (const id of firefox) {
    browserRow(`${id}a`, 'gecko', 'Look-alike');
    browserRow(`x${id}`, 'gecko', 'Look-alike');
    browserRow(id, 'chromium', 'Look-alike');
  }
  for (const id of [...chromium, ...firefox]) {
    add({ type: 'ide_plugins', name: id, identifier: id, source: 'vscode', path: at(platform, `.vscode/extensions/${id}`), detail: detail({ editor_family: 'vscode' }) });
    add({ type: 'apps', name: id, identifier: id, source: 'applications', path: at(platform, `Applications/${id}`), detail: detail({ engine: 'chromium', browser: 'chrome' }) });
  }
  // A socket and an app row carry names too: not queried.
  add({ type: 'sockets', name: 'claude', identifier: 'anthropic', source: 'established', path: '/usr/bin/claude', endpoint: '1.2.3.4:443', running: 1 });
  return rows;
}
