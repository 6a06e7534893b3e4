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
});
