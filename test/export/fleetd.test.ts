// `aitool export --fleetd`: queries over fleetd's ai_tools table, run in SQLite against the
// table's documented columns, next to osquery's own tables. Each tool is found from every
// signature fleetd reports (rows shaped as fleetd's Go code fills them); look-alikes are not;
// Fleet policies fail when the tool is there and pass when it is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG } from '../../src/catalog/index.js';
import type { ToolEntry } from '../../src/catalog/schema.js';
import type { FleetPolicy } from '../../src/export/fleet.js';
import type { QueryPack } from '../../src/export/osquery.js';
import { PLATFORMS, type Platform } from '../../src/export/sql.js';
import { fleetdDatabase, insertAiTools } from './ai-tools-db.js';
import { CUSTOM_TOOL_YAML, exportWorld, type ExportWorld } from './export-policy.js';
import { aiToolsDecoys, aiToolsFixturesFor } from './fleetd-fixtures.js';
import { baseRows, fixturesFor } from './fixtures.js';
import { insert, rows } from './osquery-db.js';

const custom = (parse(CUSTOM_TOOL_YAML) as { customTools: ToolEntry[] }).customTools;
const TOOLS: readonly ToolEntry[] = [...CATALOG, ...custom];

let world: ExportWorld;
let pack: QueryPack;
let policies: FleetPolicy[];
let plainPack: QueryPack;
let stderr: string;
let plainStderr: string;

beforeAll(async () => {
  world = exportWorld();
  const policy = world.writePolicy(`default: block\n${CUSTOM_TOOL_YAML}`);
  const osquery = await world.run('osquery', { policy, fleetd: true });
  const fleet = await world.run('fleet', { policy, fleetd: true });
  const plain = await world.run('osquery', { policy });
  expect([osquery.exitCode, fleet.exitCode, plain.exitCode]).toEqual([0, 0, 0]);
  pack = JSON.parse(osquery.stdout) as QueryPack;
  policies = parse(fleet.stdout) as FleetPolicy[];
  plainPack = JSON.parse(plain.stdout) as QueryPack;
  stderr = osquery.stderr;
  plainStderr = plain.stderr;
});
afterAll(() => world.cleanup());

const onPlatform = (platforms: string, platform: Platform) => platforms.split(',').includes(platform);
const packToolOf = (name: string) => /^aitool_([a-z0-9-]+)_/.exec(name)?.[1];
const fleetToolOf = (name: string) => /\(([a-z0-9-]+)\) on /.exec(name)?.[1];

describe('the plain export is unchanged by the option', () => {
  it('has no ai_tools query without --fleetd, and the same plain queries with it', () => {
    expect(Object.values(plainPack.queries).some((q) => q.query.includes('ai_tools'))).toBe(false);
    for (const [name, query] of Object.entries(plainPack.queries)) expect(pack.queries[name]?.query, name).toBe(query.query);
    expect(Object.keys(pack.queries).filter((name) => name.includes('_ai_tools')).length).toBeGreaterThan(20);
  });
});

const matchedQueries = new Set<string>();
const failedPolicies = new Set<string>();

