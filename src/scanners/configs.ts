/**
 * Configuration files AI tools read or change:
 * - MCP client configurations (`~/.claude.json`, `.vscode/mcp.json`, Zed's
 *   settings.json): each MCP server listed becomes an observation. Servers
 *   are never started, and `env` and `headers` are never copied (they hold
 *   secrets); secret-looking argument and URL query values are masked.
 * - Lines an installer adds to a shell profile or git configuration (file
 *   markers): the first matching line of each file becomes an observation.
 *
 * Home-anchored paths are the user's files; unanchored ones (`.mcp.json`)
 * are read at the root of the repository holding the working folder.
 * Every read is bounded and goes through the host, which never opens a FIFO.
 */
import { compileUserPattern, type TextPattern } from '../regex.js';
import { existingPaths } from './expand.js';
import type { McpConfig } from '../catalog/schema.js';
import type { Host } from '../host.js';
import { expandAnchor, toSlashes } from '../patterns.js';
import type { ConfigChangeObservation, McpServerObservation, Observation } from '../types.js';
import { parseJsonc } from './jsonc.js';
import { dirName, isAbsolutePath } from './logical-path.js';
import type { ScanContext, Scanner } from './types.js';

export const CONFIGS_BUDGET_MS = 2000;
/** MCP configuration files larger than this are not read (Claude Code's ~/.claude.json also keeps per-project state). */
export const MCP_CONFIG_MAX_BYTES = 8 * 1024 * 1024;
/** Only this much of a shell profile or git file is searched for markers. */
export const MARKER_FILE_MAX_BYTES = 1024 * 1024;
/** How far up from the working folder a repository root is looked for. */
export const MAX_REPOSITORY_DEPTH = 30;
/** Servers reported per file at most. */
const MAX_SERVERS_PER_FILE = 1000;
/** Characters of a line tested against a marker (shell profile lines are short; this bounds a bad custom regex). */
const MAX_MARKER_LINE = 4096;
const MAX_EXCERPT = 200;

type Note = ScanContext['note'];
type Scope = McpServerObservation['scope'];

interface Located {
  path: string;
  scope: Scope;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}

/**
 * The root of the repository holding `cwd`: the nearest folder, going up,
 * with a `.git` entry (a folder, or a file in worktrees and submodules).
 * Outside any repository, `cwd` itself.
 */
export async function repositoryRoot(host: Host, cwd: string): Promise<string> {
  const start = toSlashes(cwd);
  let dir = start;
  for (let depth = 0; depth <= MAX_REPOSITORY_DEPTH; depth++) {
    if (await host.lstat(joinPath(dir, '.git'))) return dir;
    const parent = dirName(dir);
    if (parent === '.' || toSlashes(parent) === toSlashes(dir)) break;
    dir = parent;
  }
  return start;
}

/**
 * Where a catalog path is on this machine: home-anchored and absolute paths
 * are the user's; relative ones are in the working folder's repository.
 */
