/**
 * `--format sarif`: the output is checked against the SARIF 2.1.0 JSON Schema
 * and against what GitHub code scanning needs on top of it.
 *
 * The schema is the one @microsoft/jest-sarif ships
 * (lib/schemas/sarif-2.1.0-rtm.5.json): the SARIF TC's final 2.1.0 schema
 * revision, written in JSON Schema draft-04 (hence ajv-draft-04), as
 * SchemaStore also serves it. Its `language` pattern is not a valid regular
 * expression with the `u` flag, so Ajv compiles patterns without it
 * (`unicodeRegExp: false`). Unlike the OASIS 2.1.0 errata schema it does not
 * require region.startLine (or an offset) in a region; the GitHub checks
 * below require startLine anyway.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv-draft-04';
import { sarifValidator } from '../helpers/sarif-schema.js';
import {
  buildSarif,
  FALLBACK_ANCHOR,
  formatSarif,
  MAX_NOTE_NOTIFICATIONS,
  SARIF_SCHEMA_URI,
  type SarifContext,
  type SarifLog,
  type SarifResult,
  type SarifRun,
} from '../../src/report/sarif.js';
import type { Report } from '../../src/report/types.js';
import type { Finding, FindingKind } from '../../src/types.js';

let validate: ValidateFunction;

beforeAll(() => {
  const compiled = sarifValidator();
  expect(compiled.title).toMatch(/SARIF\) Version 2\.1\.0/);
  validate = compiled.validate;
});

const REPO = '/work/checkout/repo';
const HOME = '/home/ada';

const QODER = { id: 'qoder', name: 'Qoder', url: 'https://qoder.com', install: 'npm install -g @qoder-ai/qodercli', note: 'Company licence; sign in with SSO.' };

function finding(kind: FindingKind, evidence: Finding['evidence'], overrides: Partial<Finding> = {}): Finding {
  return {
    tool: 'claude-code',
    toolName: 'Claude Code',
    category: 'agent-cli',
    kind,
    confidence: 'confirmed',
    action: 'block',
    rule: 'tools.claude-code',
    reason: 'Source code may not leave the company data boundary.',
    alternatives: [QODER],
    evidence,
    ...overrides,
  };
}

/** One finding of every kind, mostly blocked; a warned Cursor app; an allowed Copilot extension. */
function everyKind(): Finding[] {
  return [
    finding(
      'process',
      {
        pid: 48213,
        ppid: 48100,
        uid: 1000,
        name: 'claude',
        cmd: 'claude -p "fix the tests"',
        exe: '/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js',
        package: '@anthropic-ai/claude-code',
        version: '2.1.197',
        installMethod: 'npm',
        ancestors: [{ pid: 48100, name: 'bash', cmd: 'bash' }],
        matched: 'npm package @anthropic-ai/claude-code',
      },
      { remediation: 'stop it: kill 48213' },
    ),
    finding(
      'executable',
      { path: '/usr/local/bin/claude', realPath: '/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js', package: '@anthropic-ai/claude-code', installMethod: 'npm', matched: 'npm package @anthropic-ai/claude-code' },
      { remediation: 'npm uninstall -g @anthropic-ai/claude-code' },
    ),
    finding('trace', { path: `${HOME}/.claude`, matched: 'home folder ~/.claude' }, { remediation: `delete ${HOME}/.claude once nothing in it is needed` }),
    finding(
      'package',
      { path: '/usr/local/lib/node_modules/@anthropic-ai/claude-code', package: '@anthropic-ai/claude-code', version: '2.1.197', installMethod: 'npm', matched: 'npm package @anthropic-ai/claude-code' },
      { remediation: 'npm uninstall -g @anthropic-ai/claude-code' },
    ),
    finding(
      'extension',
      { path: `${HOME}/.vscode/extensions/anthropic.claude-code-2.1.0`, editor: 'VS Code', extensionId: 'anthropic.claude-code', version: '2.1.0', installMethod: 'extension', matched: 'VS Code extension anthropic.claude-code' },
      { remediation: 'code --uninstall-extension anthropic.claude-code' },
    ),
    finding(
      'app',
      { path: '/Applications/Cursor.app', name: 'Cursor.app', bundleId: 'com.todesktop.230313mzl4w4u92', source: 'bundle', version: '1.4.2', installMethod: 'app', matched: 'app bundle Cursor.app' },
      {
        tool: 'cursor',
        toolName: 'Cursor',
        category: 'ai-ide',
        action: 'warn',
        rule: 'categories.ai-ide',
        reason: 'AI IDEs need a security review first.',
        message: 'Ask #dev-tools before using it on company code.',
        alternatives: [],
        remediation: 'move /Applications/Cursor.app to the Trash',
      },
    ),
    finding(
      'mcp-server',
      { path: `${REPO}/.mcp.json`, scope: 'project', server: { name: 'shell', command: 'npx', args: ['-y', 'mcp-shell'] }, matched: 'MCP server shell' },
      { rule: 'mcp.servers.shell', reason: 'Runs arbitrary commands.', remediation: `delete the "shell" server from ${REPO}/.mcp.json` },
    ),
    finding(
      'mcp-server',
      { path: `${HOME}/.claude.json`, scope: 'user', server: { name: 'remote-db', url: 'https://mcp.example.com/db' }, matched: 'MCP server remote-db' },
      { action: 'warn', rule: 'mcp.default', reason: undefined, alternatives: [], remediation: `delete the "remote-db" server from ${HOME}/.claude.json` },
    ),
    finding(
      'config-change',
      { path: `${HOME}/.bashrc`, line: 42, excerpt: 'alias claude="~/.claude/local/claude"', matched: '~/.bashrc =~ /claude/' },
      { remediation: `remove what Claude Code added to ${HOME}/.bashrc (from line 42)` },
    ),
    finding(
      'config-change',
      { path: `${REPO}/.envrc`, line: 7, excerpt: 'export CLAUDE_CODE_USE_BEDROCK=1', matched: '.envrc =~ /CLAUDE_CODE/' },
      { remediation: `remove what Claude Code added to ${REPO}/.envrc (from line 7)` },
    ),
    finding('session', { pid: 48213, name: 'claude', cmd: 'claude', exe: '/usr/local/bin/node', depth: 2, matched: 'process name claude' }, { remediation: 'this command runs inside Claude Code (pid 48213): make the commit from a terminal of your own' }),
    finding('session', { variable: { name: 'CLAUDECODE', value: '1' }, matched: 'environment CLAUDECODE' }, { remediation: 'this shell was started by Claude Code (CLAUDECODE is set): make the commit from a terminal of your own' }),
    finding(
      'artifact',
      { path: `${REPO}/CLAUDE.md`, root: REPO, file: 'CLAUDE.md', status: 'added', matched: 'repository file CLAUDE.md' },
      { category: 'agent-instructions', remediation: 'git restore --staged CLAUDE.md to leave it out of this commit' },
    ),
    finding(
      'artifact',
      { path: `${REPO}/.claude/my notes#1:draft.md`, root: REPO, file: '.claude/my notes#1:draft.md', status: 'tracked', matched: 'repository file .claude/**' },
      { category: 'agent-instructions', remediation: "git rm --cached '.claude/my notes#1:draft.md' (keeps your copy)" },
    ),
    finding(
      'commit',
      { commit: '0123456789abcdef0123456789abcdef01234567', field: 'message', line: 5, excerpt: 'Co-Authored-By: Claude <noreply@anthropic.com>', matched: 'commit message line' },
      { remediation: 'reword commit 0123456789ab without the line (git rebase -i, "reword"), before it is pushed' },
    ),
    finding(
      'commit',
      { path: `${REPO}/.git/COMMIT_EDITMSG`, field: 'message', line: 3, excerpt: '🤖 Generated with Claude Code', matched: 'commit message line' },
      { remediation: 'remove the line from the commit message (line 3)' },
    ),
    finding(
      'extension',
      { path: `${HOME}/.vscode/extensions/github.copilot-1.300.0`, editor: 'VS Code', extensionId: 'github.copilot', version: '1.300.0', installMethod: 'extension', matched: 'VS Code extension github.copilot' },
      { tool: 'copilot', toolName: 'GitHub Copilot', category: 'editor-extension', action: 'allow', rule: 'tools.copilot', reason: undefined, alternatives: [] },
    ),
  ];
}

