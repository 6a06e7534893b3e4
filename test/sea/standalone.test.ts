// The standalone executable (npm run build:sea) on a machine path with no
// node: built once into a temp folder, then run as a user would, from a PATH
// that holds only links to git, sh and the few tools git and the hook script
// need. Proves that it needs no Node install and no package folder: the
// version and the presets come from inside it, and the git hook it installs
// runs it, not node.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNativeBinary, killSpawned, spawnNativeBinary, waitFor, type SpawnedProcess } from '../helpers/processes.js';
import { noteTempDir } from '../helpers/temp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** What git, its hooks and the hook script run (with its spares: mkdir, mkfifo, timeout); node is not among them. */
const TOOLS = ['git', 'sh', 'dirname', 'cat', 'mktemp', 'rm', 'mkdir', 'mkfifo', 'timeout'];

let root: string;
let exe: string;
let env: Record<string, string>;

function whereIs(tool: string): string {
  return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

async function runExe(args: string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(exe, args, { cwd, env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function git(cwd: string, ...args: string[]): ReturnType<typeof spawnSync> {
  return spawnSync('git', args, { cwd, env: { ...env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8', timeout: 30_000 });
}

function newRepo(name: string): string {
  const repo = join(root, name);
  mkdirSync(repo, { recursive: true });
  for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.name', 'Ada Lovelace'], ['config', 'user.email', 'ada@example.com'], ['config', 'commit.gpgsign', 'false']]) {
    expect(git(repo, ...args).status).toBe(0);
  }
  return repo;
}

beforeAll(async () => {
  root = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-sea-')));
  exe = join(root, 'opt', 'aitool');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-sea.mjs'), '--out', exe], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });

  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const tool of TOOLS) symlinkSync(whereIs(tool), join(bin, tool));
  const home = join(root, 'home');
  mkdirSync(home);
  env = { HOME: home, PATH: bin, XDG_CONFIG_HOME: join(home, '.config'), LANG: 'C', AITOOL_HOOK_SPARE: '0' };
}, 180_000);

afterAll(async () => {
  await killSpawned();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the standalone executable, with no node on PATH', () => {
  it('runs in a world where node cannot be found', () => {
    const lookup = spawnSync('sh', ['-c', 'command -v node'], { env, encoding: 'utf8' });
    expect(lookup.status).not.toBe(0);
    expect(lookup.stdout).toBe('');
  });

  it('prints the version of package.json', async () => {
    const result = await runExe(['--version'], root);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
    expect(result.stderr).toBe('');
  });

  it('loads its chunks from the code cache inside it: a check compiles few from source and has none rejected (--debug says)', async () => {
    const result = await runExe(['check', '--format', 'json', '--debug'], root);
    expect(result.exitCode, result.stderr).toBeLessThan(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ aitool: { version: VERSION } });
    const counts = /^aitool: code cache: (\d+) chunk\(s\) from it, (\d+) rejected, (\d+) without one$/m.exec(result.stderr);
    expect(counts, result.stderr).not.toBeNull();
    const [accepted, rejected, missing] = counts!.slice(1).map(Number);
    expect(accepted).toBeGreaterThan(10);
    expect(rejected).toBe(0);
    expect(missing!).toBeLessThan(accepted!);
  });

  it('check finds an agent process started here', async () => {
    const claudePackage = join(root, 'prefix', 'lib', 'node_modules', '@anthropic-ai', 'claude-code');
    mkdirSync(claudePackage, { recursive: true });
    writeFileSync(join(claudePackage, 'package.json'), JSON.stringify({ name: '@anthropic-ai/claude-code', version: '2.1.197' }));
    const claude = await installNativeBinary(join(claudePackage, 'bin', 'claude.exe'));
    const agent: SpawnedProcess = await spawnNativeBinary(claude, [], { argv0: 'claude' });
    const cwd = join(root, 'plain');
    mkdirSync(cwd);
    const result = await runExe(['check', '--format', 'json'], cwd);
    await agent.kill();
    const report = JSON.parse(result.stdout) as { aitool: { version: string }; findings: Array<{ tool: string; kind: string; evidence: { pid?: number } }> };
    expect(report.aitool.version).toBe(VERSION);
    const ours = report.findings.filter((f) => f.kind === 'process' && f.evidence.pid === agent.pid);
    expect(ours.map((f) => f.tool)).toEqual(['claude-code']);
  });

  it('policy show and validate read a project policy that extends aitool:strict (the preset is inside the executable)', async () => {
    const repo = newRepo('strict-show');
    writeFileSync(join(repo, '.aitoolrc.yaml'), 'extends: aitool:strict\n');
    const show = await runExe(['policy', 'show'], repo);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^default\s+block\s+\(project: aitool:strict\)$/m);
    expect(show.stdout).toMatch(/^ {2}project {2}aitool:recommended$/m);
    const validate = await runExe(['policy', 'validate', '.aitoolrc.yaml'], repo);
    expect(validate.exitCode, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid');
  });

  it('refuses a policy written as code with one line saying why (there is no Node to sandbox it in)', async () => {
    const repo = newRepo('code-policy');
    writeFileSync(join(repo, '.aitoolrc.cjs'), "module.exports = { default: 'block' };\n");
    const result = await runExe(['check', '--format', 'json'], repo);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/\.aitoolrc\.cjs.*policies written as code need Node\.js; the standalone executable reads YAML and JSON policies/);
  });

  it('hook install writes a hook that runs the executable, and a real git commit of CLAUDE.md is refused under aitool:strict', async () => {
    const repo = newRepo('strict-commit');
    writeFileSync(join(repo, '.aitoolrc.yaml'), 'extends: aitool:strict\n');
    expect(git(repo, 'add', '.aitoolrc.yaml').status).toBe(0);
    expect(git(repo, 'commit', '-q', '--no-verify', '-m', 'policy').status).toBe(0);

    const install = await runExe(['hook', 'install'], repo);
    expect(install.exitCode, install.stderr).toBe(0);
    const hook = readFileSync(join(repo, '.git', 'hooks', 'commit-msg'), 'utf8');
    expect(hook).toContain(`aitool='${exe}'\n`);
    expect(hook).toContain('git_answers 2>/dev/null | "$aitool" hook run commit --git-stdin "$@"');
    expect(hook).not.toMatch(/^node=/m);

    writeFileSync(join(repo, 'CLAUDE.md'), '# notes for the agent\n');
    expect(git(repo, 'add', 'CLAUDE.md').status).toBe(0);
    const refused = git(repo, 'commit', '-q', '-m', 'add CLAUDE.md');
    expect(refused.status, String(refused.stderr)).toBe(1);
    expect(String(refused.stderr)).toContain('CLAUDE.md');
    expect(String(refused.stderr)).not.toContain('not installed');
    expect(String(git(repo, 'log', '-1', '--format=%s').stdout).trim()).toBe('policy');

    // The same hook lets a commit through when nothing is wrong: it is aitool deciding, not a broken hook.
    expect(git(repo, 'rm', '-q', '--cached', 'CLAUDE.md').status).toBe(0);
    writeFileSync(join(repo, 'notes.txt'), 'plain notes\n');
    expect(git(repo, 'add', 'notes.txt').status).toBe(0);
    const allowed = git(repo, 'commit', '-q', '-m', 'notes');
    expect(allowed.status, String(allowed.stderr)).toBe(0);

    const uninstall = await runExe(['hook', 'uninstall'], repo);
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    expect(uninstall.stdout).toContain("removed aitool's hook");
  });

  it('with spares on, a commit starts a spare that is the executable itself, and the next commit is answered by it as a started one would', async () => {
    const repo = newRepo('spares');
    writeFileSync(join(repo, '.aitoolrc.yaml'), 'tools:\n  claude-code: block\n');
    expect(git(repo, 'add', '.aitoolrc.yaml').status).toBe(0);
    expect(git(repo, 'commit', '-q', '--no-verify', '-m', 'policy').status).toBe(0);
    expect((await runExe(['hook', 'install'], repo)).exitCode).toBe(0);
    // A runtime folder of the test's own: the spares wait there, and go with it.
    const runDir = join(root, 'run');
    mkdirSync(runDir, { mode: 0o700 });
    const { AITOOL_HOOK_SPARE: _off, ...base } = env;
    const sparesOn = { ...base, XDG_RUNTIME_DIR: runDir, GIT_CONFIG_NOSYSTEM: '1' };
    const commit = (message: string, extra: Record<string, string> = {}) => {
      const result = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo, env: { ...sparesOn, ...extra }, encoding: 'utf8', timeout: 30_000 });
      return { status: result.status, stderr: result.stderr };
    };
    /** The ready spare (its pid file written and unclaimed) other than `except`: its name, pid and command line. */
    const readySpare = (except?: string) =>
      waitFor(
        () => {
          const folder = readdirSync(runDir).find((entry) => entry.startsWith('aitool-'));
          if (!folder) return undefined;
          const pidFile = readdirSync(join(runDir, folder)).find((entry) => /^s[0-9]+\.pid$/.test(entry) && entry !== `${except}.pid` && !existsSync(join(runDir, folder, entry.replace('.pid', '.claim'))));
          if (!pidFile) return undefined;
          const pid = Number(readFileSync(join(runDir, folder, pidFile), 'utf8').split(' ')[0]);
          return { name: pidFile.slice(0, -4), pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) };
        },
        15_000,
        'a spare to be ready',
      );
    const ended = (pid: number): boolean => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
      } catch {
        return true;
      }
    };
    try {
      writeFileSync(join(repo, 'notes.txt'), 'notes\n');
      expect(git(repo, 'add', 'notes.txt').status).toBe(0);
      expect(commit('first').status).toBe(0);
      const first = await readySpare();
      expect(first.argv.slice(0, 3)).toEqual([exe, 'hook', 'spare']);

      writeFileSync(join(repo, 'CLAUDE.md'), '# notes for the agent\n');
      expect(git(repo, 'add', 'CLAUDE.md').status).toBe(0);
      // git's trace counts how often the script asked git for the committer: once for a spare that answers; twice when
      // the spare declines and the script asks again for the executable it then starts.
      const asked = (message: string, extra: Record<string, string> = {}) => {
        const trace = join(root, `trace-${message}`);
        const result = commit(message, { ...extra, GIT_TRACE: trace });
        const count = readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('git var GIT_COMMITTER_IDENT')).length;
        return { ...result, asked: count };
      };
      const warm = asked('second');
      // Asked once: no spare declined. The spare took the commit (its files are gone: one nobody claimed keeps them)
      // and ended; the script started the next one.
      expect(warm.asked).toBe(1);
      const folder = join(runDir, readdirSync(runDir).find((entry) => entry.startsWith('aitool-'))!);
      const state = (): string => `${first.name} files: ${readdirSync(folder).filter((entry) => entry.startsWith(`${first.name}.`)).join(', ') || 'none'}; pid ${first.pid} ${ended(first.pid) ? 'ended' : 'running'}`;
      await waitFor(() => (ended(first.pid) ? true : undefined), 10_000, `the first spare to end (${state()})`).catch((error: Error) => {
        throw new Error(`${error.message}; now ${state()}`);
      });
      expect(readdirSync(folder).filter((entry) => entry.startsWith(`${first.name}.`))).toEqual([]);
      const next = await readySpare(first.name);
      expect(next.pid).not.toBe(first.pid);
      // The count tells the two apart: a NODE_ variable in the commit's environment makes a spare decline (a started
      // Node would see it, and the spare was started without it).
      const declined = asked('third', { NODE_DEBUG: 'aitool-none' });
      expect(declined.asked).toBe(2);
      await waitFor(() => (ended(next.pid) ? true : undefined), 10_000, 'the declining spare to end');
      const cold = commit('second', { AITOOL_HOOK_SPARE: '0' });
      expect(cold.status).toBe(1);
      expect({ status: warm.status, stderr: warm.stderr }).toEqual(cold);
      expect(declined.status).toBe(1);
      expect(warm.stderr).toContain('CLAUDE.md  (added, staged)');
    } finally {
      // A spare whose folder is gone ends within 5 s; any left is this test's own (its command line names the folder).
      rmSync(runDir, { recursive: true, force: true });
      const ours = (): number[] =>
        readdirSync('/proc')
          .filter((entry) => /^[0-9]+$/.test(entry))
          .filter((entry) => {
            try {
              return readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.startsWith(`${runDir}/`));
            } catch {
              return false;
            }
          })
          .map(Number);
      await waitFor(() => (ours().length === 0 ? true : undefined), 10_000, "this test's spares to end");
    }
  });

  it('service install (user and --system) writes units that run the executable itself, with no bin/aitool.js', async () => {
    const user = await runExe(['service', 'install'], root);
    expect(user.exitCode, user.stderr).toBe(0);
    expect(user.stdout).toContain(`\nExecStart="${exe}" "watch" "--interval" "30s"\n`);
    const system = await runExe(['service', 'install', '--system', '--root', join(root, 'sysroot')], root);
    expect(system.exitCode, system.stderr).toBe(0);
    expect(system.stdout).toContain(`\nExecStart="${exe}" "watch" "--interval" "30s" "--log" "/var/log/aitool/watch.ndjson"\n`);
    expect(`${user.stdout}${system.stdout}`).not.toContain('aitool.js');
  });
});
