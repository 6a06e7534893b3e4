// `aitool apply`'s merge: an existing machine-wide file merged with aitool's
// export never loses a restriction. Pure: the strictness tables, each rule on
// its own, and a check that every key an exporter emits has a rule.
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/apply/diff.js';
import { compareVersions, isPlainObject, mergeAllowedExtensions, mergeSettings, ShapeError, STRICTNESS_TABLES } from '../../src/apply/merge.js';
import { CATALOG } from '../../src/catalog/index.js';
import type { OperatingSystem } from '../../src/catalog/schema.js';
import { nativeExportOf } from '../../src/export/command.js';
import { NO_SERVER } from '../../src/export/native/gemini-cli.js';
import { mergePolicies } from '../../src/policy/merge.js';
import type { PolicyFile } from '../../src/policy/schema.js';

const resolve = (policy: PolicyFile) => mergePolicies([{ layer: 'managed', file: '/etc/aitool/policy.yaml', policy }], CATALOG);

/** Policies that between them make every exporter emit every key it knows. */
const POLICIES: PolicyFile[] = [
  // Every tool with a native file banned, MCP off, agents banned.
  {
    default: 'allow',
    tools: { 'claude-code': 'block', 'gemini-cli': 'block', 'github-copilot': 'block', cursor: 'block', 'continue': 'allow' },
    categories: { 'agent-cli': 'block' },
    mcp: { default: 'block', servers: { evil: 'block' } },
  },
  // Allowed tools, MCP allow and deny lists, the native-only settings.
  {
    default: 'allow',
    mcp: { default: 'block', servers: { good: 'allow', evil: 'block' } },
    native: {
      claudeCode: { forceLoginOrgUUID: ['org-1'], forceLoginMethod: 'claudeai', requiredMinimumVersion: '2.1.0', requiredMaximumVersion: '2.9.0', availableModels: ['sonnet'] },
    },
  },
  { default: 'warn', mcp: { servers: { evil: 'block' } }, native: { claudeCode: { forceLoginOrgUUID: 'org-1' } } },
];

const FILE_TARGETS: [string, OperatingSystem[]][] = [
  ['claude-code', ['linux', 'macos', 'windows']],
  ['copilot', ['linux', 'macos', 'windows']],
  ['gemini-cli', ['linux', 'macos', 'windows']],
  ['vscode', ['linux']],
];

/** Key paths of `value`, descending into the keys the table says are folders of settings. */
function keyPaths(value: Record<string, unknown>, table: Record<string, string>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix + key;
    return table[path] === 'object' && isPlainObject(child) ? [path, ...keyPaths(child, table, `${path}.`)] : [path];
  });
}

describe('strictness tables', () => {
  it.each(FILE_TARGETS)('every key the %s exporter emits has a merge rule', async (target, systems) => {
    const seen = new Set<string>();
    for (const os of systems) {
      for (const policy of POLICIES) {
        const exported = await nativeExportOf(target, { policy: resolve(policy), catalog: CATALOG, os });
        for (const file of exported.files) {
          const table = STRICTNESS_TABLES[target]?.[file.name];
          expect(table, `${target} ${file.name}`).toBeDefined();
          for (const path of keyPaths(JSON.parse(file.content) as Record<string, unknown>, table!)) {
            expect(table![path], `${target} ${file.name}: ${path}`).toBeDefined();
            seen.add(`${file.name}:${path}`);
          }
        }
      }
    }
    // The policies above reach the exporters' corners: a table test that saw nothing proves nothing.
    expect(seen.size).toBeGreaterThan(target === 'claude-code' ? 20 : 2);
  });

  it('the claude-code policies reach every key of the claude-code table', async () => {
    const seen = new Set<string>();
    for (const policy of POLICIES) {
      const exported = await nativeExportOf('claude-code', { policy: resolve(policy), catalog: CATALOG, os: 'linux' });
      for (const file of exported.files) for (const path of keyPaths(JSON.parse(file.content), STRICTNESS_TABLES['claude-code']![file.name]!)) seen.add(path);
    }
    expect([...seen].sort()).toEqual(Object.keys({ ...STRICTNESS_TABLES['claude-code']!['managed-settings.json'], ...STRICTNESS_TABLES['claude-code']!['managed-mcp.json'] }).sort());
  });
});