function report(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    aitool: { version: '0.1.0' },
    host: { os: 'linux', hostname: 'dev-42', user: 'ada' },
    policy: { files: [{ layer: 'project', file: `${REPO}/.aitoolrc.yaml` }], warnings: [] },
    failOn: 'block',
    findings,
    skipped: [],
    notes: [],
    summary: { allow: 1, warn: 1, block: 1, mcpServers: { allow: 0, warn: 1, block: 1 } },
    ...overrides,
  };
}

const CONTEXT: SarifContext = { cwd: REPO, repoRoot: REPO, policyFile: `${REPO}/.aitoolrc.yaml` };

/** Prints, parses and checks a log against the schema and GitHub's rules. */
function render(r: Report, context: SarifContext): SarifLog {
  const text = formatSarif(r, context);
  expect(text.endsWith('}\n')).toBe(true);
  const log = JSON.parse(text) as SarifLog;
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  expectGitHubConstraints(log);
  return log;
}

const LEVELS = new Set(['none', 'note', 'warning', 'error']);

/** What GitHub code scanning requires beyond the schema (docs: "SARIF support for code scanning"). */
function expectGitHubConstraints(log: SarifLog): void {
  expect(log.$schema).toBe(SARIF_SCHEMA_URI);
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  expect(driver.name).toBe('aitool');
  expect(driver.informationUri).toMatch(/^https:\/\//);
  const ids = driver.rules.map((rule) => rule.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of driver.rules) {
    expect(rule.id).toMatch(/^aitool\/[^/]+\/[a-z-]+$/);
    expect(rule.name?.length ?? 0).toBeGreaterThan(0);
    expect(rule.name!.length).toBeLessThanOrEqual(255);
    expect(rule.shortDescription?.text.length ?? 0).toBeGreaterThan(0);
    expect(rule.shortDescription!.text.length).toBeLessThanOrEqual(1024);
    expect(rule.fullDescription?.text.length ?? 0).toBeGreaterThan(0);
    expect(rule.fullDescription!.text.length).toBeLessThanOrEqual(1024);
    expect(rule.help?.text.length ?? 0).toBeGreaterThan(0);
    expect(rule.help?.markdown?.length ?? 0).toBeGreaterThan(0);
    expect(LEVELS.has(rule.defaultConfiguration?.level ?? 'warning')).toBe(true);
    const tags = rule.properties?.tags ?? [];
    expect(tags).toContain('security');
    const severity = rule.properties?.['security-severity'];
    if (severity !== undefined) {
      expect(typeof severity).toBe('string');
      const score = Number(severity);
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(10);
    }
  }
  expect(run.results.length).toBeLessThanOrEqual(25_000);
  for (const result of run.results) {
    expect(ids).toContain(result.ruleId);
    expect(driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(LEVELS.has(result.level)).toBe(true);
    expect(result.message.text.trim().length).toBeGreaterThan(0);
    expect(result.locations.length).toBeGreaterThanOrEqual(1);
    expect(result.locations.length).toBeLessThanOrEqual(10);
    const primary = result.locations[0]!.physicalLocation;
    expect(primary).toBeDefined();
    const uri = primary!.artifactLocation.uri;
    expect(uri.length).toBeGreaterThan(0);
    expect(uri.startsWith('/')).toBe(false);
    expect(uri).not.toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:/); // no scheme: not file:, not C:
    expect(uri).not.toContain('\\');
    expect(uri.split('/')).not.toContain('..');
    expect(primary!.region?.startLine ?? 0).toBeGreaterThanOrEqual(1);
    expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}:\d+$/);
  }
}

