/**
 * The policy file format as one zod schema: the single source for validation
 * (src/policy/validate.ts), the TypeScript types of a parsed file, and the
 * published JSON Schema (policies/schema.json, from policyJsonSchema()).
 *
 * Importing this module loads zod (~55 ms), so src/policy/load.ts imports it
 * only when a policy file actually has to be validated.
 */
import { z } from 'zod';
import { TOOL_CATEGORIES, TOOL_ID_PATTERN, toolEntrySchema } from '../catalog/schema.js';

export const actionSchema = z
  .enum(['allow', 'warn', 'block'])
  .describe('`allow`: permitted; `warn`: permitted but reported; `block`: reported as a violation.');

const idSchema = z.string().regex(TOOL_ID_PATTERN, 'a kebab-case id such as "acme-assistant"');

export const ruleObjectSchema = z
  .object({
    action: actionSchema.optional().describe('The verdict. When no layer sets it, the category rule and then `default` apply.'),
    reason: z.string().min(1).optional().describe('Why, in one sentence (shown to the person and in JSON).'),
    message: z.string().min(1).optional().describe('What the person should do, in the organisation\'s words.'),
    alternatives: z
      .array(idSchema)
      .optional()
      .describe('Approved tools to use instead: catalog tool ids, `customTools` ids or keys of `alternatives:`. Replaces the list from lower layers.'),
    overridable: z
      .boolean()
      .optional()
      .describe('In the managed (organisation) policy only: lets user, project and --policy files loosen this rule. Without it a managed action is a floor.'),
    terminate: z
      .boolean()
      .optional()
      .describe(
        "Stop the tool's running processes when the action is `block` (SIGTERM, then SIGKILL after `termination.graceMs`). Never pid 1, aitool or its ancestors. A managed `terminate: true` cannot be turned off below it.",
      ),
  })
  .strict();

export const ruleSchema = z
  .union([actionSchema, ruleObjectSchema])
  .describe('An action (shorthand for `{ action }`) or a rule object.');

export const alternativeSchema = z
  .object({
    name: z.string().min(1).describe('Display name.'),
    url: z.string().min(1).optional().describe('Where to read about or get it.'),
    install: z.string().min(1).optional().describe('How to get it, in one line (a command or a download page).'),
    note: z.string().min(1).optional().describe('Anything else the person should know (who to ask for access, ...).'),
  })
  .strict();

export const scannersSchema = z
  .object({
    processes: z.boolean().optional().describe('Look at running processes.'),
    path: z.boolean().optional().describe('Look for AI tool executables on PATH.'),
    traces: z.boolean().optional().describe('Look for files AI tools leave in the home folder.'),
    packages: z
      .boolean()
      .optional()
      .describe("Read package managers' installs from disk (npm, pnpm, yarn, bun, npx cache, pip, pipx, uv, Homebrew, cargo, go, dpkg) and the tools' own installers."),
    editors: z.boolean().optional().describe('Look for AI extensions and plugins in VS Code-family editors, JetBrains IDEs, Vim/Neovim, and AI settings in Zed.'),
    apps: z.boolean().optional().describe('Look for AI desktop apps (macOS bundles, Linux .desktop files, /opt, AppImages, snap, flatpak, Windows installs).'),
    configs: z.boolean().optional().describe("Read AI clients' MCP server configurations and the lines AI tools add to shell profiles and git config."),
    skills: z
      .boolean()
      .optional()
      .describe("Inventory agent skills (folders with a SKILL.md) in the agents' skills folders, the user's and the repository's."),
    browsers: z
      .boolean()
      .optional()
      .describe('Look for AI assistant extensions in Chromium-family (Chrome, Edge, Brave, Vivaldi, Arc, Opera) and Firefox profiles.'),
    session: z
      .boolean()
      .optional()
      .describe("Check whether aitool itself runs inside an AI tool: its ancestor processes and the agents' environment markers."),
    repo: z
      .boolean()
      .optional()
      .describe("Look for AI tools' files in the repository: the staged changes in a git hook, the tracked files otherwise."),
  })
  .strict();

export const terminationSchema = z
  .object({
    graceMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .describe('How long a process gets to exit after SIGTERM before SIGKILL (built-in: 3000).'),
    otherUsers: z
      .boolean()
      .optional()
      .describe("Let aitool, running as root, stop other users' processes. Honoured from the managed policy only."),
  })
  .strict();

