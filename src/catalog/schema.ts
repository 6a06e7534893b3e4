/**
 * The shape of one catalog entry, as a zod schema. Built-in entries
 * (src/catalog/tools/*.ts) and a policy's `customTools` share it, so an
 * organisation's in-house assistant is described exactly like a vendor's tool.
 *
 * Hot-path modules import only the types from here (`import type`), so zod is
 * loaded only when a policy file is validated.
 */
import { z } from 'zod';

/** What kind of product a tool is. Drives report wording and per-category policy rules. */
export const TOOL_CATEGORIES = [
  'agent-cli',
  'ai-ide',
  'editor-extension',
  'jetbrains-plugin',
  'desktop-app',
  'local-model-runtime',
  'agent-instructions',
  /**
   * Not a category of catalog entries: the rule for a repository's dependency
   * on an agent SDK (`dependency` findings), applied on top of the agent's own
   * rule (the stricter of the two wins; see src/decide.ts).
   */
  'agent-sdk',
  'browser-extension',
] as const;

export const OPERATING_SYSTEMS = ['linux', 'macos', 'windows'] as const;

const pathPattern = z
  .string()
  .min(1)
  .describe(
    'A path pattern with forward slashes. `~` (home), `%APPDATA%`, `%LOCALAPPDATA%`, `%PROGRAMFILES%`, `%PROGRAMDATA%`, ' +
      '`$XDG_CONFIG_HOME`, `$XDG_DATA_HOME`, `$XDG_STATE_HOME` or `$XDG_CACHE_HOME` at the start anchor it there; a leading `/` ' +
      'anchors at the root; otherwise it matches at any folder boundary. `*` matches within a segment, `**` across segments, ' +
      '`{version}` one segment captured as the version.',
  );

const regexSource = z.string().min(1).describe('A JavaScript regular expression (source text, no slashes).');
const names = z.array(z.string().min(1));

export const executableSignatureSchema = z
  .object({
    name: z.string().min(1).describe('File name on PATH, without a Windows extension.'),
    ambiguous: z
      .boolean()
      .optional()
      .describe('Unrelated programs use this name too (`q`, `amp`): a hit counts only when its path or package proves the tool.'),
  })
  .strict();

export const processSignatureSchema = z
  .object({
    names: names.optional().describe('Process names (comm) and argv[0] basenames.'),
    ambiguousNames: names.optional().describe('Of `names`, those unrelated programs also use: never enough on their own.'),
    paths: z.array(pathPattern).optional().describe('Executable or script paths that prove the tool.'),
    args: z.array(regexSource).optional().describe('Regular expressions over the command line that prove the tool.'),
    sdkPaths: z
      .array(pathPattern)
      .optional()
      .describe(
        'Files of an SDK or adapter package that embeds or wraps the tool (`node_modules/@anthropic-ai/claude-agent-sdk-*/claude`): ' +
          'a process or executable there is the tool, with install method `sdk` and the project folder.',
      ),
    childArgs: z
      .array(regexSource)
      .optional()
      .describe("Regular expressions over a child's command line that prove its parent is the tool (the shell snapshot the tool's shells source)."),
    openFiles: z
      .array(pathPattern)
      .optional()
      .describe('Folders only the running tool writes in (its session transcripts): a process holding a file open under one is the tool.'),
  })
  .strict();

export const packageSignatureSchema = z
  .object({
    npm: names.optional(),
    pip: names.optional(),
    brew: names.optional(),
    brewCask: names.optional(),
    cargo: names.optional(),
    go: names.optional(),
    deb: names.optional(),
    rpm: names.optional(),
    snap: names.optional(),
    flatpak: names.optional(),
    winget: names.optional(),
    choco: names.optional(),
  })
  .strict();

export const sdkPackageSignatureSchema = z
  .object({
    npm: names.optional(),
    pip: names.optional(),
    go: names.optional().describe('Go module paths (`github.com/github/copilot-sdk/go`).'),
  })
  .strict();

export const appSignatureSchema = z
  .object({
    macos: z.object({ bundleNames: names.optional(), bundleIds: names.optional() }).strict().optional(),
    windows: z.object({ paths: z.array(pathPattern).optional(), displayNames: names.optional() }).strict().optional(),
    linux: z.object({ paths: z.array(pathPattern).optional(), desktopFiles: names.optional() }).strict().optional(),
  })
  .strict();

export const homeSignatureSchema = z
  .object({
    path: pathPattern,
    os: z.array(z.enum(OPERATING_SYSTEMS)).optional().describe('Only on these operating systems; every OS when absent.'),
  })
  .strict();

