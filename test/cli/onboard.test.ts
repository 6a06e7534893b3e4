// `aitool onboard` as an onboarding script runs it: a machine with a banned
// tool installed, repositories to protect, no terminal, no questions.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeWorld, runCli, type World } from './run-cli.js';

let world: World;
let policy: string;
beforeEach(() => {
  world = makeWorld();
  // Claude Code installed with npm under the prefix ~/.npmrc names.
  world.write('home/.npmrc', `prefix=${join(world.home, '.npm-global')}\n`);
  world.write('home/.npm-global/lib/node_modules/@anthropic-ai/claude-code/package.json', JSON.stringify({ name: '@anthropic-ai/claude-code', version: '2.0.50' }));
  policy = world.write(
    'policy.yaml',
    'default: allow\ntools:\n  claude-code:\n    action: block\n    reason: Code stays in the company.\n    alternatives: [qoder]\n',
  );
  for (const name of ['api', 'web']) {
    mkdirSync(join(world.root, name));
    execFileSync('git', ['init', '-q', join(world.root, name)]);
  }
  // web already has a pre-commit hook of its own.
  writeFileSync(join(world.root, 'web/.git/hooks/pre-commit'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(world.root, 'web/.git/hooks/pre-commit'), 0o755);
});
afterEach(() => world.cleanup());

const hookOf = (repo: string, hook: string) => readFileSync(join(world.root, repo, '.git/hooks', hook), 'utf8');

describe('aitool onboard', () => {
  it('reports what to remove and what to install instead, installs the hooks, and exits 1 for the blocked tool', async () => {
    const result = await runCli(['onboard', '--policy', policy, '--repo', '../api', '--repo', '../web', '--no-color'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain('✖ BLOCK  Claude Code (claude-code, agent CLI)');
    expect(result.stdout).toContain('To remove: npm uninstall -g @anthropic-ai/claude-code');
    expect(result.stdout).toMatch(/Install instead:\n {2}Qoder — https:\/\/qoder\.com\n {4}https:\/\/qoder\.com\/download/);
    expect(result.stdout).toMatch(/Git hooks:\n {2}✔ \.\.\/api\n/);
    // The default install: one commit-msg hook checking the session, the staged files and the message.
    for (const repo of ['api', 'web']) {
      expect(hookOf(repo, 'commit-msg')).toContain('aitool-hook v7: commit-msg');
      expect(hookOf(repo, 'commit-msg')).toContain('hook run commit "$@"');
    }
    expect(existsSync(join(world.root, 'api/.git/hooks/pre-commit'))).toBe(false);
    // web's own pre-commit hook is left as it was, and git still runs it.
    expect(hookOf('web', 'pre-commit')).toBe('#!/bin/sh\nexit 0\n');
    expect(existsSync(join(world.root, 'api/.git/hooks/pre-push'))).toBe(false);
  });

  it('exits 0 on a clean machine, and 2 when a repository cannot take the hooks, after doing the others', async () => {
    // Clean: an empty HOME, and neither the process table nor this session's ancestry, where other
    // test files' agent processes and whatever agent session runs this suite would show.
    const cleanPolicy = world.write('clean-policy.yaml', `${readFileSync(policy, 'utf8')}scanners:\n  processes: false\n  session: false\n`);
    const clean = await runCli(['onboard', '--policy', cleanPolicy, '--repo', '../api'], world, { HOME: join(world.root, 'empty-home') });
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);

    mkdirSync(join(world.root, 'not-a-repo'));
    const result = await runCli(['onboard', '--policy', policy, '--repo', '../not-a-repo', '--repo', '../web', '--format', 'json'], world);
    expect(result.exitCode).toBe(2);
    const out = json<{ report: { findings: Array<{ tool: string }> }; install: Array<{ id: string }>; hooks: Array<{ repo: string; ok: boolean; text: string }> }>(result);
    expect(out.install.map((a) => a.id)).toEqual(['qoder']);
    expect(out.hooks.map((h) => [h.repo, h.ok])).toEqual([
      ['../not-a-repo', false],
      ['../web', true],
    ]);
    expect(out.hooks[0]!.text).toBe(`${join(world.root, "not-a-repo")} is not in a git repository (run this inside one, or pass --repo <dir>)`);
    expect(hookOf('web', 'commit-msg')).toContain('aitool-hook v7');
  });
});
