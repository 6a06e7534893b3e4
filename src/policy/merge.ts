/**
 * Merges validated policy files (lowest first) into the effective policy,
 * recording where every value came from and enforcing the managed floor.
 * Pure: no I/O, no zod.
 *
 * Merge rules: tool and category rules merge field by field (a later
 * `cursor: warn` changes only the action), maps merge by key, arrays
 * (`alternatives` lists) replace, custom tools replace by id.
 *
 * The managed floor: an action the managed (organisation) layer sets is the
 * least a lower layer may set. A tool's floor is the managed rule for that
 * tool, else for its category, else the managed default, so `default: block`
 * in /etc cannot be undone by `tools.cursor: allow` in a repository. A looser
 * value is dropped with a warning (the whole rule from that file, so its
 * reason cannot contradict the verdict); `overridable: true` on the managed
 * rule lifts the floor.
 *
 * The managed words stand too: a `reason`, `message` or `alternatives` list
 * the managed layer gives a rule (a tool's, or its category's, which the tool
 * inherits) and a managed `terminate: true` (on the tool or its category)
 * cannot be changed below it, and an alternative the managed layer defines,
 * or a catalog tool's name and install command, cannot be redefined below it.
 * Each attempt is dropped with a warning, like a loosening.
 *
 * MCP server rules (`mcp.servers.<id>`) merge the same way, by rule id, and
 * `mcp.default` like `default`. Their floor is the managed rule with the same
 * id, else the managed `mcp.default`. A lower layer may also not change the
 * `name`, `command` or `url` pattern of a rule the managed layer defines:
 * narrowing a managed `block` rule's pattern would loosen it as surely as
 * `allow` would. A lower layer's rule under a new id cannot loosen a managed
 * rule that matches the same server, because decide.ts applies the strictest
 * of all matching rules; its own action is still held to the managed
 * `mcp.default`, since for a server no managed rule names, that default is
 * what the new rule would override.
 */
import { ACTION_RANK } from '../labels.js';
import type { ToolCategory, ToolEntry } from '../catalog/schema.js';
import { HOST_SCANNERS, SCANNER_NAMES, type Action, type ScannerName } from '../types.js';
import type { McpServerRuleInput, PolicyFile, RuleInput } from './schema.js';
import type { AlternativeDefinition, LayerName, McpServerRule, Origin, ResolvedPolicy, ToolRule } from './types.js';

/** One policy file after validation, with the layer it belongs to. */
export interface LoadedPolicyFile {
  layer: LayerName;
  /** Absolute path, or `aitool:<preset>`. */
  file: string;
  policy: PolicyFile;
}

const BUILT_IN: Origin = { layer: 'default' };
const RULE_FIELDS = ['action', 'reason', 'message', 'alternatives', 'terminate'] as const;
const MCP_FIELDS = ['action', 'reason', 'message', 'alternatives'] as const;
const MCP_PATTERN_FIELDS = ['name', 'command', 'url'] as const;
const MCP_RULE_FIELDS = [...MCP_FIELDS, ...MCP_PATTERN_FIELDS] as const;
type McpPatternField = (typeof MCP_PATTERN_FIELDS)[number];

/** The built-in default layer: every tool found is reported (warn), every scanner runs. */
export function builtInPolicy(): ResolvedPolicy {
  const origins: Record<string, Origin> = { default: { ...BUILT_IN } };
  const scanners = {} as Record<ScannerName, boolean>;
  const hookScanners = {} as Record<ScannerName, boolean>;
  for (const name of SCANNER_NAMES) {
    scanners[name] = true;
    origins[`scanners.${name}`] = { ...BUILT_IN };
    hookScanners[name] = !HOST_SCANNERS.includes(name);
    origins[`hook.scanners.${name}`] = { ...BUILT_IN };
  }
  for (const key of ['mcp.default', 'session.weakMarkers', 'termination.graceMs', 'termination.otherUsers']) origins[key] = { ...BUILT_IN };
  return {
    default: 'warn',
    tools: {},
    categories: {},
    alternatives: {},
    customTools: [],
    scanners,
    mcp: { default: 'allow', servers: {} },
    hookScanners,
    artifactIgnore: [],
    session: { weakMarkers: false },
    termination: { graceMs: 3000, otherUsers: false },
    native: { claudeCode: {} },
    exceptions: [],
    origins,
    files: [],
    warnings: [],
  };
}

