/**
 * `aitool report <files or folders...>`: many machines' collected
 * `check --format json|ndjson` outputs → one HTML page and/or one CSV for a
 * security team. Bad inputs are part of the summary, never fatal: exit 0
 * once the summary is written, 2 for bad options or an output that cannot
 * be written.
 */
import { EXIT_OK, UserError } from '../errors.js';
import { printable } from '../report/escape.js';
import { writeFileAtomic } from '../output.js';
import { VERSION } from '../version.js';
import { collectInputs, DEFAULT_LIMITS, mapBounded, readBounded, type Limits } from './inputs.js';
import { parseReportFile, type MachineReport } from './parse.js';
import { summarise, type FleetSummary, type InputIssue } from './summary.js';

export interface ReportCommandOptions {
  output?: string;
  csv?: string;
  staleDays?: string;
  now?: string;
  maxFiles?: string;
  maxFileSize?: string;
}

export interface ReportResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,12}$/.test(value) || Number(value) < min) throw new UserError(`report: ${name} takes a whole number of at least ${min}, not '${value}'`);
  return Number(value);
}

/** `16M`, `512k`, `1048576`: the per-file cap. */
function byteSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMITS.maxFileBytes;
  const match = /^(\d{1,9})([kKmM]?)$/.exec(value);
  if (!match || Number(match[1]) === 0) throw new UserError(`report: --max-file-size takes a size such as 16M, 512k or 1048576, not '${value}'`);
  const unit = match[2]!.toLowerCase();
  return Number(match[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
}

function nowFrom(value: string | undefined): number {
  if (value === undefined) return Date.now();
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new UserError(`report: --now takes a date and time such as 2026-05-01T12:00:00Z, not '${value}'`);
  return ms;
}

/** How far ahead of the summary's time a report may be dated: machines whose clocks are a little wrong. */
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

export async function buildSummary(paths: readonly string[], limits: Limits, now: number, staleDays: number): Promise<FleetSummary> {
  const collected = await collectInputs(paths, limits);
  const issues: InputIssue[] = collected.problems.map((p) => ({ ...p, kind: 'unusable' }));
  const reports: MachineReport[] = [];
  const parsed = await mapBounded(collected.files, async (file) => {
    const read = await readBounded(file, limits.maxFileBytes);
    return read.ok ? parseReportFile(read.text, file.path, read.mtimeMs, now + CLOCK_SKEW_MS) : { reports: [], problem: read.reason };
  });
  parsed.forEach((result, i) => {
    reports.push(...result.reports);
    if (result.problem) issues.push({ file: collected.files[i]!.path, kind: result.reports.length > 0 ? 'partly-read' : 'unusable', reason: result.problem });
  });
  return summarise(reports, issues, { files: collected.files.length, leftOut: collected.leftOut, now, staleDays });
}

export async function reportCommand(paths: readonly string[], options: ReportCommandOptions): Promise<ReportResult> {
  if (options.output === undefined && options.csv === undefined) {
    throw new UserError('report: say where to write the summary: --output <file.html>, --csv <file.csv>, or both');
  }
  if (paths.length === 0) throw new UserError('report: name the report files or folders to summarise');
  const staleDays = wholeNumber('--stale-days', options.staleDays, 7, 0);
  const limits: Limits = { maxFiles: wholeNumber('--max-files', options.maxFiles, DEFAULT_LIMITS.maxFiles, 1), maxFileBytes: byteSize(options.maxFileSize) };
  const now = nowFrom(options.now);

  const summary = await buildSummary(paths, limits, now, staleDays);

  const written: string[] = [];
  if (options.output !== undefined) {
    const { formatFleetHtml } = await import('./html.js');
    await writeFileAtomic(options.output, formatFleetHtml(summary, { outputFile: options.output, ...limits, version: VERSION }));
    written.push(options.output);
  }
  if (options.csv !== undefined) {
    const { formatCsv } = await import('./csv.js');
    await writeFileAtomic(options.csv, formatCsv(summary, options.csv));
    written.push(options.csv);
  }
  const { block, warn } = summary.byVerdict;
  const line =
    `aitool: ${summary.machines.length} machines from ${summary.files} files: ${block} with a blocked tool, ${warn} with a tool to review, ` +
    `${summary.stale.length} stale; ${summary.issues.length} input problems; wrote ${written.map(printable).join(' and ')}\n`;
  return { stdout: line, stderr: '', exitCode: EXIT_OK };
}
