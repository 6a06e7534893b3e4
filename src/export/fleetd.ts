/**
 * Queries over fleetd's `ai_tools` table (Fleet's agent ships it as an
 * osquery extension table), and what that table can and cannot see of a
 * catalog entry. Pure.
 *
 * Source for every fact here: fleetdm/fleet, schema/tables/ai_tools.yml (the
 * documented columns) and orbit/pkg/table/ai_tools (the collectors behind
 * them), read, not copied. Only documented columns are used (type, name,
 * identifier, source, path, endpoint, detail): the implementation also has
 * `confidence` and `evidence`, but a query naming a column an older fleetd
 * lacks fails on that host. Every branch constrains `type` with `=`, which
 * fleetd pushes down so that only that collector runs (tables.go,
 * requestedTypes).
 *
 * What a row looks like, per type (tables.go's row mappers):
 *   ide_plugins: identifier = the plugin id (VS Code family: `publisher.name`,
 *     lower-cased), detail.editor_family = vscode | jetbrains | vim | zed |
 *     sublime | emacs. Only plugins fleetd classes as AI are rows (its
 *     knowledge base of ids, else name heuristics).
 *   agents: identifier = the executable's name, path = the npm package folder,
 *     the pipx virtual environment or the (resolved) executable; source = the
 *     install method, `evidence` for rows guessed from a folder's name. Only
 *     the agents of fleetd's own short catalog are looked for by package or
 *     executable.
 *   mcp_server: name = identifier = the server's key, path = the
 *     configuration file, endpoint = its URL, detail.command and detail.args
 *     (a JSON array, as text), detail.source_type = config | process | both.
 *   agent_instruction: path = the instruction file, name = its file name.
 *   browser_extension (internal/browserext, newer fleetd than the documented
 *     schema; an older one answers `type = 'browser_extension'` with no rows):
 *     identifier = the store id as the profile names it (Chromium: the
 *     `Extensions/<id>` folder; Gecko: extensions.json's `id`), source =
 *     detail.browser = the browser's label (chrome, chrome-beta, edge, brave,
 *     arc, opera, vivaldi, chromium, comet, dia; firefox, zen, librewolf,
 *     waterfox), detail.engine = chromium | gecko, path = the manifest.json or
 *     the .xpi. Only extensions fleetd classes as AI are rows (its knowledge
 *     base of ids, else name heuristics).
 */
import type { ToolEntry } from '../catalog/schema.js';
import { compilePathPattern, type PatternEnvironment } from '../patterns.js';
import { repoPatternMatcher } from '../scanners/repo.js';
import { pathGlobs, placePattern, separatorOf, sqlList, sqlString, type Platform } from './sql.js';
import { BROWSERS_OSQUERY_MISSES, FLEETD_EXTRA_BROWSERS, OSQUERY_BROWSERS } from './browsers.js';
import type { Gap, Probe } from './probes.js';

// ---------------------------------------------------------------------------
// fleetd's own lists (orbit/pkg/table/ai_tools/internal/...)
// ---------------------------------------------------------------------------

/** agents/agents.go knownAgents(): the executables and packages fleetd looks for. Tier-B "evidence" rows are not used. */
export const FLEETD_AGENT_EXECUTABLES = ['aider', 'claude', 'cline', 'cn', 'codex', 'cursor-agent', 'gemini', 'goose', 'grok', 'kiro', 'opencode', 'q'];
export const FLEETD_AGENT_NPM = ['@anthropic-ai/claude-code', '@continuedev/cli', '@google/gemini-cli', '@openai/codex', 'cline', 'opencode-ai'];
/** pipx virtual environments fleetd looks in (~/.local/pipx/venvs/<name>). */
export const FLEETD_AGENT_PIPX = ['aider-chat'];

/** classify/kb.json jetbrains_ids: the JetBrains plugins fleetd classes as AI by id (others only by name heuristics). */
export const FLEETD_JETBRAINS_IDS = [
  'aws.toolkit.core',
  'ai.codium.intellij',
  'amazon.q',
  'com.codeium.intellij',
  'com.github.continuedev.continueintellijextension',
  'com.github.copilot',
  'com.intellij.ml.llm',
  'com.sourcegraph.jetbrains',
  'com.tabnine.TabNine',
  'dev.continue.continue',
];

/** classify/kb.json browser_extension_ids: the browser extensions fleetd classes as AI by id (others only by name heuristics). */
export const FLEETD_BROWSER_EXTENSION_IDS = ['cifagnnjkogmgddhpamfjdpmligkmmgi', 'dhoenijjpgpeimemopealfcbiecgceodl', 'mfgnpcdebmgmmbjmhmboieiipghabkjf', 'ofpnmcalabcbjgholdjcjblkibolbppb'];

