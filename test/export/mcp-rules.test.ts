// The policy's MCP rules as queries over fleetd's ai_tools MCP rows, held to aitool's own
// decision (mcpRuleFor in src/decide.ts): a rule's query returns exactly the configured servers
// aitool would apply that rule to, and its Fleet policy fails exactly when one is there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mcpRuleFor } from '../../src/decide.js';
import type { FleetPolicy } from '../../src/export/fleet.js';
import type { QueryPack } from '../../src/export/osquery.js';
import { createHost } from '../../src/host.js';
import type { ResolvedPolicy } from '../../src/policy/types.js';
import { policyFor } from '../../src/run.js';
import { detail, fleetdDatabase, insertAiTools, type AiToolsRow } from './ai-tools-db.js';
import { exportWorld, type ExportWorld } from './export-policy.js';
import { rows } from './osquery-db.js';

const POLICY = `default: allow
mcp:
  default: block
  servers:
    github: allow
    Filesystem:
      action: block
      reason: Agents may not write anywhere on disk.
      command: 'server-filesystem|desktop-commander'
    remote-evil:
      action: warn
      url: '^https?://([a-z0-9-]+\\.)?evil\\.example(:\\d+)?/'
    internal:
      action: allow
      url: '^https://mcp\\.corp\\.example/'
    shell:
      action: warn
      name: '^(sh|shell)[-_]?\\w*$'
    shell-block:
      action: block
      name: 'shell'
      command: '\\brm\\b'
`;

interface Server {
  name: string;
  command?: string;
  args?: string[];
  url?: string;
  sourceType?: string;
}

const SERVERS: Server[] = [
  { name: 'github', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] },
  { name: 'GitHub', url: 'https://api.githubcopilot.com/mcp/' },
  { name: 'fs', command: 'npx', args: ['-y', '@modelcontextprotocol/SERVER-FILESYSTEM', '/home/alice'] },
  { name: 'filesystem', command: 'node', args: ['server.js'] },
  { name: 'FILESYSTEM' },
  { name: 'dc', command: 'Desktop-Commander' },
  { name: 'ev', url: 'https://api.EVIL.example:8443/mcp' },
  { name: 'ev2', url: 'http://evil.example/sse' },
  { name: 'not-evil', url: 'https://notevil.example/mcp' },
  { name: 'evil-in-path', url: 'https://good.example/evil.example/' },
  { name: 'corp', url: 'https://mcp.corp.example/x' },
  { name: 'corp-lookalike', url: 'https://mcp-corp.example/x' },
  { name: 'shell_tools', command: 'bash' },
  { name: 'Shell', command: 'rm', args: ['-rf', '/tmp/x'] },
  { name: 'myshell', command: 'zsh', args: ['--rm-me'] },
  { name: 'shx', command: 'true' },
  { name: 'args-only', args: ['server-filesystem'] },
  { name: 'empty-args', command: 'x', args: ['', 'server-filesystem'] },
  { name: 'safe-one', command: 'ok' },
  { name: 'process-only', command: 'npx', args: ['server-filesystem'], sourceType: 'process' },
];

function rowOf(server: Server): AiToolsRow {
  return {
    type: 'mcp_server', name: server.name, identifier: server.name, category: 'mcp-server', location: server.url ? 'remote' : 'local', source: 'cursor',
    path: '/home/alice/.cursor/mcp.json', endpoint: server.url ?? '', uid: '1000', username: 'alice',
    detail: detail({ command: server.command ?? '', args: server.args?.length ? JSON.stringify(server.args) : '', source_type: server.sourceType ?? 'config', transport: server.url ? 'http' : 'stdio' }),
  };
}

let world: ExportWorld;
let policy: ResolvedPolicy;
let pack: QueryPack;
let policies: FleetPolicy[];
let stderr: string;

beforeAll(async () => {
  world = exportWorld();
  const file = world.writePolicy(POLICY);
  policy = await policyFor({ cwd: world.cwd, env: world.env, policyFile: file }, createHost({ env: world.env }));
  const osquery = await world.run('osquery', { policy: file, fleetd: true });
  const fleet = await world.run('fleet', { policy: file, fleetd: true });
  pack = JSON.parse(osquery.stdout) as QueryPack;
  policies = (parse(fleet.stdout) as FleetPolicy[]).filter((p) => p.name.includes('MCP server'));
  stderr = osquery.stderr;
});
afterAll(() => world.cleanup());

