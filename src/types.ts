/**
 * The data that flows through the pipeline (see src/run.ts):
 * observations (scanners) → detections (match) → findings (decide) → report.
 * Everything here is plain data so it can be asserted in table tests and
 * serialised as the JSON contract.
 */
import type { OperatingSystem, ToolCategory } from './catalog/schema.js';

/** The policy's verdict for a tool. Ordered: allow < warn < block. */
export type Action = 'allow' | 'warn' | 'block';
export const ACTIONS: readonly Action[] = ['allow', 'warn', 'block'];

/**
 * Where a finding was seen: running, on PATH, traces of use in the home
 * folder, installed by a package manager or the tool's own installer, an
 * editor extension or plugin, a desktop app, an MCP server in a client's
 * configuration, or a change the tool made to a shell profile or git config.
 */
export type FindingKind =
  | 'process'
  | 'executable'
  | 'trace'
  | 'package'
  | 'extension'
  | 'app'
  | 'mcp-server'
  | 'config-change'
  /** aitool itself runs inside the tool: an ancestor process or an environment marker says so. */
  | 'session'
  /** A file in the repository that belongs to the tool (CLAUDE.md, .cursor/rules/). */
  | 'artifact'
  /** A commit message line or author the tool writes (Co-authored-by: Claude ...). */
  | 'commit'
  /** The repository declares a library that runs the tool (an agent SDK) in a manifest or lockfile. */
  | 'dependency'
  /** An agent skill: a folder holding a SKILL.md in one of the agent's skills folders. */
  | 'skill'
  /** A browser extension (Chromium family or Firefox) of an AI assistant or browser agent. */
  | 'browser-extension';

/**
 * How sure the match is.
 * - `confirmed`: a package, install path or bundled-binary path proves it.
 * - `name-only`: only the name matches; a program of the same name would look the same.
 */
export type Confidence = 'confirmed' | 'name-only';

/** The scanners `aitool check` runs. */
export type ScannerName =
  | 'processes'
  | 'path'
  | 'traces'
  | 'packages'
  | 'editors'
  | 'apps'
  | 'configs'
  | 'skills'
  | 'browsers'
  | 'session'
  | 'repo';
export const SCANNER_NAMES: readonly ScannerName[] = ['processes', 'path', 'traces', 'packages', 'editors', 'apps', 'configs', 'skills', 'browsers', 'session', 'repo'];
/** The scanners that look at the machine rather than at this commit: off in hook mode unless the policy turns them on. */
export const HOST_SCANNERS: readonly ScannerName[] = ['processes', 'path', 'traces', 'packages', 'editors', 'apps', 'configs', 'skills', 'browsers'];

/**
 * An npm package folder that a file on disk lives in. `name` comes from the
 * folder path (`node_modules/@openai/codex`), not from package.json, because
 * platform packages are npm aliases whose manifest names the parent package.
 */
export interface PackageRef {
  name: string;
  /** From the folder's package.json, when readable. */
  version?: string;
  /** The package folder. */
  dir: string;
}

/** One ancestor of a process, from its parent up to pid 1. */
export interface ProcessAncestor {
  pid: number;
  name: string;
  cmd: string;
}

/** A running process, as read from the process table. Knows nothing of tools. */
export interface ProcessObservation {
  kind: 'process';
  pid: number;
  ppid: number;
  /** Owner; absent where the platform does not say. */
  uid?: number;
  /** The kernel's process name (comm on Linux), which `process.title` can change. */
  name: string;
  /** Full command line as one string. */
  cmd: string;
  /** argv, split exactly where the platform allows (/proc/<pid>/cmdline on Linux). */
  argv: string[];
  /** Resolved executable (/proc/<pid>/exe on Linux). */
  exe?: string;
  /** For interpreters (node, bun, deno, python): the script argument as written (`/usr/local/bin/gemini`). */
  scriptArg?: string;
  /** The same script resolved with realpath (`/usr/local/lib/node_modules/@google/gemini-cli/dist/index.js`). */
  script?: string;
  /** For `python -m <module>`: the module run (console scripts are also run this way, `python -m aider`). */
  module?: string;
  /** npm packages that `exe` or `script` lives in, outermost first (a platform package nests inside its parent). */
  packages: PackageRef[];
  startTime?: string;
  /** Parent, grandparent, ... up to pid 1. */
  ancestors: ProcessAncestor[];
  /**
   * Catalog marker variables and `_` from the environment the process was
   * started with, only those its parent does not carry with the same value
   * (what a launcher set for this process, not what every descendant of an
   * agent inherits). Values as read, for the matcher: never reported whole
   * (see src/redact.ts). Absent where the environment cannot be read.
   */
  environment?: EnvironmentVariable[];
  /**
   * For an interpreter: `_` (the path the shell executed) resolved with
   * realpath, when the process set it itself (`_=~/.npm-global/bin/pi` →
   * `.../node_modules/@mariozechner/pi-coding-agent/dist/cli.js`). It tells a
   * retitled Node CLI whose argv says nothing; its packages are in `packages`.
   */
  launchedAs?: string;
  /** Direct children, with the marker variables each carries that this process does not (at most 64, those with markers first). */
  children?: ProcessChild[];
  /** Files the process holds open under the catalog's `processes.openFiles` folders. */
  openFiles?: string[];
}

