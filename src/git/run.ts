/**
 * Runs git, for every part of aitool that asks it something (the repo
 * scanner, commit messages, finding a repository's hooks folder).
 * node:child_process directly rather than execa: execa costs ~70 ms to
 * import, about half a pre-commit hook's whole budget, and these calls need
 * nothing beyond arguments, a working folder, an environment, a size cap and
 * cancellation. Never a shell.
 */
import { execFile } from 'node:child_process';

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
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

/** Resolves with git's exit code (never rejects for a non-zero exit); rejects when git cannot start, is cancelled or says too much. */
export function runGit(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        windowsHide: true,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.env ? { env: options.env } : {}),
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
      },
    );
    // git reads nothing from us; a closed stdin keeps it from waiting on a terminal.
    child.stdin?.end();
  });
}
