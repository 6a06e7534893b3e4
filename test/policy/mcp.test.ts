/**
 * MCP server rules in the policy: the format, merging across layers with
 * origins, the managed floor, and the one-line errors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { PolicyError } from '../../src/errors.js';
import { loadPolicy, validatePolicyFile } from '../../src/policy/load.js';
import { formatPolicy } from '../../src/policy/show.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

const rc = (): string => path.join(box.repo, '.aitoolrc.yaml');
const managedFile = (): string => path.join(box.managedDir, 'policy.yaml');
const userFile = (): string => path.join(box.home, '.config/aitool/config.yaml');

/** The example of the README's policy section, with the alternative it names defined. */
const README_EXAMPLE = String.raw`
mcp:
  default: warn                      # servers no rule matches; built-in default: allow
  servers:
    filesystem: block                # shorthand: the rule id is the server's configured name
    shell-exec:
      action: block
      command: "mcp-server-commands|mcp-shell"
      reason: Runs arbitrary shell commands.
      alternatives: [acme-gateway]
    remote:
      action: warn
      url: "^http://"                # plain-HTTP remote servers
    github:
      name: "^github$"
      action: allow
      overridable: true
alternatives:
  acme-gateway:
    name: Acme MCP gateway
    url: https://mcp.acme.example
`;

async function errorOf(files: Record<string, string>): Promise<PolicyError> {
  await box.write(files);
  try {
    await loadPolicy(box.options);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).not.toContain('\n');
    return error as PolicyError;
  }
  throw new Error('expected loadPolicy to fail');
}

describe('mcp rules in one file', () => {
  it('keeps the built-in allow with origin when no file sets mcp', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'default: block\n' });
    const policy = await loadPolicy(box.options);
    expect(policy.mcp).toEqual({ default: 'allow', servers: {} });
    expect(policy.origins['mcp.default']).toEqual({ layer: 'default' });
  });

  it('reads shorthand and object rules, and gives a rule without an action the effective mcp.default', async () => {
    await box.write({
      'repo/.aitoolrc.yaml': [
        'mcp:',
        '  default: warn',
        '  servers:',
        '    filesystem: block',
        '    shell-exec:',
        '      action: block',
        '      command: "mcp-shell"',
        '      reason: Runs arbitrary shell commands.',
        '      message: "Ask #platform for the gateway."',
        '      alternatives: [qoder]',
        '    remote:',
        '      url: "^https://"',
        '      name: "remote"',
      ].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    const origin = { layer: 'project', file: rc() };
    expect(policy.mcp).toEqual({
      default: 'warn',
      servers: {
        filesystem: { action: 'block' },
        'shell-exec': {
          action: 'block',
          command: 'mcp-shell',
          reason: 'Runs arbitrary shell commands.',
          message: 'Ask #platform for the gateway.',
          alternatives: ['qoder'],
        },
        remote: { action: 'warn', url: '^https://', name: 'remote' },
      },
    });
    expect(policy.origins['mcp.default']).toEqual(origin);
    expect(policy.origins['mcp.servers.filesystem.action']).toEqual(origin);
    expect(policy.origins['mcp.servers.shell-exec.command']).toEqual(origin);
    expect(policy.origins['mcp.servers.shell-exec.message']).toEqual(origin);
    expect(policy.origins['mcp.servers.remote.url']).toEqual(origin);
    // The action came from mcp.default, so its origin is mcp.default's.
    expect(policy.origins['mcp.servers.remote.action']).toEqual(origin);
    // overridable is a managed-layer instruction, not part of the resolved rule.
    expect(policy.mcp.servers.filesystem).not.toHaveProperty('overridable');
  });

  it('accepts server names that are not kebab-case ids', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    "Brave Search": block\n    github.com: warn\n' });
    const policy = await loadPolicy(box.options);
    expect(policy.mcp.servers['Brave Search']).toEqual({ action: 'block' });
    expect(policy.mcp.servers['github.com']).toEqual({ action: 'warn' });
  });
});

