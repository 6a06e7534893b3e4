/** Runs the built CLI (bin/aitool.js → dist/) as a user would, in a temp world. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { noteTempDir } from '../helpers/temp.js';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'aitool.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A temp HOME and working folder, and no managed policy unless a test writes one. */
export interface World {
  root: string;
  home: string;
  cwd: string;
  env: Record<string, string>;
  write(relativePath: string, content: string): string;
  cleanup(): void;
}

export function makeWorld(): World {
  const root = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-cli-')));
  const home = join(root, 'home');
  const cwd = join(root, 'repo');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  return {
    root,
    home,
    cwd,
    env: {
      HOME: home,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      XDG_CONFIG_HOME: join(home, '.config'),
      // No spare aitools in the temporary folder from a test's commits (src/hooks/spare.ts): test/hooks/spare.test.ts makes its own.
      AITOOL_HOOK_SPARE: '0',
    },
    write(relativePath, content) {
      const path = join(root, relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A test that writes `managed/policy.yaml` in its world gets it as the managed
 * layer. Without one, the OS location applies (/etc/aitool, absent on CI),
 * because naming a missing managed file is itself an error.
 */
export interface RunOptions {
  /** Arguments for node itself, before the CLI (`--import` a preload). */
  nodeArgs?: string[];
  /** Run as this user and group (needs root): a folder chmod 000 is unreadable only to someone else than root. */
  uid?: number;
  gid?: number;
  /** Kill the run after this many milliseconds: a hang fails the test instead of stalling it. */
  timeoutMs?: number;
}

export async function runCli(
  args: string[],
  world: World,
  extraEnv: Record<string, string | undefined> = {},
  options: RunOptions = {},
): Promise<CliResult> {
  const managed = join(world.root, 'managed', 'policy.yaml');
  const result = await execa(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    cwd: world.cwd,
    env: { ...world.env, ...(existsSync(managed) ? { AITOOL_MANAGED_POLICY: managed } : {}), ...extraEnv },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Parses `--format json` output. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
}

/** git in the world's working folder, with no system config; returns stdout. */
export type Git = (...args: string[]) => string;

/** Makes the world's working folder a repository on `main` with a committer set, and returns its git. */
export function initRepo(world: World): Git {
  const git: Git = (...args) =>
    execFileSync('git', args, { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Ada Lovelace');
  git('config', 'user.email', 'ada@example.com');
  git('config', 'commit.gpgsign', 'false');
  return git;
}