function resultsOf(log: SarifLog): SarifResult[] {
  return log.runs[0].results;
}

function runOf(log: SarifLog): SarifRun {
  return log.runs[0];
}

function only(results: SarifResult[], predicate: (r: SarifResult) => boolean): SarifResult {
  const matching = results.filter(predicate);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

function uriOf(result: SarifResult): string {
  return result.locations[0]!.physicalLocation!.artifactLocation.uri;
}

function lineOf(result: SarifResult): number | undefined {
  return result.locations[0]!.physicalLocation!.region?.startLine;
}

function evidenceOf(result: SarifResult): Finding['evidence'] {
  return result.properties.evidence as Finding['evidence'];
}

describe('formatSarif', () => {
  it('has a schema check that rejects a broken log', () => {
    const log = buildSarif(report(everyKind()), CONTEXT);
    expect(validate(log)).toBe(true);
    const broken = JSON.parse(JSON.stringify(log)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    broken.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(broken)).toBe(false);
    const badUri = JSON.parse(JSON.stringify(log)) as SarifLog;
    badUri.runs[0].results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri = 'my notes.md';
    expect(validate(badUri)).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ format: 'uri-reference' });
  });

  it('validates against the SARIF 2.1.0 schema with every finding kind, a repository root and a policy file in it', () => {
    const log = render(report(everyKind()), CONTEXT);
    const run = runOf(log);
    const kinds = new Set(run.results.map((r) => r.properties.kind));
    const all: FindingKind[] = ['process', 'executable', 'trace', 'package', 'extension', 'app', 'mcp-server', 'config-change', 'session', 'artifact', 'commit'];
    expect([...kinds].sort()).toEqual([...all].sort());
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(run.tool.driver.informationUri).toBe('https://github.com/aitool/aitool');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/checkout/repo/' } });
    expect(run.invocations).toHaveLength(1);
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
  });

  it('validates with neither a repository root nor a policy file', () => {
    const log = render(report(everyKind(), { policy: { files: [], warnings: [] } }), { cwd: '/tmp/elsewhere' });
    const run = runOf(log);
    expect(run.originalUriBaseIds).toBeUndefined();
    // Artifacts still name their file relative to their own repository.
    const artifact = only(run.results, (r) => evidenceOf(r).file === 'CLAUDE.md');
    expect(uriOf(artifact)).toBe('CLAUDE.md');
    // Everything else is anchored to the project policy file's conventional name.
    const process = only(run.results, (r) => r.properties.kind === 'process');
    expect(uriOf(process)).toBe(FALLBACK_ANCHOR);
    expect(lineOf(process)).toBe(1);
    const config = run.results.filter((r) => r.properties.kind === 'config-change');
    expect(config.map(uriOf)).toEqual([FALLBACK_ANCHOR, FALLBACK_ANCHOR]);
    expect(run.properties.hostFindingsAnchor).toEqual({ uri: FALLBACK_ANCHOR, source: 'fallback' });
  });

  it('validates with a repository root but no policy file, and with an empty report', () => {
    render(report(everyKind(), { policy: { files: [], warnings: [] } }), { cwd: REPO, repoRoot: REPO });
    const empty = render(report([], { summary: { allow: 0, warn: 0, block: 0, mcpServers: { allow: 0, warn: 0, block: 0 } } }), CONTEXT);
    expect(runOf(empty).results).toEqual([]);
    expect(runOf(empty).tool.driver.rules).toEqual([]);
  });

  it('makes one rule per tool and kind, with levels, severities, tags and help naming the verdict, the alternatives and the remedies', () => {
    const run = runOf(render(report(everyKind()), CONTEXT));
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual([
      'aitool/claude-code/artifact',
      'aitool/claude-code/commit',
      'aitool/claude-code/config-change',
      'aitool/claude-code/executable',
      'aitool/claude-code/extension',
      'aitool/claude-code/mcp-server',
      'aitool/claude-code/package',
      'aitool/claude-code/process',
      'aitool/claude-code/session',
      'aitool/claude-code/trace',
      'aitool/cursor/app',
    ]);

    const artifact = run.tool.driver.rules.find((r) => r.id === 'aitool/claude-code/artifact')!;
    expect(artifact.name).toBe('ClaudeCodeArtifact');
    expect(artifact.defaultConfiguration).toEqual({ level: 'error' });
    expect(artifact.properties?.['security-severity']).toBe('8.0');
    expect(artifact.properties?.tags).toEqual(['security', 'ai-tool', 'agent-instructions', 'artifact']);
    expect(artifact.shortDescription?.text).toBe('Claude Code file in the repository (blocked by policy)');
    const markdown = artifact.help!.markdown!;
    expect(markdown).toContain('`tools.claude-code` blocks Claude Code');
    expect(markdown).toContain('Source code may not leave the company data boundary.');
    expect(markdown).toContain('[**Qoder**](https://qoder.com)');
    expect(markdown).toContain('`npm install -g @qoder-ai/qodercli`');
    expect(markdown).toContain('Company licence; sign in with SSO.');
    expect(markdown).toContain('### How to remove');
    expect(markdown).toContain('- git restore --staged CLAUDE.md to leave it out of this commit');
    expect(artifact.help!.text).toContain('Qoder (https://qoder.com; install: npm install -g @qoder-ai/qodercli)');
    expect(artifact.help!.text).toContain('git restore --staged CLAUDE.md');

    const cursor = run.tool.driver.rules.find((r) => r.id === 'aitool/cursor/app')!;
    expect(cursor.defaultConfiguration).toEqual({ level: 'warning' });
    expect(cursor.properties?.['security-severity']).toBe('5.0');
    expect(cursor.help!.markdown).toContain('Ask #dev-tools before using it on company code.');
    expect(cursor.help!.markdown).toContain('the policy names no approved alternative');
    expect(cursor.help!.text).toContain('move /Applications/Cursor.app to the Trash');
  });

  it("lists every verdict in an MCP client's rule and takes the strictest as its level", () => {
    const run = runOf(render(report(everyKind()), CONTEXT));
    const mcp = run.tool.driver.rules.find((r) => r.id === 'aitool/claude-code/mcp-server')!;
    expect(mcp.defaultConfiguration).toEqual({ level: 'error' });
    expect(mcp.help!.markdown).toContain('`mcp.servers.shell` blocks');
    expect(mcp.help!.markdown).toContain('`mcp.default` warns about');
    expect(mcp.help!.markdown).toContain('Runs arbitrary commands.');
    const levels = run.results.filter((r) => r.ruleId === mcp.id).map((r) => r.level);
    expect(levels.sort()).toEqual(['error', 'warning']);
  });

  it('says in each message what was found, why, what to use instead and how to remove it', () => {
    const results = resultsOf(render(report(everyKind()), CONTEXT));
    const process = only(results, (r) => r.properties.kind === 'process');
    expect(process.level).toBe('error');
    expect(process.message.text).toMatch(/^Blocked: Claude Code is running \(pid 48213: claude -p "fix the tests"\)\. /);
    expect(process.message.text).toContain('The policy (tools.claude-code) blocks Claude Code. Source code may not leave the company data boundary.');
    expect(process.message.text).toContain('Use instead: Qoder (https://qoder.com; install: npm install -g @qoder-ai/qodercli).');
    expect(process.message.text).toContain('To remove: stop it: kill 48213.');
    const cursor = only(results, (r) => r.properties.kind === 'app');
    expect(cursor.level).toBe('warning');
    expect(cursor.message.text).toMatch(/^To review: Cursor is installed as a desktop app/);
    expect(cursor.message.text).toContain('Use instead: the policy names no approved alternative');
  });

  it('keeps the raw evidence and the verdict in result properties', () => {
    const results = resultsOf(render(report(everyKind()), CONTEXT));
    const process = only(results, (r) => r.properties.kind === 'process');
    expect(process.properties).toMatchObject({
      tool: 'claude-code',
      toolName: 'Claude Code',
      category: 'agent-cli',
      action: 'block',
      confidence: 'confirmed',
      policyRule: 'tools.claude-code',
      remediation: 'stop it: kill 48213',
      evidence: { pid: 48213, version: '2.1.197', installMethod: 'npm', exe: '/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js' },
    });
    const pkg = only(results, (r) => r.properties.kind === 'package');
    expect(evidenceOf(pkg)).toMatchObject({ path: '/usr/local/lib/node_modules/@anthropic-ai/claude-code', version: '2.1.197', installMethod: 'npm' });
  });

  it('puts repository findings at their file and line, repository-relative and percent-encoded', () => {
    const results = resultsOf(render(report(everyKind()), CONTEXT));
    const claudeMd = only(results, (r) => evidenceOf(r).file === 'CLAUDE.md');
    expect(claudeMd.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'CLAUDE.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
    const notes = only(results, (r) => evidenceOf(r).file === '.claude/my notes#1:draft.md');
    expect(uriOf(notes)).toBe('.claude/my%20notes%231%3Adraft.md');
    const envrc = only(results, (r) => evidenceOf(r).path === `${REPO}/.envrc`);
    expect(uriOf(envrc)).toBe('.envrc');
    expect(lineOf(envrc)).toBe(7);
    const mcp = only(results, (r) => evidenceOf(r).path === `${REPO}/.mcp.json`);
    expect(uriOf(mcp)).toBe('.mcp.json');
    expect(lineOf(mcp)).toBe(1);
    expect(mcp.message.text).toContain('configured for Claude Code in .mcp.json');
    const editmsg = only(results, (r) => r.properties.kind === 'commit' && evidenceOf(r).path !== undefined);
    expect(uriOf(editmsg)).toBe('.git/COMMIT_EDITMSG');
    expect(lineOf(editmsg)).toBe(3);
    for (const result of [claudeMd, notes, envrc, mcp, editmsg]) expect(result.locations[0]!.logicalLocations).toBeUndefined();
  });

  it('anchors host findings (and commits already made) to the policy file inside the repository, naming the place in a logical location', () => {
    const results = resultsOf(render(report(everyKind()), { ...CONTEXT, policyFile: `${REPO}/config/aitool.yaml` }));
    const host = results.filter((r) => {
      const e = evidenceOf(r);
      const inRepo = (e.path ?? e.root ?? '').startsWith(`${REPO}/`);
      return !inRepo;
    });
    expect(host.map((r) => r.properties.kind).sort()).toEqual(
      ['app', 'commit', 'config-change', 'executable', 'extension', 'mcp-server', 'package', 'process', 'session', 'session', 'trace'].sort(),
    );
    for (const result of host) {
      expect(uriOf(result)).toBe('config/aitool.yaml');
      expect(lineOf(result)).toBe(1);
      expect(result.locations[0]!.logicalLocations?.[0]?.name?.length ?? 0).toBeGreaterThan(0);
      expect(result.locations[0]!.message?.text).toMatch(/anchored to the policy file/);
    }
    const bashrc = only(host, (r) => r.properties.kind === 'config-change');
    expect(bashrc.locations[0]!.logicalLocations).toEqual([{ kind: 'resource', name: `${HOME}/.bashrc`, fullyQualifiedName: `dev-42:${HOME}/.bashrc` }]);
    const env = only(host, (r) => r.properties.kind === 'session' && evidenceOf(r).variable !== undefined);
    expect(env.locations[0]!.logicalLocations?.[0]?.name).toBe('env CLAUDECODE');
  });

  it('falls back to a project policy file from the report when the given one is outside the repository', () => {
    const files = [
      { layer: 'managed' as const, file: '/etc/aitool/policy.yaml' },
      { layer: 'user' as const, file: `${HOME}/.config/aitoolrc.yaml` },
      { layer: 'project' as const, file: `${REPO}/.config/aitoolrc.yaml` },
    ];
    const log = render(report(everyKind(), { policy: { files, warnings: [] } }), { cwd: REPO, repoRoot: REPO, policyFile: `${HOME}/.config/aitoolrc.yaml` });
    const process = only(resultsOf(log), (r) => r.properties.kind === 'process');
    expect(uriOf(process)).toBe('.config/aitoolrc.yaml');
    expect(runOf(log).properties.hostFindingsAnchor).toEqual({ uri: '.config/aitoolrc.yaml', source: 'report.policy.files' });
  });

  it('leaves allowed findings out by default and reports them as notes when asked', () => {
    const without = runOf(render(report(everyKind()), CONTEXT));
    expect(without.results.some((r) => r.properties.action === 'allow')).toBe(false);
    expect(without.tool.driver.rules.some((r) => r.id === 'aitool/copilot/extension')).toBe(false);
    expect(without.properties.allowedFindingsOmitted).toBe(1);

    const withAllowed = runOf(render(report(everyKind()), { ...CONTEXT, includeAllowed: true }));
    const copilot = only(withAllowed.results, (r) => r.properties.action === 'allow');
    expect(copilot.level).toBe('note');
    expect(copilot.message.text).toMatch(/^Allowed: GitHub Copilot is installed in VS Code/);
    expect(copilot.message.text).not.toContain('Use instead');
    const rule = withAllowed.tool.driver.rules.find((r) => r.id === 'aitool/copilot/extension')!;
    expect(rule.defaultConfiguration).toEqual({ level: 'note' });
    expect(rule.properties?.['security-severity']).toBeUndefined();
    expect(withAllowed.properties.allowedFindingsOmitted).toBe(0);
  });

  it('gives fingerprints that survive a new pid, a new version and another checkout folder, and differ between things', () => {
    const first = resultsOf(render(report(everyKind()), CONTEXT));
    const moved = everyKind().map((f) => {
      const e = { ...f.evidence };
      if (e.pid !== undefined) e.pid += 1000;
      if (e.version !== undefined) e.version = '9.9.9';
      for (const key of ['path', 'root'] as const) {
        const value = e[key];
        if (value !== undefined) e[key] = value.replace(REPO, '/home/runner/work/repo/repo');
      }
      if (f.kind === 'config-change') e.line = (e.line ?? 1) + 3;
      return { ...f, evidence: e };
    });
    const second = resultsOf(render(report(moved), { cwd: '/home/runner/work/repo/repo', repoRoot: '/home/runner/work/repo/repo', policyFile: '/home/runner/work/repo/repo/.aitoolrc.yaml' }));
    expect(second.map((r) => r.partialFingerprints)).toEqual(first.map((r) => r.partialFingerprints));

    const hashes = first.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const result of first) expect(result.partialFingerprints['aitoolFinding/v1']).toBe(result.partialFingerprints.primaryLocationLineHash);
  });

  it('numbers fingerprints of results that are the same thing (two processes of one program)', () => {
    const [process] = everyKind();
    const twice = [process!, { ...process!, evidence: { ...process!.evidence, pid: 50000, cmd: 'claude' } }];
    const results = resultsOf(render(report(twice), CONTEXT));
    const [a, b] = results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(a).toMatch(/:1$/);
    expect(b).toBe(a!.replace(/:1$/, ':2'));
  });

  it('is deterministic', () => {
    expect(formatSarif(report(everyKind()), CONTEXT)).toBe(formatSarif(report(everyKind()), CONTEXT));
  });

  it('reports skipped scanners, scan notes (capped), terminations and policy warnings as notifications', () => {
    const notes = Array.from({ length: MAX_NOTE_NOTIFICATIONS + 20 }, (_, i) => ({ scanner: 'path', path: `/opt/loop${i}/bin`, message: 'symlink loop' }));
    const r = report(everyKind(), {
      skipped: [{ scanner: 'packages', reason: 'timed out after 3000 ms' }],
      notes,
      terminations: [
        { pid: 48213, tool: 'claude-code', cmd: 'claude -p "fix the tests"', uid: 1000, outcome: 'stopped', signals: ['SIGTERM'] },
        { pid: 1, tool: 'claude-code', cmd: '/sbin/init', outcome: 'refused', signals: [], reason: 'pid 1' },
      ],
      policy: {
        files: [{ layer: 'project', file: `${REPO}/.aitoolrc.yaml` }],
        warnings: [
          { file: `${REPO}/.aitoolrc.yaml`, key: 'tools.cursor', message: 'looser than the managed floor; ignored' },
          { file: '/etc/aitool/policy.yaml', message: 'unknown key' },
        ],
      },
    });
    const invocation = runOf(render(r, CONTEXT)).invocations[0]!;
    const execution = invocation.toolExecutionNotifications;
    const byDescriptor = (id: string) => execution.filter((n) => n.descriptor?.id === id);
    expect(byDescriptor('aitool/scanner-skipped')).toEqual([
      expect.objectContaining({ level: 'warning', message: { text: 'The packages scanner was skipped: timed out after 3000 ms' } }),
    ]);
    const scanNotes = byDescriptor('aitool/scan-note');
    expect(scanNotes).toHaveLength(MAX_NOTE_NOTIFICATIONS + 1);
    expect(scanNotes.at(-1)!.message.text).toBe('20 more scan notes left out; aitool check --format json lists them all.');
    const terminations = byDescriptor('aitool/termination');
    expect(terminations.map((n) => n.level)).toEqual(['note', 'warning']);
    expect(terminations[0]!.message.text).toBe('claude-code: stopped pid 48213 (SIGTERM): claude -p "fix the tests"');
    expect(terminations[1]!.message.text).toBe('claude-code: refused to stop pid 1: /sbin/init (pid 1)');
    expect(terminations[0]!.properties).toMatchObject({ pid: 48213, outcome: 'stopped', signals: ['SIGTERM'] });

    const configuration = invocation.toolConfigurationNotifications;
    expect(configuration).toHaveLength(2);
    expect(configuration[0]!.locations?.[0]?.physicalLocation?.artifactLocation.uri).toBe('.aitoolrc.yaml');
    expect(configuration[1]!.locations).toBeUndefined();

    const run = runOf(buildSarif(r, CONTEXT));
    for (const notification of [...execution, ...configuration]) {
      const ref = notification.descriptor!;
      expect(run.tool.driver.notifications[ref.index!]?.id).toBe(ref.id);
    }
  });

  it('describes the run: host, working folder, policy files and summary', () => {
    const run = runOf(render(report(everyKind()), CONTEXT));
    const invocation = run.invocations[0]!;
    expect(invocation.machine).toBe('dev-42');
    expect(invocation.account).toBe('ada');
    expect(invocation.workingDirectory).toEqual({ uri: 'file:///work/checkout/repo/' });
    expect(invocation.properties).toEqual({ os: 'linux', failOn: 'block', policyFiles: [{ layer: 'project', file: `${REPO}/.aitoolrc.yaml` }] });
    expect(run.properties.summary).toEqual({ allow: 1, warn: 1, block: 1, mcpServers: { allow: 0, warn: 1, block: 1 } });
    expect(run.tool.driver.semanticVersion).toBe('0.1.0');
  });

  it('keeps long and odd policy text within GitHub limits and valid', () => {
    const long = 'x'.repeat(3000);
    const findings = [
      finding('artifact', { path: `${REPO}/AGENTS.md`, root: REPO, file: 'AGENTS.md', status: 'tracked', matched: 'repository file AGENTS.md' }, {
        tool: 'my_custom.tool',
        toolName: 'My `custom` tool',
        reason: long,
        alternatives: [{ id: 'alt', name: 'Alt', url: 'not a url', install: '`weird` install' }],
        remediation: 'rm `AGENTS.md`',
      }),
    ];
    const run = runOf(render(report(findings), CONTEXT));
    const rule = run.tool.driver.rules[0]!;
    expect(rule.id).toBe('aitool/my_custom.tool/artifact');
    expect(rule.name).toBe('MyCustomToolArtifact');
    expect(rule.help!.markdown).toContain('install: `` `weird` install ``');
    expect(rule.help!.markdown).toContain('- rm `AGENTS.md`');
    expect(rule.fullDescription!.text.length).toBe(1024);
    expect(rule.help!.markdown).toContain('**Alt** — not a url');
  });
});
