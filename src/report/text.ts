/**
 * The human report: grouped by tool, most severe first, each group saying what
 * was found, why it matters, what to use instead and how to remove it.
 */
import { ACTION_RANK, CATEGORY_LABEL, effectiveAction, TERMINATION_OUTCOME } from '../labels.js';
import { remedySteps, strongestSessionFirst, type RemedyStep } from '../remedy.js';
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
/** In a git hook the report has to fit on one screen: fewer per tool, `aitool check` shows them all. */
const MAX_HOOK_EVIDENCE_LINES = 3;

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

/** The group in display order: signs of a session first, strongest first, so a capped list still shows the agent aitool runs in. */
function strongestFirst(group: readonly Finding[]): Finding[] {
  return [...group.filter((f) => f.kind === 'session').sort(strongestSessionFirst), ...group.filter((f) => f.kind !== 'session')];
}

export interface TextOptions {
  /** Git hooks: nothing at all when nothing is flagged, no list of allowed tools, and fewer evidence lines. */
  quiet?: boolean;
  /** The git hook this report is for: a push is refused as a push, and made from a terminal of one's own as a push. */
  hook?: 'commit' | 'push';
  /** The hook refuses the commit or push: the report opens with that and with what to do about it. */
  refused?: boolean;
}

function groupTitle(group: readonly Finding[]): string {
  const first = group[0]!;
  if (first.kind !== 'mcp-server') return printable(first.toolName);
  const servers = [...new Set(group.map((f) => printable(f.evidence.server?.name)))].join(', ');
  return `MCP server${group.length > 1 ? 's' : ''} ${servers}`;
}

/** What made the hook refuse: the groups at or above --fail-on (a block under a live exception counts as warn). */
function refusingGroups(groups: readonly Finding[][], failOn: Report['failOn']): Finding[][] {
  if (failOn === 'never') return [];
  return groups.filter((g) => g.some((f) => ACTION_RANK[effectiveAction(f)] >= ACTION_RANK[failOn]));
}

/**
 * The refusal's first line: that the commit (or push) was refused, and what to
 * do about it. With one tool to blame, its first step is that; the tool's
 * section below then leaves it out.
 */
function refusalLine(what: 'commit' | 'push', refusing: readonly Finding[][], chalk: ChalkInstance): { line: string; lead?: { group: readonly Finding[]; step: RemedyStep } } {
  const opening = chalk.bold.red(`✖ aitool refused this ${what}:`);
  const verdict = (g: readonly Finding[]) => (effectiveAction(g[0]!) === 'block' ? 'blocked by the policy' : 'flagged for review (and --fail-on is warn)');
  if (refusing.length === 0) return { line: `${opening} see below.` };
  if (refusing.length > 1) {
    const names = refusing.map(groupTitle);
    const listedNames = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    return { line: `${opening} ${refusing.length} tools are ${verdict(refusing[0]!)} (${listedNames}); what to do is under each.` };
  }
  const group = refusing[0]!;
  const lead = remedySteps(group, what)[0];
  if (!lead) return { line: `${opening} ${groupTitle(group)} is ${verdict(group)}; details below.` };
  return { line: `${opening} ${groupTitle(group)} is ${verdict(group)}. ${chalk.cyan(lead.label)} ${printable(lead.text)}`, lead: { group, step: lead } };
}

/**
 * Said once, after the tools, for every flagged tool whose rule names no
 * alternative. The organisation's policy is asked about; anywhere else the
 * person can name one, so the line says how (the topmost policy file, else a
 * new .aitoolrc.yaml).
 */
