/**
 * SARIF 2.1.0 output (`--format sarif`) for GitHub code scanning and other
 * SARIF viewers. Pure: the report and a few paths in, one JSON string out.
 *
 * What GitHub needs, and how this file meets it (see the decisions below):
 * - Every result needs at least one location with a physicalLocation whose
 *   artifactLocation.uri is set, or the WHOLE upload is rejected
 *   ("locationFromSarifResult: expected at least one location" /
 *   "expected artifact location"). URIs are best relative to the repository
 *   root; a URI scheme other than file:// is rejected; a relative path that
 *   is not in the repository is accepted (the alert then shows without code).
 * - GitHub matches alerts across runs with partialFingerprints, and only
 *   reads `primaryLocationLineHash`. When it is missing, upload-sarif
 *   computes it from the text of the file at the result's line, and keeps a
 *   value that is already there.
 * - Rules need shortDescription, fullDescription and help.text (1024
 *   characters at most for the descriptions); help.markdown is shown instead
 *   of help.text when present; `security-severity` (0.1-10.0, as a string)
 *   marks a rule as a security rule.
 */
import { ACTION_LABEL, ACTION_RANK, CATEGORY_LABEL } from '../labels.js';
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Action, Alternative, Finding, FindingKind } from '../types.js';
import { describe, oneLine, truncate } from './describe.js';
import type { Report, TerminationAttempt } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** package.json names no homepage or repository; this is the project's address. */
export const AITOOL_INFORMATION_URI = 'https://github.com/aitool/aitool';
/** The uriBaseId every repository-relative URI is given. */
export const SRCROOT = '%SRCROOT%';
/**
 * Where host findings are anchored when no policy file lies inside the
 * repository: the file `aitool init` writes, i.e. where the project's rule
 * for the tool would go. It may not exist; GitHub accepts such a location
 * and shows the alert without a code snippet.
 */
export const FALLBACK_ANCHOR = '.aitoolrc.yaml';
/** Scan notes beyond this many are summed up in one notification (the JSON report keeps them all). */
export const MAX_NOTE_NOTIFICATIONS = 100;

export interface SarifContext {
  /** The folder aitool ran in; stands for the repository root when `repoRoot` is not given. */
  cwd: string;
  /** The repository's top folder (absolute): results' URIs are relative to it. */
  repoRoot?: string;
  /** The policy file that applied (absolute); host findings are anchored to it when it lies inside the repository. */
  policyFile?: string;
  /** Also report allowed findings, as level `note` (off by default: see ALLOWED FINDINGS below). */
  includeAllowed?: boolean;
}

// ---------------------------------------------------------------------------
// The part of SARIF 2.1.0 written here.

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';
export type SarifPropertyBag = { tags?: string[] } & Record<string, unknown>;

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifRegion {
  startLine: number;
}

export interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region?: SarifRegion;
}

export interface SarifLogicalLocation {
  name?: string;
  fullyQualifiedName?: string;
  kind?: string;
}

export interface SarifLocation {
  physicalLocation?: SarifPhysicalLocation;
  logicalLocations?: SarifLogicalLocation[];
  message?: SarifMessage;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { level: SarifLevel };
  properties?: SarifPropertyBag;
}

export interface SarifDescriptorReference {
  id: string;
  index?: number;
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor?: SarifDescriptorReference;
  locations?: SarifLocation[];
  properties?: SarifPropertyBag;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: SarifPropertyBag;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  workingDirectory?: SarifArtifactLocation;
  machine?: string;
  account?: string;
  toolExecutionNotifications: SarifNotification[];
  toolConfigurationNotifications: SarifNotification[];
  properties?: SarifPropertyBag;
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion?: string;
      fullName: string;
      informationUri: string;
      rules: SarifReportingDescriptor[];
      notifications: SarifReportingDescriptor[];
    };
  };
  originalUriBaseIds?: Record<string, SarifArtifactLocation>;
  invocations: SarifInvocation[];
  results: SarifResult[];
  columnKind: 'utf16CodeUnits';
  properties: SarifPropertyBag;
}

