import { printable } from './report/escape.js';

/**
 * Errors a user can cause (a bad policy, an unknown tool id, a bad flag). The CLI
 * prints `message` as one line and exits 2; anything else is a bug and is shown
 * as "internal error" (with the stack only under --debug).
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * A policy file that cannot be used. `file` and `key` are part of the one-line
 * message. The file name, the key and the problem (which quotes values from
 * the file) may hold control characters: the message shows them escaped, so it
 * stays one line that cannot rewrite the terminal; the fields keep them exact
 * for JSON (watch's policy-error event).
 */
export class PolicyError extends UserError {
  override name = 'PolicyError';
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    readonly problem: string,
  ) {
    super([file, key, problem].filter((part) => part !== undefined && part !== '').map(printable).join(': '));
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