/** A variable of a process's environment. */
export interface EnvironmentVariable {
  name: string;
  value: string;
}

/** A child process as its parent's observation carries it. */
export interface ProcessChild {
  pid: number;
  name: string;
  cmd: string;
  /** Catalog marker variables the child carries and its parent does not (values as read; never reported whole). */
  variables: EnvironmentVariable[];
}

/** A file on PATH whose name is one of the catalog's executable names. */
export interface ExecutableObservation {
  kind: 'executable';
  /** Name as listed in the PATH folder, Windows extension removed. */
  name: string;
  /** Where it was found on PATH. */
  path: string;
  /** After following symlinks. */
  realPath: string;
  /** npm packages the real path lives in, outermost first. */
  packages: PackageRef[];
  /** PATH entries earlier than this one that hold the same name shadow it. */
  shadowed: boolean;
  /** A symlink that loops or points nowhere: `realPath` is then `path` and the file cannot run. */
  broken?: boolean;
  /** What a Windows npm shim (`claude.cmd`, `claude.ps1`) runs, read from the shim: the `node_modules` file `packages` come from. */
  target?: string;
}

/** A file or folder in the home directory that a catalog entry names. */
export interface TraceObservation {
  kind: 'trace';
  path: string;
  /** The catalog pattern that produced this path (so the matcher can map it back). */
  pattern: string;
  isDirectory: boolean;
  /** The path itself is a symlink (not followed: `isDirectory` is then false). */
  isSymlink?: boolean;
  modified?: string;
}

/** Package managers and installers whose installs the packages scanner reads from disk. */
export type PackageManager =
  | 'npm'
  | 'pnpm'
  | 'yarn'
  | 'bun'
  | 'npx'
  | 'pip'
  | 'pipx'
  | 'uv'
  | 'brew'
  | 'brew-cask'
  | 'cargo'
  | 'go'
  | 'deb'
  | 'rpm'
  | 'native';

/** A package installed by a package manager, or a version left by a tool's own installer. */
export interface PackageObservation {
  kind: 'package';
  manager: PackageManager;
  /**
   * The name the manager knows it by (`@anthropic-ai/claude-code`, `aider-chat`
   * as normalised by PEP 503, the cask `cursor`, the deb `qoder`). For
   * `native`, the catalog install-path pattern that found it.
   */
  name: string;
  version?: string;
  /** The installed package folder, venv, Cellar keg, version file or folder. */
  path: string;
  /** Where the manager keeps its installs (an npm global prefix, a Homebrew prefix, a site-packages folder). */
  root?: string;
}

/** Editor families whose extension folders the editors scanner reads. */
export type EditorFamily = 'vscode' | 'jetbrains' | 'vim' | 'zed';

/** An editor extension or plugin, or an editor's AI settings. */
export interface ExtensionObservation {
  kind: 'extension';
  family: EditorFamily;
  /** The product whose folder it is in (`VS Code`, `Cursor`, `VS Code Server`, `IntelliJIdea2025.2`, `Neovim`, `Zed`). */
  editor: string;
  /**
   * VS Code family: `publisher.name` as found (compared case-insensitively);
   * JetBrains: the plugin id from META-INF/plugin.xml; Vim: the plugin's folder
   * name (`copilot.vim`); Zed: `settings:<key>` for an AI key set in its settings.
   */
  id: string;
  version?: string;
  path: string;
  /** What was configured, for Zed settings (`provider anthropic`). */
  detail?: string;
}

/** Where a desktop app was found. */
export type AppSource =
  | 'bundle'
  | 'desktop-file'
  | 'opt'
  | 'appimage'
  | 'snap'
  | 'flatpak'
  | 'programs'
  | 'program-files'
  | 'start-menu'
  | 'registry';