export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: [SarifRun];
}

// ---------------------------------------------------------------------------
// Words.

/**
 * Level per verdict. `security-severity` per verdict: GitHub reads 7.0-8.9 as
 * high and 4.0-6.9 as medium. A blocked tool is one the organisation forbids
 * outright; a warned one is to be reviewed.
 */
const LEVEL: Record<Action, SarifLevel> = { block: 'error', warn: 'warning', allow: 'note' };
const SECURITY_SEVERITY: Record<Action, string | undefined> = { block: '8.0', warn: '5.0', allow: undefined };
const POLICY_VERB: Record<Action, string> = { block: 'blocks', warn: 'warns about', allow: 'allows' };
const RULE_VERDICT: Record<Action, string> = { block: 'blocked by policy', warn: 'to review under policy', allow: 'allowed by policy' };

/** What a rule of each kind is about, for its short description (`<tool>` is replaced). */
const KIND_TITLE: Record<FindingKind, string> = {
  process: '<tool> running',
  executable: '<tool> on PATH',
  trace: 'Traces of <tool> use in the home folder',
  package: '<tool> installed by a package manager or its installer',
  extension: '<tool> editor extension or plugin installed',
  app: '<tool> desktop app installed',
  'mcp-server': 'MCP server configured in <tool>',
  'config-change': 'Shell profile or git configuration changed by <tool>',
  session: 'aitool run inside a <tool> session',
  artifact: '<tool> file in the repository',
  commit: 'Commit made with <tool>',
  dependency: 'Repository depends on an SDK that runs <tool>',
  skill: '<tool> agent skill installed',
  'browser-extension': '<tool> browser extension installed',
};

/** What aitool looked at for each kind, for the rule's help. */
const KIND_EXPLANATION: Record<FindingKind, string> = {
  process: 'aitool found a process of the tool in the process table of the machine it ran on.',
  executable: "aitool found one of the tool's commands on PATH on the machine it ran on.",
  trace: "aitool found the tool's files (settings, history, caches) in the home folder of the machine it ran on: the tool was used there.",
  package: 'aitool found the tool installed by a package manager or by its own installer on the machine it ran on.',
  extension: 'aitool found the tool installed as an editor extension or plugin on the machine it ran on.',
  app: 'aitool found the tool installed as a desktop application on the machine it ran on.',
  'mcp-server': "aitool found an MCP server in the tool's configuration; the server is judged by the policy's MCP rules.",
  'config-change': 'aitool found a line the tool added to a shell profile or to the git configuration.',
  session: 'aitool itself ran inside the tool: an ancestor process or an environment variable the tool sets says so, so the work at hand is being done with it.',
  artifact: 'aitool found a file in the repository that belongs to the tool (agent instructions, rules, settings).',
  commit: 'aitool found a commit message line, author or committer that the tool writes.',
  dependency:
    "aitool found a manifest or lockfile in the repository that declares a library which runs the tool inside another program (its SDK or an adapter): the project's code starts the agent. The policy's rule for the tool applies, or `categories.agent-sdk` where that is stricter.",
  skill:
    "aitool found an agent skill (a folder with a SKILL.md) in one of the agent's skills folders; a skill whose SKILL.md holds !-prefixed commands runs them in a shell whenever the agent loads it.",
  'browser-extension': 'aitool found the extension installed in a browser profile on the machine it ran on.',
};

/** Findings about the machine rather than the repository: anchored to the policy file (see HOST FINDINGS). */
const FILE_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>(['artifact', 'commit', 'mcp-server', 'config-change', 'dependency']);

