/**
 * One collected file → the machine reports in it. A `--format json` file is
 * one report; a `--format ndjson` file holds one line per finding, and a log
 * shipper may have appended many runs (and machines) to one file: its lines
 * are grouped by machine and run time. Only the fields the summary shows are
 * taken, each checked for type and length: the rest of a report is not
 * looked at, so a deep or huge value elsewhere costs nothing but the parse.
 */
import type { Action } from '../types.js';

export interface MachineReport {
  host: string;
  user?: string;
  os?: string;
  /** When the check ran, ms since the epoch. */
  time: number;
  /** Whether `time` came from the report itself or from the file's modification time (a JSON report written before reports carried `time`). */
  timeFrom: 'report' | 'file';
  file: string;
  /** Tool id → the strictest verdict of its findings, and its display name. */
  tools: Map<string, ToolVerdict>;
}

export interface ToolVerdict {
  verdict: Action;
  name: string;
}

export type Parsed = { reports: MachineReport[]; problem?: string };

const ACTIONS = new Set<string>(['block', 'warn', 'allow']);
export const RANK: Record<Action, number> = { allow: 1, warn: 2, block: 3 };

/** Host names are at most 253 characters (RFC 1035); longer is not a machine. */
const MAX_HOST = 255;
const MAX_TOOL_ID = 128;
const MAX_TEXT = 256;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortText(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/** A value quoted in a reason: short, so one bad file cannot fill the summary. */
function quote(value: unknown): string {
  // Never stringify an object or array from the file: it may be nested a million deep.
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value.length > 60 ? value.slice(0, 60) : value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A report's `time` is the sender's word, and the newest report of a machine
 * is the one that counts: one dated years ahead would stand for the machine
 * (and keep it from going stale) whatever it sends later. A time past the
 * summary's own `latest` (its now, plus a day for clocks set wrong) is refused.
 */
function futureProblem(value: unknown, time: number, latest: number): string | undefined {
  return time > latest ? `dated ${quote(value)}, after the time of this summary (a wrong clock, or a forged report)` : undefined;
}

/** Under a live exception a block counts as warn, as in the report's own summary. */
function verdictOf(finding: Json): Action | undefined {
  const action = finding.action;
  if (typeof action !== 'string' || !ACTIONS.has(action)) return undefined;
  return action === 'block' && isObject(finding.exception) ? 'warn' : (action as Action);
}

function addTool(tools: Map<string, ToolVerdict>, id: string, verdict: Action, name: string): void {
  const known = tools.get(id);
  if (!known) tools.set(id, { verdict, name });
  else if (RANK[verdict] > RANK[known.verdict]) known.verdict = verdict;
}

/** Why a finding cannot be used, or its tool and verdict. */
function readFinding(finding: unknown): { id: string; verdict: Action; name: string } | string {
  if (!isObject(finding)) return 'not an object';
  const id = shortText(finding.tool, MAX_TOOL_ID);
  if (!id) return typeof finding.tool === 'string' && finding.tool.length > MAX_TOOL_ID ? `tool id longer than ${MAX_TOOL_ID} characters` : 'no tool id';
  const verdict = verdictOf(finding);
  if (!verdict) return `action ${quote(finding.action)} is not block, warn or allow`;
  return { id, verdict, name: shortText(finding.toolName, MAX_TEXT) ?? id };
}

function hostProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'no host name';
  if (value.length > MAX_HOST) return `host name longer than ${MAX_HOST} characters`;
  return undefined;
}

function fromJsonReport(data: Json, file: string, mtimeMs: number, latest: number): Parsed {
  if (data.schemaVersion !== 1) return { reports: [], problem: `schemaVersion ${quote(data.schemaVersion)}; this aitool reads schemaVersion 1` };
  const host = isObject(data.host) ? data.host : undefined;
  const problem = hostProblem(host?.hostname);
  if (problem) return { reports: [], problem };
  if (!Array.isArray(data.findings)) return { reports: [], problem: 'no findings list' };
  const tools = new Map<string, ToolVerdict>();
  for (let i = 0; i < data.findings.length; i++) {
    const finding = readFinding(data.findings[i]);
    if (typeof finding === 'string') return { reports: [], problem: `finding ${i + 1}: ${finding}` };
    addTool(tools, finding.id, finding.verdict, finding.name);
  }
  // `time` came with aitool 0.1 reports after the fleet summary; an older report (or one without it) is dated by its file.
  const time = parseTime(data.time);
  const future = time === undefined ? undefined : futureProblem(data.time, time, latest);
  if (future) return { reports: [], problem: future };
  const user = shortText(host!.user, MAX_TEXT);
  const os = shortText(host!.os, MAX_TEXT);
  return {
    reports: [
      {
        host: host!.hostname as string,
        ...(user ? { user } : {}),
        ...(os ? { os } : {}),
        time: time ?? mtimeMs,
        timeFrom: time === undefined ? 'file' : 'report',
        file,
        tools,
      },
    ],
  };
}

function fromNdjsonLines(lines: readonly string[], file: string, latest: number): Parsed {
  const runs = new Map<string, MachineReport>();
  let bad = 0;
  let firstBad = '';
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    total++;
    let why: string | undefined;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      why = 'not JSON (truncated?)';
    }
    if (!why) {
      if (!isObject(data)) why = 'not an object';
      else {
        const time = parseTime(data.time);
        const finding = readFinding(data);
        why =
          hostProblem(data.hostname) ??
          (time === undefined ? 'no time' : (futureProblem(data.time, time, latest) ?? (typeof finding === 'string' ? finding : undefined)));
        if (!why && typeof finding !== 'string') {
          const host = data.hostname as string;
          const key = `${host}\u0000${time}`;
          let run = runs.get(key);
          if (!run) {
            const user = shortText(data.user, MAX_TEXT);
            const os = shortText(data.os, MAX_TEXT);
            run = { host, ...(user ? { user } : {}), ...(os ? { os } : {}), time: time!, timeFrom: 'report', file, tools: new Map() };
            runs.set(key, run);
          }
          addTool(run.tools, finding.id, finding.verdict, finding.name);
        }
      }
    }
    if (why) {
      if (bad === 0) firstBad = `line ${i + 1}: ${why}`;
      bad++;
    }
  }
  if (runs.size === 0) return { reports: [], problem: `no usable aitool finding in ${total} line${total === 1 ? '' : 's'}; first: ${firstBad}` };
  return { reports: [...runs.values()], ...(bad > 0 ? { problem: `${bad} of ${total} lines unusable, the others were read; first: ${firstBad}` } : {}) };
}