describe('merging mcp across layers and extends', () => {
  it('merges rules field by field by id, a later shorthand changing only the action', async () => {
    await box.write({
      'shared/base.yaml': ['mcp:', '  servers:', '    shell-exec:', '      action: block', '      command: mcp-shell', '      reason: Shell.'].join('\n'),
      'home/.config/aitool/config.yaml': [
        'extends: ../../../shared/base.yaml',
        'mcp:',
        '  default: block',
        '  servers:',
        '    shell-exec:',
        '      alternatives: [qoder]',
      ].join('\n'),
      'repo/.aitoolrc.yaml': ['mcp:', '  default: warn', '  servers:', '    shell-exec: warn', '    memory:', '      reason: Keeps notes.'].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    const base = { layer: 'user', file: path.join(box.root, 'shared/base.yaml') };
    const user = { layer: 'user', file: userFile() };
    const project = { layer: 'project', file: rc() };
    expect(policy.mcp.default).toBe('warn');
    expect(policy.origins['mcp.default']).toEqual(project);
    expect(policy.mcp.servers['shell-exec']).toEqual({ action: 'warn', reason: 'Shell.', command: 'mcp-shell', alternatives: ['qoder'] });
    expect(policy.origins['mcp.servers.shell-exec.action']).toEqual(project);
    expect(policy.origins['mcp.servers.shell-exec.reason']).toEqual(base);
    expect(policy.origins['mcp.servers.shell-exec.command']).toEqual(base);
    expect(policy.origins['mcp.servers.shell-exec.alternatives']).toEqual(user);
    // No layer set memory's action: it takes the effective mcp.default (warn, from the project), not the user's block.
    expect(policy.mcp.servers.memory).toEqual({ action: 'warn', reason: 'Keeps notes.' });
    expect(policy.origins['mcp.servers.memory.action']).toEqual(project);
    expect(policy.warnings).toEqual([]);
  });
});

describe('the managed floor for mcp', () => {
  it('refuses a looser action for a managed rule id, with one warning naming file and key, and lets layers tighten', async () => {
    await box.write({
      'etc-aitool/policy.yaml': ['mcp:', '  servers:', '    filesystem: block', '    memory: warn'].join('\n'),
      'repo/.aitoolrc.yaml': ['mcp:', '  servers:', '    filesystem:', '      action: allow', '      reason: We need it.', '    memory: block'].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings).toEqual([
      {
        file: rc(),
        key: 'mcp.servers.filesystem.action',
        message: `sets mcp server rule 'filesystem' to allow, but the managed policy ${managedFile()} blocks it; ignored`,
      },
    ]);
    // Dropped whole: the reason cannot contradict the verdict.
    expect(policy.mcp.servers.filesystem).toEqual({ action: 'block' });
    expect(policy.origins['mcp.servers.filesystem.action']).toEqual({ layer: 'managed', file: managedFile() });
    expect(policy.mcp.servers.memory).toEqual({ action: 'block' });
  });

  it('refuses a looser mcp.default, and a new rule looser than the managed mcp.default', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'mcp:\n  default: warn\n',
      'home/.config/aitool/config.yaml': 'mcp:\n  default: allow\n  servers:\n    github: allow\n    sqlite: block\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings).toEqual([
      { file: userFile(), key: 'mcp.default', message: `sets mcp.default to allow, but the managed policy ${managedFile()} sets it to warn; ignored` },
      {
        file: userFile(),
        key: 'mcp.servers.github.action',
        message: `sets mcp server rule 'github' to allow, but the managed policy ${managedFile()} requires at least warn for it (mcp.default: warn); ignored`,
      },
    ]);
    expect(policy.mcp.default).toBe('warn');
    expect(policy.origins['mcp.default']).toEqual({ layer: 'managed', file: managedFile() });
    expect(policy.mcp.servers).toEqual({ sqlite: { action: 'block' } });
    for (const warning of policy.warnings) expect(warning.message).not.toContain('\n');
  });

  it('refuses changing the patterns of a managed rule, which would loosen it as surely as allow', async () => {
    await box.write({
      'etc-aitool/policy.yaml': ['mcp:', '  servers:', '    shell-exec:', '      action: block', '      command: mcp-shell', '    filesystem: block'].join('\n'),
      'repo/.aitoolrc.yaml': [
        'mcp:',
        '  servers:',
        '    shell-exec:',
        '      command: "^never$"',
        '      reason: Narrowed.',
        '    filesystem:',
        '      name: "^nothing$"',
      ].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings.map((w) => `${w.key}: ${w.message}`)).toEqual([
      `mcp.servers.shell-exec.command: changes the command pattern of mcp server rule 'shell-exec', but the managed policy ${managedFile()} defines that rule; ignored`,
      `mcp.servers.filesystem.name: changes the name pattern of mcp server rule 'filesystem', but the managed policy ${managedFile()} defines that rule; ignored`,
    ]);
    expect(policy.mcp.servers['shell-exec']).toEqual({ action: 'block', command: 'mcp-shell' });
    expect(policy.mcp.servers.filesystem).toEqual({ action: 'block' });
  });

  it('lets a lower layer repeat a managed pattern and tighten the rule', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'mcp:\n  servers:\n    remote: { action: warn, url: "^https?://" }\n',
      'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    remote: { action: block, url: "^https?://" }\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings).toEqual([]);
    expect(policy.mcp.servers.remote).toEqual({ action: 'block', url: '^https?://' });
  });

  it('lets an overridable managed rule be loosened and its patterns changed', async () => {
    await box.write({
      'etc-aitool/policy.yaml': ['mcp:', '  default: block', '  servers:', '    github:', '      name: "^github$"', '      action: block', '      overridable: true'].join('\n'),
      'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    github: { action: allow, name: "^github(-enterprise)?$" }\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings).toEqual([]);
    expect(policy.mcp.servers.github).toEqual({ action: 'allow', name: '^github(-enterprise)?$' });
    expect(policy.origins['mcp.servers.github.action']).toEqual({ layer: 'project', file: rc() });
  });

  it('is not a floor for the managed layer’s own extends chain', async () => {
    await box.write({
      'etc-aitool/base.yaml': 'mcp:\n  default: block\n  servers:\n    filesystem: block\n',
      'etc-aitool/policy.yaml': 'extends: ./base.yaml\nmcp:\n  default: warn\n  servers:\n    filesystem: { action: allow, command: npx }\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.warnings).toEqual([]);
    expect(policy.mcp).toEqual({ default: 'warn', servers: { filesystem: { action: 'allow', command: 'npx' } } });
  });

  it('is reported by validatePolicyFile', async () => {
    await box.write({ 'etc-aitool/policy.yaml': 'mcp:\n  servers:\n    filesystem: block\n', 'repo/mine.yaml': 'mcp:\n  servers:\n    filesystem: warn\n' });
    const warnings = await validatePolicyFile('mine.yaml', box.options);
    expect(warnings.map((w) => w.key)).toEqual(['mcp.servers.filesystem.action']);
    expect(warnings[0]?.message).toBe(`sets mcp server rule 'filesystem' to warn, but the managed policy ${managedFile()} blocks it; ignored`);
  });
});

describe('one-line errors in mcp rules', () => {
  it('an invalid regular expression, with the key path', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    shell-exec:\n      action: block\n      command: "mcp-(shell"\n' });
    expect(error.message).toMatch(new RegExp(`^${escape(rc())}: mcp\\.servers\\.shell-exec\\.command: invalid pattern: .*mcp-\\(shell`));
    expect(error.key).toBe('mcp.servers.shell-exec.command');
    expect(error.file).toBe(rc());
    const url = await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    remote: { url: "[" }\n' });
    expect(url.key).toBe('mcp.servers.remote.url');
    expect(url.message).toContain(': mcp.servers.remote.url: invalid pattern: ');
  });

  it('an unknown key in a rule, with did-you-mean', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    shell-exec: { action: block, comand: sh }\n' })).message).toBe(
      `${rc()}: mcp.servers.shell-exec.comand: unknown key 'comand' (did you mean 'command'?)`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    x: { colour: red }\n' })).message).toBe(
      `${rc()}: mcp.servers.x.colour: unknown key 'colour'; expected one of action, reason, message, alternatives, overridable, name, command, url`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  server:\n    x: block\n' })).message).toBe(
      `${rc()}: mcp.server: unknown key 'server' (did you mean 'servers'?)`,
    );
  });

  it('a misspelt action, as shorthand, in a rule and as mcp.default', async () => {
    const expected = "expected one of allow | warn | block, got 'blok' (did you mean 'block'?)";
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    x: blok\n' })).message).toBe(`${rc()}: mcp.servers.x: ${expected}`);
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    x: { action: blok }\n' })).message).toBe(
      `${rc()}: mcp.servers.x.action: ${expected}`,
    );
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  default: blok\n' })).message).toBe(`${rc()}: mcp.default: ${expected}`);
  });

  it('a rule id with leading or trailing spaces', async () => {
    expect((await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    " github": block\n' })).message).toBe(
      `${rc()}: mcp.servers. github: ' github' is not a valid MCP server rule id: expected a server name without leading or trailing spaces`,
    );
  });

  it('an unknown alternative id', async () => {
    const error = await errorOf({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    shell-exec: { action: block, alternatives: [qoder, acme-gatway] }\n' });
    expect(error.message).toBe(
      `${rc()}: mcp.servers.shell-exec.alternatives[1]: unknown alternative 'acme-gatway'; use a catalog tool id or define it under alternatives`,
    );
  });

  it('an alternative defined in another layer is known', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'alternatives:\n  acme-gateway: { name: Acme gateway }\n',
      'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    shell-exec: { action: block, alternatives: [acme-gatway] }\n',
    });
    await expect(loadPolicy(box.options)).rejects.toThrow("unknown alternative 'acme-gatway' (did you mean 'acme-gateway'?)");
    await box.write({ 'repo/.aitoolrc.yaml': 'mcp:\n  servers:\n    shell-exec: { action: block, alternatives: [acme-gateway] }\n' });
    expect((await loadPolicy(box.options)).mcp.servers['shell-exec']?.alternatives).toEqual(['acme-gateway']);
  });
});

