import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { loadPolicy, presetFile, validatePolicyFile } from '../../src/policy/load.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe('with no policy anywhere', () => {
  it('is the built-in default: every tool warn, every scanner on, no files', async () => {
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('warn');
    expect(policy.scanners).toEqual({ processes: true, path: true, traces: true, packages: true, editors: true, apps: true, configs: true, skills: true, browsers: true, session: true, repo: true });
    expect(policy.tools).toEqual({});
    expect(policy.files).toEqual([]);
    expect(policy.warnings).toEqual([]);
    expect(policy.origins.default).toEqual({ layer: 'default' });
    expect(policy.origins['scanners.path']).toEqual({ layer: 'default' });
  });
});

describe('layers', () => {
  it('finds every layer and lists the files lowest first', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'tools:\n  codex: block\n',
      'home/.config/aitool/config.yaml': 'tools:\n  cursor: block\n',
      'repo/.aitoolrc.yaml': 'tools:\n  claude-code: block\n',
      'cli.json': '{ "tools": { "qoder": "allow" } }',
    });
    const policy = await loadPolicy({ ...box.options, policyFile: path.join(box.root, 'cli.json') });
    expect(policy.files).toEqual([
      { layer: 'managed', file: path.join(box.managedDir, 'policy.yaml') },
      { layer: 'user', file: path.join(box.home, '.config/aitool/config.yaml') },
      { layer: 'project', file: path.join(box.repo, '.aitoolrc.yaml') },
      { layer: 'cli', file: path.join(box.root, 'cli.json') },
    ]);
    expect(policy.tools).toEqual({
      codex: { action: 'block' },
      cursor: { action: 'block' },
      'claude-code': { action: 'block' },
      qoder: { action: 'allow' },
    });
    expect(policy.origins['tools.claude-code.action']).toEqual({ layer: 'project', file: path.join(box.repo, '.aitoolrc.yaml') });
  });

  it('prefers policy.yaml over policy.yml and policy.json in the managed folder', async () => {
    await box.write({ 'etc-aitool/policy.json': '{"default":"allow"}', 'etc-aitool/policy.yml': 'default: block\n' });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('block');
    expect(policy.files).toEqual([{ layer: 'managed', file: path.join(box.managedDir, 'policy.yml') }]);
  });

  it('reads AITOOL_MANAGED_POLICY when it names a file', async () => {
    await box.write({ 'org/acme.json': '{"default":"block"}' });
    const policy = await loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_MANAGED_POLICY: path.join(box.root, 'org/acme.json') } });
    expect(policy.default).toBe('block');
    expect(policy.origins.default).toEqual({ layer: 'managed', file: path.join(box.root, 'org/acme.json') });
  });

  it('fails when AITOOL_MANAGED_POLICY names a file that does not exist', async () => {
    const missing = path.join(box.root, 'nope.yaml');
    await expect(loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_MANAGED_POLICY: missing } })).rejects.toThrow(
      `${missing}: cannot read: no such file`,
    );
  });

  it('reads the user policy from ~/.config/aitool when XDG_CONFIG_HOME is unset', async () => {
    await box.write({ 'home/.config/aitool/config.json': '{"default":"allow"}' });
    const policy = await loadPolicy({ ...box.options, env: { AITOOL_MANAGED_POLICY: box.managedDir } });
    expect(policy.default).toBe('allow');
    expect(policy.files[0]).toEqual({ layer: 'user', file: path.join(box.home, '.config/aitool/config.json') });
  });

  it('takes the cli layer from AITOOL_POLICY when --policy is absent, relative to cwd', async () => {
    await box.write({ 'repo/policies/ci.yaml': 'default: block\n' });
    const policy = await loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_POLICY: 'policies/ci.yaml' } });
    expect(policy.default).toBe('block');
    expect(policy.origins.default).toEqual({ layer: 'cli', file: path.join(box.repo, 'policies/ci.yaml') });
  });

  it('counts a file once when two layers find it (the lower layer keeps it)', async () => {
    await box.write({ 'home/.config/aitool/config.yaml': 'default: block\n' });
    const userFile = path.join(box.home, '.config/aitool/config.yaml');
    const policy = await loadPolicy({ ...box.options, policyFile: userFile });
    expect(policy.files).toEqual([{ layer: 'user', file: userFile }]);
  });
});