/** A desktop application installed on the machine. */
export interface AppObservation {
  kind: 'app';
  source: AppSource;
  /** Bundle file name (`Cursor.app`), .desktop file name, folder or AppImage file name, snap name, flatpak id, shortcut name or registry DisplayName. */
  name: string;
  /** macOS CFBundleIdentifier; flatpak application id. */
  bundleId?: string;
  /** Human name where the source gives one (.desktop Name, CFBundleName, DisplayName). */
  displayName?: string;
  version?: string;
  path: string;
  /** What it runs: .desktop Exec, a shortcut's target, the install location. */
  exec?: string;
}

/** An MCP server listed in an AI client's configuration file. */
export interface McpServerObservation {
  kind: 'mcp-server';
  /** The catalog `mcpConfigs` path pattern that found the file (the matcher maps it back to the client tool). */
  config: string;
  /** The configuration file. */
  path: string;
  /** `user` for a home-folder file, `project` for one in a repository (`.mcp.json`, `.vscode/mcp.json`). */
  scope: 'user' | 'project';
  /** The server's name as configured. */
  name: string;
  /** For servers configured per project inside a user file (Claude Code's ~/.claude.json): that project's folder. */
  project?: string;
  command?: string;
  args?: string[];
  url?: string;
}

/**
 * What a SKILL.md says about running shell commands. Only `injection` runs
 * anything when the skill is loaded (Claude Code's dynamic context
 * injection); the other two widen what the agent may do once it is active.
 */
export interface SkillShell {
  /** Claude Code runs these before the model sees the skill: `!` + a backticked command (at a line start or after whitespace), or a fence opened with ```!. */
  injection: boolean;
  /** The first such command, cut to 120 characters. */
  firstCommand?: string;
  /** The front matter's `allowed-tools` names Bash: shell commands run without asking while the skill is active. */
  preapprovedBash: boolean;
  /** The skill folder holds a `scripts` folder (the standard's place for code the agent runs). */
  scripts: boolean;
}

/** An agent skill: a folder holding a SKILL.md in a skills folder the catalog names. */
export interface SkillObservation {
  kind: 'skill';
  /** The catalog `skillFolders` pattern that found it (the matcher maps it back to the agent). */
  folder: string;
  /** The skill folder. */
  path: string;
  /** `user` for a home-folder (or machine-wide) skill, `project` for one in the working folder's repository. */
  scope: 'user' | 'project';
  /** The front matter's `name`, else the folder name; cut to 100 characters. */
  name: string;
  /** The front matter's `description`, cut to 200 characters. */
  description?: string;
  /** Absent when SKILL.md was not read (it points outside the home folder or repository, or is too large). */
  shell?: SkillShell;
  /** Why SKILL.md was not read, when it was not. */
  unread?: string;
}

/** Browser families whose profiles the browsers scanner reads. */
export type BrowserFamily = 'chromium' | 'firefox';

/** A browser extension installed in a browser profile. */
export interface BrowserExtensionObservation {
  kind: 'browser-extension';
  family: BrowserFamily;
  /** The product whose profile it is in (`Chrome`, `Edge`, `Brave`, `Firefox`). */
  browser: string;
  /** The profile folder's name (`Default`, `Profile 1`, `abcd1234.default-release`). */
  profile: string;
  /** Chromium: the 32-letter store id; Firefox: the add-on id (`name@vendor` or a `{uuid}`). */
  id: string;
  /** From the manifest (a `__MSG_x__` name resolved from `_locales`); absent when it could not be read. */
  name?: string;
  version?: string;
  /** The extension's version folder (Chromium) or .xpi file (Firefox). */
  path: string;
}

/** A line a tool added to a shell profile or git configuration. */
export interface ConfigChangeObservation {
  kind: 'config-change';
  path: string;
  /** The catalog marker (path pattern and regular expression) that matched, as `<path> =~ /<regex>/`. */
  marker: string;
  /** 1-based line of the first match. */
  line: number;
  /** The matching line, trimmed and cut to 200 characters. */
  excerpt: string;
}

/** One of aitool's own ancestors (parent first), as the session scanner saw it: a process observation with its depth. */
export interface AncestorObservation extends Omit<ProcessObservation, 'kind'> {
  kind: 'ancestor';
  /** 1 for aitool's parent, 2 for the grandparent, ... */
  depth: number;
}

/** A variable in aitool's own environment that a catalog tool sets in the processes it spawns. */
export interface EnvObservation {
  kind: 'env';
  name: string;
  /** The value, cut to 200 characters (markers carry ids, not secrets). */
  value: string;
}