/** mcp/mcp.go userConfigFiles(): MCP configuration files fleetd reads, relative to each home (paths/paths.go roots). */
function fleetdUserMcpFiles(platform: Platform): string[] {
  const appRoot = { darwin: 'Library/Application Support', windows: 'AppData/Roaming', linux: '.config' }[platform];
  const claudeDesktop = { darwin: 'Library/Application Support/Claude', windows: 'AppData/Roaming/Claude', linux: '.config/claude-desktop' }[platform];
  const editors = ['Code', 'Code - Insiders', 'Cursor', 'VSCodium', 'Windsurf'];
  return [
    `${claudeDesktop}/claude_desktop_config.json`,
    '.claude.json',
    '.claude/settings.json',
    '.mcp.json',
    '.cursor/mcp.json',
    '.codeium/windsurf/mcp_config.json',
    `${appRoot}/Code/User/mcp.json`,
    '.config/zed/settings.json',
    ...(platform === 'darwin' ? ['Library/Application Support/Zed/settings.json'] : []),
    ...editors.flatMap((editor) => [
      `${appRoot}/${editor}/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`,
      `${appRoot}/${editor}/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json`,
    ]),
    '.continue/config.yaml',
    '.continue/config.json',
  ];
}

/** mcp/mcp.go projectConfigFiles(): per-project MCP files, in folders up to 3 deep under the home's usual project folders. */
const FLEETD_PROJECT_MCP_FILES = ['.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json', '.roo/mcp.json'];

/** instructions/instructions.go projectFiles: instruction files fleetd lists in the same project folders. */
const FLEETD_PROJECT_INSTRUCTION_FILES = [
  'CLAUDE.md',
  'CLAUDE.local.md',
  'AGENTS.md',
  'GEMINI.md',
  '.cursorrules',
  '.windsurfrules',
  '.clinerules',
  '.roorules',
  '.github/copilot-instructions.md',
  '.cursor/rules/*.mdc',
];

// ---------------------------------------------------------------------------

const lower = (s: string) => s.toLowerCase();
const CATALOG_OS = { darwin: 'macos', linux: 'linux', windows: 'windows' } as const;
/** A home to put fleetd's relative paths under, so aitool's own pattern code can say whether a catalog pattern names them. */
const SAMPLE_HOME: Record<Platform, string> = { darwin: '/Users/u', linux: '/home/u', windows: 'C:/Users/u' };
const sampleEnv = (platform: Platform): PatternEnvironment => ({ os: CATALOG_OS[platform], home: SAMPLE_HOME[platform], env: {} });

/** An MCP file fleetd reads, as a GLOB over its `path` column (lower-case with backslashes on Windows). */
function fileGlob(relative: string, platform: Platform): string {
  return pathGlobs(placePattern(`~/${relative}`, platform)!, platform).self;
}

export interface McpConfigCoverage {
  /** The catalog's MCP configuration path. */
  path: string;
  /** GLOBs over ai_tools.path for the fleetd files the pattern names, per platform. */
  globs: Partial<Record<Platform, string[]>>;
  /** Platforms the pattern applies to where fleetd reads none of the files it names. */
  unread: Platform[];
}

/** Which of a tool's MCP configuration files fleetd reads, on each platform the catalog gives them for. */
export function mcpCoverage(tool: ToolEntry, platforms: readonly Platform[]): McpConfigCoverage[] {
  return (tool.signatures.mcpConfigs ?? []).map((config) => {
    const coverage: McpConfigCoverage = { path: config.path, globs: {}, unread: [] };
    for (const platform of platforms) {
      if (config.os && !config.os.includes(CATALOG_OS[platform])) continue;
      const compiled = compilePathPattern(config.path, sampleEnv(platform));
      if (!compiled) continue;
      const home = SAMPLE_HOME[platform];
      const globs = [
        ...fleetdUserMcpFiles(platform).filter((rel) => compiled.match(`${home}/${rel}`)).map((rel) => fileGlob(rel, platform)),
        // A project file is found in some project folder under the home; the folder's name is any.
        ...FLEETD_PROJECT_MCP_FILES.filter((rel) => compiled.match(`${home}/Projects/app/${rel}`)).map((rel) => pathGlobs(placePattern(rel, platform)!, platform).self),
      ];
      if (globs.length > 0) coverage.globs[platform] = [...new Set(globs)];
      else coverage.unread.push(platform);
    }
    return coverage;
  });
}

/** The instruction files fleetd lists that the tool's repository patterns name. */
export function instructionFilesOf(tool: ToolEntry): string[] {
  const repo = tool.signatures.repo ?? [];
  if (repo.length === 0) return [];
  const matches = repoPatternMatcher(repo);
  // `.cursor/rules/*.mdc` stands for every rule file: a sample name is tested.
  return FLEETD_PROJECT_INSTRUCTION_FILES.filter((file) => matches(file.replace('*', 'rule')) !== undefined);
}

