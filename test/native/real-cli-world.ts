/**
 * Shared pieces of the tests that drive the real vendor CLIs: the native
 * files the built aitool exports for a policy (keyed by the install path
 * aitool names for them), and the probe MCP server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeWorld, runCli } from '../cli/run-cli.js';
import { etcOverlayUnavailable } from '../helpers/etc-overlay.js';
import { realClis, type RealClis } from '../helpers/real-clis.js';
import { removeTempDirs } from '../helpers/temp.js';

export const PROBE_MCP_SERVER = join(import.meta.dirname, '..', 'fixtures', 'real-clis', 'probe-mcp-server.mjs');

/**
 * Runs `aitool export <target> --os linux --output …` with the policy given
 * by `--policy`, or as the managed policy (which alone may set `native.*`),
 * and returns each file by the path aitool says it goes to.
 */
export async function exportedFiles(
  target: string,
  policyYaml: string,
  layer: 'cli' | 'managed' = 'cli',
): Promise<{ files: Record<string, string>; stderr: string }> {
  const world = makeWorld();
  try {
    const policyArgs = layer === 'cli' ? ['--policy', world.write('policy.yaml', policyYaml)] : [];
    if (layer === 'managed') world.write('managed/policy.yaml', policyYaml);
    const output = join(world.root, 'out');
    const result = await runCli(['export', target, ...policyArgs, '--os', 'linux', '--output', output], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const placed = [...result.stderr.matchAll(new RegExp(`^aitool: ${target}: (\\S+) goes to (\\S+)$`, 'gm'))];
    expect(placed.length).toBeGreaterThan(0);
    const files: Record<string, string> = {};
    // One file is written to --output itself, several into it as a folder.
    for (const [, name, installPath] of placed) files[installPath!] = readFileSync(placed.length === 1 ? output : join(output, name!), 'utf8');
    return { files, stderr: result.stderr };
  } finally {
    world.cleanup();
  }
}

/**
 * The command that places the files the way an administrator would: the
 * built `aitool apply --targets <target>` run as root inside the namespace,
 * writing the real /etc paths (the namespace's overlay), with the policy as
 * `--policy` or as the managed policy.
 */
export function applySetup(target: string, policyYaml: string, layer: 'cli' | 'managed' = 'cli'): { setup: string[]; cleanup: () => void } {
  const world = makeWorld();
  const policy = world.write('policy.yaml', policyYaml);
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'aitool.js');
  const setup = [
    'env',
    ...(layer === 'managed' ? [`AITOOL_MANAGED_POLICY=${policy}`] : []),
    process.execPath,
    bin,
    'apply',
    '--targets',
    target,
    ...(layer === 'cli' ? ['--policy', policy] : []),
  ];
  return { setup, cleanup: () => world.cleanup() };
}

const cleanups: (() => void)[] = [];

/** Registers something to undo when the running test ends (see cleanUpAfterTest). */
export function afterTest(cleanup: () => void): void {
  cleanups.push(cleanup);
}

/** For afterEach: runs what afterTest registered, then removes the test's temp folders. */
export async function cleanUpAfterTest(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await removeTempDirs();
}

/** A policy that blocks the probe MCP server by name, and nothing else. */
export const BLOCK_PROBE_SERVER = `default: allow
mcp:
  servers:
    probe:
      action: block
      reason: The probe server is not approved.
`;

/** The probe server's marker: one `started <pid>` line per start, one `called {…}` line per tool call. */
export function markerLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

/** The installed CLIs, or skips the test saying why they or the /etc overlay cannot be had. */
export async function clisOrSkip(skip: (note: string) => never): Promise<RealClis> {
  const overlay = etcOverlayUnavailable();
  if (overlay !== undefined) skip(overlay);
  const result = await realClis();
  if ('skip' in result) skip(result.skip);
  return (result as { clis: RealClis }).clis;
}

/** A PATH with this Node first (the MCP server and Gemini CLI's `#!/usr/bin/env node`), and the system's basics. */
export const NODE_PATH = `${join(process.execPath, '..')}:/usr/bin:/bin`;
