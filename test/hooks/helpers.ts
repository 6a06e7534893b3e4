/**
 * Real git repositories in temp folders for the hook tests. git runs with a
 * temp HOME and no system config, so this machine's own git settings (a
 * global core.hooksPath, signing, templates) cannot leak in.
 */
import { chmod, lstat, mkdir, readdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { makeWorld, runCli, type CliResult, type World } from '../cli/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

export interface Sandbox {
  root: string;
  env: Record<string, string>;
}

/** PATH without any folder holding an `aitool`, so a test controls whether one is found. */
export async function pathWithoutAitool(): Promise<string> {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  const kept: string[] = [];
  for (const dir of dirs) {
    if (!(await lstat(join(dir, 'aitool')).catch(() => undefined))) kept.push(dir);
  }
  return kept.join(delimiter);
}

export async function makeSandbox(): Promise<Sandbox> {
  const root = await makeTempDir('aitool-hooks-');
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  return {
    root,
    env: {
      HOME: home,
      PATH: await pathWithoutAitool(),
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      TMPDIR: tmp,
      LC_ALL: 'C',
    },
  };
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function git(cwd: string, args: string[], env: Record<string, string>, input?: string): Promise<GitResult> {
  const result = await execa('git', args, { cwd, env, extendEnv: false, reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like git(), but a failure fails the test with git's own words. */
export async function gitOk(cwd: string, args: string[], env: Record<string, string>): Promise<string> {
  const result = await git(cwd, args, env);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** A new repository with an identity and one commit (worktrees and submodules need a commit). */
export async function initRepo(dir: string, env: Record<string, string>, options: { commit?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await gitOk(dir, ['init', '-q', '-b', 'main'], env);
  await gitOk(dir, ['config', 'user.name', 'Hook Test'], env);
  await gitOk(dir, ['config', 'user.email', 'hooks@example.com'], env);
  await gitOk(dir, ['config', 'commit.gpgsign', 'false'], env);
  if (options.commit !== false) {
    await writeFile(join(dir, 'README'), 'hello\n');
    await gitOk(dir, ['add', 'README'], env);
    await gitOk(dir, ['commit', '-q', '--no-verify', '-m', 'first'], env);
  }
  return dir;
}

/** Stages a change and commits it, hooks on; resolves to git's result. */
export async function commit(dir: string, env: Record<string, string>, message = 'change'): Promise<GitResult> {
  const file = join(dir, 'file.txt');
  const previous = await readFile(file, 'utf8').catch(() => '');
  await writeFile(file, `${previous}line ${previous.length}\n`);
  await gitOk(dir, ['add', 'file.txt'], env);
  return git(dir, ['commit', '-q', '-m', message], env);
}

/** Writes an executable file. */
export async function writeExecutable(path: string, text: string): Promise<string> {
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

export type Entry = { type: 'file'; mode: number; content: string } | { type: 'link'; target: string } | { type: 'dir'; mode: number };

/** Every entry under `dir` with its bytes (base64), mode and link target: equal snapshots mean byte-for-byte and mode-for-mode equal trees. */
export async function snapshot(dir: string): Promise<Record<string, Entry>> {
  const out: Record<string, Entry> = {};
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const key = prefix + name;
      const info = await lstat(path);
      if (info.isSymbolicLink()) out[key] = { type: 'link', target: await readlink(path) };
      else if (info.isDirectory()) {
        out[key] = { type: 'dir', mode: info.mode & 0o7777 };
        await walk(path, `${key}/`);
      } else out[key] = { type: 'file', mode: info.mode & 0o7777, content: (await readFile(path)).toString('base64') };
    }
  };
  await walk(dir, '');
  return out;
}

/**
 * A stand-in for bin/aitool.js that records how it was run (arguments and
 * stdin, one JSON line each time) into `log`, and exits with `exitCode`.
 * Hooks installed with it show that the hook really execs node + bin.
 */
export async function fakeAitool(path: string, log: string, exitCode = 0): Promise<string> {
  await writeFile(
    path,
    `import { appendFileSync, readFileSync } from 'node:fs';
let stdin = '';
try { stdin = readFileSync(0, 'utf8'); } catch {}
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), stdin }) + '\\n');
process.exit(${exitCode});
`,
  );
  return path;
}

export interface Run {
  argv: string[];
  cwd: string;
  stdin: string;
}

export async function runs(log: string): Promise<Run[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Run);
}

/** No system git config: the machine's must not change what a test sees. */
export const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1' };

/** A CLI world whose working folder is a fresh repository, with the git environment the tests use. */
export interface RepoWorld {
  world: World;
  env: Record<string, string>;
  /** The repository, links resolved. */
  repo: string;
  /** `aitool hook <args>` through the built CLI. */
  cli(args: string[]): Promise<CliResult>;
}

export async function makeRepoWorld(): Promise<RepoWorld> {
  const world = makeWorld();
  const env = { ...world.env, ...GIT_ENV };
  const repo = await realpath(world.cwd);
  await initRepo(repo, env);
  return { world, env, repo, cli: (args) => runCli(['hook', ...args], world, GIT_ENV) };
}