type PartialRule = Partial<ToolRule>;

const WORD_FIELDS = ['reason', 'message', 'alternatives'] as const;
type WordField = (typeof WORD_FIELDS)[number];

interface ManagedRule {
  action?: Action;
  /** The managed file that set `action`. */
  file?: string;
  overridable?: boolean;
  /** The managed file that set `terminate: true`. */
  terminateBy?: string;
  /** The managed file that set each of the rule's words. */
  words?: Partial<Record<WordField, string>>;
}

interface ManagedMcpRule extends ManagedRule {
  /** The last managed file that set any field of the rule. */
  definedBy: string;
  /** The patterns as the managed layer left them (absent: none, so the rule matches by its id). */
  patterns: Partial<Record<McpPatternField, string>>;
}

interface Floor {
  action: Action;
  file: string;
  /** The managed key the floor comes from, when not the key being set. */
  via?: string;
}

export function mergePolicies(files: readonly LoadedPolicyFile[], catalog: readonly ToolEntry[]): ResolvedPolicy {
  const out = builtInPolicy();
  // Keyed by ids from policy files: no prototype, so an id like `constructor`
  // or `toString` is just a key (validation refuses __proto__ and friends too).
  const tools: Record<string, PartialRule> = Object.create(null) as Record<string, PartialRule>;
  const categories: Record<string, PartialRule> = Object.create(null) as Record<string, PartialRule>;
  const customTools = new Map<string, ToolEntry>();

  const managed = {
    default: undefined as { action: Action; file: string } | undefined,
    tools: new Map<string, ManagedRule>(),
    categories: new Map<string, ManagedRule>(),
    scanners: new Map<ScannerName, string>(),
    hookScanners: new Map<ScannerName, string>(),
    weakMarkers: undefined as { value: boolean | string[]; file: string } | undefined,
    customTools: new Map<string, string>(),
    mcpDefault: undefined as { action: Action; file: string } | undefined,
    mcpServers: new Map<string, ManagedMcpRule>(),
    alternatives: new Map<string, string>(),
  };
  const mcpServers: Record<string, Partial<McpServerRule>> = Object.create(null) as Record<string, Partial<McpServerRule>>;
  const hasManaged = files.some((file) => file.layer === 'managed');
  const catalogIds = new Set(catalog.map((entry) => entry.id));

  const categoryOf = toolCategories(files, catalog);

  const floorForCategory = (category: string | undefined): Floor | undefined | null => {
    // null: a managed `overridable: true` lifted the floor; undefined: no rule here.
    if (category === undefined) return undefined;
    const rule = managed.categories.get(category);
    if (rule?.overridable) return null;
    if (rule?.action && rule.file) return { action: rule.action, file: rule.file, via: `categories.${category}` };
    return undefined;
  };
  const floorForDefault = (): Floor | undefined =>
    managed.default ? { action: managed.default.action, file: managed.default.file, via: 'default' } : undefined;
  const floorFor = (kind: 'tools' | 'categories', id: string): Floor | undefined => {
    if (kind === 'tools') {
      const rule = managed.tools.get(id);
      if (rule?.overridable) return undefined;
      if (rule?.action && rule.file) return { action: rule.action, file: rule.file };
      const fromCategory = floorForCategory(categoryOf.get(id));
      if (fromCategory === null) return undefined;
      return fromCategory ?? floorForDefault();
    }
    const fromCategory = floorForCategory(id);
    if (fromCategory === null) return undefined;
    if (fromCategory) return { ...fromCategory, via: undefined };
    return floorForDefault();
  };

  const warn = (origin: Origin, key: string, message: string): void => {
    out.warnings.push({ file: origin.file, key, message });
  };

  /** The managed rules a lower layer's rule for this tool or category is held to: its own, then (for a tool) its category's. */
  const managedRulesFor = (kind: 'tools' | 'categories', id: string): { rule: ManagedRule; key: string }[] => {
    const out: { rule: ManagedRule; key: string }[] = [];
    const own = (kind === 'tools' ? managed.tools : managed.categories).get(id);
    if (own) out.push({ rule: own, key: `${kind}.${id}` });
    const category = kind === 'tools' ? categoryOf.get(id) : undefined;
    const inherited = category === undefined ? undefined : managed.categories.get(category);
    if (inherited) out.push({ rule: inherited, key: `categories.${category}` });
    return out.filter(({ rule }) => !rule.overridable);
  };

  const applyRule = (kind: 'tools' | 'categories', id: string, input: Action | RuleInput, origin: Origin, isManaged: boolean): void => {
    const rule: RuleInput = typeof input === 'string' ? { action: input } : { ...input };
    const target = kind === 'tools' ? tools : categories;
    // A loosening drops the whole rule from that file, so its words cannot contradict the verdict.
    if (!isManaged && rule.action !== undefined) {
      const floor = floorFor(kind, id);
      if (floor && ACTION_RANK[rule.action] < ACTION_RANK[floor.action]) {
        const subject = kind === 'tools' ? id : `category ${id}`;
        const via = floor.via ? ` (${floor.via}: ${floor.action})` : '';
        warn(
          origin,
          `${kind}.${id}.action`,
          `sets ${subject} to ${rule.action}, but the managed policy ${floor.file} ${floorVerb(floor.action)}${via}; ignored`,
        );
        return;
      }
    }
    if (isManaged) {
      const record = (kind === 'tools' ? managed.tools : managed.categories).get(id) ?? {};
      if (rule.action !== undefined) {
        record.action = rule.action;
        record.file = origin.file;
      }
      if (rule.overridable !== undefined) record.overridable = rule.overridable;
      if (rule.terminate !== undefined) record.terminateBy = rule.terminate ? origin.file : undefined;
      for (const field of WORD_FIELDS) {
        if (rule[field] !== undefined) (record.words ??= {})[field] = origin.file;
      }
      (kind === 'tools' ? managed.tools : managed.categories).set(id, record);
    } else {
      const held = managedRulesFor(kind, id);
      const terminating = held.find(({ rule: locked }) => locked.terminateBy);
      if (rule.terminate === false && terminating) {
        const via = terminating.key === `${kind}.${id}` ? '' : ` (on ${terminating.key})`;
        warn(origin, `${kind}.${id}.terminate`, `turns off terminate for ${id}, but the managed policy ${terminating.rule.terminateBy} requires it${via}; ignored`);
        rule.terminate = undefined;
      }
      for (const field of WORD_FIELDS) {
        if (rule[field] === undefined) continue;
        const owner = held.find(({ rule: locked }) => locked.words?.[field] !== undefined);
        if (!owner) continue;
        const via = owner.key === `${kind}.${id}` ? '' : ` (on ${owner.key})`;
        warn(origin, `${kind}.${id}.${field}`, `changes the ${wordName(field)} the managed policy ${owner.rule.words![field]} gives for ${id}${via}; ignored`);
        rule[field] = undefined;
      }
    }
    const current = (target[id] ??= {});
    for (const field of RULE_FIELDS) {
      const value = rule[field];
      if (value === undefined) continue;
      (current as Record<string, unknown>)[field] = Array.isArray(value) ? [...value] : value;
      out.origins[`${kind}.${id}.${field}`] = origin;
    }
  };

  const mcpFloorFor = (id: string): Floor | undefined => {
    const rule = managed.mcpServers.get(id);
    if (rule?.overridable) return undefined;
    if (rule?.action && rule.file) return { action: rule.action, file: rule.file };
    return managed.mcpDefault ? { ...managed.mcpDefault, via: 'mcp.default' } : undefined;
  };

  const applyMcpRule = (id: string, input: Action | McpServerRuleInput, origin: Origin, isManaged: boolean): void => {
    const rule: McpServerRuleInput = typeof input === 'string' ? { action: input } : input;
    const key = `mcp.servers.${id}`;
    if (isManaged) {
      const record = managed.mcpServers.get(id) ?? { definedBy: origin.file ?? '', patterns: {} };
      record.definedBy = origin.file ?? record.definedBy;
      if (rule.action !== undefined) {
        record.action = rule.action;
        record.file = origin.file;
      }
      if (rule.overridable !== undefined) record.overridable = rule.overridable;
      for (const field of MCP_PATTERN_FIELDS) {
        const value = rule[field];
        if (value !== undefined) record.patterns[field] = value;
      }
      for (const field of WORD_FIELDS) {
        if (rule[field] !== undefined) (record.words ??= {})[field] = origin.file;
      }
      managed.mcpServers.set(id, record);
    } else {
      const locked = managed.mcpServers.get(id);
      if (locked && !locked.overridable) {
        const changed = MCP_PATTERN_FIELDS.find((field) => rule[field] !== undefined && rule[field] !== locked.patterns[field]);
        if (changed) {
          warn(
            origin,
            `${key}.${changed}`,
            `changes the ${changed} pattern of mcp server rule '${id}', but the managed policy ${locked.definedBy} defines that rule; ignored`,
          );
          return;
        }
        const words = WORD_FIELDS.filter((field) => rule[field] !== undefined && locked.words?.[field] !== undefined);
        if (words.length > 0) {
          const copy: McpServerRuleInput = { ...rule };
          for (const field of words) {
            warn(origin, `${key}.${field}`, `changes the ${wordName(field)} the managed policy ${locked.words![field]} gives for mcp server rule '${id}'; ignored`);
            copy[field] = undefined;
          }
          return applyMcpRule(id, copy, origin, isManaged);
        }
      }
      const floor = rule.action === undefined ? undefined : mcpFloorFor(id);
      if (floor && rule.action !== undefined && ACTION_RANK[rule.action] < ACTION_RANK[floor.action]) {
        const via = floor.via ? ` (${floor.via}: ${floor.action})` : '';
        warn(
          origin,
          `${key}.action`,
          `sets mcp server rule '${id}' to ${rule.action}, but the managed policy ${floor.file} ${floorVerb(floor.action)}${via}; ignored`,
        );
        return;
      }
    }
    const current = (mcpServers[id] ??= {});
    for (const field of MCP_RULE_FIELDS) {
      const value = rule[field];
      if (value === undefined) continue;
      (current as Record<string, unknown>)[field] = Array.isArray(value) ? [...value] : value;
      out.origins[`${key}.${field}`] = origin;
    }
  };

  const seenFiles = new Set<string>();
  for (const { layer, file, policy } of files) {
    const origin: Origin = { layer, file };
    const isManaged = layer === 'managed';
    const fileKey = `${layer}\0${file}`;
    if (!seenFiles.has(fileKey)) {
      seenFiles.add(fileKey);
      out.files.push(origin);
    }

    if (policy.default !== undefined) {
      const floor = isManaged ? undefined : floorForDefault();
      if (floor && ACTION_RANK[policy.default] < ACTION_RANK[floor.action]) {
        warn(origin, 'default', `sets default to ${policy.default}, but the managed policy ${floor.file} sets it to ${floor.action}; ignored`);
      } else {
        out.default = policy.default;
        out.origins.default = origin;
        if (isManaged) managed.default = { action: policy.default, file };
      }
    }

    for (const [id, rule] of Object.entries(policy.tools ?? {})) applyRule('tools', id, rule, origin, isManaged);
    for (const [id, rule] of Object.entries(policy.categories ?? {})) {
      if (rule !== undefined) applyRule('categories', id, rule, origin, isManaged);
    }

    for (const [id, definition] of Object.entries(policy.alternatives ?? {})) {
      if (!isManaged) {
        // The organisation's alternatives (and the catalog's, once it has a
        // policy) are what people are told to install: a repository must not
        // swap the command for its own.
        const definedBy = managed.alternatives.get(id);
        if (definedBy !== undefined) {
          warn(origin, `alternatives.${id}`, `redefines alternative ${id}, but the managed policy ${definedBy} defines it; ignored`);
          continue;
        }
        if (hasManaged && catalogIds.has(id)) {
          warn(origin, `alternatives.${id}`, `redefines ${id}, a catalog tool; only the managed policy may change what aitool says about it; ignored`);
          continue;
        }
      } else {
        managed.alternatives.set(id, file);
      }
      out.alternatives[id] = copyAlternative(definition);
      out.origins[`alternatives.${id}`] = origin;
    }

    for (const tool of policy.customTools ?? []) {
      const lockedBy = managed.customTools.get(tool.id);
      if (!isManaged && lockedBy !== undefined) {
        warn(origin, `customTools.${tool.id}`, `redefines custom tool ${tool.id}, but the managed policy ${lockedBy} defines it; ignored`);
        continue;
      }
      if (isManaged) managed.customTools.set(tool.id, file);
      customTools.set(tool.id, structuredClone(tool));
      out.origins[`customTools.${tool.id}`] = origin;
    }

    for (const name of SCANNER_NAMES) {
      const on = policy.scanners?.[name];
      if (on === undefined) continue;
      const requiredBy = managed.scanners.get(name);
      if (!isManaged && !on && requiredBy !== undefined) {
        warn(origin, `scanners.${name}`, `turns off the ${name} scanner, but the managed policy ${requiredBy} requires it; ignored`);
        continue;
      }
      if (isManaged) {
        if (on) managed.scanners.set(name, file);
        else managed.scanners.delete(name);
      }
      out.scanners[name] = on;
      out.origins[`scanners.${name}`] = origin;
    }

    for (const name of SCANNER_NAMES) {
      const on = policy.hook?.scanners?.[name];
      if (on === undefined) continue;
      const key = `hook.scanners.${name}`;
      const requiredBy = managed.hookScanners.get(name);
      if (!isManaged && !on && requiredBy !== undefined) {
        warn(origin, key, `turns off the ${name} scanner in hooks, but the managed policy ${requiredBy} requires it; ignored`);
        continue;
      }
      if (isManaged) {
        if (on) managed.hookScanners.set(name, file);
        else managed.hookScanners.delete(name);
      }
      out.hookScanners[name] = on;
      out.origins[key] = origin;
    }

    const ignore = policy.artifacts?.ignore;
    if (ignore !== undefined && ignore.length > 0) {
      // A repository's own policy must not hide what the organisation requires to be looked at.
      const requiredBy = isManaged ? undefined : (managed.scanners.get('repo') ?? managed.hookScanners.get('repo'));
      if (requiredBy !== undefined) {
        warn(origin, 'artifacts.ignore', `the managed policy ${requiredBy} requires the repo scanner, so only it may ignore repository paths; ignored`);
      } else {
        out.artifactIgnore.push(...ignore.filter((glob) => !out.artifactIgnore.includes(glob)));
        out.origins['artifacts.ignore'] = origin;
      }
    }

    const weakMarkers = policy.session?.weakMarkers;
    if (weakMarkers !== undefined) {
      const floor = isManaged ? undefined : managed.weakMarkers;
      const covers = (wide: boolean | string[], narrow: boolean | string[]) =>
        wide === false || narrow === true || (Array.isArray(wide) && Array.isArray(narrow) && wide.every((id) => narrow.includes(id)));
      if (floor && !covers(floor.value, weakMarkers)) {
        warn(origin, 'session.weakMarkers', `counts fewer weak session markers than the managed policy ${floor.file}; ignored`);
      } else {
        out.session.weakMarkers = Array.isArray(weakMarkers) ? [...weakMarkers] : weakMarkers;
        out.origins['session.weakMarkers'] = origin;
        if (isManaged) managed.weakMarkers = { value: out.session.weakMarkers, file };
      }
    }
    if (policy.termination?.graceMs !== undefined) {
      out.termination.graceMs = policy.termination.graceMs;
      out.origins['termination.graceMs'] = origin;
    }
    if (policy.termination?.otherUsers !== undefined) {
      if (isManaged) {
        out.termination.otherUsers = policy.termination.otherUsers;
        out.origins['termination.otherUsers'] = origin;
      } else {
        warn(origin, 'termination.otherUsers', "only the managed policy may let aitool stop other users' processes; ignored");
      }
    }

    // The vendors' own controls bind everyone on the machine, and a person
    // could otherwise loosen them (an older minimum version, another login
    // organisation) from a file they own.
    for (const [key, value] of Object.entries(policy.native?.claudeCode ?? {})) {
      if (value === undefined) continue;
      const path = `native.claudeCode.${key}`;
      if (!isManaged) {
        warn(origin, path, 'only the managed policy may set the settings written into the vendors\' own controls; ignored');
        continue;
      }
      (out.native.claudeCode as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
      out.origins[path] = origin;
    }

    // An exception loosens the managed floor for named people: a repository
    // or a person's own file granting one would undo the floor entirely.
    (policy.exceptions ?? []).forEach((entry, index) => {
      if (!isManaged) {
        warn(origin, `exceptions.${index}`, `only the managed policy may grant exceptions; ignored (reason: ${JSON.stringify(entry.reason)}, until ${entry.until})`);
        return;
      }
      out.exceptions!.push({ ...structuredClone(entry), file, index });
    });

    const mcpDefault = policy.mcp?.default;
    if (mcpDefault !== undefined) {
      const floor = isManaged ? undefined : managed.mcpDefault;
      if (floor && ACTION_RANK[mcpDefault] < ACTION_RANK[floor.action]) {
        warn(origin, 'mcp.default', `sets mcp.default to ${mcpDefault}, but the managed policy ${floor.file} sets it to ${floor.action}; ignored`);
      } else {
        out.mcp.default = mcpDefault;
        out.origins['mcp.default'] = origin;
        if (isManaged) managed.mcpDefault = { action: mcpDefault, file };
      }
    }
    for (const [id, rule] of Object.entries(policy.mcp?.servers ?? {})) applyMcpRule(id, rule, origin, isManaged);
  }

  // A rule that no layer gave an action takes what the tool would get without
  // it: its category's rule, then the default.
  for (const [id, rule] of Object.entries(categories)) {
    out.categories[id as ToolCategory] = finishRule(rule, out.default, out.origins.default, `categories.${id}`, out.origins);
  }
  for (const [id, rule] of Object.entries(tools)) {
    const category = categoryOf.get(id);
    const categoryRule = category === undefined ? undefined : out.categories[category as ToolCategory];
    const fallback = categoryRule?.action ?? out.default;
    const fallbackOrigin = categoryRule ? out.origins[`categories.${category}.action`] : out.origins.default;
    out.tools[id] = finishRule(rule, fallback, fallbackOrigin, `tools.${id}`, out.origins);
  }
  // An MCP rule without an action takes what an unmatched server would get.
  for (const [id, rule] of Object.entries(mcpServers)) {
    const done: McpServerRule = finishRule(rule, out.mcp.default, out.origins['mcp.default'], `mcp.servers.${id}`, out.origins);
    for (const field of MCP_PATTERN_FIELDS) {
      const value = rule[field];
      if (value !== undefined) done[field] = value;
    }
    out.mcp.servers[id] = done;
  }
  out.customTools = [...customTools.values()];
  return out;
}

function finishRule(
  rule: PartialRule,
  fallback: Action,
  fallbackOrigin: Origin | undefined,
  key: string,
  origins: Record<string, Origin>,
): ToolRule {
  const done: ToolRule = { action: rule.action ?? fallback };
  if (rule.action === undefined && fallbackOrigin) origins[`${key}.action`] = fallbackOrigin;
  if (rule.reason !== undefined) done.reason = rule.reason;
  if (rule.message !== undefined) done.message = rule.message;
  if (rule.alternatives !== undefined) done.alternatives = rule.alternatives;
  if (rule.terminate !== undefined) done.terminate = rule.terminate;
  return done;
}

function wordName(field: WordField): string {
  return field === 'alternatives' ? 'alternatives' : field;
}

function floorVerb(action: Action): string {
  if (action === 'block') return 'blocks it';
  if (action === 'warn') return 'requires at least warn for it';
  return 'allows it';
}

function copyAlternative(definition: AlternativeDefinition): AlternativeDefinition {
  const copy: AlternativeDefinition = { name: definition.name };
  if (definition.url !== undefined) copy.url = definition.url;
  if (definition.install !== undefined) copy.install = definition.install;
  if (definition.note !== undefined) copy.note = definition.note;
  return copy;
}

/**
 * Tool id → category, from the catalog and the custom tools as they will be
 * after merging (a managed definition cannot be replaced; otherwise the last wins).
 */
function toolCategories(files: readonly LoadedPolicyFile[], catalog: readonly ToolEntry[]): Map<string, string> {
  const categories = new Map<string, string>();
  for (const entry of catalog) categories.set(entry.id, entry.category);
  const locked = new Set<string>();
  for (const { layer, policy } of files) {
    for (const tool of policy.customTools ?? []) {
      if (locked.has(tool.id) && layer !== 'managed') continue;
      if (layer === 'managed') locked.add(tool.id);
      categories.set(tool.id, tool.category);
    }
  }
  return categories;
}