describe('precedence and merging', () => {
  it('lets a later layer win, field by field within a rule', async () => {
    await box.write({
      'home/.config/aitool/config.yaml': [
        'default: block',
        'tools:',
        '  cursor:',
        '    action: block',
        '    reason: Not approved yet.',
        '    alternatives: [qoder, codex]',
      ].join('\n'),
      'repo/.aitoolrc.yaml': ['default: allow', 'tools:', '  cursor: warn'].join('\n'),
      'cli.yaml': ['tools:', '  cursor:', '    alternatives: [qoder]'].join('\n'),
    });
    const policy = await loadPolicy({ ...box.options, policyFile: path.join(box.root, 'cli.yaml') });
    expect(policy.default).toBe('allow');
    // The shorthand changed only the action; the reason stays; the list was replaced.
    expect(policy.tools.cursor).toEqual({ action: 'warn', reason: 'Not approved yet.', alternatives: ['qoder'] });
    expect(policy.origins['tools.cursor.action']?.layer).toBe('project');
    expect(policy.origins['tools.cursor.reason']?.layer).toBe('user');
    expect(policy.origins['tools.cursor.alternatives']?.layer).toBe('cli');
  });

  it('gives a rule without an action its category rule, else the effective default', async () => {
    await box.write({
      'repo/.aitoolrc.yaml': [
        'default: block',
        'categories:',
        '  agent-cli: warn',
        'tools:',
        '  claude-code: { reason: Needs a licence. }',
        '  cursor: { message: Ask IT. }',
      ].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    expect(policy.tools['claude-code']).toEqual({ action: 'warn', reason: 'Needs a licence.' });
    expect(policy.tools.cursor).toEqual({ action: 'block', message: 'Ask IT.' });
    expect(policy.origins['tools.cursor.action']).toEqual(policy.origins.default);
  });

  it('merges alternatives, custom tools and scanners by key', async () => {
    await box.write({
      'home/.config/aitool/config.yaml': [
        'alternatives:',
        '  acme-chat: { name: Acme Chat, url: https://chat.acme.test }',
        'scanners: { traces: false }',
      ].join('\n'),
      'repo/.aitoolrc.yaml': [
        'customTools:',
        '  - id: acme-bot',
        '    name: Acme Bot',
        '    vendor: Acme',
        '    homepage: https://acme.test/bot',
        '    category: agent-cli',
        '    signatures: { processes: { names: [acme-bot] } }',
        'tools:',
        '  acme-bot: { action: block, alternatives: [acme-chat] }',
      ].join('\n'),
    });
    const policy = await loadPolicy(box.options);
    expect(policy.alternatives).toEqual({ 'acme-chat': { name: 'Acme Chat', url: 'https://chat.acme.test' } });
    expect(policy.customTools.map((t) => t.id)).toEqual(['acme-bot']);
    expect(policy.tools['acme-bot']).toEqual({ action: 'block', alternatives: ['acme-chat'] });
    expect(policy.scanners).toEqual({ processes: true, path: true, traces: false, packages: true, editors: true, apps: true, configs: true, skills: true, browsers: true, session: true, repo: true });
    expect(policy.origins['scanners.traces']?.layer).toBe('user');
  });
});

describe('project search', () => {
  it('looks up from a subfolder to the repository root', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'default: block\n' });
    await mkdir(path.join(box.repo, 'src/deep'), { recursive: true });
    const policy = await loadPolicy({ ...box.options, cwd: path.join(box.repo, 'src/deep') });
    expect(policy.default).toBe('block');
  });

  it('passes a package.json without an aitool key on the way up (monorepo package)', async () => {
    await box.write({
      'repo/.config/aitoolrc.yaml': 'default: block\n',
      'repo/packages/app/package.json': '{ "name": "app" }',
    });
    const policy = await loadPolicy({ ...box.options, cwd: path.join(box.repo, 'packages/app') });
    expect(policy.files).toEqual([{ layer: 'project', file: path.join(box.repo, '.config/aitoolrc.yaml') }]);
  });

  it('reads the "aitool" key of package.json', async () => {
    await box.write({ 'repo/package.json': JSON.stringify({ name: 'x', aitool: { default: 'block' } }) });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('block');
    expect(policy.origins.default).toEqual({ layer: 'project', file: path.join(box.repo, 'package.json') });
  });

  it('loads JavaScript configs through cosmiconfig', async () => {
    await box.write({ 'repo/aitool.config.mjs': "export default { tools: { cursor: 'block' } };\n" });
    const policy = await loadPolicy(box.options);
    expect(policy.tools.cursor).toEqual({ action: 'block' });
  });

  it('does not look above the repository root', async () => {
    await box.write({ '.aitoolrc.yaml': 'default: block\n' });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('warn');
    expect(policy.files).toEqual([]);
    // Same with cosmiconfig doing the search (a package.json that mentions aitool makes it run).
    await box.write({ 'repo/package.json': '{ "name": "x", "aitool": null }' });
    expect((await loadPolicy(box.options)).files).toEqual([]);
  });

  it('stops at home in a folder outside any repository', async () => {
    await box.write({ '.aitoolrc.yaml': 'default: block\n', 'home/work/notes.txt': '' });
    const policy = await loadPolicy({ ...box.options, cwd: path.join(box.home, 'work') });
    expect(policy.files).toEqual([]);
    await box.write({ 'home/.aitoolrc.yaml': 'default: allow\n' });
    expect((await loadPolicy({ ...box.options, cwd: path.join(box.home, 'work') })).default).toBe('allow');
  });
});