describe.each(PLATFORMS)('on %s', (platform) => {
  it('finds each tool from every signature fleetd reports, and nothing in look-alikes', async () => {
    const db = await fleetdDatabase(platform);
    for (const row of baseRows(TOOLS, platform)) insert(db, row);
    for (const row of aiToolsDecoys(TOOLS, platform)) insertAiTools(db, row);

    const queries = Object.entries(pack.queries).filter(([name, q]) => name.includes('_ai_tools') && onPlatform(q.platform, platform));
    const fleet = policies.filter((p) => onPlatform(p.platform, platform) && fleetToolOf(p.name) !== undefined);
    expect(queries.map(([name]) => rows(db, pack.queries[name]!.query).length > 0 ? name : undefined).filter(Boolean)).toEqual([]);
    expect(fleet.filter((p) => JSON.stringify(rows(db, p.query)) !== '[{"1":1}]').map((p) => p.name)).toEqual([]);

    const missed: string[] = [];
    let fixtures = 0;
    for (const tool of TOOLS) {
      const own = queries.filter(([name]) => packToolOf(name) === tool.id);
      const ownPolicies = fleet.filter((p) => fleetToolOf(p.name) === tool.id);
      for (const fixture of aiToolsFixturesFor(tool, platform)) {
        fixtures += 1;
        db.exec('SAVEPOINT fixture');
        insertAiTools(db, fixture.row);
        const hits = own.filter(([name, q]) => {
          const found = rows(db, q.query);
          if (found.length > 0) matchedQueries.add(name);
          return found.length > 0 && found.every((r) => r.tool === tool.id);
        });
        if (hits.length === 0) missed.push(`pack: ${tool.id}: ${fixture.label}`);
        // Only this tool's query answers: no other tool's ai_tools query takes the row.
        const others = queries.filter(([name, q]) => packToolOf(name) !== tool.id && rows(db, q.query).length > 0).map(([name]) => name);
        if (others.length > 0) missed.push(`also found by ${others.join(', ')}: ${fixture.label}`);
        for (const policy of ownPolicies) {
          if (rows(db, policy.query).length === 0) failedPolicies.add(policy.name);
          else missed.push(`fleet: ${policy.name}: ${fixture.label}`);
        }
        db.exec('ROLLBACK TO fixture');
        db.exec('RELEASE fixture');
      }
    }
    db.close();
    expect(missed).toEqual([]);
    expect(fixtures).toBeGreaterThan(60);
  });

  it('keeps finding every tool from osquery\'s own tables in the same policies', async () => {
    const db = await fleetdDatabase(platform);
    for (const row of baseRows(TOOLS, platform)) insert(db, row);
    const missed: string[] = [];
    for (const tool of TOOLS) {
      const ownPolicies = policies.filter((p) => onPlatform(p.platform, platform) && fleetToolOf(p.name) === tool.id);
      for (const fixture of fixturesFor(tool, platform)) {
        db.exec('SAVEPOINT fixture');
        for (const row of fixture.rows) insert(db, row);
        for (const policy of ownPolicies) if (rows(db, policy.query).length !== 0) missed.push(`${policy.name}: ${fixture.label}`);
        db.exec('ROLLBACK TO fixture');
        db.exec('RELEASE fixture');
      }
    }
    db.close();
    expect(missed).toEqual([]);
  });
});

describe('coverage', () => {
  it('has no ai_tools query that no fixture reaches', () => {
    expect(Object.keys(pack.queries).filter((name) => name.includes('_ai_tools') && !matchedQueries.has(name))).toEqual([]);
    const withAiTools = policies.filter((p) => p.query.includes('ai_tools') && fleetToolOf(p.name) !== undefined);
    expect(withAiTools.length).toBeGreaterThan(20);
    expect(withAiTools.map((p) => p.name).filter((name) => !failedPolicies.has(name))).toEqual([]);
  });

  it('reaches tools plain osquery has no query for: AGENTS.md files', () => {
    expect(Object.keys(plainPack.queries).some((name) => name.startsWith('aitool_agent-instructions_'))).toBe(false);
    expect(Object.keys(pack.queries).filter((name) => name.startsWith('aitool_agent-instructions_'))).toEqual(['aitool_agent-instructions_ai_tools_darwin_linux', 'aitool_agent-instructions_ai_tools_windows']);
    expect(plainStderr).toContain('aitool: agent-instructions: no osquery query can find Agent instructions');
    expect(stderr).not.toContain('agent-instructions: no ');
  });
});

