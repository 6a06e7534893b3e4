// The text report's shape for a person: grouped by tool, evidence capped with
// a count, MCP servers under their own heading, quiet hooks.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import type { Finding } from '../../src/types.js';

const chalk = new Chalk({ level: 0 });

function artifact(file: string): Finding {
  return {
    tool: 'claude-code',
    toolName: 'Claude Code',
    category: 'agent-cli',
    kind: 'artifact',
    confidence: 'confirmed',
    action: 'block',
    rule: 'tools.claude-code',
    evidence: { root: '/repo', file, status: 'added', path: `/repo/${file}`, matched: 'repository file .claude/' },
    alternatives: [{ id: 'qoder', name: 'Qoder', url: 'https://qoder.com' }],
    remediation: `git restore --staged ${file} to leave it out of this commit`,
  };
}

function report(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    aitool: { version: '0.1.0' },
    host: { os: 'linux', hostname: 'dev' },
    policy: { files: [{ layer: 'project', file: '/repo/.aitoolrc.yaml' }], warnings: [] },
    failOn: 'block',
    findings,
    skipped: [],
    notes: [],
    summary: { block: 1, warn: 0, allow: 0, mcpServers: { block: 0, warn: 0, allow: 0 } },
    ...overrides,
  };
}

describe('formatText', () => {
  it('shows eight evidence lines per tool, then counts the rest; one step unstages all the files, naming three', () => {
    const files = Array.from({ length: 11 }, (_, i) => `.claude/commands/c${i}.md`);
    const text = formatText(report(files.map(artifact)), chalk);
    expect(text.split('\n').filter((l) => l.startsWith('  in repo')).length).toBe(8);
    expect(text).toContain('  … and 3 more (see --format json)');
    // Was eight "To fix: git restore --staged <file>" lines and "… and 3 more steps".
    expect(text.split('\n').filter((l) => l.startsWith('  To fix:'))).toEqual([
      '  To fix: git restore --staged .claude/commands/c0.md .claude/commands/c1.md .claude/commands/c2.md to leave them out of this commit (8 more: aitool check --format json lists them)',
    ]);
    expect(text).toContain('1 AI tool(s) found: 1 blocked, 0 to review, 0 allowed. (policy: /repo/.aitoolrc.yaml)');
  });

  it('says nothing in a hook when nothing is flagged, and the full report otherwise', () => {
    expect(formatText(report([], { summary: { block: 0, warn: 0, allow: 0, mcpServers: { block: 0, warn: 0, allow: 0 } } }), chalk, undefined, { quiet: true })).toBe('');
    expect(formatText(report([artifact('CLAUDE.md')]), chalk, undefined, { quiet: true })).toContain('✖ BLOCK  Claude Code (claude-code, agent CLI)');
  });

  it('keeps distinct steps apart, eight at most, and counts the rest', () => {
    const changes = Array.from({ length: 11 }, (_, i): Finding => ({
      ...artifact('x'),
      kind: 'config-change',
      evidence: { path: `/home/ada/.rc${i}`, line: 1, excerpt: 'x', matched: 'marker' },
      remediation: `remove what Claude Code added to /home/ada/.rc${i} (from line 1)`,
    }));
    const text = formatText(report(changes), chalk);
    expect(text.split('\n').filter((l) => l.startsWith('  To remove:')).length).toBe(8);
    expect(text).toContain('  … and 3 more steps (see --format json)');
  });

  it('gives a manifest and its lockfile one uninstall, the manifest’s', () => {
    const dependency = (file: string, field: string, remediation: string): Finding => ({
      ...artifact('x'),
      kind: 'dependency',
      evidence: { file, field, ecosystem: 'npm', package: '@anthropic-ai/claude-agent-sdk', status: 'tracked', matched: 'package' },
      remediation,
    });
    const text = formatText(
      report([
        dependency('app/package-lock.json', 'lockfile', 'cd app && npm uninstall @anthropic-ai/claude-agent-sdk (if a dependency pulls it in instead, `npm explain @anthropic-ai/claude-agent-sdk` names it)'),
        dependency('app/package.json', 'dependencies', 'cd app && npm uninstall @anthropic-ai/claude-agent-sdk'),
      ]),
      chalk,
    );
    expect(text.split('\n').filter((l) => l.startsWith('  To fix:'))).toEqual(['  To fix: cd app && npm uninstall @anthropic-ai/claude-agent-sdk']);
  });

  const session = (evidence: Finding['evidence'], confidence: Finding['confidence'] = 'confirmed'): Finding => ({
    ...artifact('x'),
    kind: 'session',
    confidence,
    evidence,
    remediation: 'make the commit from a terminal of your own',
  });
  const variable = (name: string) => session({ variable: { name, value: '1' }, matched: `environment ${name}` });

  it('names an ancestor over environment variables, even a name-only one, a proven one first, and counts the rest by kind', () => {
    const claude = session({ pid: 7, name: 'claude', cmd: 'claude', depth: 3, matched: 'process name claude' }, 'name-only');
    const findings = [variable('CLAUDECODE'), variable('CLAUDE_CODE_ENTRYPOINT'), claude];
    const text = formatText(report(findings), chalk, undefined, { quiet: true, hook: 'commit', refused: true });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '✖ aitool refused this commit: Claude Code is blocked by the policy. To fix: make the commit from a terminal of your own: this runs inside Claude Code (ancestor process claude, pid 7; also 2 environment variables)',
    );
    expect(text.match(/terminal of your own/g)).toHaveLength(1);
    // The strongest sign first among the three evidence lines a hook shows, though it came last.
    expect(lines.filter((l) => l.startsWith('  inside '))[0]).toContain('pid 7');

    const proven = session({ pid: 9, name: 'node', cmd: 'node cli.js', depth: 5, matched: 'npm package' });
    const withProven = formatText(report([...findings, proven]), chalk, undefined, { quiet: true, hook: 'commit', refused: true });
    expect(withProven.split('\n')[0]).toContain('(ancestor process node, pid 9; also 1 more process and 2 environment variables)');
  });

  it('names the first variable when only variables say so', () => {
    const text = formatText(report([variable('CLAUDECODE'), variable('CLAUDE_CODE_SESSION_ID')]), chalk);
    expect(text).toContain('  To fix: make the commit from a terminal of your own: this runs inside Claude Code (environment variable CLAUDECODE; also 1 more environment variable)');
  });

  it('opens a refusal of several tools by naming them, and a push refusal as a push', () => {
    const cursor: Finding = { ...artifact('.cursor/rules/a.mdc'), tool: 'cursor', toolName: 'Cursor', category: 'ai-ide', rule: 'tools.cursor' };
    const both = formatText(report([artifact('CLAUDE.md'), cursor]), chalk, undefined, { quiet: true, hook: 'push', refused: true });
    expect(both.split('\n')[0]).toBe('✖ aitool refused this push: 2 tools are blocked by the policy (Claude Code, Cursor); what to do is under each.');
    expect(both.split('\n').filter((l) => l.startsWith('  To fix:'))).toHaveLength(2);
  });

  it('says under --fail-on warn that a warned tool refused the commit', () => {
    const warned = { ...artifact('CLAUDE.md'), action: 'warn' as const };
    const text = formatText(report([warned], { failOn: 'warn' }), chalk, undefined, { quiet: true, hook: 'commit', refused: true });
    expect(text.split('\n')[0]).toBe('✖ aitool refused this commit: Claude Code is flagged for review (and --fail-on is warn). To fix: git restore --staged CLAUDE.md to leave it out of this commit');
    // The step the first line gives is not repeated below it.
    expect(text.split('\n').filter((l) => l.includes('git restore'))).toHaveLength(1);
  });

  describe('approved alternatives named nowhere: one line after the tools', () => {
    const none = (f: Finding): Finding => ({ ...f, alternatives: [] });
    const cursor: Finding = none({ ...artifact('.cursor/rules/a.mdc'), tool: 'cursor', toolName: 'Cursor', category: 'ai-ide', rule: 'tools.cursor' });

    it('with the built-in policy, how to name them', () => {
      const text = formatText(report([none(artifact('CLAUDE.md')), cursor], { policy: { files: [], warnings: [] } }), chalk);
      const hints = text.split('\n').filter((l) => l.includes('Use instead'));
      expect(hints).toEqual([
        'Use instead: no approved tool is named for Claude Code, Cursor. Name them per tool in .aitoolrc.yaml, e.g. `tools: { claude-code: { action: block, alternatives: [github-copilot] } }` (ids: aitool tools).',
      ]);
      expect(text).not.toContain('ask whoever owns it');
    });

    it('with a project policy, in that file; and a tool whose rule names one keeps its own line', () => {
      const text = formatText(report([artifact('CLAUDE.md'), cursor]), chalk);
      expect(text.split('\n').filter((l) => l.includes('Use instead'))).toEqual([
        '  Use instead: Qoder — https://qoder.com',
        'Use instead: no approved tool is named for Cursor. Name them per tool in /repo/.aitoolrc.yaml, e.g. `tools: { cursor: { action: block, alternatives: [github-copilot] } }` (ids: aitool tools).',
      ]);
    });

    it("with an organisation's policy, who to ask", () => {
      const policy = { files: [{ layer: 'managed' as const, file: '/etc/aitool/policy.yaml' }, { layer: 'project' as const, file: '/repo/.aitoolrc.yaml' }], warnings: [] };
      const text = formatText(report([cursor], { policy }), chalk);
      expect(text.split('\n').filter((l) => l.includes('Use instead'))).toEqual([
        "Use instead: the organisation's policy (/etc/aitool/policy.yaml) names no approved alternative for Cursor; ask whoever owns it.",
      ]);
    });
  });
});
