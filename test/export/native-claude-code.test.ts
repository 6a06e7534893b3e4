// `aitool export claude-code`: the policy as Claude Code's managed-settings.json,
// every generated file validated against Claude Code's published settings
// schema (SchemaStore, committed in test/fixtures/native/), and the built CLI
// run as an administrator would.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { OBSERVED_NOT_IN_SCHEMA } from '../../src/catalog/tools/claude-code.js';
import { exportNative } from '../../src/export/native/claude-code.js';
import { mergePolicies } from '../../src/policy/merge.js';
import type { PolicyFile } from '../../src/policy/schema.js';
import { validatePolicyData } from '../../src/policy/validate.js';
import type { OperatingSystem } from '../../src/catalog/schema.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'native', 'claude-code-settings.schema.json'), 'utf8')) as object;
// The schema uses SchemaStore's own keywords (allowTrailingCommas), which strict mode refuses.
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateSettings = ajv.compile(SCHEMA);

/**
 * Valid against the schema, but for the deny rules naming tools the real
 * Claude Code offers and SchemaStore's pattern does not list yet (the catalog
 * records them, seen in test/native/real-claude-code.test.ts): those, and only
 * those, are taken out before validating.
 */
function expectValidSettings(content: string): Record<string, unknown> {
  const settings = JSON.parse(content) as Record<string, any>;
  const unlisted: readonly string[] = OBSERVED_NOT_IN_SCHEMA;
  const deny = settings.permissions?.deny as string[] | undefined;
  const forSchema = deny ? { ...settings, permissions: { ...settings.permissions, deny: deny.filter((rule) => !unlisted.includes(rule)) } } : settings;
  const valid = validateSettings(forSchema);
  expect(valid, JSON.stringify(validateSettings.errors)).toBe(true);
  for (const name of unlisted) expect(validateSettings({ permissions: { deny: [name] } }), `${name} is in the schema now`).toBe(false);
  return settings;
}

function exportFor(policy: PolicyFile, layer: 'managed' | 'cli' = 'managed', os: OperatingSystem = 'linux', lower: PolicyFile[] = []) {
  const resolved = mergePolicies(
    [{ layer, file: `/etc/aitool/policy.yaml`, policy }, ...lower.map((p, i) => ({ layer: 'user' as const, file: `/home/u/policy${i}.yaml`, policy: p }))],
    CATALOG,
  );
  return { resolved, result: exportNative({ policy: resolved, catalog: CATALOG, os }) };
}

