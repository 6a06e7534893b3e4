// Managed exceptions through the built CLI: the real user name and host name
// of the test run against others, `until` dates written relative to the real
// today (the CLI has no clock seam, on purpose), and a repository that tries
// to grant itself one.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, json, makeWorld, runCli, type World, initRepo, type Git } from './run-cli.js';

let world: World;
let git: Git;
beforeEach(() => {
  world = makeWorld();
  git = initRepo(world);
});
afterEach(() => world.cleanup());

const ME = userInfo().username;
const HOST = hostname();

/** Today plus `days`, as `YYYY-MM-DD` in UTC (the exception's own calendar). */
function day(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return at.toISOString().slice(0, 10);
}

/** Only the repo scanner runs: the machine's own tools (real agent sessions run here) stay out of the counts. */
const ONLY_REPO = `scanners: { processes: false, path: false, traces: false, packages: false, editors: false, apps: false, configs: false, skills: false, browsers: false, session: false, repo: true }
hook: { scanners: { session: false, repo: true } }
tools:
  claude-code: { action: block, reason: No Claude Code here. }
`;

function managed(exceptions: string): void {
  world.write('managed/policy.yaml', `${ONLY_REPO}exceptions:\n${exceptions}`);
}

function trackClaudeMd(): void {
  world.write('repo/CLAUDE.md', '# notes for the agent\n');
  git('add', 'CLAUDE.md');
  git('commit', '-q', '--no-verify', '-m', 'CLAUDE.md');
}

interface Finding {
  tool: string;
  action: string;
  exception?: { reason: string; until: string; file: string; index: number };
}
interface Report {
  findings: Finding[];
  policy: { warnings: Array<{ file?: string; key?: string; message: string }> };
  summary: Record<string, number>;
}

const check = async () => {
  const result = await runCli(['check', '--format', 'json'], world);
  return { result, report: json<Report>(result) };
};