/** How a repository file is reached: staged for this commit, or tracked. */
export type ArtifactStatus = 'added' | 'copied' | 'renamed' | 'modified' | 'tracked';

/** A file in a repository, named as git names it. */
export interface ArtifactObservation {
  kind: 'artifact';
  /** The repository's top folder (absolute). */
  root: string;
  /** Relative to `root`, with forward slashes. */
  file: string;
  status: ArtifactStatus;
  /** The catalog repository pattern that matched (so the matcher can map it back). */
  pattern: string;
  /** A commit range check: the commit that adds or changes the file (else it is staged or tracked). */
  commit?: string;
}

/** Package ecosystems whose manifests and lockfiles the repo scanner reads for agent SDKs. */
export type DependencyEcosystem = 'npm' | 'pip' | 'go';

/**
 * Where in a manifest a dependency is declared: a package.json field
 * (`dependencies`, `devDependencies`, `optionalDependencies`,
 * `peerDependencies`), a pyproject table (`project.dependencies`,
 * `project.optional-dependencies.<extra>`, `tool.poetry.dependencies`,
 * `dependency-groups.<group>`), a Pipfile section (`packages`,
 * `dev-packages`), `require` (go.mod, requirements files), or `lockfile`
 * (a resolved package, possibly pulled in by another one).
 */
export type DependencyField = string;

/** A dependency on a catalog SDK, declared in a repository file. */
export interface DependencyObservation {
  kind: 'dependency';
  /** The repository's top folder (absolute). */
  root: string;
  /** The manifest or lockfile, relative to `root`, forward slashes. */
  file: string;
  status: ArtifactStatus;
  /** 1-based line of the declaration. */
  line: number;
  ecosystem: DependencyEcosystem;
  /** As the file names it (pip names as written; matching normalises them). */
  name: string;
  /** The version range as declared (`^0.1.0`, `>=0.2`), or the resolved version in a lockfile. */
  spec?: string;
  field: DependencyField;
  /** The name it is installed under, when package.json installs it through an npm alias. */
  alias?: string;
  /** A commit range check: the commit that adds the declaration (else it is staged or tracked). */
  commit?: string;
}

/** A catalog SDK installed in a project's `node_modules` (untracked, so read from the work tree). */
export interface SdkInstallObservation {
  kind: 'sdk-install';
  name: string;
  version?: string;
  /** The package folder. */
  path: string;
  /** The project folder whose `node_modules` holds it. */
  project: string;
}

/** A commit message (or one being written) with its author and committer. */
export interface CommitObservation {
  kind: 'commit';
  /** The commit's hash; absent for a message being written (commit-msg hook). */
  sha?: string;
  /** Where the message came from when there is no commit yet (.git/COMMIT_EDITMSG). */
  path?: string;
  message: string;
  /** `Name <email>`. */
  author?: string;
  committer?: string;
}

export type Observation =
  | ProcessObservation
  | AncestorObservation
  | EnvObservation
  | ArtifactObservation
  | CommitObservation
  | ExecutableObservation
  | TraceObservation
  | PackageObservation
  | ExtensionObservation
  | AppObservation
  | McpServerObservation
  | ConfigChangeObservation
  | DependencyObservation
  | SdkInstallObservation
  | SkillObservation
  | BrowserExtensionObservation;

/** What a scanner could not do. It never stops the other scanners. */
export interface Skipped {
  scanner: string;
  reason: string;
}

/** A note about something passed over inside a scanner that still finished (an unreadable folder, a symlink loop). */
export interface ScanNote {
  scanner: string;
  path?: string;
  message: string;
}

/**
 * What proved a process, executable or session finding:
 * - `package`: the file lives in the tool's npm or pip package;
 * - `path`: in the tool's own install folder, or an SDK or adapter package that embeds it;
 * - `environment`: a variable its launcher set (`CLAUDE_AGENT_SDK_VERSION`, or `_` resolving into the tool's package);
 * - `child`: a child carries the marker the tool sets in the shells it spawns, or sources its shell snapshot;
 * - `open-file`: it holds a file open in a folder only the tool writes;
 * - `command-line`: its argv carries the tool's own flags or files;
 * - `name`: only a name (the finding is then `name-only`).
 */
export type EvidenceProof = 'package' | 'path' | 'environment' | 'child' | 'open-file' | 'command-line' | 'name';