describe('merge rules', () => {
  const claude = STRICTNESS_TABLES['claude-code']!['managed-settings.json']!;
  const gemini = STRICTNESS_TABLES['gemini-cli']!['settings.json']!;
  const vscode = STRICTNESS_TABLES.vscode!['policy.json']!;

  it.each([
    ['deny lists: union, duplicates once', claude, { deniedMcpServers: [{ serverName: 'a' }, { serverName: 'b' }] }, { deniedMcpServers: [{ serverName: 'b' }, { serverName: 'c' }] }, { deniedMcpServers: [{ serverName: 'a' }, { serverName: 'b' }, { serverName: 'c' }] }],
    ['permissions.deny: union inside the permissions folder, other keys kept', claude, { permissions: { deny: ['Bash'], ask: ['Read'] } }, { permissions: { deny: ['Write', 'Bash'] } }, { permissions: { deny: ['Bash', 'Write'], ask: ['Read'] } }],
    ['allow lists: intersection', claude, { allowedMcpServers: [{ serverName: 'a' }] }, { allowedMcpServers: [{ serverName: 'a' }, { serverName: 'b' }] }, { allowedMcpServers: [{ serverName: 'a' }] }],
    ['allow lists: disjoint → empty (Claude Code: no server)', claude, { allowedMcpServers: [{ serverName: 'a' }] }, { allowedMcpServers: [{ serverName: 'b' }] }, { allowedMcpServers: [] }],
    ['allow list only in the file: kept', claude, { allowedMcpServers: [{ serverName: 'a' }] }, { deniedMcpServers: [{ serverName: 'z' }] }, { allowedMcpServers: [{ serverName: 'a' }], deniedMcpServers: [{ serverName: 'z' }] }],
    ['availableModels: intersection', claude, { availableModels: ['haiku'] }, { availableModels: ['haiku', 'sonnet'] }, { availableModels: ['haiku'] }],
    ['true wins', claude, { disableAllHooks: true, allowManagedHooksOnly: false }, { disableAllHooks: false, allowManagedHooksOnly: true }, { disableAllHooks: true, allowManagedHooksOnly: true }],
    ['"disable" wins', claude, { permissions: { disableBypassPermissionsMode: 'disable' } }, { permissions: { disableAutoMode: 'disable' } }, { permissions: { disableBypassPermissionsMode: 'disable', disableAutoMode: 'disable' } }],
    ['minimum version: the higher', claude, { requiredMinimumVersion: '2.10.0' }, { requiredMinimumVersion: '2.9.5' }, { requiredMinimumVersion: '2.10.0' }],
    ['maximum version: the lower', claude, { requiredMaximumVersion: '2.0.0' }, { requiredMaximumVersion: '3.0.0' }, { requiredMaximumVersion: '2.0.0' }],
    ['maximum version: ours when lower', claude, { requiredMaximumVersion: '2.0.0' }, { requiredMaximumVersion: '0.0.0' }, { requiredMaximumVersion: '0.0.0' }],
    ['forceLoginOrgUUID: the same organisation stays a string', claude, { forceLoginOrgUUID: 'o1' }, { forceLoginOrgUUID: 'o1' }, { forceLoginOrgUUID: 'o1' }],
    ['forceLoginOrgUUID: two organisations → none (every login refused)', claude, { forceLoginOrgUUID: 'o1' }, { forceLoginOrgUUID: 'o2' }, { forceLoginOrgUUID: [] }],
    ['forceLoginOrgUUID: string and list → intersection list', claude, { forceLoginOrgUUID: ['o1', 'o2'] }, { forceLoginOrgUUID: 'o2' }, { forceLoginOrgUUID: ['o2'] }],
    ['forceLoginMethod: the existing method stays', claude, { forceLoginMethod: 'console' }, { forceLoginMethod: 'claudeai' }, { forceLoginMethod: 'console' }],
    ['unknown keys: kept, even when aitool says otherwise', claude, { model: 'opus', cleanupPeriodDays: 3 }, { model: 'sonnet' }, { model: 'opus', cleanupPeriodDays: 3 }],
    ['managed-mcp.json: a server stays only when both name it', STRICTNESS_TABLES['claude-code']!['managed-mcp.json']!, { mcpServers: { corp: { command: 'corp-mcp' } } }, { mcpServers: {} }, { mcpServers: {} }],
    ['gemini: excluded union, allowed intersection', gemini, { mcp: { allowed: ['a', 'b'], excluded: ['x'] } }, { mcp: { allowed: ['b', 'c'], excluded: ['y'] } }, { mcp: { allowed: ['b'], excluded: ['x', 'y'] } }],
    ['gemini: an empty allowed list is no list', gemini, { mcp: { allowed: [] } }, { mcp: { allowed: ['b'] } }, { mcp: { allowed: ['b'] } }],
    ['gemini: disjoint allow lists → nothing may load', gemini, { mcp: { allowed: ['a'] } }, { mcp: { allowed: ['b'] } }, { mcp: { allowed: [NO_SERVER], excluded: [NO_SERVER] } }],
    ['gemini: tools.core intersection, tools.exclude union, security true wins', gemini, { tools: { core: ['read_file', 'glob'], exclude: ['web_fetch'] }, security: { disableYoloMode: true } }, { tools: { core: [], exclude: ['glob'] }, security: { disableYoloMode: false, disableAlwaysAllow: true } }, { tools: { core: [], exclude: ['web_fetch', 'glob'] }, security: { disableYoloMode: true, disableAlwaysAllow: true } }],
    ['vscode: ChatMCP the lower, ChatAgentMode false wins', vscode, { ChatMCP: 'registry', ChatAgentMode: false }, { ChatMCP: 'all', ChatAgentMode: true }, { ChatMCP: 'registry', ChatAgentMode: false }],
    ['vscode: ChatMCP none from aitool', vscode, { ChatMCP: 'registry' }, { ChatMCP: 'none' }, { ChatMCP: 'none' }],
  ])('%s', (_name, table, existing, ours, expected) => {
    expect(mergeSettings(table, existing, ours as Record<string, unknown>).merged).toEqual(expected);
  });

  it('a file that does not exist takes aitool\'s settings as they are', () => {
    expect(mergeSettings(claude, undefined, { disableAllHooks: true }).merged).toEqual({ disableAllHooks: true });
  });

  it('notes a key whose existing value stays although aitool says otherwise', () => {
    expect(mergeSettings(claude, { forceLoginMethod: 'console' }, { forceLoginMethod: 'claudeai' }).notes).toEqual([
      'forceLoginMethod: kept the existing "console"; aitool\'s policy says "claudeai"',
    ]);
    expect(mergeSettings(claude, { forceLoginMethod: 'console' }, { forceLoginMethod: 'console' }).notes).toEqual([]);
  });

  it.each([
    ['not an object', claude, ['a'], { disableAllHooks: true }],
    ['a switch that is a string', claude, { disableAllHooks: 'yes' }, { disableAllHooks: true }],
    ['a deny list that is a string', claude, { deniedMcpServers: 'evil' }, { deniedMcpServers: [{ serverName: 'evil' }] }],
    ['a folder that is a list', claude, { permissions: ['Bash'] }, { permissions: { deny: ['Bash'] } }],
    ['a version that is not one', claude, { requiredMaximumVersion: 'latest' }, { requiredMaximumVersion: '0.0.0' }],
    ['an unknown ChatMCP', vscode, { ChatMCP: 'some' }, { ChatMCP: 'none' }],
    ['AllowedExtensions that is not JSON', vscode, { AllowedExtensions: '{nope' }, { AllowedExtensions: '{"*":true}' }],
    ['AllowedExtensions with a bad verdict', vscode, { AllowedExtensions: '{"a.b": 3}' }, { AllowedExtensions: '{"*":true}' }],
  ])('refuses an existing file with %s', (_name, table, existing, ours) => {
    expect(() => mergeSettings(table, existing, ours as Record<string, unknown>)).toThrow(ShapeError);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('2.10.0', '2.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.0.0', '2.1.163')).toBeLessThan(0);
  });
});

