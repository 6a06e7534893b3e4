// `aitool export fleet --fleetd` through the built CLI, as a deployment script runs it.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FleetPolicy } from '../../src/export/fleet.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
  world.write('policy.yaml', "default: allow\ntools:\n  cursor: block\nmcp:\n  default: allow\n  servers:\n    shell:\n      action: block\n      command: 'server-shell'\n");
});
afterEach(() => world.cleanup());

describe('aitool export --fleetd', () => {
  it("adds ai_tools queries and MCP rule policies, and says what remains unseen", async () => {
    const result = await runCli(['export', 'fleet', '--fleetd', '--policy', join(world.root, 'policy.yaml')], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const policies = parse(result.stdout) as FleetPolicy[];
    expect(policies.map((p) => p.name)).toEqual([
      'aitool: no Cursor (cursor) on macOS',
      'aitool: no Cursor (cursor) on Linux',
      'aitool: no Cursor (cursor) on Windows',
      'aitool: no MCP server matching mcp.servers.shell',
    ]);
    expect(policies.slice(0, 3).every((p) => p.query.includes('FROM ai_tools a') && p.query.includes('FROM processes p'))).toBe(true);
    expect(policies[3]!.query).toContain("regex_match(");
    expect(result.stdout).toContain('# Written for hosts that run fleetd');
    expect(result.stderr.split('\n').every((line) => line === '' || /^aitool: (cursor|mcp): /.test(line))).toBe(true);
    expect(result.stderr).toContain("aitool: cursor: osquery with fleetd's ai_tools cannot check its repository files");

    const plain = await runCli(['export', 'fleet', '--policy', join(world.root, 'policy.yaml')], world);
    expect(plain.stdout).not.toContain('ai_tools');
    expect(plain.stderr).toContain('aitool: mcp.servers.shell: osquery cannot check MCP server rules');
  });
});
