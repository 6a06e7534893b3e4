// `aitool export osquery|fleet` as a command: the formats' shapes, the policy's layers and
// presets, alternatives, --output, and what it says osquery cannot check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG } from '../../src/catalog/index.js';
import type { ToolEntry } from '../../src/catalog/schema.js';
import type { FleetPolicy } from '../../src/export/fleet.js';
import type { QueryPack } from '../../src/export/osquery.js';
import { regexToGlob } from '../../src/export/sql.js';
import { CUSTOM_TOOL_YAML, exportWorld, type ExportWorld } from './export-policy.js';

let world: ExportWorld;
beforeEach(() => {
  world = exportWorld();
});
afterEach(() => world.cleanup());

async function pack(policyText: string): Promise<{ pack: QueryPack; stderr: string }> {
  const result = await world.run('osquery', { policy: world.writePolicy(policyText) });
  expect(result.exitCode).toBe(0);
  return { pack: JSON.parse(result.stdout) as QueryPack, stderr: result.stderr };
}

async function fleet(policyText: string): Promise<{ policies: FleetPolicy[]; text: string; stderr: string }> {
  const result = await world.run('fleet', { policy: world.writePolicy(policyText) });
  expect(result.exitCode).toBe(0);
  return { policies: parse(result.stdout) as FleetPolicy[], text: result.stdout, stderr: result.stderr };
}

const toolsIn = (p: QueryPack) => [...new Set(Object.keys(p.queries).map((name) => /^aitool_([a-z0-9-]+)_/.exec(name)![1]))].sort();
const fleetTools = (policies: FleetPolicy[]) => [...new Set(policies.map((p) => /\(([a-z0-9-]+)\) on /.exec(p.name)![1]))].sort();
const HOST_TOOLS = CATALOG.map((t) => t.id).filter((id) => id !== 'agent-instructions');