const NOTIFICATIONS: ReadonlyArray<SarifReportingDescriptor> = [
  {
    id: 'aitool/scanner-skipped',
    name: 'ScannerSkipped',
    shortDescription: { text: 'A scanner failed or ran out of time; the rest of the scan went on.' },
  },
  {
    id: 'aitool/scan-note',
    name: 'ScanNote',
    shortDescription: { text: 'Something was passed over inside a scanner that finished (an unreadable folder, a symlink loop).' },
  },
  {
    id: 'aitool/policy-warning',
    name: 'PolicyWarning',
    shortDescription: { text: 'A soft problem in the policy: it still applies, minus the part named.' },
  },
  {
    id: 'aitool/termination',
    name: 'Termination',
    shortDescription: { text: 'A process aitool was asked to stop (policy terminate, or --kill), and what happened.' },
  },
];
const NOTIFICATION_INDEX = new Map(NOTIFICATIONS.map((descriptor, index) => [descriptor.id, index]));

function notificationRef(id: string): SarifDescriptorReference {
  return { id, index: NOTIFICATION_INDEX.get(id) ?? -1 };
}

/** `claude-code` + `mcp-server` → `ClaudeCodeMcpServer`. */
function pascal(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** A Markdown code span that survives backticks in the text. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s()<>]+$/i.test(url);
}

// ---------------------------------------------------------------------------
// Paths and URIs.

/** Characters a URI path segment may hold besides unreserved ones; ':' stays encoded (a first segment with ':' would read as a scheme). */
const SAFE_IN_SEGMENT: Record<string, string> = { '%40': '@', '%2B': '+', '%2C': ',', '%3B': ';', '%3D': '=', '%24': '$', '%26': '&' };

/** A relative path (forward slashes) as a relative URI reference: each segment percent-encoded. */
export function relativeUri(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      let encoded: string;
      try {
        encoded = encodeURIComponent(segment);
      } catch {
        // A lone surrogate cannot be encoded as UTF-8: replace it.
        encoded = encodeURIComponent(segment.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
      }
      return encoded.replace(/%(?:40|2B|2C|3B|3D|24|26)/gi, (m) => SAFE_IN_SEGMENT[m.toUpperCase()] ?? m);
    })
    .join('/');
}

