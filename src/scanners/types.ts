/**
 * A scanner reads one kind of place on the machine and returns plain
 * observations. It knows no tool names or verdicts: what to look for comes in
 * as `probes`, derived from the catalog by the pipeline.
 */
import type { RepoMode } from '../git/files.js';
import type { McpConfig } from '../catalog/schema.js';
import type { Host } from '../host.js';
import type { Observation, ScanNote, ScannerName } from '../types.js';

/** What the catalog asks the scanners to look for, without saying which tool wants it. */
export interface Probes {
  /** Executable names to look for on PATH (lower case, no Windows extension). */
  executableNames: ReadonlySet<string>;
  /** Home path patterns (see PathPattern in src/catalog/schema.ts) for the current OS. */
  homePaths: readonly string[];
  /** Package names per manager, as the catalog lists them (pip names normalised: lower case, runs of `-_.` as `-`). */
  packages: {
    npm: ReadonlySet<string>;
    pip: ReadonlySet<string>;
    brew: ReadonlySet<string>;
    brewCask: ReadonlySet<string>;
    cargo: ReadonlySet<string>;
    go: ReadonlySet<string>;
    deb: ReadonlySet<string>;
    rpm: ReadonlySet<string>;
    snap: ReadonlySet<string>;
    flatpak: ReadonlySet<string>;
  };
  /** Install-path patterns of the tools' own installers (`~/.local/share/claude/versions/{version}`), for the current OS. */
  installPaths: readonly string[];
  /** VS Code-family extension ids, lower case. */
  vscodeExtensions: ReadonlySet<string>;
  jetbrainsPlugins: ReadonlySet<string>;
  /** Vim/Neovim plugin folder names, lower case (`copilot.vim`). */
  vimPlugins: ReadonlySet<string>;
  /** Top-level Zed settings keys that configure AI (`agent`, `assistant`). */
  zedSettings: ReadonlySet<string>;
  apps: {
    /** macOS bundle file names (`Cursor.app`). */
    bundleNames: ReadonlySet<string>;
    bundleIds: ReadonlySet<string>;
    /** Linux .desktop file names (`cursor.desktop`). */
    desktopFiles: ReadonlySet<string>;
    /** Linux and Windows install-path patterns for the current OS. */
    paths: readonly string[];
    /** Windows uninstall DisplayNames and shortcut names. */
    displayNames: ReadonlySet<string>;
  };
  /** Lines tools add to shell profiles and git config: path patterns with a regular expression. */
  fileMarkers: ReadonlyArray<{ path: string; pattern: string }>;
  /** MCP client configuration files for the current OS (home-anchored, or relative to the working folder's repository). */
  mcpConfigs: ReadonlyArray<McpConfig>;
  /** Environment variables tools set in the processes they spawn (names as written). */
  envNames: ReadonlySet<string>;
  /** Folders whose open files prove a running tool (`~/.claude/projects`), as path patterns. */
  openFilePaths: readonly string[];
  /** Repository file patterns (`CLAUDE.md`, `.claude/`, `.aider*`, `.cursor/rules/`). */
  repoPatterns: readonly string[];
  /** Agent SDK packages a repository may declare (pip names normalised; Go module paths). */
  sdkPackages: { npm: ReadonlySet<string>; pip: ReadonlySet<string>; go: ReadonlySet<string> };
  /** Agents' skills folders (home-anchored, or relative to the working folder's repository). */
  skillFolders: readonly string[];
  /** Browser extension ids, lower case. */
  browserExtensions: { chromium: ReadonlySet<string>; firefox: ReadonlySet<string> };
}

/** What the repo scanner reads: the staged changes (a pre-commit hook) or every tracked file. */
export type { RepoMode };

export interface ScanContext {
  host: Host;
  /** For the repo scanner; `tracked` when absent. */
  repoMode?: RepoMode;
  /** The working folder (logical path): project-scoped files such as `.mcp.json` are read from its repository. */
  cwd?: string;
  probes: Probes;
  /** Aborted when the scanner's time budget runs out; long loops check it. */
  signal: AbortSignal;
  /** Records something passed over (an unreadable folder, a symlink loop); the scan goes on. */
  note(note: Omit<ScanNote, 'scanner'>): void;
}

export interface Scanner {
  name: ScannerName;
  /** Time budget in milliseconds; past it the scanner is reported as skipped. */
  budgetMs: number;
  scan(context: ScanContext): Promise<Observation[]>;
}