/** Executable names that prove the tool and that fleetd looks for. */
function agentExecutables(unambiguous: readonly string[]): string[] {
  return unambiguous.filter((name) => FLEETD_AGENT_EXECUTABLES.includes(name));
}

// ---------------------------------------------------------------------------
// Probes
// ---------------------------------------------------------------------------

const json = (key: string) => `json_extract(NULLIF(a.detail, ''), ${sqlString(`$.${key}`)})`;

function branch(tool: ToolEntry, type: string, conditions: readonly string[]): string {
  return `SELECT ${sqlString(tool.id)} AS tool, a.type, a.name, a.identifier, a.path\nFROM ai_tools a\nWHERE a.type = ${sqlString(type)}\n  AND (${[...new Set(conditions)].join('\n    OR ')})`;
}

/**
 * The ai_tools SELECT for a tool on one platform, or undefined when fleetd
 * reports nothing the tool's signatures name. `unambiguous` are the tool's
 * executable names that count alone; `proofPatterns` the paths that prove it.
 */
export function aiToolsProbe(tool: ToolEntry, platform: Platform, unambiguous: readonly string[], proofPatterns: readonly string[]): Probe | undefined {
  const s = tool.signatures;
  const windows = platform === 'windows';
  const path = windows ? 'lower(a.path)' : 'a.path';
  const branches: string[] = [];
  const whats: string[] = [];

  const plugins: string[] = [];
  const family = (name: string, ids: readonly string[] | undefined) => {
    if (ids && ids.length > 0) plugins.push(`(${json('editor_family')} = ${sqlString(name)} AND lower(a.identifier) IN ${sqlList(ids.map(lower))})`);
  };
  // aitool compares every family's ids ignoring case (src/match/compile.ts).
  family('vscode', s.vscodeExtensions);
  family('jetbrains', s.jetbrainsPlugins);
  family('vim', s.vimPlugins);
  if (plugins.length > 0) {
    branches.push(branch(tool, 'ide_plugins', plugins));
    whats.push('editor plugins (VS Code family incl. Cursor, Windsurf, Trae, Antigravity; JetBrains; Vim/Neovim)');
  }

  const agents: string[] = [];
  const names = agentExecutables(unambiguous);
  // A row fleetd only guessed from a folder's name (`evidence`) proves nothing by its name.
  if (names.length > 0) agents.push(`(a.source <> 'evidence' AND lower(a.identifier) IN ${sqlList(names)})`);
  const fleetdPackages = [
    ...(s.packages?.npm ?? []).filter((name) => FLEETD_AGENT_NPM.includes(name)),
    ...(s.packages?.pip ?? []).filter((name) => FLEETD_AGENT_PIPX.includes(name)),
  ];
  if (fleetdPackages.length > 0 || names.length > 0) {
    for (const pattern of proofPatterns) {
      const placed = placePattern(pattern, platform);
      if (!placed) continue;
      const { self, inside } = pathGlobs(placed, platform);
      agents.push(`${path} GLOB ${sqlString(self)}`, `${path} GLOB ${sqlString(inside)}`);
    }
  }
  if (agents.length > 0) {
    branches.push(branch(tool, 'agents', agents));
    whats.push('agent CLIs fleetd finds installed (by package folder or executable)');
  }

  const extensions: string[] = [];
  const engine = (name: string, ids: readonly string[] | undefined) => {
    if (ids && ids.length > 0) extensions.push(`(${json('engine')} = ${sqlString(name)} AND lower(a.identifier) IN ${sqlList(ids.map(lower))})`);
  };
  // aitool compares browser extension ids ignoring case (src/match/compile.ts), as the plain chrome_extensions probe does.
  engine('chromium', s.browserExtensions?.chromium);
  engine('gecko', s.browserExtensions?.firefox);
  if (extensions.length > 0) {
    branches.push(branch(tool, 'browser_extension', extensions));
    whats.push(`AI browser extensions fleetd finds, also in ${FLEETD_EXTRA_BROWSERS}`);
  }

  const mcpGlobs = mcpCoverage(tool, [platform]).flatMap((c) => c.globs[platform] ?? []);
  if (mcpGlobs.length > 0) {
    branches.push(branch(tool, 'mcp_server', mcpGlobs.map((glob) => `${path} GLOB ${sqlString(glob)}`)));
    whats.push("MCP servers in the tool's configuration files");
  }

  const instructions = instructionFilesOf(tool);
  if (instructions.length > 0) {
    const sep = separatorOf(platform);
    const globs = instructions.map((file) => {
      const glob = `*${sep}${file.replace(/\//g, sep)}`;
      return `${path} GLOB ${sqlString(windows ? glob.toLowerCase() : glob)}`;
    });
    branches.push(branch(tool, 'agent_instruction', globs));
    whats.push(`its instruction files in project folders (${instructions.join(', ')})`);
  }

  if (branches.length === 0) return undefined;
  return { source: 'ai_tools', platform, sql: branches.join('\nUNION ALL\n'), what: `fleetd's ai_tools: ${whats.join('; ')}` };
}