describe('extends', () => {
  it('resolves presets, with strict building on recommended', async () => {
    await box.write({ 'repo/.aitoolrc.yaml': 'extends: aitool:strict\n' });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('block');
    expect(policy.categories['local-model-runtime']?.action).toBe('allow');
    expect(policy.files).toEqual([
      { layer: 'project', file: 'aitool:recommended' },
      { layer: 'project', file: 'aitool:strict' },
      { layer: 'project', file: path.join(box.repo, '.aitoolrc.yaml') },
    ]);
    expect(policy.origins.default).toEqual({ layer: 'project', file: 'aitool:strict' });
  });

  it('resolves relative files from the extending file, later entries and the file itself winning', async () => {
    await box.write({
      'shared/base.yaml': 'default: block\ntools:\n  cursor: { action: block, reason: base }\n',
      'shared/more.json': '{ "tools": { "cursor": "warn" } }',
      'repo/.aitoolrc.yaml': 'extends: [../shared/base.yaml, ../shared/more.json]\ndefault: allow\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('allow');
    expect(policy.tools.cursor).toEqual({ action: 'warn', reason: 'base' });
    expect(policy.origins['tools.cursor.reason']).toEqual({ layer: 'project', file: path.join(box.root, 'shared/base.yaml') });
  });

  it('resolves npm packages from node_modules next to the extending file', async () => {
    await box.write({
      'repo/node_modules/@acme/aitool-policy/package.json': JSON.stringify({ name: '@acme/aitool-policy', main: 'policy.yaml' }),
      'repo/node_modules/@acme/aitool-policy/policy.yaml': 'tools:\n  claude-code: block\n',
      'repo/node_modules/@acme/aitool-policy/strict.yaml': 'default: block\n',
      'repo/.aitoolrc.yaml': 'extends: ["@acme/aitool-policy", "@acme/aitool-policy/strict.yaml"]\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.tools['claude-code']?.action).toBe('block');
    expect(policy.default).toBe('block');
    expect(policy.files.map((f) => f.file)).toContain(path.join(box.repo, 'node_modules/@acme/aitool-policy/policy.yaml'));
  });

  it('ships presets that load on their own', async () => {
    for (const name of ['recommended', 'strict']) {
      await expect(validatePolicyFile(presetFile(name), box.options)).resolves.toEqual([]);
    }
  });
});

describe('the managed floor', () => {
  it('refuses a repository allow of a blocked tool, with a warning naming file and key', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'tools:\n  claude-code: { action: block, reason: Data boundary. }\n',
      'repo/.aitoolrc.yaml': 'tools:\n  claude-code: { action: allow, reason: We like it. }\n  codex: block\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.tools['claude-code']).toEqual({ action: 'block', reason: 'Data boundary.' });
    expect(policy.tools.codex?.action).toBe('block');
    const repoFile = path.join(box.repo, '.aitoolrc.yaml');
    const managedFile = path.join(box.managedDir, 'policy.yaml');
    expect(policy.warnings).toEqual([
      {
        file: repoFile,
        key: 'tools.claude-code.action',
        message: `sets claude-code to allow, but the managed policy ${managedFile} blocks it; ignored`,
      },
    ]);
  });

  it('keeps a required scanner on', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'scanners: { path: true }\n',
      'repo/.aitoolrc.yaml': 'scanners: { path: false, traces: false }\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.scanners).toEqual({ processes: true, path: true, traces: false, packages: true, editors: true, apps: true, configs: true, skills: true, browsers: true, session: true, repo: true });
    expect(policy.warnings).toHaveLength(1);
    expect(policy.warnings[0]?.key).toBe('scanners.path');
    expect(policy.warnings[0]?.message).toMatch(/turns off the path scanner, but the managed policy .*policy\.yaml requires it; ignored$/);
  });

  it('lets an overridable managed rule be loosened', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'default: block\ntools:\n  cursor: { action: block, overridable: true }\n',
      'repo/.aitoolrc.yaml': 'tools:\n  cursor: allow\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.tools.cursor?.action).toBe('allow');
    expect(policy.warnings).toEqual([]);
  });

  it('applies the managed default and category as floors for every tool and lets layers tighten', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'default: warn\ncategories:\n  agent-cli: block\n',
      'home/.config/aitool/config.yaml': 'default: allow\ntools:\n  cursor: allow\n  ollama: block\n',
      'repo/.aitoolrc.yaml': 'tools:\n  codex: allow\ncategories:\n  agent-cli: warn\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('warn');
    expect(policy.tools.cursor).toBeUndefined();
    expect(policy.tools.codex).toBeUndefined();
    expect(policy.tools.ollama?.action).toBe('block');
    expect(policy.categories['agent-cli']?.action).toBe('block');
    expect(policy.warnings.map((w) => w.key)).toEqual(['default', 'tools.cursor.action', 'tools.codex.action', 'categories.agent-cli.action']);
    expect(policy.warnings[2]?.message).toContain('blocks it (categories.agent-cli: block); ignored');
  });

  it('is not a floor for the managed layer’s own extends chain', async () => {
    await box.write({
      'etc-aitool/base.yaml': 'default: block\n',
      'etc-aitool/policy.yaml': 'extends: ./base.yaml\ndefault: warn\n',
    });
    const policy = await loadPolicy(box.options);
    expect(policy.default).toBe('warn');
    expect(policy.warnings).toEqual([]);
  });

  it('only lets the managed policy extend presets and data files', async () => {
    await box.write({ 'etc-aitool/policy.yaml': 'extends: "@acme/aitool-policy"\n' });
    await expect(loadPolicy(box.options)).rejects.toThrow(/policy\.yaml: extends: the managed policy may only extend aitool: presets/);
    await box.write({ 'etc-aitool/policy.yaml': 'extends: ./code.js\n', 'etc-aitool/code.js': 'module.exports = {}' });
    await expect(loadPolicy(box.options)).rejects.toThrow(/the managed policy may only extend/);
    await box.write({ 'org/policy.js': 'export default {}' });
    await expect(
      loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_MANAGED_POLICY: path.join(box.root, 'org/policy.js') } }),
    ).rejects.toThrow(/policy\.js: the managed policy must be a \.json, \.yaml or \.yml file/);
  });
});

