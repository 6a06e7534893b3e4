// `aitool export gemini-cli`: the policy as Gemini CLI's system settings.json,
// every generated file validated against Gemini CLI's published settings
// schema (committed in test/fixtures/native/gemini-cli/), and the built CLI
// run as an administrator would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { exportNative, NO_SERVER } from '../../src/export/native/gemini-cli.js';
import { mergePolicies } from '../../src/policy/merge.js';
import type { PolicyFile } from '../../src/policy/schema.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'native', 'gemini-cli', 'settings.schema.json'), 'utf8')) as object;
// The schema carries editor keywords (markdownDescription) that strict mode refuses.
const validateSettings = new Ajv2020({ strict: false, allErrors: true }).compile(SCHEMA);

function expectValidSettings(content: string): Record<string, any> {
  const settings = JSON.parse(content) as Record<string, any>;
  expect(validateSettings(settings), JSON.stringify(validateSettings.errors)).toBe(true);
  return settings;
}

function exportFor(policy: PolicyFile) {
  const resolved = mergePolicies([{ layer: 'managed', file: '/etc/aitool/policy.yaml', policy }], CATALOG);
  return exportNative({ policy: resolved, catalog: CATALOG, os: 'linux' });
}

const BUILT_INS = ['run_shell_command', 'write_file', 'replace', 'read_file', 'web_fetch', 'google_web_search', 'glob', 'grep_search'];

describe('gemini-cli export (pure)', () => {
  it('the committed schema rejects what Gemini CLI would refuse, so passing it means something', () => {
    expect(validateSettings({ mcp: { allowed: 'github' } })).toBe(false);
    expect(validateSettings({ tools: { core: [1] } })).toBe(false);
    expect(validateSettings({ excludeMcp: [] })).toBe(false);
  });

  it('MCP rules with a plain name become exclusions; patterns are listed as not expressible', () => {
    const result = exportFor({
      mcp: {
        servers: {
          filesystem: 'block',
          shady: { action: 'block', name: '^shady-server$' },
          anyEvil: { action: 'block', name: '^evil-\\d+$' },
          runner: { action: 'block', command: '^npx -y @evil/mcp$' },
          github: 'allow',
          docs: 'warn',
        },
      },
    });
    const settings = expectValidSettings(result.files[0]!.content);
    expect(settings).toEqual({ mcp: { excluded: ['filesystem', 'shady-server'] } });
    const lines = result.cannotExpress.join('\n');
    expect(lines).toContain("mcp.servers.anyEvil (block): its name pattern /^evil-\\d+$/ is not one exact name");
    expect(lines).toContain("mcp.servers.runner (block): its command pattern cannot be expressed; Gemini CLI's mcp.allowed and mcp.excluded hold server names only");
    expect(lines).toContain('mcp.servers.docs (warn): Gemini CLI cannot warn about an MCP server; it stays allowed');
    expect(lines).toContain('--allowed-mcp-server-names replaces both lists');
    expect(lines).not.toMatch(/mcp\.servers\.github/);
  });

  it('mcp.default: block: the allow and warn rules are the allowlist; nothing allowed loads no server at all', () => {
    const result = exportFor({
      mcp: { default: 'block', servers: { github: 'allow', docs: { action: 'warn', name: '^docs$' }, bad: 'block', anyEvil: { action: 'block', name: 'evil' }, remote: { action: 'allow', url: '^https://x\\.example/' } } },
    });
    expect(expectValidSettings(result.files[0]!.content)).toEqual({ mcp: { allowed: ['docs', 'github'], excluded: ['bad'] } });
    expect(result.cannotExpress).toContain("mcp.servers.anyEvil (block): its name pattern /evil/ is not one exact name; Gemini CLI's mcp.allowed and mcp.excluded hold exact server names only; the allowlist still keeps it out unless an allow rule names it");
    expect(result.cannotExpress).toContain("mcp.servers.remote (allow): its url pattern cannot be expressed; Gemini CLI's mcp.allowed and mcp.excluded hold server names only");
    expect(result.cannotExpress).toContain('mcp.servers.docs (warn): Gemini CLI cannot warn; the server is allowed');

    // Gemini CLI reads an empty allowlist as none, so "nothing" is a name no server may have.
    const none = exportFor({ mcp: { default: 'block' } });
    expect(expectValidSettings(none.files[0]!.content)).toEqual({ mcp: { allowed: [NO_SERVER], excluded: [NO_SERVER] } });
  });

  it('a policy without MCP rules and Gemini CLI allowed writes an empty settings file and nothing to report', () => {
    const result = exportFor({ default: 'allow' });
    expect(result.files).toEqual([{ name: 'settings.json', installPath: '/etc/gemini-cli/settings.json', content: '{}\n' }]);
    expect(result.cannotExpress).toEqual([]);
  });

  it('a blocked Gemini CLI (rule, category or default): no built-in tool, no MCP server, an honest note', () => {
    for (const [policy, key] of [
      [{ tools: { 'gemini-cli': { action: 'block', message: 'Use Acme Assistant.' } } }, 'tools.gemini-cli'],
      [{ categories: { 'agent-cli': 'block' } }, 'categories.agent-cli'],
      [{ default: 'block', mcp: { servers: { github: 'allow', bad: 'block' } } }, 'default'],
    ] as const) {
      const result = exportFor(policy as PolicyFile);
      const settings = expectValidSettings(result.files[0]!.content);
      expect(settings.tools.core).toEqual([]);
      expect(settings.tools.exclude).toEqual(expect.arrayContaining(BUILT_INS));
      expect(settings.security).toEqual({ disableYoloMode: true, disableAlwaysAllow: true });
      expect(settings.mcp.allowed).toEqual([NO_SERVER]);
      expect(settings.mcp.excluded).toContain(NO_SERVER);
      expect(result.cannotExpress).toHaveLength(1);
      expect(result.cannotExpress[0]).toContain(`gemini-cli (${key}: block): Gemini CLI has no off switch in its settings`);
      expect(result.cannotExpress[0]).toContain('"should not be considered a foolproof security boundary"');
    }
    const withRules = exportFor({ default: 'block', mcp: { servers: { github: 'allow', bad: 'block' } } });
    expect(JSON.parse(withRules.files[0]!.content).mcp).toEqual({ allowed: [NO_SERVER], excluded: ['bad', NO_SERVER] });
    expect(exportFor({ tools: { 'gemini-cli': { action: 'block', message: 'Use Acme Assistant.' } } }).cannotExpress[0]).toContain('(Use Acme Assistant.)');
  });
});