/**
 * What one file holds: its reports, and a one-line reason if all or part of
 * it could not be used. `latest`: the latest time a report may carry.
 */
export function parseReportFile(text: string, file: string, mtimeMs: number, latest = Number.POSITIVE_INFINITY): Parsed {
  const start = text.search(/\S/);
  if (start === -1) return { reports: [], problem: text.length === 0 ? 'empty file' : 'only white space' };
  if (text[start] !== '{') return { reports: [], problem: 'not an aitool report (not a JSON object)' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not one JSON value: NDJSON if its first line is a finding line, else a broken (often truncated) JSON report.
    const lines = text.split('\n');
    if (lines.length > 1 && looksLikeNdjsonLine(lines[0]!)) return fromNdjsonLines(lines, file, latest);
    return { reports: [], problem: 'not valid JSON (truncated?)' };
  }
  if (!isObject(data)) return { reports: [], problem: 'not an aitool report (not a JSON object)' };
  if ('schemaVersion' in data) return fromJsonReport(data, file, mtimeMs, latest);
  // A one-line NDJSON file: a machine with a single finding.
  if ('hostname' in data && 'tool' in data) return fromNdjsonLines([text], file, latest);
  return { reports: [], problem: 'not an aitool report (no schemaVersion, host and findings)' };
}

function looksLikeNdjsonLine(line: string): boolean {
  try {
    const data: unknown = JSON.parse(line);
    return isObject(data) && 'hostname' in data && 'tool' in data;
  } catch {
    return false;
  }
}
