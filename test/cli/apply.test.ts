// `aitool apply` through the built CLI, always into a staging tree (--root):
// the files each tool reads, merged so nothing already there is loosened,
// --dry-run, idempotence, --undo, and the refusals (unparsable file, planted
// link, no privilege). Nothing here touches the real /etc or /var/lib.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';
import { treeSnapshot } from '../helpers/tree-snapshot.js';

let world: World;
let root: string;
let policy: string;

const POLICY = `default: allow
tools:
  gemini-cli: block
mcp:
  default: block
  servers:
    good: allow
    docs: allow
    evil: block
`;

beforeEach(() => {
  world = makeWorld();
  root = join(world.root, 'staging');
  mkdirSync(root);
  policy = world.write('policy.yaml', POLICY);
});
afterEach(() => world.cleanup());

const snapshot = treeSnapshot;

const apply = (args: string[] = [], extraEnv: Record<string, string> = {}) => runCli(['apply', '--root', root, '--policy', policy, ...args], world, extraEnv);
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
const modeOf = (path: string) => (statSync(join(root, path)).mode & 0o7777).toString(8);
function put(path: string, content: string | Buffer, mode = 0o644): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  chmodSync(full, mode);
  return full;
}

describe('aitool apply', () => {
  it('writes what `aitool export` makes, to each tool\'s path, 0644 in 0755 folders, and keeps its state 0700', async () => {
    const result = await apply();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'skipped santa: Santa takes rules from a configuration profile or santactl (macOS); push `aitool export santa --output <dir>` through the MDM or run its santactl script',
      'skipped jamf: Restricted Software lives on the Jamf Pro server; upload `aitool export jamf --output <dir>` through its API',
      'wrote /etc/claude-code/managed-settings.json (claude-code)',
      'wrote /etc/vscode/policy.json (vscode)',
      'wrote /etc/github-copilot/managed-settings.json (copilot)',
      'wrote /etc/gemini-cli/settings.json (gemini-cli)',
    ]);
    for (const [target, path] of [
      ['claude-code', 'etc/claude-code/managed-settings.json'],
      ['vscode', 'etc/vscode/policy.json'],
      ['copilot', 'etc/github-copilot/managed-settings.json'],
      ['gemini-cli', 'etc/gemini-cli/settings.json'],
    ] as const) {
      const exported = await runCli(['export', target, '--os', 'linux', '--policy', policy], world);
      expect(readFileSync(join(root, path), 'utf8'), path).toBe(exported.stdout + (exported.stdout.endsWith('\n') ? '' : '\n'));
      expect(modeOf(path)).toBe('644');
      expect(modeOf(join(path, '..'))).toBe('755');
    }
    expect(read('etc/claude-code/managed-settings.json')).toMatchObject({ allowedMcpServers: [{ serverName: 'docs' }, { serverName: 'good' }], deniedMcpServers: [{ serverName: 'evil' }] });
    expect(modeOf('var/lib/aitool/apply')).toBe('700');
    expect(modeOf('var/lib/aitool')).toBe('755');
    expect(modeOf('var/lib/aitool/apply/manifest.json')).toBe('600');
  });

  it('merges into existing files: every stricter existing entry and every unknown key stays', async () => {
    world.write('managed/policy.yaml', 'native:\n  claudeCode:\n    requiredMaximumVersion: "2.9.0"\n    requiredMinimumVersion: "2.1.0"\n');
    put('etc/claude-code/managed-settings.json', JSON.stringify({
      deniedMcpServers: [{ serverName: 'corp-banned' }, { serverUrl: 'https://*.bad.example/*' }],
      allowedMcpServers: [{ serverName: 'good' }],
      requiredMaximumVersion: '2.5.0',
      requiredMinimumVersion: '2.0.0',
      permissions: { deny: ['WebFetch'], ask: ['Bash'] },
      model: 'opus',
      companyAnnouncements: ['Corp rules apply'],
    }));
    put('etc/gemini-cli/settings.json', JSON.stringify({ mcp: { excluded: ['corp-banned'], allowed: ['good', 'other'] }, ui: { theme: 'dark' } }));
    put('etc/vscode/policy.json', JSON.stringify({ AllowedExtensions: JSON.stringify({ '*': true, 'corp.banned': false }), UpdateMode: 'none', ChatMCP: 'none' }));

    const result = await apply();
    expect(result.exitCode, result.stderr).toBe(0);
    const claude = read('etc/claude-code/managed-settings.json');
    expect(claude.deniedMcpServers).toEqual([{ serverName: 'corp-banned' }, { serverUrl: 'https://*.bad.example/*' }, { serverName: 'evil' }]);
    // The file's allowlist is narrower than the policy's (good, docs): only good stays.
    expect(claude.allowedMcpServers).toEqual([{ serverName: 'good' }]);
    expect(claude.allowManagedMcpServersOnly).toBe(true);
    expect(claude.requiredMaximumVersion).toBe('2.5.0');
    expect(claude.requiredMinimumVersion).toBe('2.1.0');
    expect(claude.permissions).toEqual({ deny: ['WebFetch'], ask: ['Bash'] });
    expect(claude.model).toBe('opus');
    expect(claude.companyAnnouncements).toEqual(['Corp rules apply']);

    const gemini = read('etc/gemini-cli/settings.json') as { mcp: { excluded: string[]; allowed: string[] }; ui: unknown; tools: { core: string[] } };
    expect(gemini.mcp.excluded).toEqual(expect.arrayContaining(['corp-banned', 'evil']));
    // Gemini CLI is blocked: aitool allows no server, so nothing the file allowed remains.
    expect(gemini.mcp.allowed).toEqual(['aitool-no-mcp-server-is-allowed']);
    expect(gemini.ui).toEqual({ theme: 'dark' });
    expect(gemini.tools.core).toEqual([]);

    const vscode = read('etc/vscode/policy.json');
    expect(JSON.parse(vscode.AllowedExtensions as string)).toMatchObject({ '*': true, 'corp.banned': false });
    expect(vscode.UpdateMode).toBe('none');
    expect(vscode.ChatMCP).toBe('none');
  });

  it('--dry-run changes nothing (not even a state folder) and shows a diff', async () => {
    put('etc/claude-code/managed-settings.json', '{\n  "model": "opus"\n}\n', 0o640);
    const before = snapshot(root);
    const result = await apply(['--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, 'var'))).toBe(false);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('would write /etc/claude-code/managed-settings.json (claude-code)');
    expect(lines).toContain('--- /etc/claude-code/managed-settings.json');
    expect(lines).toContain('-  "model": "opus"');
    expect(lines).toContain('+  "model": "opus",');
    expect(lines).toContain('+  "allowManagedMcpServersOnly": true,');
    expect(lines).toContainEqual(expect.stringMatching(/^@@ -1,3 \+1,\d+ @@$/));
  });

  it('a second apply of the same policy writes nothing and says so', async () => {
    expect((await apply()).exitCode).toBe(0);
    const before = snapshot(root);
    const again = await apply();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    const lines = again.stdout.trimEnd().split('\n').filter((line) => !line.startsWith('skipped'));
    expect(lines).toEqual([
      'unchanged /etc/claude-code/managed-settings.json (claude-code)',
      'unchanged /etc/vscode/policy.json (vscode)',
      'unchanged /etc/github-copilot/managed-settings.json (copilot)',
      'unchanged /etc/gemini-cli/settings.json (gemini-cli)',
      'nothing to change: every file already holds this policy',
    ]);
  });

  it('--undo restores every file byte for byte with its mode, and removes what apply created', async () => {
    // Bytes JSON.parse reads but a re-serialisation would change: odd spacing, a byte that is not UTF-8.
    const original = Buffer.concat([Buffer.from('{ "model" :"opus", "x": "'), Buffer.from([0xff]), Buffer.from('"}')]);
    put('etc/claude-code/managed-settings.json', original, 0o640);
    const before = snapshot(root);
    expect((await apply()).exitCode).toBe(0);
    expect(readFileSync(join(root, 'etc/claude-code/managed-settings.json')).equals(original)).toBe(false);

    const undo = await runCli(['apply', '--undo', '--root', root], world);
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(readFileSync(join(root, 'etc/claude-code/managed-settings.json')).equals(original)).toBe(true);
    expect(modeOf('etc/claude-code/managed-settings.json')).toBe('640');
    expect(undo.stdout).toContain('restored /etc/claude-code/managed-settings.json');
    expect(undo.stdout).toContain('removed /etc/gemini-cli/settings.json');
    expect(undo.stdout).toContain('removed folder /etc/gemini-cli');
    const after = snapshot(root);
    // The restored file is a new inode (written atomically); everything else is as before, created folders and state gone.
    const strip = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.replace(/^(file \d+) \d+ [\d.]+ /, '$1 ')]));
    expect(strip(after)).toEqual(strip(before));

    const nothing = await runCli(['apply', '--undo', '--root', root], world);
    expect([nothing.exitCode, nothing.stdout.trim()]).toEqual([0, `nothing to undo: aitool apply has not changed ${root}`]);
  });

  it('--undo keeps the original from before the first apply, across applies', async () => {
    put('etc/github-copilot/managed-settings.json', '{"deniedMcpServers":[{"serverName":"corp"}]}');
    const first = readFileSync(join(root, 'etc/github-copilot/managed-settings.json'));
    expect((await apply()).exitCode).toBe(0);
    writeFileSync(policy, 'default: allow\nmcp:\n  servers:\n    other: block\n');
    expect((await apply()).exitCode).toBe(0);
    expect((await runCli(['apply', '--undo', '--root', root], world)).exitCode).toBe(0);
    expect(readFileSync(join(root, 'etc/github-copilot/managed-settings.json')).equals(first)).toBe(true);
  });

  it('--undo leaves a file it created that someone changed since, and exits 1', async () => {
    expect((await apply()).exitCode).toBe(0);
    put('etc/gemini-cli/settings.json', '{"mcp":{"excluded":["admin-added"]}}');
    const undo = await runCli(['apply', '--undo', '--root', root], world);
    expect(undo.exitCode).toBe(1);
    expect(undo.stdout.split('\n')).toContain('left /etc/gemini-cli/settings.json: changed since aitool wrote it, not removed');
    expect(readFileSync(join(root, 'etc/gemini-cli/settings.json'), 'utf8')).toBe('{"mcp":{"excluded":["admin-added"]}}');
    expect(existsSync(join(root, 'etc/claude-code'))).toBe(false);
  });

  it('a change made after apply is merged with, not overwritten, and a looser policy takes back only aitool\'s own entries', async () => {
    expect((await apply()).exitCode).toBe(0);
    const file = 'etc/github-copilot/managed-settings.json';
    const changed = read(file);
    (changed.deniedMcpServers as unknown[]).push({ serverName: 'admin-added' });
    put(file, JSON.stringify(changed));
    // The policy no longer blocks evil.
    writeFileSync(policy, 'default: allow\nmcp:\n  servers:\n    newly-banned: block\n');
    expect((await apply()).exitCode).toBe(0);
    expect(read(file).deniedMcpServers).toEqual([{ serverName: 'evil' }, { serverName: 'admin-added' }, { serverName: 'newly-banned' }]);

    // Without a change in between, aitool's own earlier entries go when the policy drops them.
    writeFileSync(policy, 'default: allow\nmcp:\n  servers:\n    only-this: block\n');
    const loosened = await apply();
    expect(loosened.exitCode).toBe(0);
    expect(read(file).deniedMcpServers).toEqual([{ serverName: 'evil' }, { serverName: 'admin-added' }, { serverName: 'only-this' }]);
    expect(read('etc/claude-code/managed-settings.json').deniedMcpServers).toEqual([{ serverName: 'only-this' }]);
    // Gemini CLI is no longer blocked: its file aitool created (nothing was there) goes away rather than hold stale bans.
    expect(read('etc/gemini-cli/settings.json')).toEqual({ mcp: { excluded: ['only-this'] } });
  });

  it.each([
    ['not JSON', '{"deniedMcpServers": [', /^aitool: apply: \/etc\/github-copilot\/managed-settings\.json is not valid JSON; nothing was written/],
    ['JSON of the wrong shape', '{"deniedMcpServers": "evil"}', /^aitool: apply: \/etc\/github-copilot\/managed-settings\.json: deniedMcpServers: a list was expected, found a string; nothing was written/],
    ['a JSON list', '[]', /^aitool: apply: \/etc\/github-copilot\/managed-settings\.json: a JSON object was expected, found a list/],
  ])('an existing file that is %s: exit 2, one line, nothing written for any target', async (_name, content, message) => {
    put('etc/github-copilot/managed-settings.json', content);
    const before = snapshot(root);
    const result = await apply();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a planted link at the file or a parent folder, and leaves its target alone', async () => {
    const victim = world.write('victim/shadow', 'secret\n');
    mkdirSync(join(root, 'etc/claude-code'), { recursive: true });
    symlinkSync(victim, join(root, 'etc/claude-code/managed-settings.json'));
    let before = snapshot(world.root);
    let result = await apply();
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toBe(`aitool: apply: refusing /etc/claude-code/managed-settings.json: ${join(root, 'etc/claude-code/managed-settings.json')} is a symbolic link`);
    expect(snapshot(world.root)).toEqual(before);

    // A parent folder linked elsewhere: nothing may be written through it.
    const elsewhere = join(world.root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, 'etc/gemini-cli'));
    result = await apply(['--targets', 'gemini-cli']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toBe(`aitool: apply: refusing /etc/gemini-cli/settings.json: ${join(root, 'etc/gemini-cli')} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(victim, 'utf8')).toBe('secret\n');

    // The state folder too.
    before = snapshot(world.root);
    mkdirSync(join(root, 'var/lib'), { recursive: true });
    symlinkSync(elsewhere, join(root, 'var/lib/aitool'));
    result = await apply(['--targets', 'copilot']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('var/lib/aitool is a symbolic link');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(root, 'etc/github-copilot'))).toBe(false);
  });

  it('without --root, refuses to run as a user other than root: exit 2, one line, nothing written', async () => {
    const nobody = { uid: 65534, gid: 65534 };
    // Only looked at: the real system paths must be the same afterwards.
    const systemPaths = ['/etc/claude-code', '/etc/gemini-cli', '/etc/github-copilot', '/etc/vscode', '/var/lib/aitool'];
    const present = systemPaths.map((path) => existsSync(path));
    chmodSync(world.root, 0o755);
    chmodSync(policy, 0o644);
    const result = await runCli(['apply', '--policy', policy], world, {}, nobody);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('aitool: apply: writes machine-wide settings files and must run as root (sudo aitool apply), or stage them into a folder with --root <dir>');
    expect(result.stdout).toBe('');
    const dryRun = await runCli(['apply', '--dry-run'], world, {}, nobody);
    expect(dryRun.exitCode).toBe(2);
    const undo = await runCli(['apply', '--undo'], world, {}, nobody);
    expect(undo.exitCode).toBe(2);
    expect(systemPaths.map((path) => existsSync(path))).toEqual(present);
  });

  it('never reads the project policy of the folder it runs in, nor a user policy', async () => {
    world.write('repo/.aitoolrc.yaml', 'mcp:\n  servers:\n    from-the-repo: block\n');
    world.write('home/.config/aitool/config.yaml', 'mcp:\n  servers:\n    from-the-user: block\n');
    // The same folder's project and user policies do reach `aitool export`, so the check below can fail.
    const exported = await runCli(['export', 'copilot', '--os', 'linux', '--policy', policy], world);
    expect(exported.stdout).toContain('from-the-repo');
    expect(exported.stdout).toContain('from-the-user');
    expect((await apply()).exitCode).toBe(0);
    for (const file of ['etc/claude-code/managed-settings.json', 'etc/github-copilot/managed-settings.json', 'etc/gemini-cli/settings.json']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text).toContain('evil');
      expect(text).not.toContain('from-the-repo');
      expect(text).not.toContain('from-the-user');
    }
  });

  it('with no managed policy and no --policy, applies the built-in default and says so', async () => {
    world.write('repo/.aitoolrc.yaml', 'default: block\n');
    const result = await runCli(['apply', '--root', root], world, { AITOOL_POLICY: policy });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('aitool: note: no managed policy and no --policy: applying the built-in default policy');
    // AITOOL_POLICY is not read either: the built-in default sets nothing in these files.
    expect(result.stdout).toContain('skipped /etc/claude-code/managed-settings.json (claude-code): the policy sets nothing there');
    expect(existsSync(join(root, 'etc'))).toBe(false);
  });

  it('--targets limits the set; an unknown name is one line with a suggestion', async () => {
    const result = await apply(['--targets', 'gemini-cli,vscode']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual(['wrote /etc/vscode/policy.json (vscode)', 'wrote /etc/gemini-cli/settings.json (gemini-cli)']);
    expect(readdirSync(join(root, 'etc')).sort()).toEqual(['gemini-cli', 'vscode']);
    const unknown = await apply(['--targets', 'claude']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe("aitool: apply: unknown target 'claude' (did you mean 'claude-code'?); expected one of claude-code, vscode, copilot, gemini-cli, santa, jamf");
  });

  it('--os macos and windows write those paths under --root; VS Code is a profile or the registry there', async () => {
    const mac = await apply(['--os', 'macos']);
    expect(mac.exitCode, mac.stderr).toBe(0);
    expect(mac.stdout).toContain('skipped vscode: macOS reads it from a configuration profile; push `aitool export vscode --os macos` through the MDM');
    expect(read('Library/Application Support/ClaudeCode/managed-settings.json').deniedMcpServers).toEqual([{ serverName: 'evil' }]);
    expect(existsSync(join(root, 'Library/Application Support/GeminiCli/settings.json'))).toBe(true);
    expect(modeOf('Library/Application Support/aitool/apply')).toBe('700');

    const windowsRoot = join(world.root, 'win');
    mkdirSync(windowsRoot);
    const win = await runCli(['apply', '--root', windowsRoot, '--os', 'windows', '--policy', policy], world);
    expect(win.exitCode, win.stderr).toBe(0);
    expect(win.stdout).toContain('wrote C:\\Program Files\\ClaudeCode\\managed-settings.json (claude-code)');
    expect(win.stdout).toMatch(/skipped vscode: Windows reads it from the registry/);
    expect(existsSync(join(windowsRoot, 'C/Program Files/ClaudeCode/managed-settings.json'))).toBe(true);
    expect(existsSync(join(windowsRoot, 'C/ProgramData/gemini-cli/settings.json'))).toBe(true);
    expect(existsSync(join(windowsRoot, 'C/ProgramData/aitool/apply/manifest.json'))).toBe(true);
    const undo = await runCli(['apply', '--undo', '--root', windowsRoot, '--os', 'windows'], world);
    expect(undo.exitCode, undo.stderr).toBe(0);
    expect(readdirSync(windowsRoot)).toEqual([]);

    const otherOs = await runCli(['apply', '--os', 'windows', '--policy', policy], world);
    expect([otherOs.exitCode, otherOs.stderr]).toEqual([2, "aitool: apply: --os windows writes another OS's paths; stage them with --root <dir>"]);
  });

  it('is listed in aitool --help', async () => {
    const help = await runCli(['--help'], world);
    expect(help.stdout).toMatch(/^ {2}apply \[options\] +as root, for onboarding and MDM scripts/m);
  });
});