describe('what each target cannot see', () => {
  const line = (text: string, id: string, what: string) => text.split('\n').find((l) => l.startsWith(`aitool: ${id}: `) && l.includes(`cannot check its ${what} (`));

  it('says fleetd reads the MCP files it reads, and names the ones it does not, per platform', () => {
    expect(line(plainStderr, 'cursor', 'MCP server configurations')).toContain("osquery's tables do not parse MCP configuration files");
    // fleetd reads ~/.cursor/mcp.json and project .cursor/mcp.json: nothing of Cursor's is left.
    expect(line(stderr, 'cursor', 'MCP server configurations')).toBeUndefined();
    // Claude Desktop on Linux: fleetd reads ~/.config/claude-desktop/, the app writes ~/.config/Claude/.
    expect(stderr.split('\n')).toContain(
      "aitool: claude-desktop: osquery with fleetd's ai_tools cannot check its MCP server configurations ($XDG_CONFIG_HOME/Claude/claude_desktop_config.json): fleetd's ai_tools does not read this file on Linux, and osquery's own tables do not parse MCP configuration files",
    );
    expect(stderr).toMatch(/aitool: gemini-cli: osquery with fleetd's ai_tools cannot check its MCP server configurations \(~\/\.gemini\/settings\.json\): fleetd's ai_tools does not read this file on macOS, Linux, Windows/);
  });

  it('counts executables fleetd looks for as seen only in its folders, and the rest as unseen', () => {
    expect(line(plainStderr, 'claude-code', 'executables on PATH')).toContain('claude');
    expect(line(stderr, 'claude-code', 'executables on PATH')).toBeUndefined();
    expect(line(stderr, 'claude-code', 'executables outside the folders fleetd looks in')).toContain('(claude)');
    expect(line(stderr, 'qoder', 'executables on PATH')).toContain('qodercli');
  });

  it('keeps repository files, markers and trailers on both lists, saying which instruction files fleetd lists', () => {
    expect(line(stderr, 'claude-code', 'repository files')).toContain('lists only CLAUDE.md, CLAUDE.local.md of these');
    expect(line(stderr, 'codex', 'repository files')).toContain("fleetd's ai_tools lists none of these files");
    for (const what of ['environment markers', 'commit trailers']) {
      expect(line(stderr, 'claude-code', what)).toBeDefined();
      expect(line(plainStderr, 'claude-code', what)).toBeDefined();
    }
  });

  it('lists catalog browser extensions as unseen only outside the browsers each target reads', () => {
    for (const text of [plainStderr, stderr]) {
      expect(text).not.toMatch(/browserExtensions signatures|skillFolders signatures/);
      expect(text).not.toContain('claude-in-chrome: no ');
    }
    expect(line(plainStderr, 'claude-in-chrome', 'browser extensions outside the browsers osquery reads')).toContain('(fcoeoabgfenejglbffodgkkbkcdhcgfn): osquery\'s chrome_extensions reads');
    // fleetd reads more browsers, but reports an extension only if it classes it as AI: Monica's id is in its knowledge base, Claude in Chrome's is not.
    expect(line(stderr, 'claude-in-chrome', 'browser extensions outside the browsers osquery reads')).toContain('but fleetd may not report them');
    expect(line(stderr, 'monica', 'browser extensions outside the browsers osquery reads')).toBeUndefined();
    for (const id of ['claude-in-chrome', 'monica']) expect(line(stderr, id, 'browser extensions outside the browsers osquery and fleetd read')).toContain('Arc and Dia');
    expect(line(plainStderr, 'acme-assist', 'browser extensions outside the browsers osquery reads')).toContain('(assist@acme.example)');
  });

  it('names every signature of a kind the export does not know, instead of dropping it', async () => {
    const text = [
      'default: allow', 'tools:', '  future: block', 'customTools:', '  - id: future', '    name: Future', '    vendor: F', '    homepage: https://f.example', '    category: agent-cli',
      '    signatures:', "      home: [{ path: '~/.future' }]", '',
    ].join('\n');
    const result = await world.run('osquery', { policy: world.writePolicy(text), fleetd: true });
    expect(result.stderr).toBe('');
    // A kind added to the catalog after this export: planned directly, as the schema would refuse it in a policy.
    const { planExport } = await import('../../src/export/plan.js');
    const { gapLines } = await import('../../src/export/plan.js');
    const tool = { id: 'future', name: 'Future', vendor: 'F', homepage: 'https://f.example', category: 'agent-cli', signatures: { home: [{ path: '~/.future' }], agentCards: [{ id: 'abcdefghijklmnop', card: 'a2a' }] } } as unknown as ToolEntry;
    const { policyFor } = await import('../../src/run.js');
    const { createHost } = await import('../../src/host.js');
    const policy = await policyFor({ cwd: world.cwd, env: world.env, policyFile: world.writePolicy('default: block\n', 'b.yaml') }, createHost({ env: world.env }));
    for (const fleetd of [false, true]) {
      const lines = gapLines(planExport(policy, [tool], { fleetd }));
      expect(lines.some((l) => l.includes('future:') && l.includes('agentCards signatures (abcdefghijklmnop): aitool export has no query for this kind of signature yet')), String(fleetd)).toBe(true);
    }
  });
});