describe('AllowedExtensions', () => {
  /** What VS Code decides for an id: its key, else its publisher's, else "*", else refused. */
  function verdict(text: string, id: string): unknown {
    const map = JSON.parse(text) as Record<string, unknown>;
    return map[id] ?? map[id.split('.')[0]!] ?? map['*'] ?? false;
  }

  const cases: [string, string][] = [
    ['{"*":true,"evil.ext":false,"codeium":false}', '{"*":true,"anysphere.cursor":false,"good.ext":true}'],
    ['{"good.ext":true,"corp":true}', '{"*":true,"evil.ext":false,"corp.bad":false}'],
    ['{"*":true,"pinned.ext":["1.2.0","1.3.0"],"stable.ext":"stable"}', '{"*":true,"pinned.ext":["1.3.0"],"stable.ext":true}'],
    ['{"*":true,"Evil.Ext":false}', '{"*":true,"evil.ext":true}'],
  ];
  const ids = ['evil.ext', 'good.ext', 'codeium.windsurf', 'anysphere.cursor', 'corp.bad', 'corp.fine', 'pinned.ext', 'stable.ext', 'other.thing'];

  it.each(cases)('every extension id gets the stricter of its two verdicts: %s + %s', (existing, ours) => {
    const merged = mergeAllowedExtensions(existing, ours);
    const rank = (v: unknown) => (v === false ? 0 : v === true ? 2 : 1);
    for (const id of ids) {
      const before = [verdict(existing.toLowerCase(), id), verdict(ours, id)];
      const after = verdict(merged, id);
      expect(rank(after), `${id} in ${merged}`).toBe(Math.min(...before.map(rank)));
    }
  });

  it('an id one map allows and the other (denying by default) does not name stays refused', () => {
    const merged = JSON.parse(mergeAllowedExtensions('{"good.ext":true}', '{"*":true,"new.ext":true}')) as Record<string, unknown>;
    expect(merged['*']).toBeUndefined();
    expect(merged['good.ext']).toBe(true);
    expect(merged['new.ext']).toBe(false);
  });

  it('version lists intersect; an empty intersection refuses', () => {
    expect(JSON.parse(mergeAllowedExtensions('{"*":true,"a.b":["1.0.0","2.0.0"]}', '{"*":true,"a.b":["2.0.0"]}'))['a.b']).toEqual(['2.0.0']);
    expect(JSON.parse(mergeAllowedExtensions('{"*":true,"a.b":["1.0.0"]}', '{"*":true,"a.b":["2.0.0"]}'))['a.b']).toBe(false);
  });
});

describe('unifiedDiff', () => {
  it('shows removals before additions with context, and nothing for equal texts', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\nh\ni\n';
    expect(unifiedDiff(before, after, 'x', 'x')).toBe(['--- x', '+++ x', '@@ -1,8 +1,9 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g', ' h', '+i', ''].join('\n'));
    expect(unifiedDiff(before, before, 'x', 'x')).toBe('');
    expect(unifiedDiff('', 'new\n', 'x', 'x')).toBe('--- x\n+++ x\n@@ -0,0 +1,1 @@\n+new\n');
  });

  it('splits far-apart changes into hunks', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = [...lines];
    changed[1] = 'X';
    changed[18] = 'Y';
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, 'f', 'f');
    expect(diff.split('\n').filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });
});
