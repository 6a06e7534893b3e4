/**
 * Where a repository's hooks live, asked of git itself: git knows about
 * core.hooksPath, linked worktrees (hooks are shared through the common
 * folder) and submodules (`.git` is a file pointing into the superproject's
 * `.git/modules/`), and any rule we re-implemented would drift from it.
 * Running git is fine here: it is the user's own git, not a program found on
 * the machine, and it runs without a shell.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { runGit, type GitResult } from '../git/run.js';

export type Env = Record<string, string | undefined>;

export interface Repo {
  /** The work tree's top folder. */
  top: string;
  /** The effective hooks folder, absolute (it may not exist yet). */
  hooksDir: string;
  /** core.hooksPath when set: its value (after ~ expansion) and the config scope it came from (local, global, system, worktree, command). */
  hooksPath?: { value: string; scope: string };
}

async function git(cwd: string, args: string[], env: Env): Promise<GitResult> {
  try {
    return await runGit(cwd, args, { env });
  } catch (error) {
    // git ran past its deadline: already a one-line UserError saying so.
    if (error instanceof UserError) throw error;
    // git could not be started at all.
    throw new UserError(`cannot run git (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); aitool needs git on PATH to find the hooks folder`);
  }
}

/** The repository holding `dir`: its top and effective hooks folder. Throws a UserError outside a work tree. */
export async function locateRepo(dir: string, env: Env): Promise<Repo> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`${dir}: no such folder`);

  const parsed = await git(dir, ['rev-parse', '--show-toplevel', '--git-path', 'hooks'], env);
  if (parsed.exitCode !== 0) {
    const why = parsed.stderr.trim().split('\n').pop()?.replace(/^fatal: /, '') ?? '';
    if (/not a git repository/i.test(why)) throw new UserError(`${dir} is not in a git repository (run this inside one, or pass --repo <dir>)`);
    if (/work tree/i.test(why)) throw new UserError(`${dir} is a git repository without a work tree (bare); hooks are installed from a clone`);
    throw new UserError(`git rev-parse failed in ${dir}: ${why}`);
  }
  const [top, gitPathHooks] = parsed.stdout.split('\n');
  if (!top || !gitPathHooks) throw new UserError(`git rev-parse gave no work tree or hooks folder in ${dir}`);

  // `--git-path hooks` already honours core.hooksPath in current git, but a
  // relative core.hooksPath is relative to the folder hooks run in (the work
  // tree's top), which older gits did not apply here; resolving it ourselves
  // gives the same answer on every version.
  const config = await git(dir, ['config', '--path', '--show-scope', '--get', 'core.hooksPath'], env);
  const [scope, ...rest] = config.exitCode === 0 ? config.stdout.replace(/\r?\n$/, '').split('\t') : [];
  const value = rest.join('\t');
  if (scope && value) {
    return { top, hooksDir: isAbsolute(value) ? value : resolve(top, value), hooksPath: { value, scope } };
  }
  return { top, hooksDir: resolve(dir, gitPathHooks) };
}
