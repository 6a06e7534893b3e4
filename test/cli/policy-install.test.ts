// `aitool policy install --managed` through the built CLI, always into a
// staging tree (--root) or refused before writing: nothing here touches the
// real /etc, /Library or /var/lib. And `policy show`'s report of who owns the
// managed file and who else could write it.
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';
import { treeSnapshot } from '../helpers/tree-snapshot.js';

let world: World;
let root: string;

const GOOD = 'default: warn\ntools:\n  claude-code: block\n';

beforeEach(() => {
  world = makeWorld();
  root = join(world.root, 'staging');
  mkdirSync(root);
});
afterEach(() => world.cleanup());

const snapshot = treeSnapshot;

const install = (file: string, args: string[] = []) => runCli(['policy', 'install', '--managed', file, '--root', root, ...args], world);
const managed = (name = 'policy.yaml') => join(root, 'etc', 'aitool', name);

describe('aitool policy install --managed', () => {
  it('installs the exact bytes as /etc/aitool/policy.yaml, 0644 owned by the caller, in 0755 folders, and the loader reads it', async () => {
    const source = world.write('org.yaml', GOOD);
    const result = await install(source);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`installed ${source} as ${managed()} (mode 644)`);
    expect(readFileSync(managed(), 'utf8')).toBe(GOOD);
    const info = statSync(managed());
    expect(info.mode & 0o7777).toBe(0o644);
    expect(info.uid).toBe(process.getuid!());
    for (const folder of [join(root, 'etc'), join(root, 'etc', 'aitool')]) expect(statSync(folder).mode & 0o7777).toBe(0o755);
    // What was installed is a managed policy the loader accepts and uses.
    const shown = await runCli(['policy', 'show'], world, { AITOOL_MANAGED_POLICY: managed() });
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/tools\.claude-code\s+block\s+\(managed: /);
  });

  it('keeps the file it replaces beside it, and the printed command restores it byte for byte', async () => {
    mkdirSync(join(root, 'etc', 'aitool'), { recursive: true, mode: 0o755 });
    const before = Buffer.from('# the old policy\ndefault: allow\n\u00e9\r\n');
    writeFileSync(managed(), before, { mode: 0o644 });
    const result = await install(world.write('org.yaml', GOOD));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(managed(), 'utf8')).toBe(GOOD);
    const backups = readdirSync(join(root, 'etc', 'aitool')).filter((name) => name.startsWith('policy.yaml.aitool-backup-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(root, 'etc', 'aitool', backups[0]!)).equals(before)).toBe(true);

    const restore = /^to restore the previous policy: (.+)$/m.exec(result.stdout)?.[1];
    expect(restore).toBeDefined();
    await execa('sh', ['-c', restore!]);
    expect(readFileSync(managed()).equals(before)).toBe(true);
    expect(readdirSync(join(root, 'etc', 'aitool'))).toEqual(['policy.yaml']);
  });

  it('replaces a managed file of another extension (the loader would read only the first), backing it up', async () => {
    mkdirSync(join(root, 'etc', 'aitool'), { recursive: true });
    writeFileSync(managed('policy.yaml'), 'default: allow\n');
    const result = await install(world.write('org.json', '{ "default": "block" }\n'));
    expect(result.exitCode, result.stderr).toBe(0);
    const names = readdirSync(join(root, 'etc', 'aitool')).sort();
    expect(names.filter((name) => /^policy\.(ya?ml|json)$/.test(name))).toEqual(['policy.json']);
    expect(names.some((name) => name.startsWith('policy.yaml.aitool-backup-'))).toBe(true);
    const shown = await runCli(['policy', 'show'], world, { AITOOL_MANAGED_POLICY: join(root, 'etc', 'aitool') });
    expect(shown.stdout).toMatch(/^default\s+block\s+\(managed: .*policy\.json\)/m);
    // Going back: the old policy.yaml returns and the new policy.json goes.
    const restore = /^to restore the previous policy: (.+)$/m.exec(result.stdout)?.[1];
    await execa('sh', ['-c', restore!]);
    expect(readdirSync(join(root, 'etc', 'aitool'))).toEqual(['policy.yaml']);
    expect(readFileSync(managed(), 'utf8')).toBe('default: allow\n');
  });

  it('refuses a file that does not validate with one line naming file, key and what was expected, writing nothing', async () => {
    mkdirSync(join(root, 'etc', 'aitool'), { recursive: true });
    writeFileSync(managed(), 'default: allow\n');
    const before = snapshot(root);
    const source = world.write('bad.yaml', 'tools:\n  claude-code: maybe\n');
    const result = await install(source);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`aitool: ${source}: tools.claude-code: expected one of allow | warn | block, got 'maybe'`);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a policy written as code, and a data file extending one, writing nothing', async () => {
    const before = snapshot(root);
    const code = world.write('org.cjs', 'module.exports = { default: "block" };\n');
    const result = await install(code);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`aitool: ${code}: the managed policy must be a .json, .yaml or .yml file`);
    world.write('base.cjs', 'module.exports = { default: "block" };\n');
    const extending = world.write('org.yaml', `extends: ${join(world.root, 'base.cjs')}\n`);
    const second = await install(extending);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/^aitool: .*org\.yaml: extends: the managed policy may only extend aitool: presets and \.json, \.yaml or \.yml files/);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a relative extends that would name another file once installed', async () => {
    world.write('base.yaml', 'default: allow\n');
    const source = world.write('org.yaml', 'extends: ./base.yaml\ndefault: warn\n');
    const result = await install(source);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*org\.yaml: extends: '\.\/base\.yaml' is relative: installed in .* it would not name the same file/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('--dry-run validates and shows the diff, and writes nothing', async () => {
    mkdirSync(join(root, 'etc', 'aitool'), { recursive: true });
    writeFileSync(managed(), 'default: allow\ntools:\n  claude-code: block\n');
    const before = snapshot(root);
    const result = await install(world.write('org.yaml', GOOD), ['--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`--- ${managed()}\n+++ ${managed()}\n@@ -1,3 +1,3 @@\n-default: allow\n+default: warn\n tools:\n   claude-code: block\n`);
    expect(result.stdout).toContain(`would back up ${managed()}`);
    expect(snapshot(root)).toEqual(before);
    // An invalid file is refused by a dry run too.
    const bad = await install(world.write('bad.yaml', 'default: nope\n'), ['--dry-run']);
    expect(bad.exitCode).toBe(2);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a planted symbolic link, in the path or at the policy name, writing nothing', async () => {
    const elsewhere = join(world.root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, 'etc'));
    const before = { staging: snapshot(root), elsewhere: snapshot(elsewhere) };
    const result = await install(world.write('org.yaml', GOOD));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`aitool: policy install: refusing /etc/aitool: ${join(root, 'etc')} is a symbolic link`);
    expect({ staging: snapshot(root), elsewhere: snapshot(elsewhere) }).toEqual(before);

    const other = makeWorld();
    try {
      const stage = join(other.root, 'staging');
      mkdirSync(join(stage, 'etc', 'aitool'), { recursive: true });
      const secret = other.write('secret.yaml', 'default: allow\n');
      symlinkSync(secret, join(stage, 'etc', 'aitool', 'policy.yaml'));
      const second = await runCli(['policy', 'install', '--managed', world.write('org.yaml', GOOD), '--root', stage], other);
      expect(second.exitCode).toBe(2);
      expect(second.stderr).toBe('aitool: policy install: refusing /etc/aitool/policy.yaml: it is a symbolic link');
      expect(readFileSync(secret, 'utf8')).toBe('default: allow\n');
      expect(lstatSync(join(stage, 'etc', 'aitool', 'policy.yaml')).isSymbolicLink()).toBe(true);
    } finally {
      other.cleanup();
    }
  });

  it('refuses an unprivileged user without --root (exit 2, one line), before reading anything', async () => {
    const source = world.write('org.yaml', GOOD);
    chmodSync(world.root, 0o755);
    const result = await runCli(['policy', 'install', '--managed', source], world, {}, { uid: 65534, gid: 65534 });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'aitool: policy install: writes the machine\'s managed policy and must run as root (sudo aitool policy install --managed <file>), or stage it into a folder with --root <dir>',
    );
  });
});

