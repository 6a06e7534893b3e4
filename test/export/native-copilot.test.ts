// `aitool export copilot`: the policy as the Copilot CLI's managed-settings.json,
// run through the built CLI. GitHub publishes no JSON schema for the file, so
// the output is checked against a schema written here from the documented keys
// and entry shapes (docs.github.com enterprise-managed-settings and
// configure-enterprise-allowlist, read December 2026).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

const MCP_ENTRY = {
  oneOf: [
    { type: 'object', properties: { serverName: { type: 'string', minLength: 1 } }, required: ['serverName'], additionalProperties: false },
    { type: 'object', properties: { serverUrl: { type: 'string', minLength: 1 } }, required: ['serverUrl'], additionalProperties: false },
    {
      type: 'object',
      properties: { serverCommand: { type: 'array', items: { type: 'string' }, minItems: 1 } },
      required: ['serverCommand'],
      additionalProperties: false,
    },
  ],
};
const DOCUMENTED_STRUCTURE = {
  type: 'object',
  properties: {
    permissions: {
      type: 'object',
      properties: { disableBypassPermissionsMode: { const: 'disable' }, model: {} },
      additionalProperties: false,
    },
    allowedMcpServers: { type: 'array', items: MCP_ENTRY },
    deniedMcpServers: { type: 'array', items: MCP_ENTRY },
    strictKnownMarketplaces: { type: 'array' },
    enabledPlugins: { type: 'object' },
    extraKnownMarketplaces: { type: 'object' },
    model: {},
    telemetry: { type: 'object' },
    remoteControl: {},
    sandbox: { type: 'object' },
  },
  additionalProperties: false,
};
const validate = new Ajv({ allErrors: true }).compile(DOCUMENTED_STRUCTURE);

function expectDocumented(content: string): Record<string, any> {
  const settings = JSON.parse(content) as Record<string, any>;
  expect(validate(settings), JSON.stringify(validate.errors)).toBe(true);
  return settings;
}