/** `dir` as a file: URL ending in a slash (SARIF base URIs must). */
function directoryUrl(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** `path` relative to `base` with forward slashes, when it lies strictly inside it. */
function inside(base: string, path: string): string | undefined {
  if (!isAbsolute(path)) return undefined;
  const rel = relative(base, path);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../')) return undefined;
  return sep === '\\' ? rel.split(sep).join('/') : rel;
}

interface Anchor {
  /** Repository-relative path, forward slashes. */
  file: string;
  line: number;
}

interface Paths {
  /** The folder repository-relative paths are relative to. */
  base: string;
  /** Where host findings go. */
  anchor: Anchor;
  /** How the anchor was chosen, for the run's properties. */
  anchorSource: 'policyFile' | 'report.policy.files' | 'fallback';
}

function resolvePaths(report: Report, context: SarifContext): Paths {
  const base = context.repoRoot ?? context.cwd;
  const candidates: Array<[string | undefined, Paths['anchorSource']]> = [
    [context.policyFile, 'policyFile'],
    // The highest layer first: files are listed lowest layer first.
    ...[...report.policy.files].reverse().map((origin): [string | undefined, Paths['anchorSource']] => [origin.file, 'report.policy.files']),
  ];
  for (const [file, source] of candidates) {
    const rel = file === undefined ? undefined : inside(base, file);
    if (rel !== undefined) return { base, anchor: { file: rel, line: 1 }, anchorSource: source };
  }
  return { base, anchor: { file: FALLBACK_ANCHOR, line: 1 }, anchorSource: 'fallback' };
}

/** The repository file a finding is in, if it is in one. */
function fileOf(finding: Finding, paths: Paths): Anchor | undefined {
  if (!FILE_KINDS.has(finding.kind)) return undefined;
  const e = finding.evidence;
  const line = e.line !== undefined && Number.isInteger(e.line) && e.line >= 1 ? e.line : 1;
  if (finding.kind === 'artifact' || finding.kind === 'dependency') {
    const at = finding.kind === 'dependency' ? line : 1;
    const absolute = e.root !== undefined && e.file !== undefined ? join(e.root, e.file) : e.path;
    const rel = absolute === undefined ? undefined : inside(paths.base, absolute);
    if (rel !== undefined) return { file: rel, line: at };
    // A repository file named relative to its own top folder (a nested repository, or no repoRoot given).
    if (e.file !== undefined && e.file !== '' && !isAbsolute(e.file) && !e.file.split('/').includes('..')) return { file: e.file.replace(/\\/g, '/'), line: at };
    return undefined;
  }
  if (e.path === undefined) return undefined;
  const rel = inside(paths.base, e.path);
  return rel === undefined ? undefined : { file: rel, line };
}

function physical(anchor: Anchor): SarifPhysicalLocation {
  return { artifactLocation: { uri: relativeUri(anchor.file), uriBaseId: SRCROOT }, region: { startLine: anchor.line } };
}

// ---------------------------------------------------------------------------
// Findings in words.

function alternativeText(alternative: Alternative): string {
  const details = [alternative.url, alternative.install && `install: ${alternative.install}`].filter(Boolean).join('; ');
  return `${alternative.name}${details ? ` (${details})` : ''}`;
}

function alternativeMarkdown(alternative: Alternative): string {
  const name = alternative.url && isHttpUrl(alternative.url) ? `[**${alternative.name}**](${alternative.url})` : `**${alternative.name}**`;
  const parts = [name, alternative.url && !isHttpUrl(alternative.url) ? alternative.url : undefined, alternative.install && `install: ${code(alternative.install)}`];
  const line = `- ${parts.filter(Boolean).join(' — ')}`;
  return alternative.note ? `${line}\n  ${oneLine(alternative.note)}` : line;
}

function resultMessage(finding: Finding, where: string | undefined): string {
  const sentences = [`${ACTION_LABEL[finding.action]}: ${describe(finding, where)}.`];
  const why = finding.reason ? ` ${oneLine(finding.reason)}` : '';
  sentences.push(`The policy (${finding.rule}) ${POLICY_VERB[finding.action]} ${finding.kind === 'mcp-server' ? 'this server' : finding.toolName}.${why}`);
  if (finding.message) sentences.push(oneLine(finding.message));
  if (finding.action !== 'allow') {
    sentences.push(
      finding.alternatives.length > 0
        ? `Use instead: ${finding.alternatives.map(alternativeText).join('; ')}.`
        : 'Use instead: the policy names no approved alternative; ask whoever owns it.',
    );
    if (finding.remediation) sentences.push(`To remove: ${finding.remediation}.`);
  }
  if (finding.confidence === 'name-only') sentences.push('Matched by name only, not proven.');
  return sentences.join(' ');
}

// ---------------------------------------------------------------------------
// Rules.

interface RuleGroup {
  id: string;
  tool: string;
  kind: FindingKind;
  findings: Finding[];
}

function strictest(findings: readonly Finding[]): Action {
  return findings.reduce<Action>((worst, f) => (ACTION_RANK[f.action] > ACTION_RANK[worst] ? f.action : worst), 'allow');
}

/** The distinct verdicts among a rule's findings (an MCP client's servers may fall under different policy rules). */
function verdicts(findings: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.rule, finding.action, finding.reason ?? '', finding.message ?? '', finding.alternatives.map((a) => a.id)]);
    if (!seen.has(key)) seen.set(key, finding);
  }
  return [...seen.values()].sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || a.rule.localeCompare(b.rule));
}

const MAX_REMEDIES = 10;

