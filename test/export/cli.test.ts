// `aitool export` through the built CLI (bin/aitool.js → dist/), as a person or a
// deployment script runs it: stdout, stderr, --output and the exit codes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FleetPolicy } from '../../src/export/fleet.js';
import type { QueryPack } from '../../src/export/osquery.js';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
  world.write('policy.yaml', 'default: allow\ntools:\n  claude-code: block\n  cursor: warn\n  qoder: allow\n');
});
afterEach(() => world.cleanup());

describe('aitool export', () => {
  it('osquery: prints the pack on stdout and what osquery cannot check on stderr', async () => {
    const result = await runCli(['export', 'osquery', '--policy', join(world.root, 'policy.yaml')], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const pack = JSON.parse(result.stdout) as QueryPack;
    expect(Object.keys(pack)).toEqual(['queries']);
    const tools = new Set(Object.keys(pack.queries).map((name) => /^aitool_([a-z0-9-]+)_/.exec(name)?.[1]));
    expect([...tools].sort()).toEqual(['claude-code', 'cursor']);
    expect(pack.queries['aitool_claude-code_npm_packages']!.description).toContain('Use instead: Qoder');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toContain(
      'aitool: claude-code: osquery cannot check its MCP server configurations (.mcp.json, ~/.claude.json): osquery\'s tables do not parse MCP configuration files',
    );
    expect(lines.every((line) => /^aitool: (claude-code|cursor): /.test(line))).toBe(true);
  });

  it('fleet --output: writes the policies file and prints nothing on stdout', async () => {
    const result = await runCli(['export', 'fleet', '--policy', join(world.root, 'policy.yaml'), '--output', 'fleet/aitool.policies.yml'], world);
    // The folder must exist: --output does not create folders. (execa drops the final newline.)
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*aitool\.policies\.yml: cannot write \(ENOENT\)$/);

    world.write('repo/fleet/.keep', '');
    const written = await runCli(['export', 'fleet', '--policy', join(world.root, 'policy.yaml'), '--output', 'fleet/aitool.policies.yml'], world);
    expect([written.exitCode, written.stdout]).toEqual([0, '']);
    expect(written.stderr).toContain('aitool: cursor: osquery cannot check');
    const text = readFileSync(join(world.cwd, 'fleet', 'aitool.policies.yml'), 'utf8');
    expect(text.startsWith('#')).toBe(true);
    const policies = parse(text) as FleetPolicy[];
    expect(policies.map((p) => [p.name, p.platform, p.critical])).toEqual([
      ['aitool: no Claude Code (claude-code) on macOS', 'darwin', true],
      ['aitool: no Claude Code (claude-code) on Linux', 'linux', true],
      ['aitool: no Claude Code (claude-code) on Windows', 'windows', true],
      ['aitool: no Cursor (cursor) on macOS', 'darwin', false],
      ['aitool: no Cursor (cursor) on Linux', 'linux', false],
      ['aitool: no Cursor (cursor) on Windows', 'windows', false],
    ]);
    expect(readdirSync(join(world.cwd, 'fleet')).sort()).toEqual(['.keep', 'aitool.policies.yml']);
  });

  it('reads the project policy like aitool check does', async () => {
    world.write('repo/.aitoolrc.yaml', 'default: allow\ntools:\n  codex: block\n');
    const result = await runCli(['export', 'osquery'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(Object.keys((JSON.parse(result.stdout) as QueryPack).queries).every((name) => name.startsWith('aitool_codex_'))).toBe(true);
  });

  it('refuses an unknown target with one line and exit code 2', async () => {
    const result = await runCli(['export', 'intune'], world);
    expect([result.exitCode, result.stdout]).toEqual([2, '']);
    // The native targets follow the fleet ones, in the order they are registered.
    expect(result.stderr).toMatch(/^aitool: export: unknown target 'intune'; expected one of osquery, fleet(, [a-z-]+)+$/);
    expect(result.stderr.split('expected one of ')[1]!.trim().split(', ')).toEqual(expect.arrayContaining(['claude-code', 'vscode']));
  });

  it('refuses a broken policy with one line and exit code 2', async () => {
    world.write('bad.yaml', 'default: blok\n');
    const result = await runCli(['export', 'fleet', '--policy', join(world.root, 'bad.yaml')], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*bad\.yaml: default: expected one of allow \| warn \| block, got 'blok'[^\n]*$/);
  });
});
