/**
 * The human report: grouped by tool, most severe first, each group saying what
 * was found, why it matters, what to use instead and how to remove it.
 */
import { CATEGORY_LABEL } from '../labels.js';
import type { ChalkInstance } from 'chalk';
import type { Finding } from '../types.js';
import { printable } from './escape.js';
import type { Report } from './types.js';

const KIND_LABEL: Record<Finding['kind'], string> = {
  process: 'running',
  executable: 'on PATH',
  trace: 'used here',
  package: 'installed',
  extension: 'extension',
  app: 'app',
  'mcp-server': 'MCP server',
  'config-change': 'changed',
  session: 'inside',
  artifact: 'in repo',
  commit: 'commit',
  dependency: 'SDK dep',
  skill: 'skill',
  'browser-extension': 'browser extension',
};

function tildify(path: string, home: string | undefined): string {
  return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Cut first, then escaped: a 1 MB command line stays short, and no escape sequence is cut in half. */
function clip(text: string | undefined, max: number): string {
  return printable(truncate(text ?? '', max));
}

// Every value below comes from the machine or a policy file: it is shown through printable() (see escape.ts).
function describeEvidence(finding: Finding, home: string | undefined): string {
  const e = finding.evidence;
  const place = (path: string | undefined) => printable(tildify(path ?? '', home));
  const version = e.version ? ` ${printable(e.version)}` : '';
  const how = finding.confidence === 'confirmed' ? `${printable(e.matched)}${version}` : `${printable(e.matched)}; name only, not proven`;
  switch (finding.kind) {
    case 'process':
      return `pid ${e.pid}  ${clip(e.cmd, 70)}  (${how}${provenBy(e)})`;
    case 'executable':
      return `${place(e.path)}${e.realPath ? ` → ${place(e.realPath)}` : ''}  (${how})`;
    case 'trace':
      return place(e.path);
    case 'package':
      return `${printable(e.package || finding.toolName)}${version} (${printable(e.installMethod)}) in ${place(e.path)}`;
    case 'extension':
      return `${printable(e.extensionId)}${version} in ${printable(e.editor)}  ${chalkless(place(e.path))}`;
    case 'app':
      return `${printable(e.name)}${version}  ${place(e.path)}`;
    case 'mcp-server': {
      const target = e.server?.url ?? [e.server?.command, ...(e.server?.args ?? [])].filter(Boolean).join(' ');
      return `${printable(e.server?.name)}: ${clip(target, 60)}  in ${place(e.path)}${e.scope === 'project' ? ' (repository)' : ''}`;
    }
    case 'config-change':
      return `${place(e.path)}:${e.line ?? ''}  ${clip(e.excerpt, 60)}`;
    case 'session':
      if (e.variable) return `environment ${printable(e.variable.name)}=${clip(e.variable.value, 40)}  (${how})`;
      return `pid ${e.pid}  ${clip(e.cmd, 60)}  (${e.depth === 1 ? 'parent' : `ancestor, ${e.depth} levels up`}; ${how})`;
    case 'artifact':
      if (e.commit) return `${printable(e.file ?? '')}  (${printable(e.status ?? 'added')} in commit ${printable(e.commit.slice(0, 12))})`;
      return `${printable(e.file)}${e.status && e.status !== 'tracked' ? `  (${e.status}, staged)` : ''}`;
    case 'dependency':
      return `${printable(e.file)}:${e.line ?? ''}  ${printable(e.package)}${e.spec ? ` ${printable(e.spec)}` : ''}${e.alias ? ` as ${printable(e.alias)}` : ''}  (${printable(e.ecosystem)} ${printable(e.field)}${e.commit ? `, ${printable(e.status ?? 'added')} in commit ${printable(e.commit.slice(0, 12))}` : e.status && e.status !== 'tracked' ? `, ${e.status}, staged` : ''})`;
    case 'commit':
      return `${e.commit ? printable(e.commit.slice(0, 12)) : 'message being written'}  ${e.field === 'message' ? '' : `${e.field}: `}${clip(e.excerpt, 70)}`;
    case 'skill':
      return `${clip(e.name, 60)}  ${place(e.path)}${e.scope === 'project' ? ' (repository)' : ''}${skillShellNote(e.skill)}`;
    case 'browser-extension':
      return `${clip(e.name ?? e.extensionId, 60)}${version} in ${printable(e.browser)} profile ${clip(e.profile, 40)}  (${printable(e.extensionId)})`;
  }
}

/** What a skill does with the shell, in a few words: load-time commands first, they run before anyone reads the skill. */
function skillShellNote(skill: Finding['evidence']['skill']): string {
  if (skill?.unread) return `  (SKILL.md not read: ${printable(skill.unread)})`;
  const shell = skill?.shell;
  if (!shell) return '';
  if (shell.injection) return `  runs shell at load: ${clip(shell.firstCommand, 50)}`;
  const also = [shell.preapprovedBash ? 'Bash pre-approved' : '', shell.scripts ? 'bundles scripts' : ''].filter(Boolean);
  return also.length > 0 ? `  (${also.join(', ')})` : '';
}

const chalkless = (text: string) => `(${text})`;

/** What the environment, a child or an open file showed, values already redacted by the matcher. */
function provenBy(e: Finding['evidence']): string {
  const assignment = (v: { name: string; value: string }) => `${printable(v.name)}=${clip(v.value, 40)}`;
  if (e.proof === 'environment' && e.variable) return `; ${assignment(e.variable)}`;
  if (e.proof === 'child' && e.child?.variable) return `; ${assignment(e.child.variable)}`;
  if (e.proof === 'open-file' && e.openFile) return `; ${printable(e.openFile)}`;
  return '';
}

/** Evidence lines shown per tool in text; the rest are counted. */
const MAX_EVIDENCE_LINES = 8;

/** One group per tool and verdict: an MCP server rule can judge a client's server apart from the client itself. */
function groupByTool(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.tool}\0${finding.action}\0${finding.rule}\0${finding.exception ? `${finding.exception.file}\0${finding.exception.index}` : ''}`;
    const group = groups.get(key) ?? [];
    group.push(finding);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface TextOptions {
  /** Git hooks: nothing at all when nothing is flagged, and no list of allowed tools. */
  quiet?: boolean;
}

export function formatText(report: Report, chalk: ChalkInstance, home?: string, options: TextOptions = {}): string {
  const lines: string[] = [];
  const badge = {
    block: chalk.bold.red('✖ BLOCK'),
    warn: chalk.bold.yellow('▲ WARN '),
    allow: chalk.green('✔ allow'),
  };
  const groups = groupByTool(report.findings);
  const flagged = groups.filter((g) => g[0]!.action !== 'allow');
  const allowed = options.quiet ? [] : groups.filter((g) => g[0]!.action === 'allow');
  if (options.quiet && flagged.length === 0 && report.skipped.length === 0 && report.policy.warnings.length === 0) return '';

  for (const group of flagged) {
    const first = group[0]!;
    if (first.kind === 'mcp-server') {
      const servers = [...new Set(group.map((f) => printable(f.evidence.server?.name)))].join(', ');
      const title = `MCP server${group.length > 1 ? 's' : ''} ${servers}`;
      lines.push(`${badge[first.action]}  ${chalk.bold(title)} ${chalk.dim(`(configured for ${printable(first.toolName)}; rule ${printable(first.rule)})`)}`);
    } else {
      lines.push(`${badge[first.action]}  ${chalk.bold(printable(first.toolName))} ${chalk.dim(`(${printable(first.tool)}, ${CATEGORY_LABEL[first.category]})`)}`);
    }
    if (first.reason) lines.push(`  Why: ${printable(first.reason)}`);
    if (first.exception) {
      const { reason, until, file, index } = first.exception;
      lines.push(`  ${chalk.cyan('Exception:')} ${printable(reason)} — until ${printable(until)} (end of day UTC; ${printable(file)}, #${index}); does not fail the check`);
    }
    if (first.message) lines.push(`  ${printable(first.message)}`);
    // A folder like .claude/ can hold hundreds of files: the first few say enough, JSON has them all.
    for (const finding of group.slice(0, MAX_EVIDENCE_LINES)) {
      lines.push(`  ${chalk.dim(KIND_LABEL[finding.kind].padEnd(9))} ${describeEvidence(finding, home)}`);
    }
    if (group.length > MAX_EVIDENCE_LINES) lines.push(chalk.dim(`  … and ${group.length - MAX_EVIDENCE_LINES} more (see --format json)`));
    if (first.alternatives.length > 0) {
      for (const alternative of first.alternatives) {
        const parts = [
          chalk.bold(printable(alternative.name)),
          alternative.url && printable(alternative.url),
          alternative.install && `install: ${printable(alternative.install)}`,
        ];
        lines.push(`  ${chalk.green('Use instead:')} ${parts.filter(Boolean).join(' — ')}`);
        if (alternative.note) lines.push(`    ${printable(alternative.note)}`);
      }
    } else {
      lines.push(`  ${chalk.dim('Use instead: the policy names no approved alternative; ask whoever owns it.')}`);
    }
    // Things on the machine are removed; a commit, its files or the shell it comes from are fixed.
    const label = (f: Finding) => (f.kind === 'session' || f.kind === 'artifact' || f.kind === 'commit' || f.kind === 'dependency' ? 'To fix:' : 'To remove:');
    const remedies = [...new Set(group.flatMap((f) => (f.remediation ? [`${chalk.cyan(label(f))} ${printable(f.remediation)}`] : [])))];
    for (const remedy of remedies.slice(0, MAX_EVIDENCE_LINES)) lines.push(`  ${remedy}`);
    if (remedies.length > MAX_EVIDENCE_LINES) lines.push(chalk.dim(`  … and ${remedies.length - MAX_EVIDENCE_LINES} more steps (see --format json)`));
    lines.push('');
  }

  const allowedTools = allowed.filter((g) => g[0]!.kind !== 'mcp-server');
  const allowedServers = allowed.filter((g) => g[0]!.kind === 'mcp-server').flat();
  if (allowedTools.length > 0) {
    const names = [...new Set(allowedTools.map((g) => `${printable(g[0]!.toolName)} (${printable(g[0]!.tool)})`))];
    lines.push(`${badge.allow}  ${names.join(', ')}`);
  }
  if (allowedServers.length > 0) {
    const names = [...new Set(allowedServers.map((f) => `${printable(f.evidence.server?.name)} (${printable(f.toolName)})`))];
    lines.push(`${badge.allow}  MCP servers: ${names.join(', ')}`);
  }
  if (allowed.length > 0) lines.push('');

  const OUTCOME: Record<NonNullable<Report['terminations']>[number]['outcome'], string> = {
    'would-stop': 'would stop (dry run)',
    stopped: 'stopped (SIGTERM)',
    killed: 'killed (SIGKILL after the grace period)',
    gone: 'already gone',
    refused: 'not stopped',
    failed: 'could not stop',
  };
  for (const attempt of report.terminations ?? []) {
    const outcome = OUTCOME[attempt.outcome];
    const colour = attempt.outcome === 'refused' || attempt.outcome === 'failed' ? chalk.yellow : chalk.cyan;
    lines.push(colour(`${outcome}: pid ${attempt.pid} ${printable(attempt.tool)}  ${clip(attempt.cmd, 60)}${attempt.reason ? `  (${printable(attempt.reason)})` : ''}`));
  }
  if (report.terminations?.length) lines.push('');

  for (const warning of report.policy.warnings) {
    const where = [warning.file, warning.key].filter(Boolean).map((part) => `${printable(part)}: `).join('');
    lines.push(chalk.yellow(`policy: ${where}${printable(warning.message)}`));
  }
  for (const skipped of report.skipped) lines.push(chalk.yellow(`skipped: ${printable(skipped.scanner)} scanner: ${printable(skipped.reason)}`));
  if (report.notes.length > 0) {
    lines.push(chalk.dim(`${report.notes.length} place(s) passed over while scanning (see --format json "notes")`));
  }

  const counts = (c: Record<'block' | 'warn' | 'allow', number>) =>
    `${chalk.red(`${c.block} blocked`)}, ${chalk.yellow(`${c.warn} to review`)}, ${chalk.green(`${c.allow} allowed`)}`;
  const { block, warn, allow, mcpServers } = report.summary;
  const total = block + warn + allow;
  const servers = mcpServers.block + mcpServers.warn + mcpServers.allow;
  const policyFiles = report.policy.files.map((f) => printable(f.file ?? f.layer)).join(', ') || 'built-in default';
  const found = [
    total > 0 ? `${total} AI tool(s) found: ${counts(report.summary)}` : '',
    servers > 0 ? `${servers} MCP server(s) configured: ${counts(mcpServers)}` : '',
  ].filter(Boolean);
  lines.push(
    found.length === 0 ? chalk.green(`No AI tools found. (policy: ${policyFiles})`) : `${found.join('; ')}. (policy: ${policyFiles})`,
  );
  return `${lines.join('\n')}\n`;
}