function buildRule(group: RuleGroup): SarifReportingDescriptor {
  const first = group.findings[0]!;
  const action = strictest(group.findings);
  const title = KIND_TITLE[group.kind].replace('<tool>', first.toolName);
  const category = CATEGORY_LABEL[first.category] ?? first.category;
  const judged = verdicts(group.findings);
  const remedies = [...new Set(group.findings.flatMap((f) => (f.remediation ? [f.remediation] : [])))];

  const text: string[] = [`${title}: ${RULE_VERDICT[action]}.`, '', KIND_EXPLANATION[group.kind], ''];
  const markdown: string[] = [`**${title}** — ${RULE_VERDICT[action]}.`, '', KIND_EXPLANATION[group.kind], ''];
  for (const verdict of judged) {
    const subject = group.kind === 'mcp-server' ? `the MCP servers it matches in ${first.toolName}` : `${first.toolName} (${first.tool}, ${category})`;
    text.push(`Policy: ${verdict.rule} ${POLICY_VERB[verdict.action]} ${subject}.`);
    markdown.push(`### Policy: ${code(verdict.rule)} ${POLICY_VERB[verdict.action]} ${subject}`, '');
    if (verdict.reason) {
      text.push(`Why: ${oneLine(verdict.reason)}`);
      markdown.push(`**Why:** ${oneLine(verdict.reason)}`, '');
    }
    if (verdict.message) {
      text.push(oneLine(verdict.message));
      markdown.push(oneLine(verdict.message), '');
    }
    if (verdict.action !== 'allow') {
      if (verdict.alternatives.length > 0) {
        text.push('Use instead:', ...verdict.alternatives.map((a) => `- ${alternativeText(a)}${a.note ? ` — ${oneLine(a.note)}` : ''}`));
        markdown.push('**Use instead:**', '', ...verdict.alternatives.map(alternativeMarkdown), '');
      } else {
        text.push('Use instead: the policy names no approved alternative; ask whoever owns it.');
        markdown.push('**Use instead:** the policy names no approved alternative; ask whoever owns it.', '');
      }
    }
    text.push('');
  }
  text.push('How to remove:');
  markdown.push('### How to remove', '');
  if (remedies.length > 0) {
    const shown = remedies.slice(0, MAX_REMEDIES);
    text.push(...shown.map((r) => `- ${r}`));
    // Remedies are sentences with commands in them (`stop it: kill 4821`), so they stay plain text.
    markdown.push(...shown.map((r) => `- ${r}`));
    if (remedies.length > shown.length) {
      text.push(`- ... and ${remedies.length - shown.length} more: see each alert.`);
      markdown.push(`- … and ${remedies.length - shown.length} more: see each alert.`);
    }
  } else {
    text.push('- Remove or stop what each alert names; run aitool check again to confirm.');
    markdown.push('- Remove or stop what each alert names; run `aitool check` again to confirm.');
  }

  const reasons = judged.map((v) => `${v.rule}: ${v.reason ? oneLine(v.reason) : RULE_VERDICT[v.action]}`).join(' ');
  const severity = SECURITY_SEVERITY[action];
  return {
    id: group.id,
    name: truncate(pascal(group.tool, group.kind), 255),
    shortDescription: { text: truncate(`${title} (${RULE_VERDICT[action]})`, 1024) },
    fullDescription: { text: truncate(`${title}, ${category}. ${KIND_EXPLANATION[group.kind]} Policy ${reasons}`, 1024) },
    help: { text: text.join('\n').trimEnd(), markdown: markdown.join('\n').trimEnd() },
    helpUri: AITOOL_INFORMATION_URI,
    defaultConfiguration: { level: LEVEL[action] },
    properties: {
      tags: [...new Set(['security', 'ai-tool', first.category, group.kind])],
      precision: group.findings.every((f) => f.confidence === 'confirmed') ? 'high' : 'medium',
      ...(severity ? { 'security-severity': severity } : {}),
      tool: group.tool,
      toolName: first.toolName,
      category: first.category,
      kind: group.kind,
      policyRules: [...new Set(judged.map((v) => v.rule))],
    },
  };
}

// ---------------------------------------------------------------------------
// Fingerprints.

/**
 * What stays the same about a finding from run to run: never the pid, the
 * version or (for config changes) the line, which change without the thing
 * changing; paths inside the repository relative to it, so checkouts in
 * different folders agree. The anchor of host findings is left out, so adding
 * a policy file does not reopen every alert.
 */