export const envSignatureSchema = z
  .object({
    name: z.string().min(1),
    value: regexSource.optional().describe('The value must match this regular expression; any value when absent.'),
    strength: z
      .enum(['strong', 'weak'])
      .optional()
      .describe('`weak` markers are also set where no agent is at work; they count only where the policy says so.'),
    marks: z
      .enum(['spawned', 'self'])
      .optional()
      .describe(
        "`spawned` (default): the tool sets it in the processes it spawns, so a child carrying it (and its parent not) vouches for the parent; " +
          '`self`: whoever starts the tool sets it (an SDK), so the process carrying it (and its parent not) is the tool.',
      ),
  })
  .strict();

export const commitSignatureSchema = z
  .object({
    pattern: regexSource.describe('Matched case-insensitively against each line.'),
    in: z.enum(['message', 'author', 'committer']).optional(),
  })
  .strict();

export const fileMarkerSchema = z
  .object({
    path: pathPattern.describe('The file (a shell profile, a git ignore or config file).'),
    pattern: regexSource.describe('Matched against each line.'),
  })
  .strict();

export const mcpConfigSchema = z
  .object({
    path: pathPattern.describe('A home-anchored file, or a path relative to a repository root (`.mcp.json`).'),
    /** Where the servers are in the file. */
    format: z
      .enum(['mcpServers', 'servers', 'context_servers', 'projects.mcpServers'])
      .describe(
        '`mcpServers` (Claude, Cursor, Windsurf, Gemini, ...), `servers` (VS Code mcp.json), `context_servers` (Zed), `projects.mcpServers` (Claude Code ~/.claude.json per-project servers, also read at the top level).',
      ),
    os: z.array(z.enum(OPERATING_SYSTEMS)).optional(),
  })
  .strict();

export const browserExtensionsSchema = z
  .object({
    chromium: names
      .optional()
      .describe('Chrome Web Store ids (32 letters a-p), as in `<profile>/Extensions/<id>` of Chrome, Chromium, Edge, Brave, Vivaldi, Arc and Opera.'),
    firefox: names.optional().describe('Firefox add-on ids (`name@vendor` or `{uuid}`), as in `<profile>/extensions.json`.'),
  })
  .strict();

export const removalHintsSchema = z
  .object({
    npm: z.string().optional(),
    pip: z.string().optional(),
    brew: z.string().optional(),
    native: z.string().optional(),
    app: z.string().optional(),
    extension: z.string().optional(),
  })
  .strict();

export const toolSignaturesSchema = z
  .object({
    executables: z.array(executableSignatureSchema).optional(),
    processes: processSignatureSchema.optional(),
    packages: packageSignatureSchema.optional(),
    sdkPackages: sdkPackageSignatureSchema
      .optional()
      .describe(
        'Libraries that run this agent inside another program (its SDK, an ACP adapter): a repository that declares one as a dependency is reported as a `dependency` finding of this tool.',
      ),
    installPaths: z
      .array(pathPattern)
      .optional()
      .describe("Folders of the tool's own installer or self-updater; `{version}` captures the version."),
    vscodeExtensions: names.optional().describe('VS Code-family extension ids (publisher.name), case-insensitive.'),
    jetbrainsPlugins: names.optional().describe('JetBrains plugin ids.'),
    vimPlugins: names.optional().describe('Vim and Neovim plugin folder names (`copilot.vim`), case-insensitive.'),
    zedSettings: names
      .optional()
      .describe('Top-level keys of Zed settings.json that configure this AI feature (`agent`, `assistant`).'),
    apps: appSignatureSchema.optional(),
    home: z.array(homeSignatureSchema).optional().describe("Files and folders the tool keeps in the user's home."),
    repo: names.optional().describe('Repository files and folders (globs relative to the repository root).'),
    env: z.array(envSignatureSchema).optional().describe('Variables the tool sets in the processes it spawns.'),
    fileMarkers: z
      .array(fileMarkerSchema)
      .optional()
      .describe('Lines the tool adds to shell profiles or git configuration when it is installed.'),
    mcpConfigs: z
      .array(mcpConfigSchema)
      .optional()
      .describe("Files where this tool, as an MCP client, lists its MCP servers."),
    commits: z.array(commitSignatureSchema).optional().describe('Commit-message lines the tool adds.'),
    skillFolders: z
      .array(pathPattern)
      .optional()
      .describe(
        "Folders where this agent loads skills from (each skill is a subfolder holding a SKILL.md): home-anchored, or relative to a repository root (`.claude/skills`).",
      ),
    browserExtensions: browserExtensionsSchema.optional().describe('Browser extension ids of this tool.'),
  })
  .strict();

/** Where a native-control fact comes from, the way signature comments name it. */
const factSource = z
  .string()
  .min(1)
  .describe(
    'Where the fact comes from: a URL, or `D` (the vendor\'s docs), `T` (a third party) or `V` (seen in aitool\'s research) followed by the page or repository.',
  );

const absolutePath = z.string().min(1).describe('An absolute path on that OS (Windows with backslashes), as an administrator writes it.');

