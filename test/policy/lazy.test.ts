/**
 * The pre-commit hook loads the policy on every commit: with no policy file
 * anywhere, zod (~55 ms), yaml (~35 ms) and cosmiconfig must not be imported.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../fixtures/policy/helpers.js';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('zod', async () => {
  loaded.add('zod');
  return vi.importActual('zod');
});
vi.mock('yaml', async () => {
  loaded.add('yaml');
  return vi.importActual('yaml');
});
vi.mock('cosmiconfig', async () => {
  loaded.add('cosmiconfig');
  return vi.importActual('cosmiconfig');
});

let box: Sandbox;
beforeEach(async () => {
  const { sandbox } = await import('../fixtures/policy/helpers.js');
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe('loadPolicy imports', () => {
  it('nothing heavy when there is no policy (a package.json that only depends on aitool included)', async () => {
    await box.write({ 'repo/package.json': JSON.stringify({ name: 'app', devDependencies: { aitool: '1.0.0', cosmiconfig: '9.0.0' } }) });
    const { loadPolicy } = await import('../../src/policy/load.js');
    const policy = await loadPolicy(box.options);
    expect(policy.files).toEqual([]);
    expect([...loaded]).toEqual([]);
  });

  it('zod, yaml and cosmiconfig once a project file needs them', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'default: block\n' });
    const { loadPolicy } = await import('../../src/policy/load.js');
    expect((await loadPolicy(box.options)).default).toBe('block');
    expect([...loaded].sort()).toEqual(['cosmiconfig', 'yaml', 'zod']);
  });
});