function missingAlternativesLine(groups: readonly Finding[][], policy: Report['policy'], chalk: ChalkInstance): string | undefined {
  const without = groups.filter((g) => g[0]!.alternatives.length === 0);
  if (without.length === 0) return undefined;
  const names = without.map(groupTitle);
  const listedNames = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
  const managed = policy.files.find((f) => f.layer === 'managed' && f.file);
  if (managed) return chalk.dim(`Use instead: the organisation's policy (${printable(managed.file)}) names no approved alternative for ${listedNames}; ask whoever owns it.`);
  const example = without.find((g) => g[0]!.kind !== 'mcp-server')?.[0];
  const id = example?.tool ?? 'claude-code';
  const instead = id === 'github-copilot' ? 'qoder' : 'github-copilot';
  const file = policy.files.filter((f) => f.file && f.layer !== 'default' && !f.file.startsWith('aitool:')).at(-1)?.file;
  const where = file ? printable(file) : '.aitoolrc.yaml';
  return chalk.dim(
    `Use instead: no approved tool is named for ${listedNames}. Name them per tool in ${where}, e.g. \`tools: { ${printable(id)}: { action: ${example?.action ?? 'warn'}, alternatives: [${instead}] } }\` (ids: aitool tools).`,
  );
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
  const maxEvidence = options.quiet ? MAX_HOOK_EVIDENCE_LINES : MAX_EVIDENCE_LINES;
  const policyFiles = report.policy.files.map((f) => printable(f.file ?? f.layer)).join(', ') || undefined;

  let lead: { group: readonly Finding[]; step: RemedyStep } | undefined;
  if (options.refused) {
    const refusal = refusalLine(options.hook ?? 'commit', refusingGroups(flagged, report.failOn), chalk);
    lines.push(refusal.line);
    lead = refusal.lead;
  }

  for (const group of flagged) {
    const first = group[0]!;
    if (first.kind === 'mcp-server') {
      lines.push(`${badge[first.action]}  ${chalk.bold(groupTitle(group))} ${chalk.dim(`(configured for ${printable(first.toolName)}; rule ${printable(first.rule)})`)}`);
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
    for (const finding of strongestFirst(group).slice(0, maxEvidence)) {
      lines.push(`  ${chalk.dim(KIND_LABEL[finding.kind].padEnd(9))} ${describeEvidence(finding, home)}`);
    }
    if (group.length > maxEvidence) lines.push(chalk.dim(`  … and ${group.length - maxEvidence} more (${options.quiet ? 'aitool check lists them' : 'see --format json'})`));
    for (const alternative of first.alternatives) {
      const parts = [
        chalk.bold(printable(alternative.name)),
        alternative.url && printable(alternative.url),
        alternative.install && `install: ${printable(alternative.install)}`,
      ];
      lines.push(`  ${chalk.green('Use instead:')} ${parts.filter(Boolean).join(' — ')}`);
      if (alternative.note) lines.push(`    ${printable(alternative.note)}`);
    }
    // The step the refusal's first line already gave is not repeated under its tool.
    const steps = remedySteps(group, options.hook).filter((step) => !(lead?.group === group && step.text === lead.step.text));
    for (const step of steps.slice(0, maxEvidence)) lines.push(`  ${chalk.cyan(step.label)} ${printable(step.text)}`);
    if (steps.length > maxEvidence) lines.push(chalk.dim(`  … and ${steps.length - maxEvidence} more steps (see --format json)`));
    lines.push('');
  }
  const missing = missingAlternativesLine(flagged, report.policy, chalk);
  if (missing) lines.push(missing, '');

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

  for (const attempt of report.terminations ?? []) {
    const outcome = TERMINATION_OUTCOME[attempt.outcome];
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
  const found = [
    total > 0 ? `${total} AI tool(s) found: ${counts(report.summary)}` : '',
    servers > 0 ? `${servers} MCP server(s) configured: ${counts(mcpServers)}` : '',
  ].filter(Boolean);
  lines.push(
    found.length === 0 ? chalk.green(`No AI tools found. (policy: ${policyFiles ?? 'built-in default'})`) : `${found.join('; ')}. (policy: ${policyFiles ?? 'built-in default'})`,
  );
  // In a hook every line counts against one screen: no blank line before the summary.
  if (options.quiet && lines.at(-2) === '') lines.splice(-2, 1);
  return `${lines.join('\n')}\n`;
}