describe('claude-code export (pure)', () => {
  it('the committed schema rejects what Claude Code would refuse, so passing it means something', () => {
    expect(validateSettings({ deniedMcpServers: [{ serverName: 'has space' }] })).toBe(false);
    expect(validateSettings({ permissions: { deny: ['NoSuchTool'] } })).toBe(false);
    expect(validateSettings({ forceLoginMethod: 'other' })).toBe(false);
  });

  it('a policy blocking claude-code: deny rules for every tool, bypass off, nothing loadable, versions refused', () => {
    const { result } = exportFor({ default: 'allow', tools: { 'claude-code': { action: 'block', message: 'Use Acme Assistant.' } } });
    const [settings, mcp] = result.files;
    const parsed = expectValidSettings(settings!.content) as Record<string, any>;
    expect(parsed.permissions.deny).toEqual(expect.arrayContaining(['Bash', 'Edit', 'Write', 'Read', 'WebFetch', 'WebSearch', 'Agent', 'NotebookEdit', 'PowerShell']));
    expect(parsed.permissions.disableBypassPermissionsMode).toBe('disable');
    expect(parsed.permissions.disableAutoMode).toBe('disable');
    expect(parsed).toMatchObject({
      allowManagedPermissionRulesOnly: true,
      allowManagedHooksOnly: true,
      allowManagedMcpServersOnly: true,
      allowedMcpServers: [],
      requiredMaximumVersion: '0.0.0',
      forceLoginOrgUUID: [],
      companyAnnouncements: ['Use Acme Assistant.'],
    });
    expect(mcp).toEqual({ name: 'managed-mcp.json', installPath: '/etc/claude-code/managed-mcp.json', content: '{\n  "mcpServers": {}\n}\n' });
    expect(result.cannotExpress.join('\n')).toMatch(/claude-code \(tools\.claude-code: block\): Claude Code has no documented off switch.*one that honours neither still starts, but every built-in tool call is denied/);
  });

  it('a block through the category or the default counts too; an allowed claude-code gets no deny rules', () => {
    const viaDefault = exportFor({ default: 'block' }).result;
    expect((JSON.parse(viaDefault.files[0]!.content) as any).permissions?.deny).toContain('Bash');
    expect(viaDefault.cannotExpress[0]).toContain('(default: block)');
    const viaCategory = exportFor({ categories: { 'agent-cli': 'block' } }).result;
    expect(viaCategory.cannotExpress[0]).toContain('(categories.agent-cli: block)');
    const allowed = exportFor({ default: 'block', tools: { 'claude-code': 'allow' } }).result;
    expect(JSON.parse(allowed.files[0]!.content)).toEqual({});
    expect(allowed.files).toHaveLength(1);
    expect(allowed.cannotExpress).toEqual([]);
  });

  it('MCP rules: names, commands and URLs become list entries; a regular expression is listed as not expressible', () => {
    const { result } = exportFor({
      mcp: {
        servers: {
          filesystem: 'block',
          'Brave Search': 'block',
          shady: { action: 'block', name: '^shady-server$' },
          runner: { action: 'block', command: '^npx -y @evil/mcp\\-server$' },
          remote: { action: 'block', url: '^https://mcp\\.evil\\.example/.*' },
          anyEvil: { action: 'block', name: '^evil-\\d+$' },
          both: { action: 'block', name: '^x$', url: '^https://x\\.example/' },
          github: 'allow',
        },
      },
    });
    expect(result.files).toHaveLength(1);
    const settings = expectValidSettings(result.files[0]!.content);
    expect(settings.deniedMcpServers).toEqual([
      { serverName: 'filesystem' },
      { serverUrl: 'https://mcp.evil.example/*' },
      { serverCommand: ['npx', '-y', '@evil/mcp-server'] },
      { serverName: 'shady-server' },
    ]);
    expect(settings).not.toHaveProperty('allowedMcpServers');
    expect(settings).not.toHaveProperty('allowManagedMcpServersOnly');
    const lines = result.cannotExpress.join('\n');
    expect(lines).toContain("mcp.servers.anyEvil (block): its name pattern /^evil-\\d+$/ is a regular expression");
    expect(lines).toContain("mcp.servers.Brave Search (block): the server name 'Brave Search' has characters Claude Code's serverName does not allow");
    expect(lines).toContain('mcp.servers.both (block): a rule with several patterns (name, url) needs all of them to match');
    expect(lines).not.toMatch(/mcp\.servers\.github/);
  });

  it('a blocked claude-code allows no MCP server, whatever the rules allow, and keeps the denylist', () => {
    const { result } = exportFor({
      tools: { 'claude-code': 'block' },
      mcp: { default: 'block', servers: { github: 'allow', filesystem: 'block', docs: { action: 'allow', url: '^https://docs\\.example/' } } },
    });
    const settings = expectValidSettings(result.files[0]!.content);
    expect(settings).toMatchObject({ allowManagedMcpServersOnly: true, allowedMcpServers: [], deniedMcpServers: [{ serverName: 'filesystem' }] });
    expect(result.files.map((f) => f.name)).toEqual(['managed-settings.json', 'managed-mcp.json']);
    expect(result.cannotExpress).toHaveLength(1);
    expect(result.cannotExpress[0]).toContain('Settings pushed from the claude.ai console or an MDM profile take precedence');
  });

  it('mcp.default: block: the allowed servers are the only ones, from the managed list only', () => {
    const { result } = exportFor({
      mcp: { default: 'block', servers: { github: 'allow', docs: { action: 'warn', url: '^https://docs\\.example\\.com/mcp$' }, bad: 'block' } },
    });
    const settings = expectValidSettings(result.files[0]!.content);
    expect(settings).toMatchObject({
      allowManagedMcpServersOnly: true,
      allowedMcpServers: [{ serverUrl: 'https://docs.example.com/mcp' }, { serverName: 'github' }],
      deniedMcpServers: [{ serverName: 'bad' }],
    });
    expect(result.files).toHaveLength(1);
    expect(result.cannotExpress).toContain('mcp.servers.docs (warn): Claude Code cannot warn; the server is allowed');

    // Nothing allowed: the documented way to turn MCP off is an empty managed-mcp.json.
    const none = exportFor({ mcp: { default: 'block' } }).result;
    expect(expectValidSettings(none.files[0]!.content)).toEqual({ allowManagedMcpServersOnly: true, allowedMcpServers: [] });
    expect(none.files.map((f) => f.name)).toEqual(['managed-settings.json', 'managed-mcp.json']);
  });

  it('native.claudeCode keys from the managed policy are written as they are', () => {
    const native = {
      forceLoginOrgUUID: '6f1c2a9e-0000-4000-8000-000000000001',
      forceLoginMethod: 'claudeai' as const,
      requiredMinimumVersion: '2.1.163',
      availableModels: ['sonnet', 'haiku'],
    };
    const { result, resolved } = exportFor({ native: { claudeCode: native } });
    expect(expectValidSettings(result.files[0]!.content)).toEqual(native);
    expect(resolved.origins['native.claudeCode.forceLoginMethod']).toEqual({ layer: 'managed', file: '/etc/aitool/policy.yaml' });
  });

  it('a lower layer setting native keys gets a warning and changes nothing', () => {
    const { resolved, result } = exportFor({ native: { claudeCode: { requiredMinimumVersion: '2.1.163' } } }, 'managed', 'linux', [
      { native: { claudeCode: { requiredMinimumVersion: '1.0.0', availableModels: ['opus'] } } },
    ]);
    expect(resolved.native.claudeCode).toEqual({ requiredMinimumVersion: '2.1.163' });
    expect(resolved.warnings.map((w) => `${w.file}: ${w.key}`)).toEqual([
      '/home/u/policy0.yaml: native.claudeCode.requiredMinimumVersion',
      '/home/u/policy0.yaml: native.claudeCode.availableModels',
    ]);
    expect(resolved.warnings[0]!.message).toContain('only the managed policy may set');
    expect(JSON.parse(result.files[0]!.content)).toEqual({ requiredMinimumVersion: '2.1.163' });
    // And a --policy file alone is no managed layer either.
    const cli = exportFor({ native: { claudeCode: { forceLoginMethod: 'console' } } }, 'cli');
    expect(cli.resolved.native.claudeCode).toEqual({});
    expect(cli.resolved.warnings).toHaveLength(1);
  });

  it('the policy schema checks native keys', () => {
    const check = (raw: unknown) => {
      try {
        validatePolicyData('p.yaml', raw);
        return 'valid';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(check({ native: { claudeCode: { requiredMinimumVersion: '2.1.163', forceLoginOrgUUID: ['a', 'b'] } } })).toBe('valid');
    expect(check({ native: { claudeCode: { requiredMinimumVersion: 'latest' } } })).toMatch(/requiredMinimumVersion/);
    expect(check({ native: { claudeCode: { forceLoginMethod: 'sso' } } })).toMatch(/forceLoginMethod/);
    expect(check({ native: { claudeCode: { disableEverything: true } } })).toMatch(/disableEverything/);
  });
});

describe('aitool export claude-code (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
    world.write('managed/policy.yaml', 'default: allow\nnative:\n  claudeCode:\n    forceLoginMethod: claudeai\nmcp:\n  servers:\n    filesystem: block\n');
    world.write('block.yaml', 'tools:\n  claude-code: block\n');
  });
  afterEach(() => world.cleanup());

  it('writes the single file to stdout, with where it goes on stderr', async () => {
    const result = await runCli(['export', 'claude-code', '--os', 'linux'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(expectValidSettings(result.stdout)).toEqual({ forceLoginMethod: 'claudeai', deniedMcpServers: [{ serverName: 'filesystem' }] });
    expect(result.stderr).toContain('aitool: claude-code: managed-settings.json goes to /etc/claude-code/managed-settings.json');
  });

  it('--os macos and --os windows name their paths', async () => {
    const mac = await runCli(['export', 'claude-code', '--os', 'macos'], world);
    expect(mac.stderr).toContain('managed-settings.json goes to /Library/Application Support/ClaudeCode/managed-settings.json');
    const win = await runCli(['export', 'claude-code', '--os', 'windows'], world);
    expect(win.stderr).toContain('managed-settings.json goes to C:\\Program Files\\ClaudeCode\\managed-settings.json');
    expect(win.stdout).toBe(mac.stdout);
  });

  it('--output: one file, or a folder with two when claude-code is blocked', async () => {
    const single = await runCli(['export', 'claude-code', '--os', 'linux', '--output', 'managed-settings.json'], world);
    expect([single.exitCode, single.stdout]).toEqual([0, '']);
    expectValidSettings(readFileSync(join(world.cwd, 'managed-settings.json'), 'utf8'));

    const policy = join(world.root, 'block.yaml');
    const refused = await runCli(['export', 'claude-code', '--os', 'linux', '--policy', policy], world);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('writes 2 files; name a folder with --output');

    const folder = await runCli(['export', 'claude-code', '--os', 'linux', '--policy', policy, '--output', 'out'], world);
    expect(folder.exitCode, folder.stderr).toBe(0);
    expect(readdirSync(join(world.cwd, 'out')).sort()).toEqual(['managed-mcp.json', 'managed-settings.json']);
    const settings = expectValidSettings(readFileSync(join(world.cwd, 'out', 'managed-settings.json'), 'utf8')) as Record<string, any>;
    expect(settings.permissions.deny).toContain('Bash');
    expect(settings.forceLoginMethod).toBe('claudeai');
    expect(JSON.parse(readFileSync(join(world.cwd, 'out', 'managed-mcp.json'), 'utf8'))).toEqual({ mcpServers: {} });
    expect(folder.stderr).toContain('aitool: claude-code cannot express: claude-code (tools.claude-code: block): Claude Code has no documented off switch');
    expect(folder.stderr).toContain('managed-mcp.json goes to /etc/claude-code/managed-mcp.json');
  });

  it('is listed among the export targets', async () => {
    const result = await runCli(['export', 'intune'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/expected one of .*\bclaude-code\b/);
  });

  it('a project policy setting native keys is warned about and ignored', async () => {
    world.write('repo/.aitoolrc.yaml', 'native:\n  claudeCode:\n    forceLoginMethod: console\n');
    const result = await runCli(['export', 'claude-code', '--os', 'linux'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).forceLoginMethod).toBe('claudeai');
    expect(result.stderr).toMatch(/aitool: warning: .*\.aitoolrc\.yaml: native\.claudeCode\.forceLoginMethod: only the managed policy may set/);
  });
});
