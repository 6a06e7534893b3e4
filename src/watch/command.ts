/**
 * `aitool watch`: cycles until SIGINT or SIGTERM, one JSON line per event.
 *
 * Cycles never overlap: the interval is the pause between the end of one
 * cycle and the start of the next, so a slow cycle (a process given its grace
 * period to exit) delays the next one instead of piling cycles up, and a
 * machine waking from sleep runs one cycle, not the ones it missed.
 *
 * On a signal the current cycle is abandoned where it stands (observing stops;
 * terminate.ts sends no further signal and reports what it sent), the events
 * it already produced are in the log, `stop` is written, the log is flushed
 * and closed, and the command resolves with exit code 0: no stack trace, and
 * nothing left to keep Node running.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandIo, CommandResult } from '../commands/check.js';
import { EXIT_OK, PolicyError, UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { openLogSink, streamSink, type Emit, type EventSink } from './events.js';
import { parseInterval } from './interval.js';
import { Watcher, type WatcherOptions } from './watcher.js';

export interface WatchCommandOptions {
  policy?: string;
  interval: string;
  log?: string;
}

export interface RunWatchOptions extends Omit<WatcherOptions, 'cwd' | 'env'> {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  intervalMs: number;
  /** As the user wrote it, for the start event. */
  interval: string;
  sink: EventSink;
  /** Aborted to stop the watch; its reason (a signal name) goes into `stop`. */
  stop: AbortSignal;
}

function stopReason(signal: AbortSignal): { signal?: string; reason: string } {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason)) return { signal: reason, reason: `received ${reason}` };
  return { reason: reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'stopped' };
}

/**
 * The watch loop, without the process-wide wiring (signals, stdout): what
 * the command runs, and what tests and measurements can drive in-process.
 * Throws UserError when the policy cannot be used at start (after logging
 * it), or when the log cannot be written.
 */
export async function runWatch(options: RunWatchOptions): Promise<void> {
  const { sink, stop } = options;
  const emit: Emit = (event) => sink.write(event);
  let watcher: Watcher;
  try {
    watcher = await Watcher.create(options);
  } catch (error) {
    if (error instanceof PolicyError) {
      emit({ event: 'policy-error', file: error.file, ...(error.key === undefined ? {} : { key: error.key }), message: error.problem });
    } else if (error instanceof UserError) {
      emit({ event: 'policy-error', message: error.message });
    }
    throw error;
  }

  emit({
    event: 'start',
    version: VERSION,
    pid: process.pid,
    hostname: hostname(),
    os: watcher.host.os,
    cwd: options.cwd,
    interval: options.interval,
    intervalMs: options.intervalMs,
    source: watcher.source,
    policy: { files: watcher.policy.files, warnings: watcher.policy.warnings },
  });

  while (!stop.aborted) {
    try {
      const report = await watcher.cycle(emit, stop);
      if (report.baseline && !report.aborted) emit({ event: 'ready', processes: report.live, cycleMs: Math.round(report.totalMs) });
    } catch (error) {
      // A log that cannot be written ends the watch; anything else is this cycle's problem only.
      if (error instanceof UserError) throw error;
      if (!stop.aborted) emit({ event: 'error', message: error instanceof Error ? error.message : String(error) });
    }
    await sleep(options.intervalMs, undefined, { signal: stop }).catch(() => undefined);
  }
  emit({ event: 'stop', ...stopReason(stop), cycles: watcher.cycles });
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export async function watchCommand(options: WatchCommandOptions, io: CommandIo): Promise<CommandResult> {
  const intervalMs = parseInterval(options.interval);
  const logFile = options.log === undefined ? undefined : path.resolve(io.cwd, options.log);
  const sink = logFile === undefined ? streamSink(io.stdout) : openLogSink(logFile);

  const controller = new AbortController();
  // Listening replaces Node's default for these signals (exit at once, code 128+n).
  const onSignal = (signal: NodeJS.Signals) => controller.abort(signal);
  // stdout closed under us (`aitool watch | head -1`): nobody is reading, stop quietly.
  const onOutputError = (error: Error) => controller.abort(`output closed (${(error as NodeJS.ErrnoException).code ?? error.message})`);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  if (logFile === undefined) io.stdout.on('error', onOutputError);
  try {
    await runWatch({
      cwd: io.cwd,
      env: io.env,
      intervalMs,
      interval: options.interval,
      sink,
      stop: controller.signal,
      ...(options.policy ? { policyFile: options.policy } : {}),
    });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    await sink.close();
    // onOutputError stays: the CLI still writes this command's (empty) result
    // to stdout, and a closed pipe must not turn that into an unhandled error.
  }
  return { stdout: '', stderr: '', exitCode: EXIT_OK };
}
