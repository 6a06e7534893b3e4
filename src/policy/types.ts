/**
 * The effective policy after all layers are merged, as the rest of the
 * pipeline sees it. Produced by loadPolicy() in src/policy/load.ts.
 */
import type { ToolCategory, ToolEntry } from '../catalog/schema.js';
import type { Action, ScannerName } from '../types.js';

/** What the policy says about one tool (or one category). */
export interface ToolRule {
  action: Action;
  /** Why (shown to the person and in JSON). */
  reason?: string;
  /** What the person should do, in the organisation's words. */
  message?: string;
  /** Ids of catalog tools or of entries under `alternatives:`. */
  alternatives?: string[];
  /** Stop the tool's running processes when the action is block. */
  terminate?: boolean;
}

/** An approved alternative defined in the policy (not in the catalog). */
export interface AlternativeDefinition {
  name: string;
  url?: string;
  install?: string;
  note?: string;
}

export type LayerName = 'default' | 'managed' | 'user' | 'project' | 'cli';

/** Where a value came from. */
export interface Origin {
  layer: LayerName;
  /** The file that set it (a preset shows as `aitool:recommended`); absent for the built-in default. */
  file?: string;
}

/** A soft problem: the policy still applies, minus the part named here. */
export interface PolicyWarning {
  file?: string;
  key?: string;
  message: string;
}

/**
 * A rule for MCP servers found in AI clients' configurations. It matches a
 * server when every pattern it gives matches (case-insensitive regular
 * expressions); a rule with no pattern matches the server named like its id.
 */
export interface McpServerRule extends ToolRule {
  /** Against the server's configured name. */
  name?: string;
  /** Against the command line: `command` and `args` joined by spaces. */
  command?: string;
  /** Against the server's URL (remote servers). */
  url?: string;
}

export interface McpPolicy {
  /** For servers no rule matches. */
  default: Action;
  servers: Record<string, McpServerRule>;
}

/** Claude Code managed settings the policy passes through as they are (see src/policy/schema.ts). */
export interface ClaudeCodeNative {
  forceLoginOrgUUID?: string | string[];
  forceLoginMethod?: 'claudeai' | 'console' | 'gateway';
  requiredMinimumVersion?: string;
  requiredMaximumVersion?: string;
  availableModels?: string[];
}

export interface NativePolicy {
  claudeCode: ClaudeCodeNative;
}

/**
 * A managed exception as written, with where it was written. Whether it is
 * live for this person, machine and day is decided when it is used
 * (src/policy/exceptions.ts), never when the policy is merged or cached.
 */
export interface PolicyException {
  tools?: string[];
  categories?: ToolCategory[];
  mcp?: string[];
  users?: string[];
  groups?: string[];
  hosts?: string[];
  /** `YYYY-MM-DD`; the exception ends at the end of that day, UTC. */
  until: string;
  reason: string;
  /** The managed file that defines it. */
  file: string;
  /** Its position in that file's `exceptions` list, from 0. */
  index: number;
}

export interface ResolvedPolicy {
  /** Action for catalog tools that no rule names. */
  default: Action;
  tools: Record<string, ToolRule>;
  categories: Partial<Record<ToolCategory, ToolRule>>;
  alternatives: Record<string, AlternativeDefinition>;
  /** Tools the policy defines itself, in the catalog's shape. */
  customTools: ToolEntry[];
  /** Which scanners run. */
  scanners: Record<ScannerName, boolean>;
  /** Rules for MCP servers; where several match a server, the strictest wins. */
  mcp: McpPolicy;
  /** Repository paths (gitignore-style) whose AI tool files are not reported. */
  artifactIgnore: string[];
  /** Which scanners run in git hooks (session and repo by default). */
  hookScanners: Record<ScannerName, boolean>;
  session: {
    /** Weak environment markers count: for every tool (true), none (false), or the tools listed. */
    weakMarkers: boolean | string[];
  };
  termination: {
    graceMs: number;
    /** Only the managed layer can set it. */
    otherUsers: boolean;
  };
  /** Settings for the vendors' own controls (`aitool export`); only the managed layer sets them. */
  native: NativePolicy;
  /** Exceptions from the managed layer only, live or not (older cache entries may lack it). */
  exceptions?: PolicyException[];
  /** Key path (`default`, `tools.claude-code.action`, `scanners.path`) → where its value came from. */
  origins: Record<string, Origin>;
  /** The files read, lowest layer first. */
  files: Origin[];
  warnings: PolicyWarning[];
}