describe('aitool export copilot (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
    world.write('managed/policy.yaml', 'default: allow\nmcp:\n  servers:\n    filesystem: block\n');
  });
  afterEach(() => world.cleanup());

  it('the structure check rejects what the docs do not describe, so passing it means something', () => {
    expect(validate({ permissions: { deny: ['shell'] } })).toBe(false);
    expect(validate({ allowManagedMcpServersOnly: true })).toBe(false);
    expect(validate({ deniedMcpServers: [{ serverName: 'a', serverUrl: 'b' }] })).toBe(false);
    expect(validate({ deniedMcpServers: [{ serverCommand: 'npx x' }] })).toBe(false);
  });

  it('writes the file to stdout, with where it goes and the unverified path on stderr', async () => {
    const result = await runCli(['export', 'copilot', '--os', 'linux'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(expectDocumented(result.stdout)).toEqual({ deniedMcpServers: [{ serverName: 'filesystem' }] });
    expect(result.stderr).toContain('aitool: copilot: managed-settings.json goes to /etc/github-copilot/managed-settings.json');
    expect(result.stderr).toMatch(/aitool: copilot cannot express: copilot: the install path .* is unverified in GitHub's docs/);
  });

  it('--os macos and --os windows name their paths; the content is the same', async () => {
    const linux = await runCli(['export', 'copilot', '--os', 'linux'], world);
    const mac = await runCli(['export', 'copilot', '--os', 'macos'], world);
    expect(mac.stderr).toContain('managed-settings.json goes to /Library/Application Support/GitHubCopilot/managed-settings.json');
    const win = await runCli(['export', 'copilot', '--os', 'windows'], world);
    expect(win.stderr).toContain('managed-settings.json goes to C:\\Program Files\\GitHubCopilot\\managed-settings.json');
    expect(new Set([linux.stdout, mac.stdout, win.stdout]).size).toBe(1);
    const bad = await runCli(['export', 'copilot', '--os', 'beos'], world);
    expect([bad.exitCode, bad.stderr.trim().split('\n').length]).toEqual([2, 1]);
  });

  it('--output writes the file and nothing to stdout', async () => {
    const result = await runCli(['export', 'copilot', '--os', 'linux', '--output', 'copilot.json'], world);
    expect([result.exitCode, result.stdout]).toEqual([0, '']);
    expect(expectDocumented(readFileSync(join(world.cwd, 'copilot.json'), 'utf8'))).toEqual({ deniedMcpServers: [{ serverName: 'filesystem' }] });
  });

  it('MCP rules: block rules are denied, mcp.default block makes the allow rules an allowlist, regexes are reported', async () => {
    const policy = world.write(
      'mcp.yaml',
      [
        'mcp:',
        '  default: block',
        '  servers:',
        '    github: allow',
        '    docs: { action: allow, url: "^https://docs\\\\.example/" }',
        '    runner: { action: block, command: "^npx -y @evil/mcp-server$" }',
        '    anyEvil: { action: block, name: "^evil-\\\\d+$" }',
        '',
      ].join('\n'),
    );
    const result = await runCli(['export', 'copilot', '--os', 'linux', '--policy', policy], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const settings = expectDocumented(result.stdout);
    expect(settings.allowedMcpServers).toEqual([{ serverUrl: 'https://docs.example/*' }, { serverName: 'github' }]);
    expect(settings.deniedMcpServers).toEqual([{ serverName: 'filesystem' }, { serverCommand: ['npx', '-y', '@evil/mcp-server'] }]);
    expect(settings).not.toHaveProperty('permissions');
    expect(result.stderr).toContain('aitool: copilot cannot express: mcp.servers.anyEvil (block): its name pattern /^evil-\\d+$/ is a regular expression; the Copilot CLI matches exact names');
    expect(result.stderr).toContain('built-in default servers such as the GitHub MCP server are always allowed');
    expect(result.stderr).not.toContain('Claude Code');
  });

  it('a blocked GitHub Copilot: bypass mode off, no MCP server but the built-in ones, no plugin marketplace, and the honest line', async () => {
    const policy = world.write('block.yaml', 'tools:\n  github-copilot: { action: block, message: Use Acme Assistant. }\nmcp:\n  servers:\n    github: allow\n');
    const result = await runCli(['export', 'copilot', '--os', 'linux', '--policy', policy], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(expectDocumented(result.stdout)).toEqual({
      allowedMcpServers: [],
      deniedMcpServers: [{ serverName: 'filesystem' }],
      permissions: { disableBypassPermissionsMode: 'disable' },
      strictKnownMarketplaces: [],
    });
    expect(result.stderr).toMatch(
      /aitool: copilot cannot express: github-copilot \(tools\.github-copilot: block\): the Copilot CLI has no documented off switch.*the CLI still starts.*remove the user's Copilot seat/,
    );
  });

  it('a block through the category counts; an allowed Copilot under a blocking default gets no block controls', async () => {
    const viaCategory = world.write('cat.yaml', 'categories:\n  editor-extension: block\n');
    const blocked = await runCli(['export', 'copilot', '--os', 'linux', '--policy', viaCategory], world);
    expect(JSON.parse(blocked.stdout).permissions).toEqual({ disableBypassPermissionsMode: 'disable' });
    expect(blocked.stderr).toContain('github-copilot (categories.editor-extension: block)');
    const allowed = world.write('allow.yaml', 'default: block\ntools:\n  github-copilot: allow\n');
    const result = await runCli(['export', 'copilot', '--os', 'linux', '--policy', allowed], world);
    expect(JSON.parse(result.stdout)).toEqual({ deniedMcpServers: [{ serverName: 'filesystem' }] });
    expect(result.stderr).not.toContain('no documented off switch');
  });

  it('is listed among the export targets', async () => {
    const result = await runCli(['export', 'intune'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/expected one of .*\bcopilot\b/);
  });
});