describe('the README example', () => {
  it('validates and resolves as documented, against the real catalog too', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': README_EXAMPLE });
    await expect(validatePolicyFile(rc(), box.options)).resolves.toEqual([]);
    await expect(validatePolicyFile(rc(), { ...box.options, catalog: CATALOG })).resolves.toEqual([]);
    const policy = await loadPolicy(box.options);
    expect(policy.mcp).toEqual({
      default: 'warn',
      servers: {
        filesystem: { action: 'block' },
        'shell-exec': {
          action: 'block',
          command: 'mcp-server-commands|mcp-shell',
          reason: 'Runs arbitrary shell commands.',
          alternatives: ['acme-gateway'],
        },
        remote: { action: 'warn', url: '^http://' },
        github: { action: 'allow', name: '^github$' },
      },
    });
    const url = new RegExp(policy.mcp.servers.remote?.url ?? '', 'i');
    expect(url.test('HTTP://evil.example/sse')).toBe(true);
    expect(url.test('https://mcp.acme.example/sse')).toBe(false);
  });
});

describe('aitool policy show', () => {
  it('prints mcp.default and each rule field with its origin', async () => {
    await box.write({ 'etc-aitool/policy.yaml': 'mcp:\n  servers:\n    memory: block\n', 'repo/.aitoolrc.yaml': README_EXAMPLE });
    const lines = formatPolicy(await loadPolicy(box.options)).split('\n');
    const line = (key: string): string | undefined => lines.find((l) => l.startsWith(`${key} `));
    expect(line('mcp.default')).toMatch(new RegExp(`^mcp\\.default +warn +\\(project: ${escape(rc())}\\)$`));
    expect(line('mcp.servers.memory')).toMatch(new RegExp(`^mcp\\.servers\\.memory +block +\\(managed: ${escape(managedFile())}\\)$`));
    expect(line('mcp.servers.filesystem')).toMatch(new RegExp(`^mcp\\.servers\\.filesystem +block +\\(project: ${escape(rc())}\\)$`));
    expect(line('mcp.servers.shell-exec')).toMatch(/ +block +\(project: /);
    expect(line('mcp.servers.shell-exec.reason')).toMatch(/ +"Runs arbitrary shell commands\." +\(project: /);
    expect(line('mcp.servers.shell-exec.command')).toMatch(/ +"mcp-server-commands\|mcp-shell" +\(project: /);
    expect(line('mcp.servers.shell-exec.alternatives')).toMatch(/ +acme-gateway +\(project: /);
    expect(line('mcp.servers.remote.url')).toMatch(/ +"\^http:\/\/" +\(project: /);
    expect(line('mcp.servers.github.name')).toMatch(/ +"\^github\$" +\(project: /);
  });

  it('shows the built-in mcp.default when no file sets it', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'default: block\n' });
    expect(formatPolicy(await loadPolicy(box.options))).toMatch(/^mcp\.default +allow +\(built-in default\)$/m);
  });
});

describe('policies/schema.json', () => {
  it('documents the mcp key, its rules and their patterns', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const schema = JSON.parse(await readFile(path.join(root, 'policies/schema.json'), 'utf8')) as {
      properties: Record<string, { description?: string; additionalProperties?: boolean; properties?: Record<string, Record<string, unknown>> }>;
    };
    const mcp = schema.properties.mcp;
    expect(mcp?.description).toMatch(/MCP servers/);
    expect(mcp?.additionalProperties).toBe(false);
    expect(mcp?.properties?.default?.description).toMatch(/no rule matches/);
    const servers = mcp?.properties?.servers as { description?: string; additionalProperties?: { anyOf?: Array<Record<string, unknown>> } };
    expect(servers.description).toMatch(/rule id/);
    const rule = servers.additionalProperties?.anyOf?.find((option) => option.type === 'object') as
      | { additionalProperties?: boolean; properties?: Record<string, { description?: string }> }
      | undefined;
    expect(rule?.additionalProperties).toBe(false);
    expect(Object.keys(rule?.properties ?? {})).toEqual(['action', 'reason', 'message', 'alternatives', 'overridable', 'name', 'command', 'url']);
    for (const field of ['name', 'command', 'url']) expect(rule?.properties?.[field]?.description).toMatch(/regular expression/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
