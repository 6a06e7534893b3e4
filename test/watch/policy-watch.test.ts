// Keeping the watch's policy current from file stamps: edits (atomic saves
// included), files that appear, `extends` targets, broken edits reported
// once with the last good policy kept.
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { PolicyWatch, type PolicyChange } from '../../src/watch/policy-watch.js';
import { makeWorld, type World } from '../cli/run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
  mkdirSync(join(world.cwd, '.git'));
});
afterEach(() => world.cleanup());

function start(env: Record<string, string> = {}, policyFile?: string): Promise<PolicyWatch> {
  const fullEnv = { ...world.env, ...env };
  return PolicyWatch.start({ cwd: world.cwd, env: fullEnv, host: createHost({ env: fullEnv }), ...(policyFile ? { policyFile } : {}) });
}

const claudeAction = (watch: PolicyWatch) => watch.policy.tools['claude-code']?.action;
const kind = (change: PolicyChange | undefined) => change?.kind;

/** A write whose stamp surely differs from the last one (same size, same second, on a coarse file system). */
function bump(file: string): void {
  const later = new Date(Date.now() + Math.random() * 100_000 + 1000);
  utimesSync(file, later, later);
}

describe('PolicyWatch', () => {
  it('polls to nothing while nothing changes, and watches every place a layer can come from', async () => {
    const watch = await start();
    expect(await watch.poll()).toBeUndefined();
    expect(await watch.poll()).toBeUndefined();
    expect(watch.watchedPaths).toEqual(
      expect.arrayContaining([
        '/etc/aitool/policy.yaml',
        join(world.home, '.config/aitool/config.yaml'),
        world.cwd,
        join(world.cwd, '.config'),
      ]),
    );
  });

  it('picks up a project policy that appears, an edit, and an atomic save (rename over it)', async () => {
    const watch = await start();
    expect(watch.policy.files).toEqual([]);
    const file = world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: warn\n');
    const appeared = await watch.poll();
    expect(appeared).toMatchObject({ kind: 'reloaded', recovered: false });
    expect(claudeAction(watch)).toBe('warn');
    expect(watch.watchedPaths).toContain(file);

    writeFileSync(file, 'tools:\n  claude-code: block\n');
    expect(kind(await watch.poll())).toBe('reloaded');
    expect(claudeAction(watch)).toBe('block');

    // An editor's save: a new file renamed over the old one.
    writeFileSync(join(world.cwd, '.aitoolrc.yaml.tmp'), 'tools:\n  claude-code: allow\n');
    renameSync(join(world.cwd, '.aitoolrc.yaml.tmp'), file);
    expect(kind(await watch.poll())).toBe('reloaded');
    expect(claudeAction(watch)).toBe('allow');

    // Saved again with the same content: nothing to report.
    bump(file);
    expect(await watch.poll()).toBeUndefined();
  });

  it('reloads when a file the policy extends changes, and when the user policy appears', async () => {
    world.write('repo/base.yaml', 'tools:\n  cursor: block\n');
    world.write('repo/.aitoolrc.yaml', 'extends: ./base.yaml\n');
    const watch = await start();
    expect(watch.policy.tools.cursor?.action).toBe('block');
    world.write('repo/base.yaml', 'tools:\n  cursor: warn\n');
    expect(kind(await watch.poll())).toBe('reloaded');
    expect(watch.policy.tools.cursor?.action).toBe('warn');

    world.write('home/.config/aitool/config.yaml', 'tools:\n  codex: block\n');
    expect(kind(await watch.poll())).toBe('reloaded');
    expect(watch.policy.tools.codex?.action).toBe('block');
    expect(watch.policy.files.map((f) => f.layer)).toEqual(['user', 'project', 'project']);
  });

  it('keeps the last good policy on a broken edit and reports each distinct error once', async () => {
    const file = world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: block\n');
    const watch = await start();

    writeFileSync(file, 'tools:\n  claude-code: blok\n');
    expect(await watch.poll()).toEqual({ kind: 'error', file, key: 'tools.claude-code', message: expect.stringContaining("got 'blok'") });
    expect(claudeAction(watch)).toBe('block');
    bump(file);
    expect(await watch.poll()).toBeUndefined();

    writeFileSync(file, 'tools: [unclosed\n');
    const syntax = await watch.poll();
    expect(syntax).toMatchObject({ kind: 'error', file });
    expect(await watch.poll()).toBeUndefined();
    expect(claudeAction(watch)).toBe('block');

    // Fixed back to what it was: reported, as the end of the problem.
    writeFileSync(file, 'tools:\n  claude-code: block\n');
    expect(await watch.poll()).toMatchObject({ kind: 'reloaded', recovered: true });
    expect(await watch.poll()).toBeUndefined();

    // The same error as before, after a good spell, is news again.
    writeFileSync(file, 'tools:\n  claude-code: blok\n');
    expect(kind(await watch.poll())).toBe('error');
  });

  it('refuses to start with a broken policy (nothing good to keep)', async () => {
    world.write('repo/.aitoolrc.yaml', 'default: nope\n');
    await expect(start()).rejects.toThrow(/\.aitoolrc\.yaml: default: expected one of allow \| warn \| block/);
  });

  it('follows --policy and a managed policy named by AITOOL_MANAGED_POLICY', async () => {
    const managed = world.write('managed/policy.yaml', 'tools:\n  cursor: block\n');
    const watch = await start({ AITOOL_MANAGED_POLICY: managed });
    expect(watch.watchedPaths).toContain(managed);
    writeFileSync(managed, 'tools:\n  cursor: warn\n');
    expect(kind(await watch.poll())).toBe('reloaded');
    expect(watch.policy.tools.cursor?.action).toBe('warn');

    // --policy, relative to the working folder: missing, it is an error at start; once there, its edits are picked up.
    const cli = await start({}, 'policies/team.yaml').catch((error: Error) => error);
    expect(cli).toBeInstanceOf(Error);
    const team = world.write('repo/policies/team.yaml', 'tools:\n  codex: block\n');
    const withCli = await start({}, 'policies/team.yaml');
    expect(withCli.watchedPaths).toContain(team);
    writeFileSync(team, 'tools:\n  codex: warn\n');
    expect(kind(await withCli.poll())).toBe('reloaded');
    expect(withCli.policy.tools.codex?.action).toBe('warn');
  });
});
