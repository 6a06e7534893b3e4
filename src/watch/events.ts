/**
 * What `aitool watch` writes: one JSON object per line, each with `time`
 * (ISO, when it was written) and `event` first, to stdout or to `--log`.
 *
 * The log file is opened once with O_APPEND and every line goes out in one
 * write(2): with O_APPEND the kernel puts each write at the end of the file
 * as it is then, so two watches sharing a log, or a rotation that truncates
 * it (copytruncate), never splice half lines. The writes are synchronous on
 * purpose: lines stay in order, nothing is buffered when a signal stops the
 * watch, and a full disk is known at the line that hit it.
 */
import fs from 'node:fs';
import { UserError } from '../errors.js';
import type { Origin, PolicyWarning } from '../policy/types.js';
import type { TerminationAttempt } from '../report/types.js';
import type { Action, Alternative, Confidence, Evidence } from '../types.js';
import type { ToolCategory } from '../catalog/schema.js';

export interface StartEvent {
  event: 'start';
  version: string;
  pid: number;
  hostname: string;
  os: string;
  cwd: string;
  /** As given (`30s`), and in milliseconds. */
  interval: string;
  intervalMs: number;
  /** How the process table is read: `proc` (Linux, incremental) or `listing` (ps-list every cycle). */
  source: 'proc' | 'listing';
  policy: { files: Origin[]; warnings: PolicyWarning[] };
}

/** The first cycle is done: every process running at start has been looked at. */
export interface ReadyEvent {
  event: 'ready';
  processes: number;
  cycleMs: number;
}

/**
 * Why a finding is written: `initial` (running when the watch started),
 * `started` (a process new since the last cycle, or one that exec'd another
 * program), `policy` (a reloaded policy gave a live process another verdict),
 * `child` (a process seen before, with no finding or a weaker one, has a new
 * child that vouches for it: a renamed agent at work).
 */
export type FindingTrigger = 'initial' | 'started' | 'policy' | 'child';

export interface FindingEvent {
  event: 'finding';
  trigger: FindingTrigger;
  tool: string;
  toolName: string;
  category: ToolCategory;
  confidence: Confidence;
  action: Action;
  /** The policy key that decided (`tools.claude-code`, `default`). */
  rule: string;
  /** The rule says to stop the tool's processes (only with action block). */
  terminate?: boolean;
  reason?: string;
  message?: string;
  pid: number;
  startTime?: string;
  cmd: string;
  evidence: Evidence;
  alternatives: Alternative[];
  remediation?: string;
}

export type TerminatedEvent = { event: 'terminated' } & TerminationAttempt;

/** A process that had a finding has ended (or its pid now belongs to another process). */
export interface GoneEvent {
  event: 'gone';
  pid: number;
  startTime?: string;
  cmd: string;
  tools: string[];
}

export interface PolicyReloadedEvent {
  event: 'policy-reloaded';
  files: Origin[];
  warnings: PolicyWarning[];
  /** The policy was broken before this load (its content may equal the last good one). */
  recovered?: boolean;
}

/** A policy edit that cannot be used; the last good policy stays in force. */
export interface PolicyErrorEvent {
  event: 'policy-error';
  file?: string;
  key?: string;
  message: string;
}

/** A cycle (or part of one) that failed; the watch goes on. */
export interface ErrorEvent {
  event: 'error';
  message: string;
  pid?: number;
}

export interface StopEvent {
  event: 'stop';
  /** SIGINT or SIGTERM; absent when the watch stopped for another reason. */
  signal?: string;
  reason: string;
  cycles: number;
}

export type WatchEvent =
  | StartEvent
  | ReadyEvent
  | FindingEvent
  | TerminatedEvent
  | GoneEvent
  | PolicyReloadedEvent
  | PolicyErrorEvent
  | ErrorEvent
  | StopEvent;

export type Emit = (event: WatchEvent) => void;

/** One line, `time` and `event` first. */
export function formatEvent(event: WatchEvent, now: Date = new Date()): string {
  return `${JSON.stringify({ time: now.toISOString(), ...event })}\n`;
}

export interface EventSink {
  /** Writes one event as one line; throws when the line cannot be written. */
  write(event: WatchEvent): void;
  /** Flushes and closes (never closes a stream it did not open). */
  close(): Promise<void>;
}

/** Why an opened log file is not one to append to; undefined when it is. */
function logRefusal(info: fs.Stats): string | undefined {
  if (info.isCharacterDevice()) return undefined;
  if (!info.isFile()) return 'not a regular file';
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return `owned by uid ${info.uid}, not by the user running aitool (${uid})`;
  if (info.nlink > 1) return `it has ${info.nlink} hard links`;
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The `--log` file. Created with mode 0600 when missing: lines carry command
 * lines, which may hold tokens passed as arguments. O_NONBLOCK makes opening a
 * FIFO with no reader fail at once instead of hanging; it changes nothing for
 * a regular file.
 *
 * The watch may run as root with the log in a folder a user can write, so the
 * name is opened without following a link (a link planted there would send
 * root's lines, appended, onto a file the user chose), and an existing file
 * is used only when it is an ordinary file of the running user's with no
 * other hard link (a hard link is the same trick without a link to refuse).
 * A character device (/dev/null, a terminal) is accepted: only root makes
 * one, and appending to it changes no file.
 */
export function openLogSink(file: string): EventSink {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw new UserError(`${file}: cannot log to it (a symbolic link; name the file itself)`);
    throw new UserError(`${file}: cannot open the log (${errorCode(error)})`);
  }
  const info = fs.fstatSync(fd);
  const refusal = logRefusal(info);
  if (refusal !== undefined) {
    fs.closeSync(fd);
    throw new UserError(`${file}: cannot log to it (${refusal})`);
  }
  let closed = false;
  return {
    write(event) {
      const line = Buffer.from(formatEvent(event), 'utf8');
      try {
        let written = fs.writeSync(fd, line);
        // A regular file takes the whole line in one write; only a full disk or a signal cuts it short.
        while (written < line.length) written += fs.writeSync(fd, line, written);
      } catch (error) {
        throw new UserError(`${file}: cannot write the log (${errorCode(error)})`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (info.isFile()) fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

/**
 * stdout (or any stream). A line is one write() call; process.stdout writes
 * synchronously to files and pipes on Linux, so nothing waits in a buffer.
 */
export function streamSink(stream: NodeJS.WritableStream): EventSink {
  return {
    write(event) {
      stream.write(formatEvent(event));
    },
    close() {
      // Resolves once what was written has been handed to the OS (at once for a synchronous stdout).
      return new Promise((resolve) => {
        if ((stream as { destroyed?: boolean }).destroyed) return resolve();
        stream.write('', () => resolve());
      });
    },
  };
}