export const sessionSchema = z
  .object({
    weakMarkers: z
      .union([z.boolean(), z.array(idSchema)])
      .optional()
      .describe(
        'Count weak session markers, which are also set where no agent is at work (CURSOR_TRACE_ID is in every Cursor terminal): `true` for every tool, or a list of tool ids. Built-in: false.',
      ),
  })
  .strict();

export const hookSchema = z
  .object({
    scanners: scannersSchema
      .optional()
      .describe('Which scanners run in git hooks. Built-in: session and repo only; the host scanners are opt-in here because a hook runs on every commit.'),
  })
  .strict();

/**
 * MCP server rule ids are the names servers are configured under in AI
 * clients (`filesystem`, `github.com`, `Brave Search`), not kebab-case ids, so
 * anything goes but blank or padded names, which could never match.
 */
const mcpServerIdSchema = z.string().regex(/^\S(?:.*\S)?$/, 'a server name without leading or trailing spaces');

const patternSchema = (against: string) =>
  z
    .string()
    .min(1)
    .optional()
    .describe(`A regular expression (JavaScript syntax, case-insensitive) tested against ${against}. A rule with patterns matches a server when every pattern it gives matches.`);

export const mcpServerRuleObjectSchema = ruleObjectSchema
  .omit({ terminate: true })
  .extend({
    action: actionSchema.optional().describe('The verdict for the servers this rule matches. When no layer sets it, `mcp.default` applies.'),
    overridable: z
      .boolean()
      .optional()
      .describe(
        'In the managed (organisation) policy only: lets user, project and --policy files loosen this rule or change its patterns. Without it a managed action is a floor and the patterns are fixed.',
      ),
    name: patternSchema("the server's configured name"),
    command: patternSchema('the command line that starts the server: `command` and `args` joined by spaces'),
    url: patternSchema("the server's URL (remote servers)"),
  })
  .strict();

export const mcpServerRuleSchema = z
  .union([actionSchema, mcpServerRuleObjectSchema])
  .describe(
    "An action (shorthand for `{ action }`, matching the server configured under this name, case-insensitive) or a rule object. Where several rules match a server, the strictest wins.",
  );

export const mcpSchema = z
  .object({
    default: actionSchema.optional().describe('The action for MCP servers that no rule matches (built-in: `allow`).'),
    servers: z
      .record(mcpServerIdSchema, mcpServerRuleSchema)
      .optional()
      .describe("Rules for MCP servers listed in AI clients' configurations, keyed by rule id: the server's configured name, or any label when the rule gives `name`, `command` or `url` patterns."),
  })
  .strict();

/**
 * Settings only a vendor's own control can carry (issue 11): aitool itself
 * does nothing with them; `aitool export <target>` writes them into that
 * target's file. Only the managed layer may set them, since they bind every
 * person on the machine.
 */
export const claudeCodeNativeSchema = z
  .object({
    forceLoginOrgUUID: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe("Claude Code's `forceLoginOrgUUID`: the organisation UUID (or UUIDs) an OAuth login must belong to."),
    forceLoginMethod: z
      .enum(['claudeai', 'console', 'gateway'])
      .optional()
      .describe("Claude Code's `forceLoginMethod`: the only kind of account a person may log in with."),
    requiredMinimumVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'a version such as "2.1.163"')
      .optional()
      .describe("Claude Code's `requiredMinimumVersion`: older versions refuse to start (Claude Code 2.1.163 and later)."),
    requiredMaximumVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'a version such as "2.1.163"')
      .optional()
      .describe("Claude Code's `requiredMaximumVersion`: newer versions refuse to start (Claude Code 2.1.163 and later)."),
    availableModels: z
      .array(z.string().min(1))
      .optional()
      .describe("Claude Code's `availableModels`: the only models a person may select (`sonnet`, `haiku`, a full model name)."),
  })
  .strict();

export const nativeSchema = z
  .object({
    claudeCode: claudeCodeNativeSchema.optional().describe('Written into Claude Code\'s managed-settings.json by `aitool export claude-code`.'),
  })
  .strict();

