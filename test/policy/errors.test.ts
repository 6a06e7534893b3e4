/**
 * Every mistake a policy author can make ends as one line, exit 2:
 * `<file>: <key>: <problem>`, with a did-you-mean where a close name exists.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError, UserError } from '../../src/errors.js';
import { loadPolicy } from '../../src/policy/load.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

async function errorOf(files: Record<string, string>, policyFile?: string): Promise<PolicyError> {
  await box.write(files);
  try {
    await loadPolicy({ ...box.options, ...(policyFile ? { policyFile } : {}) });
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/ZodError|\bat .*\.(?:js|ts):\d+/);
    return error as PolicyError;
  }
  throw new Error('expected loadPolicy to fail');
}

const rc = (): string => path.join(box.repo, '.aitoolrc.yaml');

describe('one-line policy errors', () => {
  it('malformed YAML, with line:column', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'default: warn\ntools:\n  cursor: [block\n' });
    expect(error.message).toBe(`${rc()}: malformed YAML at 4:1: Flow sequence in block collection must be sufficiently indented and end with a ]`);
  });

  it('a repeated YAML key', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'default: warn\ndefault: block\n' });
    expect(error.message).toBe(`${rc()}: malformed YAML at 2:1: duplicate key 'default'`);
  });

  it('malformed JSON, with line:column', async () => {
    const file = path.join(box.repo, '.aitoolrc.json');
    const error = await errorOf({ 'repo/.aitoolrc.json': '{\n  "default": "warn",\n  "tools": { "cursor": }\n}\n' });
    expect(error.message).toMatch(new RegExp(`^${escape(file)}: malformed JSON at 3:24: Unexpected token '}'$`));
  });

  it('malformed JSON in the managed policy (read without cosmiconfig)', async () => {
    const error = await errorOf({ 'etc-aitool/policy.json': '{ "default": "warn" ' });
    // The text after the position is V8's and differs between Node versions.
    expect(error.message).toMatch(new RegExp(`^${escape(path.join(box.managedDir, 'policy.json'))}: malformed JSON at 1:21: \\S`));
  });

  it('a file that cannot be read', async () => {
    const dir = path.join(box.root, 'a-folder');
    await mkdir(dir);
    const error = await errorOf({}, dir);
    expect(error.message).toBe(`${dir}: cannot read: is a folder, not a file`);
    const missing = path.join(box.root, 'missing.yaml');
    expect((await errorOf({}, missing)).message).toBe(`${missing}: cannot read: no such file`);
  });

  it('an unknown top-level key', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'defualt: warn\n' });
    expect(error.message).toBe(`${rc()}: defualt: unknown key 'defualt' (did you mean 'default'?)`);
    expect(error.file).toBe(rc());
    expect(error.key).toBe('defualt');
  });

  it('an unknown key inside a rule, listing the allowed keys when nothing is close', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: { reasn: x }\n' })).message).toBe(
      `${rc()}: tools.cursor.reasn: unknown key 'reasn' (did you mean 'reason'?)`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: { colour: red }\n' })).message).toBe(
      `${rc()}: tools.cursor.colour: unknown key 'colour'; expected one of action, reason, message, alternatives, overridable, terminate`,
    );
  });

  it('a misspelt action, in every place an action goes', async () => {
    const expected = "expected one of allow | warn | block, got 'blok' (did you mean 'block'?)";
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'default: blok\n' })).message).toBe(`${rc()}: default: ${expected}`);
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: blok\n' })).message).toBe(`${rc()}: tools.cursor: ${expected}`);
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: { action: blok }\n' })).message).toBe(
      `${rc()}: tools.cursor.action: ${expected}`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'categories:\n  ai-ide: Block\n' })).message).toBe(
      `${rc()}: categories.ai-ide: expected one of allow | warn | block, got 'Block' (did you mean 'block'?)`,
    );
  });

  it('a value of the wrong type', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: 3\n' })).message).toBe(
      `${rc()}: tools.cursor: expected one of allow | warn | block or a mapping, got 3`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'scanners:\n  path: yes\n' })).message).toBe(
      `${rc()}: scanners.path: expected true or false, got 'yes'`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'extends: 3\n' })).message).toBe(`${rc()}: extends: expected a string or a list, got 3`);
    expect((await errorOf({ 'repo/.aitoolrc.yaml': '- default\n- warn\n' })).message).toMatch(
      new RegExp(`^${escape(rc())}: expected a mapping of policy keys .* got a list$`),
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  cursor: { reason: "" }\n' })).message).toBe(
      `${rc()}: tools.cursor.reason: must not be empty`,
    );
  });

  it('an unknown category', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'categories:\n  agent-clis: block\n' })).message).toBe(
      `${rc()}: categories.agent-clis: unknown category 'agent-clis' (did you mean 'agent-cli'?)`,
    );
  });

  it('an unknown tool id', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  claude-cod: block\n' });
    expect(error.message).toMatch(new RegExp(`^${escape(rc())}: tools\\.claude-cod: unknown tool 'claude-cod' \\(did you mean 'claude-code'\\?\\)`));
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  Cursor: block\n' })).message).toBe(
      `${rc()}: tools.Cursor: 'Cursor' is not a valid id: expected a kebab-case id such as "acme-assistant" (did you mean 'cursor'?)`,
    );
  });

  it('an unknown alternative id', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'tools:\n  claude-code: { action: block, alternatives: [qoder, qodr] }\n' });
    expect(error.message).toMatch(
      new RegExp(`^${escape(rc())}: tools\\.claude-code\\.alternatives\\[1\\]: unknown alternative 'qodr' \\(did you mean 'qoder'\\?\\)`),
    );
  });

  it('custom tools: an invalid pattern, a catalog id, a missing field', async () => {
    const custom = (fields: string): string =>
      `customTools:\n  - id: acme-bot\n    name: Acme Bot\n    vendor: Acme\n    homepage: https://acme.test\n    category: agent-cli\n${fields}`;
    const badRegex = await errorOf({ 'repo/.aitoolrc.yaml': custom("    signatures:\n      processes:\n        args: ['acme', '(unclosed']\n") });
    expect(badRegex.message).toMatch(new RegExp(`^${escape(rc())}: customTools\\[0\\]\\.signatures\\.processes\\.args\\[1\\]: invalid pattern: `));

    const clash = await errorOf({ 'repo/.aitoolrc.yaml': custom('    signatures: {}\n').replace('id: acme-bot', 'id: cursor') });
    expect(clash.message).toBe(`${rc()}: customTools[0].id: 'cursor' is already a catalog tool id; give your tool its own id`);

    const missing = await errorOf({ 'repo/.aitoolrc.yaml': custom('').replace('    name: Acme Bot\n', '') + '    signatures: {}\n' });
    expect(missing.message).toBe(`${rc()}: customTools[0].name: missing: expected a string`);
  });

  it('an extends cycle', async () => {
    const error = await errorOf({
      'repo/.aitoolrc.yaml': 'extends: ./a.yaml\n',
      'repo/a.yaml': 'extends: ./b.yaml\n',
      'repo/b.yaml': 'extends: [aitool:recommended, ./a.yaml]\n',
    });
    expect(error.message).toBe(`${path.join(box.repo, 'b.yaml')}: extends[1]: extends cycle: a.yaml → b.yaml → a.yaml`);
  });

  it('a file that extends itself', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'extends: ./.aitoolrc.yaml\n' });
    expect(error.message).toBe(`${rc()}: extends: extends cycle: .aitoolrc.yaml → .aitoolrc.yaml`);
  });

  it('an unknown preset', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'extends: aitool:recomended\n' })).message).toBe(
      `${rc()}: extends: unknown preset 'aitool:recomended' (did you mean 'aitool:recommended'?); presets: aitool:recommended, aitool:strict`,
    );
  });

  it('a missing extends file or package', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'extends: [aitool:recommended, ./missing.yaml]\n' })).message).toBe(
      `${rc()}: extends[1]: cannot find './missing.yaml' (looked for ${path.join(box.repo, 'missing.yaml')})`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'extends: "@acme/nope"\n' })).message).toBe(
      `${rc()}: extends: cannot find package '@acme/nope' from ${box.repo}`,
    );
  });

  it('a JavaScript config that throws', async () => {
    const file = path.join(box.repo, 'aitool.config.mjs');
    const error = await errorOf({ 'repo/aitool.config.mjs': 'throw new Error("boom\\nsecond line");\n' });
    expect(error.message).toBe(`${file}: cannot load: boom`);
  });

  it('a problem in an extended file names that file', async () => {
    const base = path.join(box.root, 'shared/base.yaml');
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'extends: ../shared/base.yaml\n', 'shared/base.yaml': 'tools:\n  cursor: alow\n' });
    expect(error.message).toBe(`${base}: tools.cursor: expected one of allow | warn | block, got 'alow' (did you mean 'allow'?)`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
