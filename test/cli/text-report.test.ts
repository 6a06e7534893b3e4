// The terminal report as people read it (issue 14), through the built CLI:
// real processes of one fake tool, a Claude Code-like agent shell (a `claude`
// on a temp PATH, with Claude Code's environment markers, that runs `git
// commit` in a repository whose hook is installed), and this project's own
// checkout. Snapshot-free: line counts, one step per action, what the first
// line of a refusal says. Only processes started here are ever stopped.
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installNativeBinary, killSpawned, spawnNativeBinary, type SpawnedProcess } from '../helpers/processes.js';
import { makeSymlink, makeTempDir, removeTempDirs, writeFile } from '../helpers/temp.js';
import { BIN, initRepo, json, makeWorld, runCli, type Git, type World } from './run-cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Agents' marker variables: the suite itself may run inside an agent's shell. */
const MARKER = /^(CLAUDE|CODEX|GEMINI|CURSOR|AI_AGENT|OPENCODE|_$)/;

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!MARKER.test(name)) env[name] = value;
  return { ...env, ...extra };
}

const linesOf = (text: string) => text.replace(/\n$/, '').split('\n');

/** The lines of one tool's section in a text report: its badge line up to the blank line after it. */
function section(text: string, toolName: string): string[] {
  const lines = linesOf(text);
  const start = lines.findIndex((l) => /^(✖ BLOCK|▲ WARN ) {2}/.test(l) && l.includes(`${toolName} (`));
  if (start < 0) throw new Error(`no section for ${toolName} in:\n${text}`);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('aitool check: one step per action, one line about alternatives', () => {
  const CODEX_PROCESSES = 8;
  let world: World;
  let codex: SpawnedProcess[] = [];

  beforeAll(async () => {
    const root = await makeTempDir('aitool-text-');
    world = {
      root, home: join(root, 'home'), cwd: join(root, 'work'),
      env: { HOME: join(root, 'home'), PATH: process.env.PATH ?? '/usr/bin:/bin' },
      write: () => { throw new Error('unused'); },
      cleanup: () => undefined,
    };
    await writeFile(join(world.cwd, 'README'), 'not a repository\n');
    // Codex's app-server daemon from its self-updater folder (a copy of a shell stands in), eight times over.
    const daemon = await installNativeBinary(join(world.home, '.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex'));
    codex = await Promise.all(Array.from({ length: CODEX_PROCESSES }, () => spawnNativeBinary(daemon, ['app-server', '--listen', 'unix://'], { env: cleanEnv({}) })));
  }, 60_000);

  afterAll(async () => {
    await killSpawned();
    await removeTempDirs();
  });

  it('gives one kill step for all of a tool’s processes, listing six pids and counting all, and no per-tool "no alternative" line', async () => {
    const result = await runCli(['check'], world);
    const report = json<{ findings: Array<{ tool: string; kind: string; evidence: { pid?: number } }> }>(await runCli(['check', '--format', 'json'], world));
    const codexPids = new Set(report.findings.filter((f) => f.tool === 'codex' && f.kind === 'process').map((f) => f.evidence.pid!));
    for (const { pid } of codex) expect(codexPids).toContain(pid);

    const lines = section(result.stdout, 'OpenAI Codex CLI');
    const kills = lines.filter((l) => /\bkill \d/.test(l));
    expect(kills, lines.join('\n')).toHaveLength(1);
    // Stopping first: the other steps delete what a running process could write back.
    expect(lines.findIndex((l) => l.startsWith('  To remove:'))).toBe(lines.indexOf(kills[0]!));
    const match = /^ {2}To remove: stop them: kill ((?:\d+ ){5}\d+) \((\d+) processes; (\d+) more: aitool check --format json lists them\)$/.exec(kills[0]!);
    expect(match, kills[0]).not.toBeNull();
    const listedPids = match![1]!.split(' ').map(Number);
    for (const pid of listedPids) expect(codexPids).toContain(pid);
    expect(Number(match![2])).toBe(codexPids.size);
    expect(Number(match![3])).toBe(codexPids.size - 6);
    // Evidence stays capped with a count.
    const more = lines.indexOf(`  … and ${report.findings.filter((f) => f.tool === 'codex').length - 8} more (see --format json)`);
    expect(more, lines.join('\n')).toBe(1 + 8);

    // The built-in policy names no alternatives: said once, after the tools, with how to name one.
    expect(result.stdout).not.toContain('names no approved alternative; ask whoever owns it');
    expect(lines.some((l) => l.includes('Use instead'))).toBe(false);
    const hints = linesOf(result.stdout).filter((l) => l.startsWith('Use instead:'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain('OpenAI Codex CLI');
    expect(hints[0]).toMatch(/Name them per tool in \.aitoolrc\.yaml, e\.g\. `tools: \{ [a-z-]+: \{ action: warn, alternatives: \[[a-z-]+\] \} \}`/);
  });

  it('names the alternative per tool once the policy does, as the closing hint shows how', async () => {
    // The hint's own example, for Codex, as a policy file: it must validate and take effect.
    const first = await runCli(['check'], world);
    const hint = linesOf(first.stdout).find((l) => l.startsWith('Use instead:'))!;
    const example = /`(tools: \{ [a-z-]+: .*\} \})`/.exec(hint)![1]!.replace(/tools: \{ [a-z-]+:/, 'tools: { codex:');
    const policy = await writeFile(join(world.root, 'policy.yaml'), `${example}\n`);
    const result = await runCli(['check', '--policy', policy], world);
    expect(result.stderr).toBe('');
    const lines = section(result.stdout, 'OpenAI Codex CLI');
    expect(lines.filter((l) => l.startsWith('  Use instead: '))).toEqual([expect.stringMatching(/^ {2}Use instead: GitHub Copilot/)]);
    // Any tool still without one (another user's agent on this machine) is named in the closing line; Codex is not.
    for (const line of linesOf(result.stdout).filter((l) => l.startsWith('Use instead:'))) expect(line).not.toContain('OpenAI Codex CLI');
  });
});

describe('a commit refused inside a Claude Code-like agent shell', () => {
  let world: World;
  let git: Git;
  let bin: string;

  const BLOCK_CLAUDE = `tools:
  claude-code:
    action: block
    reason: Source code may not leave the company's data boundary.
    alternatives: [qoder]
`;

  beforeEach(async () => {
    world = makeWorld();
    git = initRepo(world);
    world.write('repo/.aitoolrc.yaml', BLOCK_CLAUDE);
    git('add', '.aitoolrc.yaml');
    git('commit', '-q', '--no-verify', '-m', 'policy');
    // The default install: one commit-msg hook running `hook run commit`.
    world.write('repo/.git/hooks/commit-msg', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run commit "$@"\n`);
    chmodSync(join(world.cwd, '.git/hooks/commit-msg'), 0o755);
    // A `claude` on a temp PATH, laid out as Claude Code's native installer does (a link to
    // ~/.local/share/claude/versions/<v>; a copy of a shell stands in): the process named
    // claude is git's parent, proven by its install folder, so it is the nearest and
    // strongest sign even when these tests themselves run inside a real agent.
    bin = join(world.root, 'agent-bin');
    await installNativeBinary(join(world.home, '.local/share/claude/versions/2.0.50'));
    await makeSymlink(join(bin, 'claude'), join(world.home, '.local/share/claude/versions/2.0.50'));
  });
  afterEach(() => world.cleanup());

  const AGENT_ENV = {
    CLAUDECODE: '1',
    CLAUDE_CODE_ENTRYPOINT: 'cli',
    CLAUDE_CODE_SESSION_ID: '0f9e8d7c-session',
    CLAUDE_CODE_EXECPATH: '/opt/claude/bin/claude',
  };

  /** `claude -c 'git commit …'`: the agent process runs git (it stays the parent: `; exit` keeps the shell from exec'ing git). */
  async function commitFromAgent(script: string): Promise<{ pid: number; status: number | null; stderr: string }> {
    const child = spawn(join(bin, 'claude'), ['-c', `${script}; exit $?`], {
      cwd: world.cwd,
      env: cleanEnv({ ...world.env, PATH: `${bin}:${world.env.PATH}`, GIT_CONFIG_NOSYSTEM: '1', ...AGENT_ENV }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { pid: child.pid!, status, stderr };
  }

  it('prints one screen (≤ 12 lines) that opens with the refusal and one "terminal of your own" step naming the ancestor', async () => {
    const result = await commitFromAgent('git commit -q --allow-empty -m "from the agent"');
    expect(result.status, result.stderr).toBe(1);
    const lines = linesOf(result.stderr);
    expect(lines.length, result.stderr).toBeLessThanOrEqual(12);
    // The first line: refused, and what to do, naming the strongest sign (the ancestor over the variables) and how many more.
    expect(lines[0]).toMatch(/^✖ aitool refused this commit: Claude Code is blocked by the policy\. To fix: make the commit from a terminal of your own/);
    // (A real agent above the test run would be one more process, counted, not named.)
    expect(lines[0]).toMatch(new RegExp(`\\(ancestor process claude, pid ${result.pid}; also (1 more process and )?${Object.keys(AGENT_ENV).length} environment variables\\)$`));
    // Said once: was a "To fix" line per variable and ancestor.
    expect(result.stderr.match(/terminal of your own/g)).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('  To fix:'))).toEqual([]);
    // Details after: the tool, why, the ancestor first among capped evidence, the alternative.
    expect(lines[1]).toMatch(/^✖ BLOCK {2}Claude Code \(claude-code, agent CLI\)$/);
    expect(lines).toContain("  Why: Source code may not leave the company's data boundary.");
    expect(lines[3]).toMatch(new RegExp(`^ {2}inside {4}pid ${result.pid} {2}\\S*/agent-bin/claude -c git commit.*install folder ~/\\.local/share/claude/versions/\\{version\\} 2\\.0\\.50\\)$`));
    expect(lines.filter((l) => l.startsWith('  inside '))).toHaveLength(3);
    expect(lines).toContain('  … and 2 more (aitool check lists them)');
    expect(lines.some((l) => l.startsWith('  Use instead: Qoder'))).toBe(true);
    expect(git('log', '-1', '--format=%s').trim()).toBe('policy');
  });

  it('refuses a push from the agent’s shell as a push, and says to push from a terminal of your own', async () => {
    const result = await runCli(['hook', 'run', 'pre-push', 'origin', 'https://example.invalid/repo.git'], world, AGENT_ENV);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/^✖ aitool refused this push: Claude Code is blocked by the policy\. To fix: push from a terminal of your own: this runs inside Claude Code \(.*\b3 more environment variables\)$/);
    expect(result.stderr).not.toContain('make the commit');
  });

  it('with staged files too: still one screen, one step per action, the session step first', async () => {
    for (let i = 0; i < 10; i++) world.write(`repo/.claude/commands/c${i}.md`, `command ${i}\n`);
    git('add', '.claude');
    const result = await commitFromAgent('git commit -q -m "agent config"');
    expect(result.status, result.stderr).toBe(1);
    const lines = linesOf(result.stderr);
    expect(lines.length, result.stderr).toBeLessThanOrEqual(12);
    // Nothing else helps while the agent makes the commit: that step leads; the ten staged files are one unstaging step below.
    expect(lines[0]).toMatch(/^✖ aitool refused this commit: Claude Code is blocked by the policy\. To fix: make the commit from a terminal of your own/);
    expect(result.stderr.match(/terminal of your own/g)).toHaveLength(1);
    const unstage = lines.filter((l) => l.includes('git restore --staged'));
    expect(unstage).toHaveLength(1);
    expect(unstage[0]).toMatch(/git restore --staged \.claude\/commands\/c\d\.md \.claude\/commands\/c\d\.md \.claude\/commands\/c\d\.md to leave them out of this commit \(7 more: aitool check --format json lists them\)$/);
    expect(lines.indexOf(unstage[0]!)).toBeGreaterThan(1);
  });
});

describe("this project's own checkout", () => {
  it('reports no test fixture as a repository finding', async () => {
    const home = await makeTempDir('aitool-self-');
    const world: World = { root: home, home, cwd: ROOT, env: { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' }, write: () => '', cleanup: () => undefined };
    const result = await runCli(['check', '--format', 'json'], world);
    const report = json<{ findings: Array<{ kind: string; evidence: { file?: string } }>; policy: { files: Array<{ file?: string }> } }>(result);
    expect(report.policy.files.map((f) => f.file)).toContain(join(ROOT, '.aitoolrc.yaml'));
    const inRepository = report.findings.filter((f) => f.kind === 'artifact' || f.kind === 'dependency').map((f) => f.evidence.file);
    expect(inRepository.filter((file) => file?.startsWith('test/'))).toEqual([]);
    await removeTempDirs();
  }, 60_000);
});
