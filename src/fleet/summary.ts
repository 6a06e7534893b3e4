/**
 * The fleet at a glance, as data: one row per machine (its newest report),
 * the strictest verdict per machine and tool, counts per tool and per
 * verdict, the machines that stopped reporting, and every input that could
 * not be used, with why.
 */
import type { Action } from '../types.js';
import type { LeftOut } from './inputs.js';
import { RANK, type MachineReport } from './parse.js';

/** Tool columns in the matrix; the rest fold into one "other tools" column (a hostile report can name thousands of tools). */
export const MAX_TOOL_COLUMNS = 40;

export type Strictest = Action | 'clean';

export interface Machine extends MachineReport {
  strictest: Strictest;
  stale: boolean;
  /** Whole days since the report, rounded down. */
  ageDays: number;
  /** Older reports of the same machine that were passed over. */
  duplicates: string[];
  /** The strictest verdict among tools outside the matrix's columns. */
  other?: Action;
}

export interface ToolCount {
  id: string;
  name: string;
  /** Machines per verdict of this tool. */
  block: number;
  warn: number;
  allow: number;
}

export type InputIssueKind = 'unusable' | 'partly-read' | 'duplicate';

export interface InputIssue {
  file: string;
  kind: InputIssueKind;
  reason: string;
  /** For a duplicate: the report of the same machine the summary uses instead. */
  newer?: string;
}

export interface FleetSummary {
  now: number;
  staleDays: number;
  /** Files read (usable or not). */
  files: number;
  machines: Machine[];
  /** Machines per strictest verdict. */
  byVerdict: Record<Strictest, number>;
  tools: ToolCount[];
  /** Tool ids with a column, most widespread first. */
  columns: string[];
  /** Tool ids folded into the "other tools" column. */
  otherTools: string[];
  stale: Machine[];
  issues: InputIssue[];
  leftOut: LeftOut;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function strictestOf(report: MachineReport): Strictest {
  let best: Strictest = 'clean';
  for (const { verdict } of report.tools.values()) if (best === 'clean' || RANK[verdict] > RANK[best]) best = verdict;
  return best;
}

const ORDER: Record<Strictest, number> = { block: 0, warn: 1, allow: 2, clean: 3 };

function byHost(a: { host: string }, b: { host: string }): number {
  return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
}

/** Newest first; among reports of the same time, the later file name wins (a collector's names usually end in a date). */
function newer(a: MachineReport, b: MachineReport): boolean {
  return a.time !== b.time ? a.time > b.time : a.file > b.file;
}

export function summarise(reports: readonly MachineReport[], issues: InputIssue[], input: { files: number; leftOut: LeftOut; now: number; staleDays: number }): FleetSummary {
  const newest = new Map<string, MachineReport>();
  const passedOver = new Map<string, MachineReport[]>();
  for (const report of reports) {
    const known = newest.get(report.host);
    if (!known) {
      newest.set(report.host, report);
      continue;
    }
    const [keep, drop] = newer(report, known) ? [report, known] : [known, report];
    newest.set(report.host, keep);
    const list = passedOver.get(report.host) ?? [];
    list.push(drop);
    passedOver.set(report.host, list);
  }

  const machines: Machine[] = [];
  for (const report of newest.values()) {
    const older = passedOver.get(report.host) ?? [];
    for (const drop of older) {
      issues.push({
        file: drop.file,
        kind: 'duplicate',
        reason: `an older report of ${report.host} (${new Date(drop.time).toISOString().replace(/\.\d+Z$/, 'Z')}); the summary uses ${report.file === drop.file ? 'a later run in the same file' : 'the newer one in'}`,
        ...(report.file === drop.file ? {} : { newer: report.file }),
      });
    }
    const age = input.now - report.time;
    machines.push({
      ...report,
      strictest: strictestOf(report),
      stale: age > input.staleDays * DAY_MS,
      ageDays: Math.max(0, Math.floor(age / DAY_MS)),
      duplicates: older.map((r) => r.file),
    });
  }
  machines.sort((a, b) => ORDER[a.strictest] - ORDER[b.strictest] || byHost(a, b));

  const counts = new Map<string, ToolCount>();
  const byVerdict: Record<Strictest, number> = { block: 0, warn: 0, allow: 0, clean: 0 };
  for (const machine of machines) {
    byVerdict[machine.strictest]++;
    for (const [id, { verdict, name }] of machine.tools) {
      let count = counts.get(id);
      if (!count) counts.set(id, (count = { id, name, block: 0, warn: 0, allow: 0 }));
      count[verdict]++;
    }
  }
  const tools = [...counts.values()].sort(
    (a, b) => b.block - a.block || b.warn - a.warn || b.allow - a.allow || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const widespread = [...tools].sort((a, b) => b.block + b.warn + b.allow - (a.block + a.warn + a.allow) || (a.id < b.id ? -1 : 1));
  const columns = widespread.slice(0, MAX_TOOL_COLUMNS).map((t) => t.id);
  const otherTools = widespread.slice(MAX_TOOL_COLUMNS).map((t) => t.id);
  if (otherTools.length > 0) {
    const inColumns = new Set(columns);
    for (const machine of machines) {
      for (const [id, { verdict }] of machine.tools) {
        if (!inColumns.has(id) && (machine.other === undefined || RANK[verdict] > RANK[machine.other])) machine.other = verdict;
      }
    }
  }
  // Columns in the same order as the tool counts: blocked tools first.
  const rank = new Map(tools.map((t, i) => [t.id, i]));
  columns.sort((a, b) => rank.get(a)! - rank.get(b)!);

  const stale = machines.filter((m) => m.stale).sort((a, b) => a.time - b.time || byHost(a, b));
  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { now: input.now, staleDays: input.staleDays, files: input.files, machines, byVerdict, tools, columns, otherTools, stale, issues, leftOut: input.leftOut };
}