describe('MCP rules over ai_tools', () => {
  it('finds, for each rule, exactly the servers aitool applies it to', async () => {
    const db = await fleetdDatabase('linux');
    for (const server of SERVERS) insertAiTools(db, rowOf(server));
    const expected = new Map<string, string[]>();
    for (const server of SERVERS.filter((s) => s.sourceType === undefined)) {
      const applied = mcpRuleFor({ name: server.name, ...(server.command ? { command: server.command } : {}), ...(server.args ? { args: server.args } : {}), ...(server.url ? { url: server.url } : {}) }, policy);
      if (applied.action === 'allow') continue;
      expected.set(applied.key, [...(expected.get(applied.key) ?? []), server.name].sort());
    }
    // The oracle exercises every rule that has a query, and the default.
    expect([...expected.keys()].sort()).toEqual(['mcp.default', 'mcp.servers.Filesystem', 'mcp.servers.remote-evil', 'mcp.servers.shell', 'mcp.servers.shell-block']);
    const found = new Map<string, string[]>();
    for (const [name, query] of Object.entries(pack.queries).filter(([n]) => n.startsWith('aitool_mcp_'))) {
      const key = String(rows(db, query.query)[0]?.rule ?? name);
      found.set(key, rows(db, query.query).map((r) => String(r.name)).sort());
    }
    expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected));
    db.close();
  });

  it('gives each rule a Fleet policy that fails with one of its servers and passes without', async () => {
    expect(policies.map((p) => [p.name, p.critical])).toEqual([
      ['aitool: no MCP server matching mcp.servers.Filesystem', true],
      ['aitool: no MCP server matching mcp.servers.remote-evil', false],
      ['aitool: no MCP server matching mcp.servers.shell', false],
      ['aitool: no MCP server matching mcp.servers.shell-block', true],
      ['aitool: no MCP server that no rule names (mcp.default)', true],
    ]);
    const db = await fleetdDatabase('darwin');
    const passes = (p: FleetPolicy) => JSON.stringify(rows(db, p.query)) === '[{"1":1}]';
    expect(policies.filter((p) => !passes(p)).map((p) => p.name)).toEqual([]);
    for (const server of SERVERS) {
      db.exec('SAVEPOINT s');
      insertAiTools(db, rowOf(server));
      const applied = server.sourceType ? undefined : mcpRuleFor({ name: server.name, ...(server.command ? { command: server.command } : {}), ...(server.args ? { args: server.args } : {}), ...(server.url ? { url: server.url } : {}) }, policy);
      const failing = policies.filter((p) => !passes(p)).map((p) => /(mcp\.[\w.-]+)\)?$/.exec(p.name)![1]);
      expect(failing, server.name).toEqual(applied && applied.action !== 'allow' ? [applied.key] : []);
      db.exec('ROLLBACK TO s');
      db.exec('RELEASE s');
    }
    expect(policies[0]!.description).toContain('Agents may not write anywhere on disk.');
    db.close();
  });

  it('says which rules cannot run in osquery, and that the default cannot be told apart then', async () => {
    const text = `${POLICY}    accent:\n      action: allow\n      name: '^café$'\n    named:\n      action: block\n      url: '(?<host>evil)'\n`;
    const result = await world.run('fleet', { policy: world.writePolicy(text, 'accent.yaml'), fleetd: true });
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toContain('aitool: mcp.servers.named: nothing is exported for it: its url pattern /(?<host>evil)/ cannot run in osquery: it has a group other than ( ) and (?: )');
    expect(lines).toContain('aitool: mcp.default: nothing is exported for it: which servers no rule matches cannot be told apart, as mcp.servers.accent, mcp.servers.named cannot run in osquery');
    expect(lines).toContain('aitool: mcp.servers.remote-evil: servers mcp.servers.named would block are reported here too, as its pattern cannot run in osquery');
    const names = (parse(result.stdout) as FleetPolicy[]).filter((p) => p.name.includes('MCP')).map((p) => p.name);
    expect(names).toEqual(['aitool: no MCP server matching mcp.servers.Filesystem', 'aitool: no MCP server matching mcp.servers.remote-evil', 'aitool: no MCP server matching mcp.servers.shell', 'aitool: no MCP server matching mcp.servers.shell-block']);
  });

  it('without --fleetd, says osquery cannot check MCP rules at all', async () => {
    const result = await world.run('fleet', { policy: world.writePolicy(POLICY, 'plain.yaml') });
    expect((parse(result.stdout) as FleetPolicy[]).filter((p) => p.name.includes('MCP'))).toEqual([]);
    expect(result.stderr).toContain("aitool: mcp.servers.Filesystem: osquery cannot check MCP server rules (no stock table lists the servers in MCP configuration files); export with --fleetd for hosts that run Fleet's agent");
    expect(stderr).not.toContain('osquery cannot check MCP server rules');
  });
});