describe('a repository cannot redirect the managed layer', () => {
  const originalCwd = process.cwd();
  afterEach(() => {
    process.chdir(originalCwd);
  });

  it('ignores cosmiconfig meta-config: a repository cannot move the search or run code through it', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'tools:\n  claude-code: block\nscanners: { processes: true }\n',
      // cosmiconfig reads .config/config.* in process.cwd() when an explorer
      // is made: data there could move the search, code would run in aitool.
      'repo/.config/config.json': JSON.stringify({ cosmiconfig: { searchPlaces: ['allow-all.yaml'], stopDir: '/' } }),
      'repo/allow-all.yaml': 'default: allow\ntools:\n  claude-code: allow\nscanners: { processes: false }\n',
      'repo/.aitoolrc.yaml': 'tools:\n  cursor: block\n',
    });
    process.chdir(box.repo);
    const policy = await loadPolicy(box.options);
    const managedFile = path.join(box.managedDir, 'policy.yaml');
    expect(policy.files).toEqual([
      { layer: 'managed', file: managedFile },
      { layer: 'project', file: path.join(box.repo, '.aitoolrc.yaml') },
    ]);
    expect(policy.tools['claude-code']?.action).toBe('block');
    expect(policy.scanners.processes).toBe(true);
    expect(policy.warnings).toEqual([]);

    await box.write({ 'repo/.config/config.cjs': "process.exitCode = 42; globalThis.metaConfigRan = true; module.exports = { cosmiconfig: {} };\n" });
    await rm(path.join(box.repo, '.config/config.json'));
    await loadPolicy(box.options);
    expect((globalThis as { metaConfigRan?: boolean }).metaConfigRan).toBeUndefined();
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses cosmiconfig $import (it would bypass extends)', async () => {
    await box.write({ 'repo/.aitoolrc.json': JSON.stringify({ $import: '../etc-aitool/other.json' }) });
    await expect(loadPolicy(box.options)).rejects.toThrow(`${path.join(box.repo, '.aitoolrc.json')}: $import: not supported in aitool policies; use extends`);
  });
});

describe('validatePolicyFile', () => {
  it('returns the warnings the managed floor would raise', async () => {
    await box.write({ 'etc-aitool/policy.yaml': 'default: block\n', 'repo/team.yaml': 'default: allow\n' });
    const warnings = await validatePolicyFile('team.yaml', box.options);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('sets default to allow, but the managed policy');
  });

  it('throws PolicyError for a broken file', async () => {
    await box.write({ 'repo/team.yaml': 'default: nope\n' });
    await expect(validatePolicyFile('team.yaml', box.options)).rejects.toBeInstanceOf(PolicyError);
  });
});
