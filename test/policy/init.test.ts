import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { starterPolicy } from '../../src/policy/init.js';
import { loadPolicy, validatePolicyFile } from '../../src/policy/load.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

async function loadStarter(text: string) {
  const file = path.join(box.repo, '.aitoolrc.yaml');
  await writeFile(file, text);
  expect(await validatePolicyFile(file, box.options)).toEqual([]);
  return loadPolicy(box.options);
}

describe('starterPolicy', () => {
  it('with no choices: a commented file that validates and reports everything', async () => {
    const text = starterPolicy();
    expect(text).toContain('$schema: ./node_modules/aitool/policies/schema.json');
    expect(text).toMatch(/^# /m);
    const policy = await loadStarter(text);
    expect(policy.default).toBe('warn');
    expect(policy.tools).toEqual({});
  });

  it('with choices: blocks, allows and offers the alternative (allowing it)', async () => {
    const text = starterPolicy({ block: ['claude-code', 'cursor'], allow: ['ollama'], default: 'block', alternative: 'qoder' });
    const policy = await loadStarter(text);
    expect(policy.default).toBe('block');
    expect(policy.tools['claude-code']).toEqual({ action: 'block', alternatives: ['qoder'] });
    expect(policy.tools.cursor).toEqual({ action: 'block', alternatives: ['qoder'] });
    expect(policy.tools.ollama?.action).toBe('allow');
    expect(policy.tools.qoder?.action).toBe('allow');
  });

  it('refuses contradictory or malformed choices', () => {
    expect(() => starterPolicy({ block: ['cursor'], allow: ['cursor'] })).toThrow(UserError);
    expect(() => starterPolicy({ block: ['cursor'], alternative: 'cursor' })).toThrow(UserError);
    expect(() => starterPolicy({ block: ['Not An Id'] })).toThrow("'Not An Id' is not a tool id");
  });
});
