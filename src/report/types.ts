/**
 * The report: what `aitool check` found, as data. `--format json` prints it
 * as is; this is the contract other programs rely on (documented in README).
 */
import type { Origin, PolicyWarning } from '../policy/types.js';
import type { Action, Finding, ScanNote, Skipped } from '../types.js';

export type FailOn = Exclude<Action, 'allow'> | 'never';

export interface Report {
  /** Bumped only when a field changes meaning or goes away. */
  schemaVersion: 1;
  aitool: { version: string };
  /** When the check ran (ISO 8601, UTC): a fleet summary dates the report by it. Absent from reports of aitool before it was added. */
  time?: string;
  host: { os: string; hostname: string; user?: string };
  policy: { files: Origin[]; warnings: PolicyWarning[] };
  /** Findings at or above this action make the exit code 1. */
  failOn: FailOn;
  findings: Finding[];
  /** Scanners that failed or ran out of time; the rest of the scan went on. */
  skipped: Skipped[];
  /** Things passed over inside scanners that finished (an unreadable folder, a symlink loop). */
  notes: ScanNote[];
  /**
   * Distinct tools per action, each counted once at the strictest verdict its
   * own findings got (a tool found three ways counts once; under a live
   * exception a block counts as warn), and apart from
   * them the MCP servers per action (the same server in two files counts twice).
   */
  summary: Record<Action, number> & { mcpServers: Record<Action, number> };
  /** Processes aitool tried to stop (policy `terminate`, or `--kill`), each with its outcome; absent when none were asked for. */
  terminations?: TerminationAttempt[];
}

/**
 * One process aitool was asked to stop and what happened. `would-stop` is a
 * `--dry-run`; `refused` means a safety rule kept it alive (`reason` says which).
 */
export interface TerminationAttempt {
  pid: number;
  tool: string;
  cmd: string;
  uid?: number;
  outcome: 'would-stop' | 'stopped' | 'killed' | 'gone' | 'refused' | 'failed';
  /** Signals sent, in order. */
  signals: Array<'SIGTERM' | 'SIGKILL'>;
  reason?: string;
}