function identity(finding: Finding, paths: Paths, location: Anchor | undefined): unknown[] {
  const e = finding.evidence;
  const repoPath = (path: string | undefined) => (path === undefined ? undefined : (inside(paths.base, path) ?? path));
  switch (finding.kind) {
    case 'process':
      return [e.exe, e.script, e.name, e.matched];
    case 'session':
      return e.variable ? ['env', e.variable.name] : ['ancestor', e.exe, e.script, e.name, e.matched];
    case 'executable':
    case 'trace':
      return [e.path];
    case 'package':
      return [e.installMethod, e.package, e.path];
    case 'extension':
      return [e.editor, e.extensionId];
    case 'skill':
      return [e.path];
    case 'browser-extension':
      return [e.browser, e.profile, e.extensionId];
    case 'app':
      return [e.source, e.bundleId ?? e.name, e.path];
    case 'mcp-server':
      return [location?.file ?? e.path, e.server?.name, e.scope];
    case 'config-change':
      return [location?.file ?? e.path, e.excerpt];
    case 'artifact':
      return [location?.file ?? e.file ?? e.path];
    case 'dependency':
      // Not the line or the version: adding a dependency above it, or bumping it, is the same finding.
      return [location?.file ?? e.file ?? e.path, e.ecosystem, e.package, e.field];
    case 'commit':
      return [e.commit ?? repoPath(e.path), e.field, e.excerpt];
  }
}

function hash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

// ---------------------------------------------------------------------------
// Notifications.

function terminationNotification(attempt: TerminationAttempt): SarifNotification {
  const signals = attempt.signals.length > 0 ? ` (${attempt.signals.join(', ')})` : '';
  const words: Record<TerminationAttempt['outcome'], string> = {
    'would-stop': 'would stop (dry run)',
    stopped: 'stopped',
    killed: 'killed',
    gone: 'was already gone:',
    refused: 'refused to stop',
    failed: 'failed to stop',
  };
  return {
    level: attempt.outcome === 'refused' || attempt.outcome === 'failed' ? 'warning' : 'note',
    message: {
      text: `${attempt.tool}: ${words[attempt.outcome]} pid ${attempt.pid}${signals}: ${truncate(oneLine(attempt.cmd), 120)}${attempt.reason ? ` (${attempt.reason})` : ''}`,
    },
    descriptor: notificationRef('aitool/termination'),
    properties: { ...attempt },
  };
}

function notifications(report: Report, paths: Paths): Pick<SarifInvocation, 'toolExecutionNotifications' | 'toolConfigurationNotifications'> {
  const execution: SarifNotification[] = report.skipped.map((skipped) => ({
    level: 'warning',
    message: { text: `The ${skipped.scanner} scanner was skipped: ${skipped.reason}` },
    descriptor: notificationRef('aitool/scanner-skipped'),
    properties: { scanner: skipped.scanner },
  }));
  // Notes can be many (every unreadable folder): the first ones, then a count.
  const notes = report.notes.slice(0, MAX_NOTE_NOTIFICATIONS);
  execution.push(
    ...notes.map(
      (note): SarifNotification => ({
        level: 'note',
        message: { text: `${note.scanner}: ${note.path ? `${note.path}: ` : ''}${note.message}` },
        descriptor: notificationRef('aitool/scan-note'),
        properties: { ...note },
      }),
    ),
  );
  if (report.notes.length > notes.length) {
    execution.push({
      level: 'note',
      message: { text: `${report.notes.length - notes.length} more scan notes left out; aitool check --format json lists them all.` },
      descriptor: notificationRef('aitool/scan-note'),
      properties: { omitted: report.notes.length - notes.length },
    });
  }
  execution.push(...(report.terminations ?? []).map(terminationNotification));

  const configuration = report.policy.warnings.map((warning): SarifNotification => {
    const rel = warning.file === undefined ? undefined : inside(paths.base, warning.file);
    return {
      level: 'warning',
      message: { text: `${warning.file ? `${warning.file}: ` : ''}${warning.key ? `${warning.key}: ` : ''}${warning.message}` },
      descriptor: notificationRef('aitool/policy-warning'),
      ...(rel !== undefined ? { locations: [{ physicalLocation: physical({ file: rel, line: 1 }) }] } : {}),
      properties: { ...warning },
    };
  });
  return { toolExecutionNotifications: execution, toolConfigurationNotifications: configuration };
}

