// `aitool policy show` lists the vendors' native-control keys with their origin.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
});
afterEach(() => world.cleanup());

it('shows native.claudeCode keys from the managed policy, and ignores a repository that sets them', async () => {
  world.write('managed/policy.yaml', 'native:\n  claudeCode:\n    forceLoginMethod: console\n');
  world.write('repo/.aitoolrc.yaml', 'native:\n  claudeCode:\n    forceLoginMethod: claudeai\n');
  const result = await runCli(['policy', 'show'], world, { AITOOL_NO_CACHE: '1' });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/native\.claudeCode\.forceLoginMethod\s+console\s+\(managed: /);
  expect(result.stdout).not.toMatch(/forceLoginMethod\s+claudeai/);
  expect(result.stdout).toContain('native.claudeCode.forceLoginMethod');
});