describe('formats', () => {
  it('writes an osquery pack with only the keys osquery documents', async () => {
    const { pack: p } = await pack('default: block\n');
    expect(Object.keys(p)).toEqual(['queries']);
    // Every catalog tool osquery can see gets queries; AGENTS.md lives only in repositories.
    expect(toolsIn(p)).toEqual([...HOST_TOOLS].sort());
    for (const [name, query] of Object.entries(p.queries)) {
      expect(Object.keys(query).sort(), name).toEqual(['description', 'interval', 'platform', 'query']);
      // osquery refuses intervals above a week (kMaxQueryInterval).
      expect(Number.isInteger(query.interval) && query.interval > 0 && query.interval <= 604800, name).toBe(true);
      for (const platform of query.platform.split(',')) expect(['darwin', 'linux', 'windows'], name).toContain(platform);
      expect(query.query, name).toMatch(/^(SELECT|WITH) /);
    }
  });

  it('writes a YAML list of Fleet GitOps policies, with comments at the top', async () => {
    const { policies, text } = await fleet('default: block\n');
    expect(text.startsWith('# Fleet policies written by `aitool export fleet`')).toBe(true);
    expect(Array.isArray(policies)).toBe(true);
    expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
    for (const policy of policies) {
      expect(Object.keys(policy), policy.name).toEqual(['name', 'description', 'resolution', 'query', 'platform', 'critical']);
      for (const platform of policy.platform.split(',')) expect(['darwin', 'linux', 'windows', 'chrome'], policy.name).toContain(platform);
      // Fleet passes a policy whose query returns a row: the query asks "is the tool absent?".
      expect(policy.query, policy.name).toMatch(/^SELECT 1 WHERE NOT EXISTS \(/);
      expect(policy.critical, policy.name).toBe(true);
    }
  });

  it('refuses an unknown target in one line', async () => {
    await expect(world.run('nonesuch')).rejects.toThrow("export: unknown target 'nonesuch'; expected one of osquery, fleet");
  });
});

describe('the policy, as aitool check reads it', () => {
  it('covers blocked and warned tools, not allowed ones', async () => {
    const text = 'default: allow\ntools:\n  claude-code: block\n  cursor: warn\n';
    const { pack: p } = await pack(text);
    expect(toolsIn(p)).toEqual(['claude-code', 'cursor']);
    const { policies } = await fleet(text);
    expect(fleetTools(policies)).toEqual(['claude-code', 'cursor']);
    expect(new Set(policies.filter((x) => x.name.includes('(cursor)')).map((x) => x.critical))).toEqual(new Set([false]));
    expect(new Set(policies.filter((x) => x.name.includes('(claude-code)')).map((x) => x.critical))).toEqual(new Set([true]));
  });

  it('takes the rule for a category, and the presets a policy extends', async () => {
    // aitool:recommended warns about everything but allows local model runtimes.
    const { pack: p } = await pack('extends: aitool:recommended\n');
    expect(toolsIn(p)).not.toContain('ollama');
    expect(toolsIn(p)).not.toContain('lm-studio');
    expect(toolsIn(p)).toContain('claude-code');
    const { pack: q } = await pack('default: allow\ncategories:\n  ai-ide: block\n');
    expect(toolsIn(q)).toEqual(CATALOG.filter((t) => t.category === 'ai-ide').map((t) => t.id).sort());
  });

  it('reads the project policy from the working folder, under --policy', async () => {
    world.writePolicy('default: allow\ntools:\n  codex: block\n', 'repo/.aitoolrc.yaml');
    const project = await world.run('osquery');
    expect(toolsIn(JSON.parse(project.stdout) as QueryPack)).toEqual(['codex']);
    const both = await world.run('osquery', { policy: world.writePolicy('tools:\n  aider: warn\n') });
    expect(toolsIn(JSON.parse(both.stdout) as QueryPack)).toEqual(['aider', 'codex']);
  });

  it("names the rule's alternatives, else the tools the policy allows, as aitool check does", async () => {
    const text = [
      'default: allow',
      'tools:',
      '  claude-code:',
      '    action: block',
      "    reason: Source code may not leave the company's data boundary.",
      '    alternatives: [internal-assistant]',
      '  cursor: block',
      '  windsurf: allow',
      'alternatives:',
      '  internal-assistant:',
      '    name: Internal Assistant',
      '    url: https://assistant.example.com',
      '    install: brew install example/tap/assistant',
      '',
    ].join('\n');
    const { policies } = await fleet(text);
    const claude = policies.find((x) => x.name.includes('(claude-code)'))!;
    expect(claude.resolution).toContain('Use instead: Internal Assistant — https://assistant.example.com — install: brew install example/tap/assistant.');
    expect(claude.resolution).toContain('npm uninstall -g @anthropic-ai/claude-code');
    expect(claude.description).toContain("Policy: block (tools.claude-code): Source code may not leave the company's data boundary.");
    // No alternatives of its own: the allowed tool of the same category stands in.
    const cursor = policies.find((x) => x.name.includes('(cursor)'))!;
    expect(cursor.resolution).toContain('Use instead: Windsurf — https://windsurf.com');
    const { pack: p } = await pack(text);
    expect(p.queries['aitool_claude-code_npm_packages']!.description).toContain('Use instead: Internal Assistant');
  });

  it("exports the policy's custom tools", async () => {
    const { pack: p } = await pack(`default: allow\ntools:\n  acme-assist: block\n${CUSTOM_TOOL_YAML}`);
    expect(toolsIn(p)).toEqual(['acme-assist']);
    expect(Object.keys(p.queries).sort()).toEqual(
      [
        'aitool_acme-assist_chocolatey_packages',
        'aitool_acme-assist_deb_packages',
        'aitool_acme-assist_file_darwin',
        'aitool_acme-assist_file_linux',
        'aitool_acme-assist_file_windows',
        'aitool_acme-assist_firefox_addons',
        'aitool_acme-assist_npm_packages',
        'aitool_acme-assist_processes_darwin_linux',
        'aitool_acme-assist_processes_windows',
        'aitool_acme-assist_python_packages',
        'aitool_acme-assist_rpm_packages',
        'aitool_acme-assist_vscode_extensions',
      ].sort(),
    );
    // A quote in a name is doubled inside the SQL literal.
    expect(p.queries['aitool_acme-assist_processes_darwin_linux']!.query).toContain("lower(p.name) IN ('o''acme')");
  });

  it('says so when the policy leaves nothing to export', async () => {
    const { pack: p, stderr } = await pack('default: allow\n');
    expect(p).toEqual({ queries: {} });
    expect(stderr).toBe('aitool: export: the policy blocks and warns about no tool; the export is empty\n');
    const { policies } = await fleet('default: allow\n');
    expect(policies).toEqual([]);
  });

  it('passes policy warnings on to stderr, and keeps the managed floor', async () => {
    const managed = world.writePolicy('tools:\n  codex: block\n', 'managed/policy.yaml');
    const result = await world.run('osquery', { policy: world.writePolicy('default: allow\ntools:\n  codex: allow\n') }, { AITOOL_MANAGED_POLICY: managed });
    expect(result.stderr).toMatch(/^aitool: warning: .*codex/m);
    expect(toolsIn(JSON.parse(result.stdout) as QueryPack)).toEqual(['codex']);
  });
});

describe('--output', () => {
  it('writes the export to the file, atomically, and nothing to stdout', async () => {
    const policy = world.writePolicy('default: block\n');
    const result = await world.run('fleet', { policy, output: 'policies.yml' });
    expect([result.exitCode, result.stdout]).toEqual([0, '']);
    expect(result.stderr).toContain('aitool: claude-code: osquery cannot check');
    const file = join(world.cwd, 'policies.yml');
    expect((parse(readFileSync(file, 'utf8')) as FleetPolicy[]).length).toBeGreaterThan(30);
    expect(readdirSync(world.cwd)).toEqual(['policies.yml']);
  });

  it('reports a file it cannot write as a user error', async () => {
    const policy = world.writePolicy('default: block\n');
    await expect(world.run('osquery', { policy, output: 'missing/folder/pack.json' })).rejects.toThrow(/cannot write \(ENOENT\)/);
    expect(existsSync(join(world.cwd, 'missing'))).toBe(false);
  });
});

describe('what osquery cannot check', () => {
  /** Every signature value of a kind no osquery table holds, straight from the catalog. */
  function unexpressible(tool: ToolEntry): string[] {
    const s = tool.signatures;
    return [
      ...(s.executables ?? []).map((e) => e.name),
      ...(s.processes?.args ?? []).filter((source) => regexToGlob(source) === undefined),
      ...(s.jetbrainsPlugins ?? []),
      ...(s.vimPlugins ?? []),
      ...(s.zedSettings ?? []),
      ...(s.mcpConfigs ?? []).map((c) => c.path),
      ...(s.repo ?? []),
      ...(s.env ?? []).map((e) => e.name),
      ...(s.fileMarkers ?? []).map((m) => m.path),
      ...(s.commits ?? []).map((c) => c.pattern),
      ...(s.packages?.cargo ?? []),
      ...(s.packages?.go ?? []),
      ...(s.packages?.winget ?? []),
    ];
  }

  it('lists, on stderr and in the output, every signature of every exported tool that osquery has no table for', async () => {
    const custom = (parse(CUSTOM_TOOL_YAML) as { customTools: ToolEntry[] }).customTools;
    const text = `default: block\n${CUSTOM_TOOL_YAML}`;
    const { pack: p, stderr } = await pack(text);
    const { text: yaml } = await fleet(text);
    const lines = stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^aitool: [a-z0-9-]+: /);
    for (const tool of [...CATALOG, ...custom]) {
      const own = lines.filter((line) => line.startsWith(`aitool: ${tool.id}: `)).join('\n');
      const queries = Object.entries(p.queries).filter(([name]) => name.startsWith(`aitool_${tool.id}_`));
      for (const value of unexpressible(tool)) {
        expect(own, `${tool.id}: ${value}`).toContain(value);
        expect(yaml, `${tool.id}: ${value}`).toContain(value);
        for (const [name, query] of queries) expect(query.description, `${name}: ${value}`).toContain(value);
      }
    }
    // Translatable command-line patterns are checked, so they are not listed; the others are.
    expect(stderr).not.toContain('--acme-agent');
    expect(stderr).toContain('aitool: acme-assist: osquery cannot check its command-line patterns ((foo|bar)-acme)');
    expect(stderr).toContain('aitool: acme-assist: osquery cannot check its cargo packages (acme-assist)');
    expect(stderr).toContain('aitool: acme-assist: osquery cannot check its winget packages (Acme.Assist)');
    // A tool that leaves nothing osquery can see gets no query, and says so.
    expect(stderr).toContain('aitool: agent-instructions: no osquery query can find Agent instructions');
    expect(yaml).toContain('#   agent-instructions: no osquery query can find Agent instructions');
  });

  it('lists nothing for a tool whose every signature osquery can check', async () => {
    const tool = ['default: allow', 'tools:', '  plain: block', 'customTools:', '  - id: plain', '    name: Plain', '    vendor: P', '    homepage: https://p.example', '    category: agent-cli', '    signatures:', '      packages: { npm: [plain-ai] }', "      home: [{ path: '~/.plain' }]", ''].join('\n');
    const { pack: p, stderr } = await pack(tool);
    expect(stderr).toBe('');
    expect(Object.values(p.queries).every((q) => !q.description.includes('Not checked'))).toBe(true);
  });
});