async function locate(
  host: Host,
  pattern: string,
  projectRoot: () => Promise<string | undefined>,
  note: Note,
): Promise<Located[]> {
  const slashed = toSlashes(pattern);
  const expanded = expandAnchor(slashed, { os: host.os, home: host.home, env: host.env });
  // An anchor this OS does not have (`%APPDATA%` on Linux).
  if (expanded === undefined) return [];
  let path: string;
  let scope: Scope;
  if (isAbsolutePath(expanded, host.os)) {
    path = expanded;
    scope = 'user';
  } else {
    const root = await projectRoot();
    if (root === undefined) return [];
    path = joinPath(root, expanded.replace(/^\.\//, ''));
    scope = 'project';
  }
  const paths = await existingPaths(host, path, note);
  if (paths === undefined) {
    note({ path: pattern, message: 'path pattern with `**` is not looked up' });
    return [];
  }
  return paths.map((found) => ({ path: found, scope }));
}

/**
 * Reads a regular file up to `maxBytes`. Missing files are silent; anything
 * else not read is noted. With `partial`, a larger file is read in part;
 * without it, it is not read at all (a cut JSON document cannot be parsed).
 */
async function readBounded(host: Host, path: string, maxBytes: number, partial: boolean, note: Note): Promise<string | undefined> {
  const info = await host.stat(path);
  if (!info) return undefined;
  if (info.type !== 'file') {
    note({ path, message: `not a regular file (${info.type}), not read` });
    return undefined;
  }
  if (info.size > maxBytes && !partial) {
    note({ path, message: `larger than ${formatBytes(maxBytes)} (${info.size} bytes), not read` });
    return undefined;
  }
  const text = await host.readTextFile(path, maxBytes);
  if (text === undefined) {
    note({ path, message: 'unreadable' });
    return undefined;
  }
  if (info.size > maxBytes) note({ path, message: `only the first ${formatBytes(maxBytes)} searched (${info.size} bytes)` });
  return text;
}

// ---------------------------------------------------------------------------
// MCP servers
// ---------------------------------------------------------------------------

/** Names whose values are secrets: `--api-key`, `GITHUB_TOKEN=`, `?access_token=`, `Authorization:`. */
const SECRET_NAME = /(?:key|token|secret|passw(?:or)?d|pwd|auth|credential|bearer|cookie|session|signature|sig$)/i;
const MASK = '***';

const URL_START = /^[a-z][\w+.-]*:\/\//i;

/**
 * Masks the values of secret-looking arguments (`--token=x`, `API_KEY=x`,
 * `Authorization: Bearer x`, the word after `--token`) and credentials in
 * URL arguments (`postgresql://user:password@host`).
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of args) {
    if (maskNext && !arg.startsWith('-')) {
      out.push(MASK);
      maskNext = false;
      continue;
    }
    maskNext = false;
    if (URL_START.test(arg)) {
      out.push(redactUrl(arg));
      continue;
    }
    const assignment = /^(-{0,2}[A-Za-z_][\w.-]*)=(.+)$/s.exec(arg);
    if (assignment) {
      const name = assignment[1]!;
      const value = assignment[2]!;
      if (SECRET_NAME.test(name)) out.push(`${name}=${MASK}`);
      else out.push(URL_START.test(value) ? `${name}=${redactUrl(value)}` : arg);
      continue;
    }
    const header = /^([A-Za-z][\w-]*)\s*:\s*\S/.exec(arg);
    if (header && SECRET_NAME.test(header[1]!)) {
      out.push(`${header[1]}: ${MASK}`);
      continue;
    }
    if (/^-{1,2}[A-Za-z][\w-]*$/.test(arg) && SECRET_NAME.test(arg)) maskNext = true;
    out.push(arg);
  }
  return out;
}

/** Masks credentials in a URL: the user-info part and secret-looking query values. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][\w+.-]*:\/\/)[^/?#@]*@/i, `$1${MASK}@`)
    .replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, separator: string, name: string) =>
      SECRET_NAME.test(name) ? `${separator}${name}=${MASK}` : whole,
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

interface ServerEntry {
  name: string;
  value: Record<string, unknown>;
  project?: string;
}

/** The servers a document lists, per format; `problem` when the container is there but not an object. */
function serverEntries(doc: Record<string, unknown>, format: McpConfig['format']): { entries: ServerEntry[]; problems: string[] } {
  const entries: ServerEntry[] = [];
  const problems: string[] = [];
  const collect = (container: unknown, where: string, project?: string): void => {
    if (container === undefined || container === null) return;
    if (!isRecord(container)) {
      problems.push(`\`${where}\` is not an object`);
      return;
    }
    for (const [name, value] of Object.entries(container)) {
      if (!isRecord(value)) continue;
      entries.push(project === undefined ? { name, value } : { name, value, project });
    }
  };
  switch (format) {
    case 'mcpServers':
      collect(doc.mcpServers, 'mcpServers');
      break;
    case 'servers':
      collect(doc.servers, 'servers');
      break;
    case 'context_servers':
      collect(doc.context_servers, 'context_servers');
      break;
    case 'projects.mcpServers': {
      collect(doc.mcpServers, 'mcpServers');
      const projects = doc.projects;
      if (projects === undefined || projects === null) break;
      if (!isRecord(projects)) {
        problems.push('`projects` is not an object');
        break;
      }
      for (const [dir, project] of Object.entries(projects)) {
        if (isRecord(project)) collect(project.mcpServers, `projects[${JSON.stringify(dir)}].mcpServers`, toSlashes(dir));
      }
      break;
    }
  }
  return { entries, problems };
}

function serverObservation(config: McpConfig, located: Located, entry: ServerEntry): McpServerObservation {
  const { value } = entry;
  const observation: McpServerObservation = { kind: 'mcp-server', config: config.path, path: located.path, scope: located.scope, name: entry.name };
  if (entry.project !== undefined) observation.project = entry.project;
  let command: string | undefined;
  let args: string[] | undefined;
  if (typeof value.command === 'string') {
    command = value.command;
  } else if (isRecord(value.command)) {
    // Zed: "command": { "path": "...", "args": [...], "env": {...} }.
    if (typeof value.command.path === 'string') command = value.command.path;
    args = stringArray(value.command.args);
  } else if (Array.isArray(value.command)) {
    // `command: [program, ...args]` (opencode's shape) is not a catalog format, but is read sensibly if met.
    const parts = stringArray(value.command) ?? [];
    command = parts[0];
    args = parts.slice(1);
  }
  args = stringArray(value.args) ?? args;
  if (command !== undefined && command !== '') observation.command = command;
  if (args !== undefined && args.length > 0) observation.args = redactArgs(args);
  // Windsurf writes `serverUrl`; Gemini CLI and Qwen Code `httpUrl` for streamable HTTP.
  const url = [value.url, value.serverUrl, value.httpUrl].find((candidate): candidate is string => typeof candidate === 'string' && candidate !== '');
  if (url !== undefined) observation.url = redactUrl(url);
  return observation;
}

async function scanMcpConfig(host: Host, config: McpConfig, located: Located, note: Note): Promise<McpServerObservation[]> {
  const text = await readBounded(host, located.path, MCP_CONFIG_MAX_BYTES, false, note);
  if (text === undefined || text.trim() === '') return [];
  let doc: unknown;
  try {
    doc = parseJsonc(text);
  } catch (error) {
    note({ path: located.path, message: `malformed JSON, skipped (${error instanceof Error ? error.message : String(error)})` });
    return [];
  }
  if (!isRecord(doc)) {
    note({ path: located.path, message: 'not a JSON object, skipped' });
    return [];
  }
  const { entries, problems } = serverEntries(doc, config.format);
  for (const problem of problems) note({ path: located.path, message: `${problem}, skipped` });
  if (entries.length > MAX_SERVERS_PER_FILE) {
    note({ path: located.path, message: `${entries.length} servers listed; only the first ${MAX_SERVERS_PER_FILE} reported` });
  }
  return entries.slice(0, MAX_SERVERS_PER_FILE).map((entry) => serverObservation(config, located, entry));
}

// ---------------------------------------------------------------------------
// File markers
// ---------------------------------------------------------------------------

function firstMatch(text: string, regex: TextPattern): { line: number; excerpt: string } | undefined {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (regex.test(line.length > MAX_MARKER_LINE ? line.slice(0, MAX_MARKER_LINE) : line)) {
      return { line: index + 1, excerpt: line.trim().slice(0, MAX_EXCERPT) };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------

export const configsScanner: Scanner = {
  name: 'configs',
  budgetMs: CONFIGS_BUDGET_MS,
  async scan({ host, cwd, probes, signal, note }: ScanContext): Promise<Observation[]> {
    let root: Promise<string | undefined> | undefined;
    const projectRoot = (): Promise<string | undefined> =>
      (root ??= cwd === undefined || cwd === '' ? Promise.resolve(undefined) : repositoryRoot(host, cwd));
    // Windows paths ignore case: the same file must not be read twice through two spellings.
    const keyOf = (path: string): string => (host.os === 'windows' ? path.toLowerCase() : path);

    // 1. MCP servers. Each file is read once. A file found both as a user file and as a
    //    project file (a repository at the home folder makes `.gemini/settings.json` both)
    //    is the user's; otherwise the first catalog entry naming it wins.
    const locatedConfigs = await Promise.all(
      probes.mcpConfigs.map(async (config) => ({ config, found: await locate(host, config.path, projectRoot, note) })),
    );
    signal.throwIfAborted();
    const owners = new Map<string, Located>();
    for (const scope of ['user', 'project'] as const) {
      for (const { found } of locatedConfigs) {
        for (const located of found) {
          const key = keyOf(located.path);
          if (located.scope === scope && !owners.has(key)) owners.set(key, located);
        }
      }
    }
    const reads = locatedConfigs.flatMap(({ config, found }) =>
      found.filter((located) => owners.get(keyOf(located.path)) === located).map((located) => ({ config, located })),
    );
    const servers = await Promise.all(reads.map(({ config, located }) => scanMcpConfig(host, config, located, note)));
    signal.throwIfAborted();

    // 2. File markers. A file named by several markers is read once.
    const texts = new Map<string, Promise<string | undefined>>();
    const readMarkerFile = (path: string): Promise<string | undefined> => {
      const key = keyOf(path);
      let text = texts.get(key);
      if (!text) {
        text = readBounded(host, path, MARKER_FILE_MAX_BYTES, true, note);
        texts.set(key, text);
      }
      return text;
    };
    const changes = await Promise.all(
      probes.fileMarkers.map(async (marker): Promise<ConfigChangeObservation[]> => {
        let regex: TextPattern;
        try {
          // Markers come from the catalog and from policies' custom tools alike: linear time for all (marker files are small).
          regex = compileUserPattern(marker.pattern);
        } catch (error) {
          note({ path: marker.path, message: `invalid regular expression /${marker.pattern}/, marker skipped (${error instanceof Error ? error.message : String(error)})` });
          return [];
        }
        const found = await locate(host, marker.path, projectRoot, note);
        const observations: ConfigChangeObservation[] = [];
        for (const { path } of found) {
          const text = await readMarkerFile(path);
          signal.throwIfAborted();
          if (text === undefined) continue;
          const match = firstMatch(text, regex);
          if (match) {
            observations.push({ kind: 'config-change', path, marker: `${marker.path} =~ /${marker.pattern}/`, line: match.line, excerpt: match.excerpt });
          }
        }
        return observations;
      }),
    );
    return [...servers.flat(), ...changes.flat()];
  },
};
