// aitool check as a user runs it: the built CLI, a temp HOME holding one tool's
// traces, and policies in the layers where real ones live.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeWorld, runCli, type World } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  action: string;
  confidence: string;
  evidence: { path?: string; pid?: number; matched: string };
  alternatives: Array<{ id: string; name: string; url?: string; install?: string }>;
  remediation?: string;
}
interface Report {
  schemaVersion: number;
  findings: Finding[];
  skipped: Array<{ scanner: string; reason: string }>;
  policy: { files: Array<{ layer: string; file?: string }>; warnings: Array<{ file?: string; key?: string; message: string }> };
  summary: Record<string, number>;
}

const README_EXAMPLE = `# .aitoolrc.yaml: an organisation that moves everyone from Claude Code to Qoder
extends: aitool:recommended
default: warn              # catalog tools this file does not name
tools:
  claude-code:
    action: block
    reason: Source code may not leave the company's data boundary.
    alternatives: [qoder]  # ids of catalog tools or of entries under \`alternatives:\`
  cursor: block
  qoder: allow
`;

let world: World;
beforeEach(() => {
  world = makeWorld();
  mkdirSync(join(world.home, '.claude'), { recursive: true });
  world.write('home/.claude.json', '{}');
});
afterEach(() => world.cleanup());

/** Findings from the temp HOME only: other tests spawn real tool processes on this machine at the same time. */
const homeTraces = (report: Report) => report.findings.filter((f) => f.kind === 'trace' && f.evidence.path?.startsWith(world.home));

describe('aitool check with no policy anywhere', () => {
  it('reports what it finds as warn and exits 0', async () => {
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = json<Report>(result);
    expect(report.schemaVersion).toBe(1);
    expect(Array.isArray(report.skipped)).toBe(true);
    expect(report.policy.files).toEqual([]);
    const traces = homeTraces(report);
    expect(traces.map((f) => f.evidence.path).sort()).toEqual([join(world.home, '.claude'), join(world.home, '.claude.json')]);
    for (const finding of traces) {
      expect(finding).toMatchObject({ tool: 'claude-code', kind: 'trace', action: 'warn', confidence: 'confirmed' });
    }
  });

  it('exits 1 with --fail-on warn, and 0 with --fail-on never', async () => {
    expect((await runCli(['check', '--fail-on', 'warn'], world)).exitCode).toBe(1);
    expect((await runCli(['check', '--fail-on', 'never'], world)).exitCode).toBe(0);
  });

  it('reports nothing from an empty HOME', async () => {
    const empty = makeWorld();
    try {
      const report = json<Report>(await runCli(['check', '--format', 'json'], empty));
      expect(report.findings.filter((f) => f.kind === 'trace' && f.evidence.path?.startsWith(empty.home))).toEqual([]);
    } finally {
      empty.cleanup();
    }
  });
});