/** Evidence shown to the person and in JSON. Fields depend on the kind. */
export interface Evidence {
  /** Processes, executables and sessions: which kind of evidence proved the finding (see EvidenceProof). */
  proof?: EvidenceProof;
  /** Proof `child`: the child that vouches for this process, and the variable (value redacted) or command line that does. */
  child?: { pid: number; name: string; variable?: { name: string; value: string } };
  /** Proof `open-file`: the file held open. */
  openFile?: string;
  /** For `_` proofs: where the path the shell executed leads. */
  launchedAs?: string;
  /** Install method `sdk` (a running SDK or adapter, or an SDK installed in a project): the project folder whose node_modules holds it. */
  project?: string;
  pid?: number;
  ppid?: number;
  uid?: number;
  /** When the process started (ISO), so a reused pid is told apart before it is signalled. */
  startTime?: string;
  name?: string;
  cmd?: string;
  exe?: string;
  script?: string;
  path?: string;
  realPath?: string;
  package?: string;
  version?: string;
  installMethod?: InstallMethod;
  ancestors?: ProcessAncestor[];
  /** Extensions: the editor and the extension or plugin id. */
  editor?: string;
  extensionId?: string;
  /** Apps: where it was found and its bundle id. */
  source?: AppSource;
  bundleId?: string;
  /** MCP servers: the server as configured, and whether the file is the user's or a repository's. */
  server?: { name: string; command?: string; args?: string[]; url?: string };
  scope?: 'user' | 'project';
  /** Config changes and commits: the line and what it says. */
  line?: number;
  excerpt?: string;
  /** Sessions: how far up aitool's ancestry the tool's process is (1 = parent). */
  depth?: number;
  /** Sessions, and processes proven by their environment: the variable that marks the tool, its value redacted (see src/redact.ts). */
  variable?: { name: string; value: string };
  /** Sessions: a weak marker (also set where no agent is at work), counted because the policy says so. */
  weak?: boolean;
  /** Artifacts: the repository's top folder, the file relative to it, and how it is reached. */
  root?: string;
  file?: string;
  status?: ArtifactStatus;
  /** Commits: the hash (absent for a message being written), and which field matched. Artifacts and dependencies: the commit that adds the file or declaration, in a range check. */
  commit?: string;
  field?: 'message' | 'author' | 'committer' | DependencyField;
  /** Dependencies: the package ecosystem and the version range as declared (or resolved, in a lockfile). Also `file`, `line`, `package`, `field`. */
  ecosystem?: DependencyEcosystem;
  spec?: string;
  /** Dependencies: the npm alias the package is installed under (`"my-sdk": "npm:@openai/codex-sdk@^0.163"`). */
  alias?: string;
  /** Skills: what SKILL.md says (the name is in `name`, the folder in `path`). */
  skill?: { description?: string; shell?: SkillShell; unread?: string };
  /** Browser extensions: the browser and profile (the id is in `extensionId`, the manifest's name in `name`). */
  browser?: string;
  profile?: string;
  /** Which signature matched, in words (`npm package @openai/codex`, `process name claude`). */
  matched: string;
}

/** How the thing found got onto the machine. */
export type InstallMethod = PackageManager | 'app' | 'extension' | 'sdk' | 'unknown';

/** A catalog tool seen in an observation. */
export interface Detection {
  tool: string;
  kind: FindingKind;
  confidence: Confidence;
  evidence: Evidence;
}

/** An approved tool to use instead, and how to get it. */
export interface Alternative {
  id: string;
  name: string;
  url?: string;
  install?: string;
  note?: string;
}

/** A detection with the policy's verdict and what the person should do. */
export interface Finding extends Detection {
  toolName: string;
  category: ToolCategory;
  action: Action;
  /** The policy key that decided the action (`tools.claude-code`, `categories.ai-ide`, `default`, `mcp.servers.shell`, `mcp.default`). */
  rule: string;
  reason?: string;
  message?: string;
  alternatives: Alternative[];
  /** How to remove or stop the thing found, in one line. */
  remediation?: string;
  /**
   * A live managed exception covers it: `action` stays the policy's verdict,
   * but the finding counts as `warn` at most (exit code, summary, termination).
   */
  exception?: FindingException;
}

/** The managed exception that covers a finding, as the report shows it. */
export interface FindingException {
  reason: string;
  /** `YYYY-MM-DD`: live to the end of that day, UTC. */
  until: string;
  /** The managed policy file, and the exception's position in its `exceptions` list. */
  file: string;
  index: number;
}

/** The host the scan reads: one seam so other OS layouts can be tested from fixture roots. */
export interface HostInfo {
  os: OperatingSystem;
  home: string;
}