export const nativePathsSchema = z
  .object({
    linux: absolutePath,
    macos: absolutePath,
    windows: absolutePath,
    verified: z
      .boolean()
      .optional()
      .describe('`false`: no vendor page states these paths for this product (they come from a related product); exports say so.'),
    source: factSource,
  })
  .strict();

export const builtInToolNamesSchema = z
  .object({
    names: names.describe("The tool's own built-in tool names, as its managed settings name them in deny or exclude lists."),
    source: factSource,
  })
  .strict();

export const vscodePolicySchema = z
  .object({
    honoured: z
      .enum(['yes', 'no', 'unverified'])
      .describe("Whether this VS Code fork reads VS Code's enterprise policies (AllowedExtensions, ChatMCP, ...) from VS Code's locations."),
    source: factSource,
  })
  .strict();

const TEAM_ID = /^[A-Z0-9]{10}$/;

export const santaFactsSchema = z
  .object({
    teamId: z.string().regex(TEAM_ID, 'a 10-character Apple Developer Team ID').optional().describe("The Apple Developer Team ID that signs the tool's macOS binaries."),
    teamIdExclusive: z
      .boolean()
      .optional()
      .describe(
        '`true`: the team signs nothing but the catalog tools that name it, so when all of them are blocked one TEAMID rule blocks them, every version. ' +
          'Absent or `false` (Amazon, Google, Microsoft, vendors with other products): never a TEAMID rule.',
      ),
    signingIds: z
      .array(z.string().regex(/^(?:[A-Z0-9]{10}|platform):[^:\s]+$/, 'TEAMID:signing.id'))
      .optional()
      .describe("Santa signing ids (`TEAMID:signing.id`) of the tool's own executables: a SIGNINGID rule blocks exactly these, every version."),
    source: factSource,
  })
  .strict();

export const nativeFactsSchema = z
  .object({
    managedSettings: nativePathsSchema
      .optional()
      .describe("The machine-wide settings file the tool itself obeys (Claude Code's managed-settings.json, Gemini CLI's system settings, ...)."),
    managedMcp: nativePathsSchema.optional().describe("The machine-wide file that takes exclusive control of the tool's MCP servers (Claude Code's managed-mcp.json)."),
    builtInTools: builtInToolNamesSchema.optional(),
    vscodePolicy: vscodePolicySchema.optional(),
    santa: santaFactsSchema.optional(),
  })
  .strict();

export const TOOL_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const toolEntrySchema = z
  .object({
    id: z.string().regex(TOOL_ID_PATTERN, 'a kebab-case id such as "acme-assistant"').describe('Stable kebab-case id.'),
    name: z.string().min(1),
    vendor: z.string().min(1),
    homepage: z.string().min(1),
    category: z.enum(TOOL_CATEGORIES),
    description: z.string().optional(),
    install: z.string().optional().describe("How to get the tool, in one line (a command or a download page), shown when it is an approved alternative."),
    signatures: toolSignaturesSchema,
    remove: removalHintsSchema.optional().describe('How to remove the tool, by install method.'),
    sources: names.optional().describe('Where the signatures come from.'),
    native: nativeFactsSchema
      .optional()
      .describe(
        "Facts about the vendor's own controls that `aitool export` writes for this tool (managed settings paths, built-in tool names, Santa team and signing ids), each with its source. " +
          'Extension ids, MCP config files and process names are in `signatures`.',
      ),
  })
  .strict();

export type ToolCategory = (typeof TOOL_CATEGORIES)[number];
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];
export type PathPattern = string;
export type ExecutableSignature = z.infer<typeof executableSignatureSchema>;
export type ProcessSignature = z.infer<typeof processSignatureSchema>;
export type PackageSignature = z.infer<typeof packageSignatureSchema>;
export type SdkPackageSignature = z.infer<typeof sdkPackageSignatureSchema>;
export type AppSignature = z.infer<typeof appSignatureSchema>;
export type HomeSignature = z.infer<typeof homeSignatureSchema>;
export type EnvSignature = z.infer<typeof envSignatureSchema>;
export type CommitSignature = z.infer<typeof commitSignatureSchema>;
export type FileMarker = z.infer<typeof fileMarkerSchema>;
export type McpConfig = z.infer<typeof mcpConfigSchema>;
export type RemovalHints = z.infer<typeof removalHintsSchema>;
export type BrowserExtensions = z.infer<typeof browserExtensionsSchema>;
export type ToolSignatures = z.infer<typeof toolSignaturesSchema>;
export type ToolEntry = z.infer<typeof toolEntrySchema>;
export type NativePaths = z.infer<typeof nativePathsSchema>;
export type NativeFacts = z.infer<typeof nativeFactsSchema>;
export type SantaFacts = z.infer<typeof santaFactsSchema>;