describe('aitool export gemini-cli (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
    world.write('managed/policy.yaml', 'default: allow\nmcp:\n  servers:\n    filesystem: block\n    anyEvil:\n      action: block\n      name: "^evil-\\\\d+$"\n');
    world.write('block.yaml', 'tools:\n  gemini-cli: block\n');
  });
  afterEach(() => world.cleanup());

  it('writes settings.json to stdout, with where it goes and what it cannot express on stderr', async () => {
    const result = await runCli(['export', 'gemini-cli', '--os', 'linux'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(expectValidSettings(result.stdout)).toEqual({ mcp: { excluded: ['filesystem'] } });
    expect(result.stderr).toContain('aitool: gemini-cli: settings.json goes to /etc/gemini-cli/settings.json');
    expect(result.stderr).toContain('aitool: gemini-cli cannot express: mcp.servers.anyEvil (block): its name pattern /^evil-\\d+$/ is not one exact name');
  });

  it('--os macos and --os windows name their paths', async () => {
    const mac = await runCli(['export', 'gemini-cli', '--os', 'macos'], world);
    expect(mac.stderr).toContain('settings.json goes to /Library/Application Support/GeminiCli/settings.json');
    const win = await runCli(['export', 'gemini-cli', '--os', 'windows'], world);
    expect(win.stderr).toContain('settings.json goes to C:\\ProgramData\\gemini-cli\\settings.json');
    expect(win.stdout).toBe(mac.stdout);
  });

  it('--output writes the file; a blocked Gemini CLI gets every tool and server taken away', async () => {
    const policy = join(world.root, 'block.yaml');
    const result = await runCli(['export', 'gemini-cli', '--os', 'linux', '--policy', policy, '--output', 'settings.json'], world);
    expect([result.exitCode, result.stdout], result.stderr).toEqual([0, '']);
    const settings = expectValidSettings(readFileSync(join(world.cwd, 'settings.json'), 'utf8'));
    expect(settings.tools.core).toEqual([]);
    expect(settings.tools.exclude).toEqual(expect.arrayContaining(BUILT_INS));
    expect(settings.mcp).toEqual({ allowed: [NO_SERVER], excluded: ['filesystem', NO_SERVER] });
    expect(result.stderr).toContain('aitool: gemini-cli cannot express: gemini-cli (tools.gemini-cli: block): Gemini CLI has no off switch');
  });

  it('is listed among the export targets', async () => {
    const result = await runCli(['export', 'intune'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/expected one of .*\bgemini-cli\b/);
  });
});
