// Bad policies get one line naming the file and key, a did-you-mean where it
// helps, exit code 2, and never a stack trace.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';

let world: World;
beforeAll(() => {
  world = makeWorld();
});
afterAll(() => world.cleanup());

const cases: Array<[string, string, RegExp[]]> = [
  ['unknown top-level key', 'defualt: warn\n', [/defualt/, /did you mean 'default'/]],
  ['unknown action', 'default: blok\n', [/default/, /allow \| warn \| block|allow.*warn.*block/, /block/]],
  ['unknown tool id', 'tools:\n  claude-cod: block\n', [/tools\.claude-cod/, /did you mean 'claude-code'/]],
  ['unknown alternative id', 'tools:\n  claude-code:\n    action: block\n    alternatives: [qodr]\n', [/alternatives/, /qodr/, /qoder/]],
  ['malformed YAML', 'tools:\n  claude-code: [block\n', [/yaml|YAML|parse|flow/i]],
  ['missing preset', 'extends: aitool:recomended\n', [/extends/, /aitool:recommended/]],
  ['invalid pattern', 'customTools:\n  - id: acme-ai\n    name: Acme\n    vendor: Acme\n    homepage: https://acme.test\n    category: agent-cli\n    signatures:\n      processes:\n        args: ["(unclosed"]\n', [/customTools\[0\]\.signatures\.processes\.args\[0\]/, /pattern|regular expression/i]],
  ['tool rule of the wrong type', 'tools:\n  cursor: 3\n', [/tools\.cursor/]],
];

describe('aitool policy validate / check with a bad policy', () => {
  it.each(cases)('%s', async (label, content, expected) => {
    const file = world.write(`bad/${label.replace(/\W+/g, '-')}.yaml`, content);
    for (const args of [['policy', 'validate', file], ['check', '--policy', file]]) {
      const result = await runCli(args, world);
      expect(result.exitCode, result.stderr).toBe(2);
      const message = result.stderr.trim();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(file);
      expect(message).not.toMatch(/\n\s+at |internal error/);
      for (const pattern of expected) expect(message).toMatch(pattern);
      expect(result.stdout).toBe('');
    }
  });

  it('reports an extends cycle with the chain', async () => {
    world.write('cycle/a.yaml', 'extends: ./b.yaml\n');
    world.write('cycle/b.yaml', 'extends: ./a.yaml\n');
    const result = await runCli(['policy', 'validate', join(world.root, 'cycle/a.yaml')], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cycle/);
    expect(result.stderr).toMatch(/a\.yaml.*b\.yaml.*a\.yaml/);
  });

  it('reports a policy path that cannot be read', async () => {
    const folder = join(world.root, 'not-a-file.yaml');
    mkdirSync(folder, { recursive: true });
    const missing = join(world.root, 'missing.yaml');
    for (const file of [folder, missing]) {
      const result = await runCli(['check', '--policy', file], world);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(file);
    }
  });

  it('reports a bad project .aitoolrc found by search, naming that file', async () => {
    const repo = join(world.root, 'repo-bad');
    mkdirSync(repo, { recursive: true });
    world.write('repo-bad/.aitoolrc.yaml', 'default: maybe\n');
    const result = await runCli(['check'], { ...world, cwd: repo });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(join(repo, '.aitoolrc.yaml'));
  });
});

describe('usage errors', () => {
  it('exits 2 on an unknown flag or bad choice', async () => {
    for (const args of [['check', '--frobnicate'], ['check', '--format', 'xml'], ['check', '--fail-on', 'sometimes']]) {
      const result = await runCli(args, world);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('suggests the closest tool id for aitool tools <typo>', async () => {
    const result = await runCli(['tools', 'claud-code'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown tool id 'claud-code'.*did you mean 'claude-code'/);
  });
});
