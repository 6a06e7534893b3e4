// Every query `aitool export` writes, run in SQLite against osquery's documented tables:
// silent on a machine with only look-alikes, and finding each tool from every signature
// it has (rows built from the catalog entry, and held to what aitool itself finds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG } from '../../src/catalog/index.js';
import type { ToolEntry } from '../../src/catalog/schema.js';
import type { FleetPolicy } from '../../src/export/fleet.js';
import type { QueryPack } from '../../src/export/osquery.js';
import { PLATFORMS, type Platform } from '../../src/export/sql.js';
import { CUSTOM_TOOL_YAML, exportWorld, type ExportWorld } from './export-policy.js';
import { assertDecoys, baseRows, fixturesFor } from './fixtures.js';
import { insert, osqueryDatabase, rows } from './osquery-db.js';

const custom = (parse(CUSTOM_TOOL_YAML) as { customTools: ToolEntry[] }).customTools;
const TOOLS: readonly ToolEntry[] = [...CATALOG, ...custom];

let world: ExportWorld;
let pack: QueryPack;
let policies: FleetPolicy[];

beforeAll(async () => {
  world = exportWorld();
  const policy = world.writePolicy(`default: block\n${CUSTOM_TOOL_YAML}`);
  const osquery = await world.run('osquery', { policy });
  const fleet = await world.run('fleet', { policy });
  expect([osquery.exitCode, fleet.exitCode]).toEqual([0, 0]);
  pack = JSON.parse(osquery.stdout) as QueryPack;
  policies = parse(fleet.stdout) as FleetPolicy[];
});
afterAll(() => world.cleanup());

const onPlatform = (platforms: string, platform: Platform) => platforms.split(',').includes(platform);
const packToolOf = (name: string) => /^aitool_([a-z0-9-]+)_/.exec(name)?.[1];
const fleetToolOf = (name: string) => /\(([a-z0-9-]+)\) on /.exec(name)?.[1];

describe('the export covers every tool the policy blocks', () => {
  it('writes queries and policies for every tool osquery can see, built-in and custom', () => {
    const withQueries = new Set(Object.keys(pack.queries).map(packToolOf));
    const withPolicies = new Set(policies.map((p) => fleetToolOf(p.name)));
    // agent-instructions lives only in repositories and sessions: nothing on the host to query.
    const expected = TOOLS.map((t) => t.id).filter((id) => id !== 'agent-instructions');
    expect([...withQueries].sort()).toEqual([...expected].sort());
    expect([...withPolicies].sort()).toEqual([...expected].sort());
  });
});

/** Queries that returned a row for some fixture, and Fleet policies some fixture failed: no query is dead code. */
const matchedQueries = new Set<string>();
const failedPolicies = new Set<string>();

describe.each(PLATFORMS)('on %s', (platform) => {

  it("finds nothing on a machine with only look-alikes, and each tool from every one of its signatures", async () => {
    const db = await osqueryDatabase(platform);
    const base = baseRows(TOOLS, platform);
    assertDecoys(TOOLS, platform, base);
    for (const row of base) insert(db, row);

    const queries = Object.entries(pack.queries).filter(([, q]) => onPlatform(q.platform, platform));
    const fleet = policies.filter((p) => onPlatform(p.platform, platform));
    expect(queries.length).toBeGreaterThan(0);

    // A clean machine: no query returns a row, every Fleet policy passes (returns its one row).
    const noisy = queries.filter(([, q]) => rows(db, q.query).length > 0).map(([name]) => name);
    expect(noisy).toEqual([]);
    const failing = fleet.filter((p) => JSON.stringify(rows(db, p.query)) !== '[{"1":1}]').map((p) => p.name);
    expect(failing).toEqual([]);

    const missed: string[] = [];
    let fixtures = 0;
    for (const tool of TOOLS) {
      const ownQueries = queries.filter(([name]) => packToolOf(name) === tool.id);
      const ownPolicies = fleet.filter((p) => fleetToolOf(p.name) === tool.id);
      for (const fixture of fixturesFor(tool, platform)) {
        fixtures += 1;
        db.exec('SAVEPOINT fixture');
        for (const row of fixture.rows) insert(db, row);
        const hits = ownQueries.filter(([name, q]) => {
          const found = rows(db, q.query);
          if (found.length > 0) matchedQueries.add(name);
          return found.length > 0 && found.every((r) => r.tool === tool.id);
        });
        if (hits.length === 0) missed.push(`pack: ${tool.id}: ${fixture.label}`);
        for (const policy of ownPolicies) {
          // The tool is present: its policy returns no row, so Fleet fails it.
          if (rows(db, policy.query).length === 0) failedPolicies.add(policy.name);
          else missed.push(`fleet: ${policy.name}: ${fixture.label}`);
        }
        if (ownPolicies.length === 0) missed.push(`fleet: no policy for ${tool.id} on ${platform}: ${fixture.label}`);
        db.exec('ROLLBACK TO fixture');
        db.exec('RELEASE fixture');
      }
    }
    db.close();
    expect(missed).toEqual([]);
    expect(fixtures).toBeGreaterThan(100);
  });

});

describe('coverage', () => {
  it('has no query or policy that no signature reaches', () => {
    expect(Object.keys(pack.queries).filter((name) => !matchedQueries.has(name))).toEqual([]);
    expect(policies.map((p) => p.name).filter((name) => !failedPolicies.has(name))).toEqual([]);
  });
});

describe('ambiguous names', () => {
  it('never match by name alone, but do inside the tool\'s own package', async () => {
    const db = await osqueryDatabase('linux');
    for (const row of baseRows(TOOLS, 'linux')) insert(db, row);
    const amp = Object.entries(pack.queries).find(([name, q]) => name.startsWith('aitool_amp_processes') && onPlatform(q.platform, 'linux'))![1];
    for (const [name, path] of [
      ['amp', '/usr/bin/amp'],
      ['q', '/usr/local/bin/q'],
      ['agent', '/opt/agent/bin/agent'],
    ] as const) {
      db.run('INSERT INTO processes (pid, name, path, cmdline) VALUES (?, ?, ?, ?)', [9000, name, path, name]);
    }
    const everyProcessQuery = Object.entries(pack.queries).filter(([name, q]) => name.includes('_processes') && onPlatform(q.platform, 'linux'));
    expect(everyProcessQuery.flatMap(([, q]) => rows(db, q.query))).toEqual([]);
    db.run('INSERT INTO processes (pid, name, path, cmdline) VALUES (?, ?, ?, ?)', [9001, 'amp', '/home/alice/.npm-global/lib/node_modules/@ampcode/cli-linux-x64/bin/amp', 'amp']);
    expect(rows(db, amp.query).map((r) => r.pid)).toEqual([9001]);
    db.close();
  });
});