/** A calendar date, `YYYY-MM-DD`, that exists (no 2027-02-30). */
const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as "2027-01-31"')
  .refine((value) => {
    const [year, month, day] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'a date that exists');

const nameListSchema = (what: string) => z.array(z.string().min(1)).min(1).optional().describe(what);

/**
 * A time-boxed exception (issue 13): the tools it names are reported but do
 * not fail the check, for the people and machines it names, until the end of
 * `until`. Honoured from the managed policy only. Both a subject and a scope
 * are required, so an exception can never quietly become a policy change for
 * everyone.
 */
export const exceptionSchema = z
  .object({
    tools: z.array(idSchema).min(1).optional().describe('Catalog or custom tool ids the exception covers.'),
    categories: z.array(z.enum(TOOL_CATEGORIES)).min(1).optional().describe('Tool categories the exception covers.'),
    mcp: z
      .array(mcpServerIdSchema)
      .min(1)
      .optional()
      .describe('MCP server rule ids (keys of `mcp.servers`) or configured server names the exception covers.'),
    users: nameListSchema('Login names it applies to (exact).'),
    groups: nameListSchema("Unix groups it applies to: the user's primary group and the groups /etc/group lists them in."),
    hosts: nameListSchema('Host names it applies to (case-insensitive).'),
    until: isoDateSchema.describe('The last day it applies (`YYYY-MM-DD`); it ends at the end of that day, UTC.'),
    reason: z.string().min(1).describe('Why, for the record: a ticket, an approval.'),
  })
  .strict()
  .refine((entry) => entry.tools || entry.categories || entry.mcp, { message: 'names no tools, categories or mcp rules' })
  .refine((entry) => entry.users || entry.groups || entry.hosts, {
    message: 'names no users, groups or hosts: an exception for everyone is a policy change; change the rule instead',
  });

export const policySchema = z
  .object({
    $schema: z.string().optional().describe('JSON Schema hint for editors; ignored by aitool.'),
    extends: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe(
        'Policies this one builds on, lowest first: `aitool:recommended`, `aitool:strict`, a file relative to this one, or an npm package. This file wins over them.',
      ),
    default: actionSchema.optional().describe('The action for catalog tools that no rule names.'),
    tools: z
      .record(idSchema, ruleSchema)
      .optional()
      .describe('Rules per tool, keyed by catalog tool id or `customTools` id.'),
    categories: z
      .partialRecord(z.enum(TOOL_CATEGORIES), ruleSchema)
      .optional()
      .describe('Rules per tool category; a rule under `tools` wins over its category.'),
    alternatives: z
      .record(idSchema, alternativeSchema)
      .optional()
      .describe('Approved alternatives that are not in the catalog, keyed by the id rules use in `alternatives`.'),
    customTools: z
      .array(toolEntrySchema)
      .optional()
      .describe("The organisation's own tools, described exactly like catalog entries."),
    scanners: scannersSchema.optional().describe('Which scanners run. The managed policy can require one; lower layers cannot switch it off.'),
    mcp: mcpSchema
      .optional()
      .describe('What to do about MCP servers that AI clients (Claude Desktop, Cursor, VS Code, ...) are configured to run.'),
    hook: hookSchema.optional().describe('How aitool behaves in git hooks (pre-commit, commit-msg, pre-push).'),
    artifacts: z
      .object({
        ignore: z
          .array(z.string().min(1))
          .optional()
          .describe(
            "Repository paths whose AI tool files are not reported (gitignore-style globs: `test/fixtures/`, `vendor/**`). Lower layers' entries are refused when the managed policy requires the repo scanner.",
          ),
      })
      .strict()
      .optional()
      .describe('Which repository files the repo scanner leaves alone.'),
    session: sessionSchema.optional().describe('How aitool decides that it runs inside an AI tool.'),
    termination: terminationSchema.optional().describe('How banned processes are stopped (rules with `terminate: true`, or `aitool check --kill`).'),
    native: nativeSchema
      .optional()
      .describe("Settings for the vendors' own controls that `aitool export` writes (issue 11). Honoured from the managed policy only."),
    exceptions: z
      .array(exceptionSchema)
      .optional()
      .describe(
        'Time-boxed exceptions: what they cover is still reported, with its verdict, but does not fail the check (it counts as `warn`). Honoured from the managed policy only.',
      ),
  })
  .strict()
  .describe('An aitool policy: which AI coding tools are allowed, reported or blocked.');

/** A policy file as written (after parsing, before layers are merged). */
export type PolicyFile = z.infer<typeof policySchema>;
export type ExceptionInput = z.infer<typeof exceptionSchema>;
export type RuleInput = z.infer<typeof ruleObjectSchema>;
export type McpServerRuleInput = z.infer<typeof mcpServerRuleObjectSchema>;

/** The published JSON Schema of a policy file (policies/schema.json). */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return { $schema: schema.$schema, title: 'aitool policy', ...schema };
}
