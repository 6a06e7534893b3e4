/**
 * The report, written to fd 1 or 2 directly. process.stdout and
 * process.stderr are built on first use, and for a pipe or a terminal that
 * loads net, stream and tty (~2.5 ms, a sizeable part of a commit hook's own
 * time) only to write one string once. A synchronous write to the
 * descriptor gives the same bytes in the same order.
 *
 * The stream is still the answer whenever the direct write cannot finish: a
 * descriptor left non-blocking by someone else (a pipe another Node process
 * shares) says EAGAIN when full, and a closed reader says EPIPE. Then the
 * stream gets the rest, in order, and every later write to that descriptor
 * goes through it too, so EAGAIN is waited out as libuv does, and EPIPE ends
 * aitool exactly as it did before (the stream reports it).
 */
import { writeSync } from 'node:fs';

export type StdioName = 'stdout' | 'stderr';

const FD: Readonly<Record<StdioName, 1 | 2>> = { stdout: 1, stderr: 2 };

/** Descriptors whose stream exists: from then on everything goes through it, so nothing overtakes what it still holds. */
const streamed = new Set<StdioName>();

/** process.stdout or process.stderr, for whatever needs the stream itself (commander, watch, init's prompts). */
export function stdioStream(name: StdioName): NodeJS.WriteStream {
  streamed.add(name);
  return process[name];
}

/** Whether stdout's or stderr's stream was built: then it may still hold bytes it has not written. */
export function stdioStreamUsed(): boolean {
  return streamed.size > 0;
}

/** Writes `text` to stdout or stderr: straight to the descriptor while nothing has used the stream. */
export function writeStdio(name: StdioName, text: string): void {
  if (text === '') return;
  if (streamed.has(name)) {
    stdioStream(name).write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(FD[name], bytes, written, bytes.length - written);
  } catch {
    stdioStream(name).write(bytes.subarray(written));
  }
}

/**
 * Whether stdout or stderr is a terminal, as process.stdout.isTTY says (both
 * ask libuv what the descriptor is), without building the stream. node:tty is
 * loaded only here, when colour is to be decided, and chalk loads it anyway.
 */
export async function isTerminal(name: StdioName): Promise<boolean> {
  const { isatty } = await import('node:tty');
  return isatty(FD[name]);
}