describe('aitool policy show: the managed file', () => {
  const show = (file: string) => runCli(['policy', 'show'], world, { AITOOL_MANAGED_POLICY: file });

  it('reports owner and mode, with no warning when only root can change it', async () => {
    const file = world.write('managed/policy.yaml', GOOD);
    chmodSync(file, 0o644);
    const result = await show(file);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`managed policy files (owner, mode):\n  ${file}  owner root (uid 0), group 0, mode 0644`);
    expect(result.stdout).not.toContain('warning');
    expect(result.stderr).toBe('');
  });

  it('warns when the file is group- or other-writable, or its folder is, or another user owns it', async () => {
    const file = world.write('managed/policy.yaml', GOOD);
    chmodSync(file, 0o666);
    const writable = await show(file);
    expect(writable.exitCode).toBe(0);
    expect(writable.stdout).toContain(`${file}  owner root (uid 0), group 0, mode 0666`);
    expect(writable.stdout).toContain(`warning: ${file}: a non-administrator could change the managed policy: ${file} (owner uid 0, group 0, mode 666): every user can write it`);
    expect(writable.stderr).toContain('aitool: warning: ');

    chmodSync(file, 0o664);
    chownSync(file, 0, 65534);
    const group = await show(file);
    expect(group.stdout).toContain(`${file} (owner uid 0, group 65534, mode 664): group 65534 can write it`);

    chmodSync(file, 0o644);
    chownSync(file, 0, 0);
    const folder = join(world.root, 'managed');
    chmodSync(folder, 0o777);
    const open = await show(file);
    expect(open.stdout).toContain(`${folder} (owner uid 0, group 0, mode 777): every user can write it`);

    chmodSync(folder, 0o755);
    chownSync(file, 65534, 65534);
    const owned = await show(file);
    expect(owned.stdout).toContain(`${file}  owner uid 65534, group 65534, mode 0644`);
    expect(owned.stdout).toContain('owned by a user other than root');
  });
});