// ---------------------------------------------------------------------------

/**
 * The report as a SARIF 2.1.0 log with one run.
 *
 * ALLOWED FINDINGS are left out unless `context.includeAllowed`: a code
 * scanning alert is something to act on, and an allowed tool needs nothing
 * done. As notes they would stay open in every repository for as long as the
 * tool is installed and could only be dismissed, which teaches people to
 * ignore the tab (GitHub ignores result.kind `pass`, so they cannot be marked
 * as passing either). Their count is kept in run.properties.summary and
 * run.properties.allowedFindingsOmitted; `--format json` lists them.
 *
 * HOST FINDINGS (process, executable, trace, package, extension, app,
 * session, and mcp-server / config-change in files outside the repository)
 * have no file in the repository, but GitHub rejects a result without a
 * physical location. They are anchored, line 1, to the policy file that
 * decided them when it lies inside the repository (`context.policyFile`,
 * else the highest-layer file in report.policy.files), where the rule can be
 * read and changed; otherwise to FALLBACK_ANCHOR. The place itself (path,
 * pid, variable) is in the message, in a logical location and in
 * properties.evidence. Commits already made have no file either and are
 * anchored the same way; a message being written (.git/COMMIT_EDITMSG) is a
 * file.
 *
 * FINGERPRINTS: GitHub only reads partialFingerprints.primaryLocationLineHash.
 * Left to upload-sarif it would hash the text of the anchor line, so every
 * host finding of a rule would share one alert and all would reopen when
 * line 1 of the policy file changed. It is set here to a hash of rule id and
 * the finding's stable identity (see identity()), numbered `:1`, `:2` ...
 * among results with the same hash, as upload-sarif numbers equal lines
 * (upload-sarif keeps a value that is already there, with a warning that it
 * differs from the one it computed). The same value is given under
 * `aitoolFinding/v1` for consumers other than GitHub.
 *
 * NOTIFICATIONS: skipped scanners (warning), scan notes (note; the first
 * MAX_NOTE_NOTIFICATIONS, then one with the count) and terminations (note,
 * or warning when refused or failed) are toolExecutionNotifications; policy
 * warnings are toolConfigurationNotifications. GitHub does not show them; the
 * run still counts as successful, as the scan went on.
 */
export function formatSarif(report: Report, context: SarifContext): string {
  return `${JSON.stringify(buildSarif(report, context), null, 2)}\n`;
}

/** A finding under a live exception is shown a level lower: seen in code scanning, not a failure. */
function levelOf(finding: Finding): SarifLevel {
  if (!finding.exception) return LEVEL[finding.action];
  return finding.action === 'block' ? 'warning' : 'note';
}

function exceptionNote(finding: Finding): string {
  const exception = finding.exception;
  return exception ? ` Under a managed exception until ${exception.until} (end of day UTC): ${exception.reason}.` : '';
}

