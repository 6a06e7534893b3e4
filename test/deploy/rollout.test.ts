// The Linux rollout recipes, run for real as root on this machine's paths:
// deploy/install.sh (plain shell) and the Ansible role deploy/ansible.
//
// deploy/install.sh, the plain shell rollout recipe, run for real as root on
// this machine's paths: `npm pack` of this checkout, installed by the recipe
// into /usr/local, the managed policy into /etc/aitool, the system unit into
// /etc/systemd/system, its manifest into /var/lib/aitool. Each run happens in
// a private mount namespace whose /etc, /var/lib and /usr/local are overlays
// (test/helpers/etc-overlay.ts), so the machine's own are never written; a
// second run remounts the same upper layers, as a second MDM check-in sees
// what the first one left.
//
// Why the first version of this test hung: it ran npm with a HOME of its own
// and without NODE_EXTRA_CA_CERTS, so every registry request failed
// (SELF_SIGNED_CERT_IN_CHAIN behind this network's proxy) and npm retried each
// of 46 packages with back-off for minutes. Now npm's cache is filled once,
// outside the namespace, with this process's own settings, and the recipe's
// npm runs with npm_config_offline=true against that cache: no network at
// all. Every child has a timeout and stdin closed, and a timeout fails the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { etcOverlayUnavailable, runInEtcOverlay, upperOf, type OverlayResult } from '../helpers/etc-overlay.js';
import { makeTempDir, writeFile } from '../helpers/temp.js';
import { treeSnapshot } from '../helpers/tree-snapshot.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RECIPE = join(ROOT, 'deploy', 'install.sh');
const PLAYBOOK = join(ROOT, 'deploy', 'ansible', 'site.yml');
const PREFIX = '/usr/local';
const UNIT = '/etc/systemd/system/aitool-watch.service';
const POLICY = `default: allow
tools:
  claude-code:
    action: block
    message: Claude Code is not approved here.
`;
/** Every path the recipe writes on the host when run for real; none may appear outside the namespace. */
const HOST_PATHS = ['/etc/aitool', UNIT, '/var/lib/aitool', '/var/lib/aitool-deploy', `${PREFIX}/bin/aitool`, `${PREFIX}/lib/node_modules/aitool`, '/var/log/aitool'];

interface Setup {
  tarball: string;
  npmCache: string;
}
let setup: Setup | undefined;
let unavailable: string | undefined;

beforeAll(async () => {
  unavailable = etcOverlayUnavailable();
  if (unavailable) return;
  if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
  const dir = await makeTempDir('aitool-recipe-');
  const packDir = join(dir, 'pack');
  mkdirSync(packDir);
  // --ignore-scripts: the suite runs after `npm run build`; prepare would build again.
  // Fills a private npm cache (npm keeps its logs there too): nothing is written to the user's own.
  const npmCache = join(dir, 'npm-cache');
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false' } });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.error?.message ?? pack.stderr}`);
  const tarball = join(packDir, readdirSync(packDir)[0]!);
  // The dependencies into that cache, with this process's own network settings (CA bundle, proxy).
  const warm = spawnSync(
    'npm',
    ['install', '-g', '--prefix', join(dir, 'warm'), '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error', tarball],
    { cwd: dir, encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false', npm_config_fetch_retries: '1' } },
  );
  if (warm.status !== 0) {
    // Only a registry that cannot be reached is a reason to skip; anything else is a failure.
    if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network/i.test(warm.stderr ?? '')) {
      unavailable = `the dependencies could not be fetched from the npm registry: ${(warm.stderr ?? '').trim().split('\n')[0]}`;
      return;
    }
    throw new Error(`npm install (filling the cache) failed: ${warm.error?.message ?? warm.stderr}`);
  }
  setup = { tarball, npmCache };
}, 300_000);

interface World {
  dir: string;
  home: string;
  policy: string;
  fakeBin: string;
  systemctlLog: string;
}

/** A HOME with a Claude Code trace in it (what the first check finds), the policy file, and a stand-in systemctl that records its arguments. */
async function makeWorld(policy = POLICY): Promise<World> {
  const dir = await makeTempDir('aitool-recipe-run-');
  const home = join(dir, 'home');
  await writeFile(join(home, '.claude', 'settings.json'), '{}\n');
  const systemctlLog = join(dir, 'systemctl-ran');
  const fakeBin = join(dir, 'fake-bin');
  await writeFile(join(fakeBin, 'systemctl'), `#!/bin/sh\necho "$*" >> '${systemctlLog}'\n`, 0o755);
  return { dir, home, policy: await writeFile(join(dir, 'org-policy.yaml'), policy), fakeBin, systemctlLog };
}