describe('managed exceptions in aitool check', () => {
  it('a live exception for this user keeps the verdict, names the exception in JSON and does not fail the check', async () => {
    trackClaudeMd();
    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(60)}\n    reason: SEC-123 pilot\n`);
    const { result, report } = await check();
    expect(result.exitCode, result.stderr).toBe(0);
    const finding = report.findings.find((f) => f.tool === 'claude-code')!;
    expect(finding.action).toBe('block');
    expect(finding.exception).toEqual({ reason: 'SEC-123 pilot', until: day(60), file: join(world.root, 'managed', 'policy.yaml'), index: 0 });
    expect(report.summary.block).toBe(0);
    expect(report.summary.warn).toBe(1);
    expect(report.policy.warnings).toEqual([]);

    const text = await runCli(['check'], world);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`Exception: SEC-123 pilot — until ${day(60)} (end of day UTC;`);
  });

  it('this host in scope counts; another user or another host does not', async () => {
    trackClaudeMd();
    managed(`  - tools: [claude-code]\n    hosts: [${JSON.stringify(HOST.toUpperCase())}]\n    until: ${day(60)}\n    reason: host pilot\n`);
    expect((await check()).result.exitCode).toBe(0);

    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(`${ME}-someone-else`)}]\n    until: ${day(60)}\n    reason: not me\n`);
    const otherUser = await check();
    expect(otherUser.result.exitCode).toBe(1);
    expect(otherUser.report.findings.find((f) => f.tool === 'claude-code')?.exception).toBeUndefined();

    // Every scope given must match: my user name on another machine is not enough.
    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    hosts: [not-${JSON.stringify(HOST).slice(1, -1)}]\n    until: ${day(60)}\n    reason: elsewhere\n`);
    expect((await check()).result.exitCode).toBe(1);
  });

  it('an exception that ended yesterday is ignored with a warning naming it; one ending in 5 days is warned about', async () => {
    trackClaudeMd();
    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(-1)}\n    reason: SEC-1 old pilot\n`);
    const expired = await check();
    expect(expired.result.exitCode).toBe(1);
    expect(expired.report.findings.find((f) => f.tool === 'claude-code')?.exception).toBeUndefined();
    expect(expired.report.policy.warnings).toEqual([
      { file: join(world.root, 'managed', 'policy.yaml'), key: 'exceptions.0', message: `exception #0 ("SEC-1 old pilot", until ${day(-1)}) has expired; ignored` },
    ]);

    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(5)}\n    reason: SEC-2 ending\n`);
    const soon = await check();
    expect(soon.result.exitCode).toBe(0);
    expect(soon.report.policy.warnings.map((w) => w.message)).toEqual([`exception #0 ("SEC-2 ending", until ${day(5)}) expires in 5 days`]);
  });

  it('a repository .aitoolrc.yaml cannot grant itself an exception: ignored with a warning, the check still fails', async () => {
    trackClaudeMd();
    world.write('managed/policy.yaml', ONLY_REPO);
    world.write('repo/.aitoolrc.yaml', `exceptions:\n  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(60)}\n    reason: trust me\n`);
    const { result, report } = await check();
    expect(result.exitCode).toBe(1);
    expect(report.findings.find((f) => f.tool === 'claude-code')?.exception).toBeUndefined();
    expect(report.policy.warnings).toContainEqual({
      file: join(world.cwd, '.aitoolrc.yaml'),
      key: 'exceptions.0',
      message: `only the managed policy may grant exceptions; ignored (reason: "trust me", until ${day(60)})`,
    });
  });

  it('an exception without users, groups or hosts is refused by validation (exit 2, one line)', async () => {
    managed(`  - tools: [claude-code]\n    until: ${day(60)}\n    reason: everyone\n`);
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('names no users, groups or hosts');
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('aitool policy show', () => {
  it('lists the exceptions live for this user and host, not expired ones nor other people\'s', async () => {
    managed(
      [
        `  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(60)}\n    reason: SEC-10 live\n`,
        `  - tools: [cursor]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(-1)}\n    reason: SEC-11 expired\n`,
        `  - tools: [aider]\n    users: [${JSON.stringify(`${ME}-someone-else`)}]\n    until: ${day(60)}\n    reason: SEC-12 not mine\n`,
      ].join(''),
    );
    const result = await runCli(['policy', 'show'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const section = result.stdout.split('exceptions live for this user and host:\n')[1] ?? '';
    const listed = section.split('\n\n')[0]!.split('\n');
    expect(listed).toEqual([`  claude-code until ${day(60)} (end of day UTC) for user ${ME}: "SEC-10 live" (${join(world.root, 'managed', 'policy.yaml')}, #0)`]);
    expect(result.stdout).toContain(`exception #1 ("SEC-11 expired", until ${day(-1)}) has expired; ignored`);
    expect(result.stdout).not.toContain('SEC-12');
  });
});

describe('the commit hook', () => {
  function installHook(): void {
    const path = join(world.cwd, '.git', 'hooks', 'commit-msg');
    mkdirSync(join(world.cwd, '.git', 'hooks'), { recursive: true });
    writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run commit "$@"\n`);
    chmodSync(path, 0o755);
  }
  const commit = () =>
    spawnSync('git', ['commit', '-q', '-m', 'add CLAUDE.md'], {
      cwd: world.cwd,
      env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1', AITOOL_MANAGED_POLICY: join(world.root, 'managed', 'policy.yaml') },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('does not refuse a staged CLAUDE.md covered by a live exception, and refuses it once the exception has ended', () => {
    installHook();
    world.write('repo/CLAUDE.md', '# notes for the agent\n');
    git('add', 'CLAUDE.md');

    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(-1)}\n    reason: SEC-20 ended\n`);
    const refused = commit();
    expect(refused.status, refused.stderr).toBe(1);

    managed(`  - tools: [claude-code]\n    users: [${JSON.stringify(ME)}]\n    until: ${day(60)}\n    reason: SEC-21 pilot\n`);
    const allowed = commit();
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(git('log', '-1', '--format=%s').trim()).toBe('add CLAUDE.md');
  });
});
