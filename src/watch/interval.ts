/**
 * `--interval` values: `30s`, `500ms`, `2m`, `1h`, or a bare number of
 * seconds (`45`, `0.5`). Anything else is the user's mistake: one line, exit 2.
 */
import { UserError } from '../errors.js';

/** Below this a cycle would mostly measure itself: reading /proc and matching take a few milliseconds. */
export const MIN_INTERVAL_MS = 100;
/** setTimeout's limit (about 24.8 days); a longer delay fires at once. */
export const MAX_INTERVAL_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for an interval; throws UserError (naming the flag) when it is malformed or out of range. */
export function parseInterval(text: string, flag = '--interval'): number {
  const found = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!found) {
    throw new UserError(`${flag}: expected a duration such as 30s, 500ms, 2m or 1h (a bare number is seconds), got '${text}'`);
  }
  const ms = Math.round(Number(found[1]) * UNIT_MS[(found[2] ?? 's').toLowerCase()]!);
  if (ms < MIN_INTERVAL_MS) throw new UserError(`${flag}: at least ${MIN_INTERVAL_MS}ms, got '${text}'`);
  if (ms > MAX_INTERVAL_MS) throw new UserError(`${flag}: at most 24 days, got '${text}'`);
  return ms;
}

/** The shortest exact spelling of an interval (`30s`, `1500ms`, `2m`), for logs and generated service files. */
export function formatInterval(ms: number): string {
  if (ms % UNIT_MS.h! === 0) return `${ms / UNIT_MS.h!}h`;
  if (ms % UNIT_MS.m! === 0) return `${ms / UNIT_MS.m!}m`;
  if (ms % UNIT_MS.s! === 0) return `${ms / UNIT_MS.s!}s`;
  return `${ms}ms`;
}