/** Runs the recipe as root in the namespace (a fresh one, or the overlay state of an earlier run). */
function runRecipe(world: World, args: string[], overlayDir?: string, command = ['/bin/sh', RECIPE]): Promise<OverlayResult> {
  return runAsRoot(world, [...command, setup!.tarball, world.policy, ...args], overlayDir);
}

/** A run's environment: Ansible's temp folders and settings in this run's folder, and the PATH given. */
function rootEnv(world: World, path: string): Record<string, string> {
  return {
    ANSIBLE_LOCAL_TEMP: join(world.dir, 'ansible-local'),
    ANSIBLE_REMOTE_TEMP: join(world.dir, 'ansible-remote'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    PATH: path,
    HOME: world.home,
    TMPDIR: world.dir,
  };
}

function runAsRoot(world: World, command: string[], overlayDir?: string): Promise<OverlayResult> {
  return runInEtcOverlay({
    command,
    alsoOverlay: [PREFIX],
    overlayDir,
    cwd: world.dir,
    env: {
      ...rootEnv(world, `${world.fakeBin}:${PREFIX}/bin:${dirname(process.execPath)}:/usr/bin:/bin`),
      npm_config_cache: setup!.npmCache,
      // No network from inside: a dependency missing from the cache fails at once instead of retrying.
      npm_config_offline: 'true',
      npm_config_fetch_retries: '0',
      npm_config_update_notifier: 'false',
    },
    timeoutMs: 120_000,
  });
}

/** Runs a command in the namespace holding an earlier run's overlay state. */
function runThere(overlayDir: string, command: string[], cwd: string): Promise<OverlayResult> {
  return runInEtcOverlay({ command, alsoOverlay: [PREFIX], overlayDir, cwd, env: { PATH: '/usr/bin:/bin' }, timeoutMs: 60_000 });
}

/** Everything the namespace wrote: the upper layers of all three overlays. */
function written(overlayDir: string): Record<string, string> {
  return { ...treeSnapshot(join(overlayDir, 'up')), ...treeSnapshot(join(overlayDir, 'var-up')), ...treeSnapshot(upperOf(overlayDir, PREFIX)) };
}

function hostState(): Record<string, boolean> {
  return Object.fromEntries(HOST_PATHS.map((path) => [path, existsSync(path)]));
}

function ran(result: OverlayResult): void {
  expect(result.timedOut, `timed out; stdout so far:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(false);
}

describe('deploy/install.sh', () => {
  it('installs the package, the managed policy and the system unit, runs a first check, and a re-run changes nothing', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const world = await makeWorld();
    const hostBefore = hostState();
    const systemUnitsBefore = treeSnapshot('/etc/systemd/system');

    const first = await runRecipe(world, []);
    ran(first);
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stderr).toBe('');
    const overlayDir = first.overlayDir;

    // The package, from the tarball, as npm's link to it.
    const usrLocal = upperOf(overlayDir, PREFIX);
    expect(lstatSync(join(usrLocal, 'bin', 'aitool')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(usrLocal, 'lib', 'node_modules', 'aitool', 'package.json'), 'utf8')).name).toBe('aitool');

    // The managed policy: the exact bytes, root's, 0644, in a 0755 folder.
    expect(first.etcFiles['/etc/aitool/policy.yaml']).toBe(POLICY);
    const policyInfo = lstatSync(join(overlayDir, 'up', 'aitool', 'policy.yaml'));
    expect([policyInfo.uid, policyInfo.gid, policyInfo.mode & 0o7777]).toEqual([0, 0, 0o644]);
    expect(lstatSync(join(overlayDir, 'up', 'aitool')).mode & 0o7777).toBe(0o755);
    expect(first.stdout).toContain('/etc/aitool/policy.yaml  owner root (uid 0), group 0, mode 0644');

    // The unit runs the installed aitool (not this checkout's) as root, and systemd accepts it where it was written.
    const unit = first.etcFiles[UNIT]!;
    expect(unit).toMatch(new RegExp(`^ExecStart=.* "?${PREFIX}/lib/node_modules/aitool/bin/aitool\\.js"? "?watch"?`, 'm'));
    const unitInfo = lstatSync(join(overlayDir, 'up', 'systemd', 'system', 'aitool-watch.service'));
    expect([unitInfo.uid, unitInfo.mode & 0o7777]).toEqual([0, 0o644]);
    expect(Object.keys(first.varLibFiles)).toEqual(['/var/lib/aitool/service.json']);
    const verify = await runThere(overlayDir, ['/usr/bin/systemd-analyze', 'verify', UNIT], world.dir);
    ran(verify);
    const complaints = `${verify.stdout}\n${verify.stderr}`.split('\n').filter((line) => line.includes('aitool-watch'));
    expect(complaints, verify.stderr).toEqual([]);
    expect(verify.exitCode, verify.stderr).toBe(0);

    // Not started: the command is printed, systemctl never ran.
    expect(first.stdout).toContain('not started (no --start). To start it now and at every boot, run:\n  systemctl daemon-reload && systemctl enable --now aitool-watch\n');
    expect(existsSync(world.systemctlLog)).toBe(false);

    // The first check ran under the installed managed policy, from / (no project policy), and found the planted trace.
    const report = first.stdout.slice(first.stdout.indexOf('==> first check'));
    expect(report).toContain('✖ BLOCK  Claude Code (claude-code, agent CLI)');
    expect(report).toContain('Claude Code is not approved here.');
    expect(report).toContain(`To remove: delete ${join(world.home, '.claude')}`);
    expect(report).toContain('(policy: /etc/aitool/policy.yaml)');
    expect(report).toContain('blocked AI tools found on this machine (listed above)\n==> done\n');

    // A second check-in: the same tarball and policy change nothing, not even a rewrite with the same bytes.
    const before = written(overlayDir);
    const second = await runRecipe(world, [], overlayDir);
    ran(second);
    expect(second.exitCode, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(second.stdout).toContain(`aitool from this tarball is already installed: ${PREFIX}/bin/aitool`);
    expect(second.stdout).toContain('unchanged /etc/aitool/policy.yaml');
    expect(second.stdout).toContain(`${UNIT} is already up to date.`);
    expect(written(overlayDir)).toEqual(before);

    // Told to start it, the recipe runs exactly the printed commands.
    const started = await runRecipe(world, ['--start'], overlayDir);
    ran(started);
    expect(started.exitCode, started.stderr).toBe(0);
    expect(readFileSync(world.systemctlLog, 'utf8')).toBe('daemon-reload\nenable --now aitool-watch\n');

    // The machine's own /etc, /var/lib and /usr/local were never written.
    expect(hostState()).toEqual(hostBefore);
    expect(Object.values(hostBefore)).not.toContain(true);
    expect(treeSnapshot('/etc/systemd/system')).toEqual(systemUnitsBefore);
  }, 400_000);

  it('fails closed: a policy aitool refuses stops the rollout with one line, before any policy or unit is written', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    // Broken YAML: aitool policy install refuses it (exit 2).
    const world = await makeWorld('default: allow\ntools:\n  claude-code: [1, 2\n');
    const result = await runRecipe(world, []);
    ran(result);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^install\.sh: aitool policy install failed \(exit 2\): .+/)]);
    expect(result.etcFiles).toEqual({});
    expect(result.varLibFiles).toEqual({});
    expect(existsSync(world.systemctlLog)).toBe(false);
  }, 200_000);

  it('refuses to run as another user than root, writing nothing', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const world = await makeWorld();
    const result = await runRecipe(world, [], undefined, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', RECIPE]);
    ran(result);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('install.sh: run it as root (sudo sh install.sh ...): it installs system files\n');
    expect(written(result.overlayDir)).toEqual({});
  }, 60_000);
});

/** What install.sh and aitool run, and `unshare` and `mount` for the namespace's overlays; node is not among them. */
const RECIPE_TOOLS = ['sh', 'id', 'mktemp', 'rm', 'sha256sum', 'cut', 'stat', 'mkdir', 'cp', 'chown', 'chmod', 'mv', 'cat', 'sed', 'tail', 'head', 'od', 'tr', 'readlink', 'mount', 'unshare'];

/** ansible-playbook's PLAY RECAP line for localhost (ok=, changed=, ...), spaces collapsed. */
const recap = (stdout: string) => stdout.match(/^localhost\s+: (.*)$/m)?.[1]?.replace(/\s+/g, ' ').trim();
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Every path under a folder with type, owner, mode, inode, mtime and a hash of
 * its bytes: like treeSnapshot, equal snapshots mean nothing was rewritten,
 * without holding a 100 MB executable in memory as text.
 */
function statSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const info = lstatSync(path);
      const stat = `${info.uid}:${info.gid} ${(info.mode & 0o7777).toString(8)} ${info.ino} ${info.mtimeMs}`;
      if (info.isDirectory()) {
        out[path] = `dir ${stat}`;
        walk(path);
      } else out[path] = info.isFile() ? `file ${stat} ${sha256(path)}` : `other ${stat}`;
    }
  };
  walk(dir);
  return out;
}

describe('deploy/install.sh --executable (the standalone executable, no node on the machine)', () => {
  let executable: string;
  let noNodeBin: string;

  beforeAll(async () => {
    if (etcOverlayUnavailable()) return;
    const dir = await makeTempDir('aitool-recipe-exe-');
    // scripts/build-sea.mjs is untyped JavaScript: its one export, as it is called here.
    const { buildSea } = (await import(pathToFileURL(join(ROOT, 'scripts', 'build-sea.mjs')).href)) as { buildSea: (options: { outFile: string }) => Promise<string> };
    executable = await buildSea({ outFile: join(dir, 'aitool-linux-x64') });
    noNodeBin = join(dir, 'bin');
    mkdirSync(noNodeBin);
    for (const tool of RECIPE_TOOLS) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(noNodeBin, tool));
  }, 180_000);

  /** install.sh --executable as root in the namespace, with a PATH of the tool links and the stand-in systemctl only. */
  const runWithoutNode = (world: World, args: string[], overlayDir?: string, exe = executable) =>
    runInEtcOverlay({
      command: ['/bin/sh', RECIPE, '--executable', exe, world.policy, ...args],
      alsoOverlay: [PREFIX],
      overlayDir,
      cwd: world.dir,
      env: { PATH: `${world.fakeBin}:${noNodeBin}`, HOME: world.home, TMPDIR: world.dir },
      timeoutMs: 120_000,
    });
  /** A first install of the executable (no service) in a new namespace: the run, and where the installed file is in its overlay. */
  const installExecutable = async (world: World) => {
    const first = await runWithoutNode(world, ['--no-service']);
    ran(first);
    expect(first.exitCode, first.stderr).toBe(0);
    return { first, installed: join(upperOf(first.overlayDir, PREFIX), 'bin', 'aitool') };
  };
  const writtenHere = (overlayDir: string) => ({ ...treeSnapshot(join(overlayDir, 'up')), ...treeSnapshot(join(overlayDir, 'var-up')), ...statSnapshot(upperOf(overlayDir, PREFIX)) });

  it('places the executable root-owned 0755, the managed policy and a unit that runs it, runs a first check, and a re-run changes nothing', async (ctx) => {
    const why = etcOverlayUnavailable();
    if (why) ctx.skip(why);
    const world = await makeWorld();
    const hostBefore = hostState();
    const systemUnitsBefore = treeSnapshot('/etc/systemd/system');

    // The world the recipe runs in has no node to find.
    const lookup = await runInEtcOverlay({ command: ['/bin/sh', '-c', 'command -v node || command -v nodejs'], cwd: world.dir, env: { PATH: `${world.fakeBin}:${noNodeBin}` } });
    expect(lookup.stdout).toBe('');
    expect(lookup.exitCode).not.toBe(0);

    const first = await runWithoutNode(world, []);
    ran(first);
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(first.stderr).toBe('');
    const overlayDir = first.overlayDir;

    // The executable itself (not a link, not npm's package), root's, 0755, byte for byte the given file.
    const usrLocal = upperOf(overlayDir, PREFIX);
    const installed = join(usrLocal, 'bin', 'aitool');
    const info = lstatSync(installed);
    expect([info.isFile(), info.uid, info.gid, info.mode & 0o7777]).toEqual([true, 0, 0, 0o755]);
    expect(sha256(installed)).toBe(sha256(executable));
    expect(first.stdout).toContain(`executable sha256 ${sha256(executable)}\n`);
    expect(readdirSync(usrLocal).sort()).toEqual(['bin']);
    expect(readdirSync(join(usrLocal, 'bin'))).toEqual(['aitool']);

    // The managed policy: the exact bytes, root's, 0644.
    expect(first.etcFiles['/etc/aitool/policy.yaml']).toBe(POLICY);
    const policyInfo = lstatSync(join(overlayDir, 'up', 'aitool', 'policy.yaml'));
    expect([policyInfo.uid, policyInfo.gid, policyInfo.mode & 0o7777]).toEqual([0, 0, 0o644]);

    // The unit runs the installed executable, with no node and no bin/aitool.js, and systemd accepts it where it was written.
    const unit = first.etcFiles[UNIT]!;
    expect(unit).toMatch(new RegExp(`^ExecStart="${PREFIX}/bin/aitool" "watch" `, 'm'));
    expect(unit).not.toMatch(/node|aitool\.js/);
    expect(Object.keys(first.varLibFiles)).toEqual(['/var/lib/aitool/service.json']);
    const verify = await runThere(overlayDir, ['/usr/bin/systemd-analyze', 'verify', UNIT], world.dir);
    ran(verify);
    expect(`${verify.stdout}\n${verify.stderr}`.split('\n').filter((line) => line.includes('aitool-watch')), verify.stderr).toEqual([]);
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(existsSync(world.systemctlLog)).toBe(false);

    // The first check: the installed executable under the managed policy found the planted trace.
    const report = first.stdout.slice(first.stdout.indexOf('==> first check'));
    expect(report).toContain('✖ BLOCK  Claude Code (claude-code, agent CLI)');
    expect(report).toContain('Claude Code is not approved here.');
    expect(report).toContain('(policy: /etc/aitool/policy.yaml)');
    expect(report).toContain('blocked AI tools found on this machine (listed above)\n==> done\n');

    // A second check-in with the same executable and policy: nothing rewritten.
    const before = writtenHere(overlayDir);
    const second = await runWithoutNode(world, [], overlayDir);
    ran(second);
    expect(second.exitCode, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(second.stdout).toContain(`this executable is already installed: ${PREFIX}/bin/aitool`);
    expect(second.stdout).toContain('unchanged /etc/aitool/policy.yaml');
    expect(second.stdout).toContain(`${UNIT} is already up to date.`);
    expect(writtenHere(overlayDir)).toEqual(before);

    expect(hostState()).toEqual(hostBefore);
    expect(Object.values(hostBefore)).not.toContain(true);
    expect(treeSnapshot('/etc/systemd/system')).toEqual(systemUnitsBefore);
  }, 400_000);

  it('the Ansible role with aitool_executable places it the same way, with no node on PATH, and a second run reports changed=0', async (ctx) => {
    const why = etcOverlayUnavailable();
    if (why) ctx.skip(why);
    const world = await makeWorld();
    const hostBefore = hostState();
    // Ansible and its modules run many of the system's programs: all of /usr/bin but node and its tools.
    const ansibleBin = join(world.dir, 'ansible-bin');
    mkdirSync(ansibleBin);
    for (const tool of readdirSync('/usr/bin')) if (!/^(node|nodejs|npm|npx|corepack)$/.test(tool)) symlinkSync(join('/usr/bin', tool), join(ansibleBin, tool));
    const play = (overlayDir?: string) =>
      runInEtcOverlay({
        command: ['/usr/bin/python3', '/usr/bin/ansible-playbook', '-c', 'local', '-i', 'localhost,', PLAYBOOK, '-e', `aitool_executable=${executable}`, '-e', `aitool_policy=${world.policy}`],
        alsoOverlay: [PREFIX],
        overlayDir,
        cwd: world.dir,
        env: rootEnv(world, `${world.fakeBin}:${ansibleBin}`),
        timeoutMs: 240_000,
      });

    const lookup = await runInEtcOverlay({ command: ['/bin/sh', '-c', 'command -v node || command -v nodejs'], cwd: world.dir, env: { PATH: `${world.fakeBin}:${ansibleBin}` } });
    expect([lookup.stdout, lookup.exitCode === 0]).toEqual(['', false]);

    const first = await play();
    ran(first);
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(recap(first.stdout)).toMatch(/^ok=\d+ changed=\d+ unreachable=0 failed=0 /);
    // The Node check and the npm steps were skipped, not run.
    expect(first.stdout).toMatch(/TASK \[aitool : Node >= 20 is on root's PATH \(for the npm tarball\)\][^\n]*\nskipping: \[localhost\]/);
    const installed = join(upperOf(first.overlayDir, PREFIX), 'bin', 'aitool');
    const info = lstatSync(installed);
    expect([info.isFile(), info.uid, info.gid, info.mode & 0o7777]).toEqual([true, 0, 0, 0o755]);
    expect(sha256(installed)).toBe(sha256(executable));
    expect(readdirSync(upperOf(first.overlayDir, PREFIX)).sort()).toEqual(['bin']);
    expect(first.etcFiles['/etc/aitool/policy.yaml']).toBe(POLICY);
    expect(first.etcFiles[UNIT]).toMatch(new RegExp(`^ExecStart="${PREFIX}/bin/aitool" "watch" `, 'm'));
    expect(first.stdout).toContain('"✖ BLOCK  Claude Code (claude-code, agent CLI)"');
    expect(existsSync(world.systemctlLog)).toBe(false);

    const before = writtenHere(first.overlayDir);
    const second = await play(first.overlayDir);
    ran(second);
    expect(second.exitCode, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(recap(second.stdout)).toMatch(/^ok=\d+ changed=0 unreachable=0 failed=0 /);
    expect(writtenHere(first.overlayDir)).toEqual(before);

    // install.sh after the role finds the same executable in place.
    const shell = await runWithoutNode(world, [], first.overlayDir);
    ran(shell);
    expect(shell.exitCode, shell.stderr).toBe(0);
    expect(shell.stdout).toContain(`this executable is already installed: ${PREFIX}/bin/aitool`);

    expect(hostState()).toEqual(hostBefore);
  }, 600_000);

  it('replaces an installed executable that differs (or lost its mode), atomically, and refuses a file that does not run here', async (ctx) => {
    const why = etcOverlayUnavailable();
    if (why) ctx.skip(why);
    const world = await makeWorld();
    const { first, installed } = await installExecutable(world);

    // Someone made it writable by everyone: the next run puts back a root 0755 copy (a new inode: renamed into place, not written over).
    chmodSync(installed, 0o777);
    const inode = lstatSync(installed).ino;
    const repaired = await runWithoutNode(world, ['--no-service'], first.overlayDir);
    ran(repaired);
    expect(repaired.exitCode, repaired.stderr).toBe(0);
    expect(repaired.stdout).toContain(`installed ${PREFIX}/bin/aitool (root, 0755)`);
    expect(lstatSync(installed).mode & 0o7777).toBe(0o755);
    expect(lstatSync(installed).ino).not.toBe(inode);

    // A file that is not a Linux program is never started: the kernel cannot run a text file without #!, and sh
    // would then read it as a script, as root. This one says what it would do; the working aitool stays.
    const ranMarker = join(world.dir, 'the-file-ran');
    const bogus = await writeFile(join(world.dir, 'aitool-macos-arm64'), `touch '${ranMarker}'\n`);
    const before = statSnapshot(upperOf(first.overlayDir, PREFIX))[installed];
    const refused = await runWithoutNode(world, ['--no-service'], first.overlayDir, bogus);
    ran(refused);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([`install.sh: ${bogus} is not a Linux executable (no ELF header); nothing was run or replaced`]);
    expect(existsSync(ranMarker)).toBe(false);
    // The same file, not rewritten, and no half-copied candidate left beside it.
    expect(statSnapshot(upperOf(first.overlayDir, PREFIX))[installed]).toBe(before);
    expect(readdirSync(dirname(installed))).toEqual(['aitool']);
  }, 400_000);

  it('the npm tarball after the executable: npm, which will not write its link over a file, gets the place, and the re-run changes nothing', async (ctx) => {
    const why = etcOverlayUnavailable();
    if (why) ctx.skip(why);
    const world = await makeWorld();
    const { first, installed } = await installExecutable(world);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);

    const switched = await runRecipe(world, ['--no-service'], first.overlayDir);
    ran(switched);
    expect(switched.exitCode, switched.stderr).toBe(0);
    expect(lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(readdirSync(dirname(installed))).toEqual(['aitool']);
    const again = await runRecipe(world, ['--no-service'], first.overlayDir);
    ran(again);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`aitool from this tarball is already installed: ${PREFIX}/bin/aitool`);

    // The Ansible role does the same switch.
    const other = await makeWorld();
    const { first: exe, installed: placed } = await installExecutable(other);
    const role = await runAsRoot(
      other,
      ['ansible-playbook', '-c', 'local', '-i', 'localhost,', PLAYBOOK, '-e', `aitool_tarball=${setup!.tarball}`, '-e', `aitool_policy=${other.policy}`],
      exe.overlayDir,
    );
    ran(role);
    expect(role.exitCode, `${role.stdout}\n${role.stderr}`).toBe(0);
    expect(lstatSync(placed).isSymbolicLink()).toBe(true);
  }, 600_000);
});

describe('deploy/ansible (ansible-playbook -c local)', () => {
  const playbook = (world: World, extra: string[] = []) => [
    'ansible-playbook', '-c', 'local', '-i', 'localhost,', PLAYBOOK,
    '-e', `aitool_tarball=${setup!.tarball}`, '-e', `aitool_policy=${world.policy}`, ...extra,
  ];

  it('passes ansible-playbook --syntax-check', async () => {
    // Its HOME and temporary folders in a folder of the test's own: ansible keeps ~/.ansible/tmp otherwise.
    const home = await makeTempDir('aitool-ansible-');
    const env = { ...process.env, HOME: home, ANSIBLE_HOME: join(home, '.ansible'), ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), TMPDIR: home, ANSIBLE_NOCOLOR: '1' };
    const result = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', PLAYBOOK], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], env });
    if (result.error) throw new Error(`ansible-playbook could not run (apt-get install ansible-core; .ci/run does): ${result.error.message}`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('playbook: ');
  });

  it('installs the package, the managed policy and the unit through aitool, runs a first check, and a second run reports and makes no change', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const world = await makeWorld();
    const hostBefore = hostState();

    const first = await runAsRoot(world, playbook(world));
    ran(first);
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(recap(first.stdout)).toMatch(/^ok=\d+ changed=\d+ unreachable=0 failed=0 /);
    expect(first.etcFiles['/etc/aitool/policy.yaml']).toBe(POLICY);
    const policyInfo = lstatSync(join(first.overlayDir, 'up', 'aitool', 'policy.yaml'));
    expect([policyInfo.uid, policyInfo.gid, policyInfo.mode & 0o7777]).toEqual([0, 0, 0o644]);
    expect(first.etcFiles[UNIT]).toMatch(new RegExp(`^ExecStart=.* "?${PREFIX}/lib/node_modules/aitool/bin/aitool\\.js"? "?watch"?`, 'm'));
    expect(Object.keys(first.varLibFiles).sort()).toEqual(['/var/lib/aitool-deploy/aitool.tgz', '/var/lib/aitool-deploy/policy.yaml', '/var/lib/aitool/service.json']);
    expect(readFileSync(join(upperOf(first.overlayDir, PREFIX), 'lib', 'node_modules', 'aitool', '.aitool-tarball.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    // The first check's report, through Ansible's debug output.
    expect(first.stdout).toContain('"✖ BLOCK  Claude Code (claude-code, agent CLI)"');
    expect(first.stdout).toContain('"  Claude Code is not approved here."');
    expect(first.stdout).toContain('not started (aitool_start is false)');
    expect(existsSync(world.systemctlLog)).toBe(false);

    const before = written(first.overlayDir);
    const second = await runAsRoot(world, playbook(world), first.overlayDir);
    ran(second);
    expect(second.exitCode, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(recap(second.stdout)).toMatch(/^ok=\d+ changed=0 unreachable=0 failed=0 /);
    expect(written(first.overlayDir)).toEqual(before);

    // The same tarball as install.sh stamps: the shell recipe run after the role finds aitool installed.
    const shell = await runRecipe(world, [], first.overlayDir);
    ran(shell);
    expect(shell.exitCode, shell.stderr).toBe(0);
    expect(shell.stdout).toContain(`aitool from this tarball is already installed: ${PREFIX}/bin/aitool`);

    expect(hostState()).toEqual(hostBefore);
    expect(Object.values(hostBefore)).not.toContain(true);
  }, 400_000);

  it('fails the play at aitool policy install on a policy aitool refuses, with nothing written under /etc', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const world = await makeWorld('default: allow\ntools:\n  claude-code: [1, 2\n');
    const result = await runAsRoot(world, playbook(world));
    ran(result);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/TASK \[aitool : Install the managed policy[^\n]*\n(fatal|FAILED)[^\n]*localhost/);
    expect(recap(result.stdout)).toMatch(/failed=1 /);
    expect(result.etcFiles).toEqual({});
  }, 200_000);
});
