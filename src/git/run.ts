/**
 * Runs git, for every part of aitool that asks it something (the repo
 * scanner, commit messages, finding a repository's hooks folder).
 * node:child_process directly rather than execa: execa costs ~70 ms to
 * import, about half a pre-commit hook's whole budget, and these calls need
 * nothing beyond arguments, a working folder, an environment, a size cap and
 * cancellation. Never a shell.
 *
 * git can block for ever on things the user's machine controls (a
 * `~/.gitconfig` that is a FIFO, a config on a hung network mount), and a
 * child we stop waiting for still keeps this process alive. So every call
 * ends its child: with SIGKILL when the caller aborts (a scanner's budget),
 * and in any case after a hard deadline. SIGKILL because git blocked in
 * open() on a FIFO must not get a chance to linger in a cleanup handler.
 */
import type { execFile as ExecFile } from 'node:child_process';
import { UserError } from '../errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitOptions {
  signal?: AbortSignal;
  /** Output larger than this fails the call (git's output here is lists of names). */
  maxBuffer?: number;
  /** The whole environment git runs with; this process's when absent. */
  env?: Record<string, string | undefined>;
  /** git is killed after this long whatever the caller does; GIT_DEADLINE_MS when absent. */
  timeoutMs?: number;
  /** Written to git's stdin (`cat-file --batch` reads its object names there); stdin is closed at once when absent. */
  input?: string;
  /** `latin1` keeps one character per byte, for output that counts bytes (`cat-file --batch`); utf8 when absent. */
  encoding?: 'utf8' | 'latin1';
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;
/**
 * Far above what any call here takes (a listing of a large repository, 5,000
 * commit messages: well under a second), and short enough that a git that
 * hangs still lets a hook or a check end on its own.
 */
export const GIT_DEADLINE_MS = 10_000;

/** git did not finish within its deadline: something on the machine made it block (a FIFO, a hung mount). */
export class GitTimedOut extends UserError {
  constructor(args: readonly string[], timeoutMs: number) {
    super(`git ${args[0] ?? ''} did not finish within ${timeoutMs / 1000} s and was stopped (a git config file that is a FIFO, or on a hung mount?)`);
  }
}

/**
 * node:child_process on first use, not when this module loads: a commit hook
 * whose script already asked git (hooks/git-input.ts) loads this module and
 * usually starts no git, and child_process with what it brings costs ~4 ms
 * to load (more once V8's flags are set: src/load.cts).
 */
let childProcess: Promise<{ execFile: typeof ExecFile }> | undefined;

/** Resolves with git's exit code (never rejects for a non-zero exit); rejects when git cannot start, is cancelled, runs past its deadline or says too much. */
export async function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? GIT_DEADLINE_MS;
  childProcess ??= import('node:child_process');
  const { execFile } = await childProcess;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const child = execFile(
      'git',
      args,
      {
        cwd,
        encoding: options.encoding ?? 'utf8',
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        windowsHide: true,
        killSignal: 'SIGKILL',
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.env ? { env: options.env } : {}),
      },
      (error, stdout, stderr) => {
        clearTimeout(deadline);
        if (timedOut) {
          reject(new GitTimedOut(args, timeoutMs));
          return;
        }
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
      },
    );
    // Our own timer rather than execFile's `timeout`, to tell a deadline apart from any other kill.
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    // Otherwise git reads nothing from us; a closed stdin keeps it from waiting on a terminal.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  });
}