// ---------------------------------------------------------------------------
// What fleetd adds to, and leaves of, the plain osquery gaps
// ---------------------------------------------------------------------------

const PLATFORM_NAMES: Record<Platform, string> = { darwin: 'macOS', linux: 'Linux', windows: 'Windows' };

/** The gaps that remain with fleetd's ai_tools, for the kinds of signature the table reaches. */
export function fleetdGaps(tool: ToolEntry, unambiguous: readonly string[], platforms: readonly Platform[]): { covered: Set<string>; gaps: Gap[] } {
  const s = tool.signatures;
  const gaps: Gap[] = [];
  const covered = new Set<string>([
    'executables on PATH',
    'JetBrains plugins',
    'Vim/Neovim plugins',
    'MCP server configurations',
    'repository files',
    BROWSERS_OSQUERY_MISSES,
  ]);
  const gap = (what: string, values: readonly string[], reason: string) => {
    if (values.length > 0) gaps.push({ what, values: [...new Set(values)].sort(), reason });
  };

  const seen = new Set(agentExecutables(unambiguous));
  gap(
    'executables on PATH',
    (s.executables ?? []).map((e) => e.name).filter((name) => !seen.has(lower(name))),
    `osquery has no view of a user's PATH, and fleetd's ai_tools looks only for the executables of its own agent list (${FLEETD_AGENT_EXECUTABLES.join(', ')}) that count alone; running ones are caught by the process query`,
  );
  gap(
    'executables outside the folders fleetd looks in',
    (s.executables ?? []).map((e) => e.name).filter((name) => seen.has(lower(name))),
    'fleetd finds these only in ~/.local/bin, ~/bin, ~/.bun/bin, ~/.cargo/bin, ~/.deno/bin, ~/.opencode/bin, ~/.npm-global/bin, ~/go/bin, /usr/local/bin, /opt/homebrew/bin, /usr/bin and (Windows) %APPDATA%/npm',
  );
  const known = new Set(FLEETD_JETBRAINS_IDS.map(lower));
  gap(
    'JetBrains plugins',
    (s.jetbrainsPlugins ?? []).filter((id) => !known.has(lower(id))),
    "fleetd's ai_tools lists a JetBrains plugin only when its knowledge base names the id or the plugin's name looks like AI to it; the query asks for these ids, but fleetd may not report them",
  );
  gap(
    'Vim/Neovim plugins',
    s.vimPlugins ?? [],
    "fleetd's ai_tools lists Vim/Neovim plugin folders only under lazy.nvim, packer and vim-plug folders, and only when the name looks like AI to it; the query asks for these, but fleetd may not report them",
  );
  const extensionIds = [...(s.browserExtensions?.chromium ?? []), ...(s.browserExtensions?.firefox ?? [])];
  const knownExtensions = new Set(FLEETD_BROWSER_EXTENSION_IDS);
  gap(
    BROWSERS_OSQUERY_MISSES,
    extensionIds.filter((id) => !knownExtensions.has(lower(id))),
    `fleetd's ai_tools also reads ${FLEETD_EXTRA_BROWSERS} profiles, but lists an extension only when its knowledge base names the id or the extension's name looks like AI to it; the query asks for these ids there, but fleetd may not report them`,
  );
  gap(
    'browser extensions outside the browsers osquery and fleetd read',
    extensionIds,
    `${OSQUERY_BROWSERS}, and fleetd's ai_tools adds ${FLEETD_EXTRA_BROWSERS}: the same extension in any other Chromium or Gecko browser is not seen`,
  );
  for (const coverage of mcpCoverage(tool, platforms)) {
    if (coverage.unread.length === 0) continue;
    gap(
      'MCP server configurations',
      [coverage.path],
      `fleetd's ai_tools does not read this file on ${coverage.unread.map((p) => PLATFORM_NAMES[p]).join(', ')}, and osquery's own tables do not parse MCP configuration files`,
    );
  }
  const instructions = instructionFilesOf(tool);
  gap(
    'repository files',
    s.repo ?? [],
    instructions.length > 0
      ? `osquery does not know where repositories are checked out; fleetd's ai_tools lists only ${instructions.join(', ')} of these, in folders up to 3 deep under the home's usual project folders (~, Documents, Projects, src, code, git, dev, workspace, repos)`
      : "osquery does not know where repositories are checked out, and fleetd's ai_tools lists none of these files",
  );
  return { covered, gaps };
}