describe('aitool check with the README policy', () => {
  beforeEach(() => {
    world.write('repo/.aitoolrc.yaml', README_EXAMPLE);
  });

  it('blocks claude-code, names Qoder and how to get it, and exits 1', async () => {
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = json<Report>(result);
    const traces = homeTraces(report);
    expect(traces.length).toBe(2);
    for (const finding of traces) {
      expect(finding.action).toBe('block');
      expect(finding.alternatives).toEqual([expect.objectContaining({ id: 'qoder', name: 'Qoder', url: expect.any(String), install: expect.any(String) })]);
      expect(finding.remediation).toMatch(/delete/);
    }
    expect(report.policy.files.map((f) => f.file)).toContain(join(world.cwd, '.aitoolrc.yaml'));
  });

  it('prints a grouped text report without colour when piped, or with NO_COLOR', async () => {
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const result = await runCli(['check'], world, env);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).not.toMatch(/\u001b\[/);
      expect(result.stdout).toMatch(/✖ BLOCK\s+Claude Code \(claude-code/);
      expect(result.stdout).toContain("Why: Source code may not leave the company's data boundary.");
      expect(result.stdout).toMatch(/Use instead: Qoder — https?:\/\/\S+ — install: \S+/);
      expect(result.stdout).toContain('~/.claude');
    }
  });

  it('colours with FORCE_COLOR and not with --no-color', async () => {
    expect((await runCli(['check'], world, { FORCE_COLOR: '1' })).stdout).toMatch(/\u001b\[/);
    expect((await runCli(['check', '--no-color'], world, { FORCE_COLOR: '1' })).stdout).not.toMatch(/\u001b\[/);
  });

  it('lets --policy (the top layer) change a verdict', async () => {
    const top = world.write('top.yaml', 'tools:\n  claude-code: warn\n');
    const result = await runCli(['check', '--format', 'json', '--policy', top], world);
    expect(result.exitCode).toBe(0);
    expect(homeTraces(json<Report>(result)).every((f) => f.action === 'warn')).toBe(true);
  });

  it('reads AITOOL_POLICY like --policy', async () => {
    const top = world.write('top.yaml', 'tools:\n  claude-code: allow\n');
    const result = await runCli(['check', '--format', 'json'], world, { AITOOL_POLICY: top });
    expect(homeTraces(json<Report>(result)).every((f) => f.action === 'allow')).toBe(true);
  });
});

describe('the managed layer', () => {
  it('cannot be loosened by a repository policy: the allow and the scanner switch-off are reported and ignored', async () => {
    const managed = world.write(
      'managed/policy.yaml',
      'tools:\n  claude-code:\n    action: block\n    reason: Managed by IT.\nscanners:\n  traces: true\n',
    );
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: allow\nscanners:\n  traces: false\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = json<Report>(result);
    expect(homeTraces(report).map((f) => f.action)).toEqual(['block', 'block']);
    const warnings = report.policy.warnings.map((w) => `${w.file} ${w.key} ${w.message}`).join('\n');
    expect(warnings).toMatch(/claude-code/);
    expect(warnings).toMatch(/scanners\.traces/);
    expect(warnings).toContain(managed);

    const text = await runCli(['check'], world);
    expect(text.stdout).toMatch(/policy: .*claude-code/);
  });

  it('lets a repository tighten what the managed layer set', async () => {
    world.write('managed/policy.yaml', 'default: warn\n');
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: block\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode).toBe(1);
    expect(json<Report>(result).policy.warnings).toEqual([]);
  });

  it('shows where each value came from', async () => {
    const managed = world.write('managed/policy.yaml', 'tools:\n  cursor: block\n');
    world.write('repo/.aitoolrc.yaml', README_EXAMPLE);
    const result = await runCli(['policy', 'show'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const cursorLine = result.stdout.split('\n').find((l) => l.includes('cursor') && l.includes('block'));
    expect(cursorLine).toBeDefined();
    expect(result.stdout).toContain(managed);
    expect(result.stdout).toContain(join(world.cwd, '.aitoolrc.yaml'));
  });
});

describe('custom tools', () => {
  it("detects an organisation's own tool in the catalog's shape, and rules on it", async () => {
    world.write(
      'repo/.aitoolrc.yaml',
      [
        'customTools:',
        '  - id: acme-ai',
        '    name: Acme AI',
        '    vendor: Acme',
        '    homepage: https://ai.acme.test',
        '    category: agent-cli',
        '    signatures:',
        '      executables: [{ name: acme-ai }]',
        '      home: [{ path: ~/.acme-ai }]',
        'tools:',
        '  acme-ai:',
        '    action: block',
        '    reason: Retired in favour of Qoder.',
        '    alternatives: [qoder]',
        '',
      ].join('\n'),
    );
    mkdirSync(join(world.home, '.acme-ai'));
    const bin = world.write('bin/acme-ai', '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    const result = await runCli(['check', '--format', 'json'], world, { PATH: `${join(world.root, 'bin')}:${world.env.PATH}` });
    expect(result.exitCode, result.stderr).toBe(1);
    const acme = json<Report>(result).findings.filter((f) => f.tool === 'acme-ai');
    expect(acme.map((f) => [f.kind, f.action, f.confidence, f.evidence.path])).toEqual([
      ['executable', 'block', 'name-only', bin],
      ['trace', 'block', 'confirmed', join(world.home, '.acme-ai')],
    ]);
    expect(acme[0]!.alternatives.map((a) => a.id)).toEqual(['qoder']);
  });
});

describe('aitool tools and init', () => {
  it('lists at least 30 tools and shows one entry with its alternatives', async () => {
    const list = await runCli(['tools', '--format', 'json'], world);
    expect(list.exitCode).toBe(0);
    expect(json<unknown[]>(list).length).toBeGreaterThanOrEqual(30);
    world.write('repo/.aitoolrc.yaml', README_EXAMPLE);
    const one = await runCli(['tools', 'claude-code'], world);
    expect(one.exitCode, one.stderr).toBe(0);
    expect(one.stdout).toContain('@anthropic-ai/claude-code');
    expect(one.stdout).toMatch(/policy: block/);
    expect(one.stdout).toMatch(/use instead: Qoder/);
  });

  it('writes a starter policy from flags that then validates and applies', async () => {
    const result = await runCli(['init', '--block', 'claude-code', '--allow', 'qoder', '--default', 'warn'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const validate = await runCli(['policy', 'validate', '.aitoolrc.yaml'], world);
    expect(validate.exitCode, validate.stderr).toBe(0);
    const check = await runCli(['check', '--format', 'json'], world);
    expect(check.exitCode).toBe(1);
    expect(homeTraces(json<Report>(check)).every((f) => f.action === 'block')).toBe(true);
    expect((await runCli(['init', '--block', 'claude-code'], world)).exitCode).toBe(2);
  });
});