/** The SARIF log as an object (what formatSarif prints). */
export function buildSarif(report: Report, context: SarifContext): SarifLog {
  const paths = resolvePaths(report, context);
  const included = report.findings.filter((f) => context.includeAllowed || f.action !== 'allow');

  const groups = new Map<string, RuleGroup>();
  for (const finding of included) {
    const id = `aitool/${finding.tool}/${finding.kind}`;
    const group = groups.get(id) ?? { id, tool: finding.tool, kind: finding.kind, findings: [] };
    group.findings.push(finding);
    groups.set(id, group);
  }
  const ordered = [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rules = ordered.map(buildRule);
  const ruleIndex = new Map(ordered.map((group, index) => [group.id, index]));

  const seen = new Map<string, number>();
  const results = included.map((finding): SarifResult => {
    const ruleId = `aitool/${finding.tool}/${finding.kind}`;
    const file = fileOf(finding, paths);
    const location: SarifLocation = file
      ? { physicalLocation: physical(file) }
      : {
          physicalLocation: physical(paths.anchor),
          logicalLocations: [{ kind: 'resource', name: hostThing(finding), fullyQualifiedName: `${report.host.hostname}:${hostThing(finding)}` }],
          message: {
            text: `${finding.kind === 'commit' ? 'In the git history' : `Found on ${report.host.hostname}`}, not in this file: anchored to ${paths.anchorSource === 'fallback' ? "the project's policy file" : 'the policy file'} so that code scanning can show it.`,
          },
        };
    const base = hash([ruleId, ...identity(finding, paths, file)]);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const fingerprint = `${base}:${count}`;
    return {
      ruleId,
      ruleIndex: ruleIndex.get(ruleId) ?? -1,
      level: levelOf(finding),
      message: { text: resultMessage(finding, file?.file) + exceptionNote(finding) },
      locations: [location],
      partialFingerprints: { primaryLocationLineHash: fingerprint, 'aitoolFinding/v1': fingerprint },
      properties: {
        tool: finding.tool,
        toolName: finding.toolName,
        category: finding.category,
        kind: finding.kind,
        action: finding.action,
        confidence: finding.confidence,
        policyRule: finding.rule,
        ...(finding.reason ? { reason: finding.reason } : {}),
        ...(finding.remediation ? { remediation: finding.remediation } : {}),
        ...(finding.exception ? { exception: finding.exception } : {}),
        alternatives: finding.alternatives,
        evidence: finding.evidence,
      },
    };
  });

  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(report.aitool.version);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'aitool',
            version: report.aitool.version,
            ...(semver ? { semanticVersion: report.aitool.version } : {}),
            fullName: `aitool ${report.aitool.version}`,
            informationUri: AITOOL_INFORMATION_URI,
            rules,
            notifications: NOTIFICATIONS.map((descriptor) => ({ ...descriptor })),
          },
        },
        ...(context.repoRoot ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUrl(context.repoRoot) } } } : {}),
        invocations: [
          {
            executionSuccessful: true,
            workingDirectory: { uri: directoryUrl(context.cwd) },
            machine: report.host.hostname,
            ...(report.host.user ? { account: report.host.user } : {}),
            ...notifications(report, paths),
            properties: { os: report.host.os, failOn: report.failOn, policyFiles: report.policy.files },
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
        properties: {
          schemaVersion: report.schemaVersion,
          summary: report.summary,
          allowedFindingsOmitted: report.findings.length - included.length,
          hostFindingsAnchor: { uri: relativeUri(paths.anchor.file), source: paths.anchorSource },
        },
      },
    ],
  };
}

/** The thing a host finding is about, in a few words (its logical location). */
function hostThing(finding: Finding): string {
  const e = finding.evidence;
  switch (finding.kind) {
    case 'process':
      return `pid ${e.pid ?? '?'} ${e.exe ?? e.name ?? ''}`.trim();
    case 'session':
      return e.variable ? `env ${e.variable.name}` : `pid ${e.pid ?? '?'} ${e.exe ?? e.name ?? ''}`.trim();
    case 'extension':
      return `${e.editor ?? ''} ${e.extensionId ?? ''}`.trim();
    case 'browser-extension':
      return `${e.browser ?? ''} ${e.profile ?? ''} ${e.extensionId ?? ''}`.trim();
    case 'commit':
      return e.commit ? `commit ${e.commit}` : `commit message ${e.path ?? ''}`.trim();
    default:
      return e.path ?? e.name ?? finding.tool;
  }
}
