/**
 * What the installed hook script's git wrote on aitool's stdin
 * (`hook run <hook> --git-stdin`): the script starts git while Node starts,
 * on the other core, instead of aitool starting it once its modules are
 * loaded. Starting a child from Node costs a fork of the whole process and
 * node:child_process besides; from the shell it costs neither.
 *
 * The stream, in this order, each part only where the hook needs it:
 * - `git var GIT_COMMITTER_IDENT` and a NUL (commit-msg: the committer is
 *   not in a hook's environment unless someone put it there);
 * - `git diff --cached --name-status -z ...` (pre-commit: the staged files);
 * - the end mark `X\0aitool-end\0`, printed only after every git above
 *   exited 0.
 *
 * Without the end mark (git failed, the stream was cut, too big, or stdin is
 * not what the script sent), nothing from the stream is used: aitool asks
 * git itself, as it does when run without --git-stdin. The mark cannot be
 * forged by a file name: the listing is pairs of status and name, the mark
 * sits where a status would, and `X` is a status the listing's
 * --diff-filter=ACMR never lets through.
 *
 * Trust: the stream is as good as the hook script, which is aitool's own
 * file in the hooks folder. Whoever can write a different stream into
 * aitool's stdin can also skip the hook (`--no-verify`): it lets nobody
 * past the hook who could not pass it already.
 */
import { fstatSync, readSync } from 'node:fs';

export const END_MARK = 'X\0aitool-end\0';

/** A listing bigger than this is read by aitool's own git instead (the cap it applies to git's output). */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface HookGitInput {
  /** `git var GIT_COMMITTER_IDENT`'s line, when the hook asked for it. */
  committer?: string;
  /** The staged listing (`git diff --cached --name-status -z`), when the hook asked for it. */
  staged?: string;
}

/** Which parts a hook's stream carries (the script writes exactly these). */
export function gitInputParts(hook: 'commit' | 'pre-commit' | 'commit-msg'): { committer: boolean; staged: boolean } {
  return { committer: hook !== 'pre-commit', staged: hook !== 'commit-msg' };
}

/** The stream's parts; undefined when it does not end with the mark or lacks a part it should carry. */
export function parseGitInput(text: string, parts: { committer: boolean; staged: boolean }): HookGitInput | undefined {
  if (!text.endsWith(END_MARK)) return undefined;
  let rest = text.slice(0, -END_MARK.length);
  const input: HookGitInput = {};
  if (parts.committer) {
    const end = rest.indexOf('\0');
    if (end === -1) return undefined;
    input.committer = rest.slice(0, end);
    rest = rest.slice(end + 1);
  }
  if (parts.staged) input.staged = rest;
  else if (rest !== '') return undefined;
  return input;
}

/**
 * Reads the stream to its end, synchronously: by the time aitool's modules
 * are loaded, git has long finished writing it. Undefined (aitool asks git
 * itself) when stdin cannot be read that way: a terminal or a device (a
 * person typing the command, /dev/null), a non-blocking descriptor with
 * nothing in it yet, a closed one, more than the cap.
 *
 * The wait is git's, as the script started it: a git that blocks there (a
 * config file that is a FIFO) has already blocked `git commit` itself, which
 * reads the same configuration before it runs any hook.
 */
export function readGitInput(fd = 0): string | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const kind = fstatSync(fd);
    if (!kind.isFIFO() && !kind.isFile() && !kind.isSocket()) return undefined;
    for (;;) {
      // 64 KiB at first, then as much as was read so far (at most 8 MiB): a big listing takes few reads.
      const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(total, 8 * 1024 * 1024)));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > MAX_INPUT_BYTES) return undefined;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
