// aitool at commit time: real git repositories whose hooks run the built CLI,
// real `git commit`s made from inside (fake but real) agent processes, real
// environments, staged files and commit messages.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hookScript } from '../../src/hooks/script.js';
import { BIN, json, makeWorld, runCli, type World, initRepo, type Git } from './run-cli.js';

let world: World;
let git: Git;
beforeEach(() => {
  world = makeWorld();
  git = initRepo(world);
});
afterEach(() => world.cleanup());

/**
 * The hook `aitool hook install` writes (the real template, pointing at this
 * node and the built CLI: its script asks git while Node starts and passes
 * the answers with --git-stdin), or, with `line`, a one-line hook running
 * `hook run <run>` alone, as the husky and lefthook lines do (aitool asks git
 * itself).
 */
function installHook(name: 'pre-commit' | 'commit-msg' | 'pre-push', run: 'commit' | undefined, line: boolean): void {
  const path = join(world.cwd, '.git', 'hooks', name);
  mkdirSync(join(world.cwd, '.git', 'hooks'), { recursive: true });
  const text = line
    ? `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run ${run ?? name} "$@"\n`
    : hookScript({ hook: name, ...(run ? { run } : {}), node: process.execPath, bin: BIN });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/**
 * What `aitool hook install` puts in: by default one commit-msg hook running
 * `hook run commit` (session, staged files, message); with --pre-commit a
 * pre-commit hook (session, staged files) and a commit-msg hook for the message.
 * `hook line`: the default's check from a hook line (husky, lefthook), without
 * the script's git answers. Every refusal is tested through all three.
 */
const INSTALLS = ['default', '--pre-commit', 'hook line'] as const;
type Install = (typeof INSTALLS)[number];
function installHooks(install: Install): void {
  if (install === '--pre-commit') {
    installHook('pre-commit', undefined, false);
    installHook('commit-msg', undefined, false);
  } else installHook('commit-msg', 'commit', install === 'hook line');
}

function policy(yaml: string): void {
  world.write('repo/.aitoolrc.yaml', yaml);
  git('add', '.aitoolrc.yaml');
  git('commit', '-q', '--no-verify', '-m', 'policy');
}

interface Commit {
  status: number;
  stdout: string;
  stderr: string;
}

/** `git commit` run by `argv` (a real process), with the world's environment plus `env`. */
function commitVia(argv: string[], env: Record<string, string> = {}): Commit {
  const result = spawnSync(argv[0]!, argv.slice(1), {
    cwd: world.cwd,
    env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const commit = (message: string, env: Record<string, string> = {}) => commitVia(['git', 'commit', '-q', '--allow-empty', '-m', message], env);
const headSubject = () => git('log', '-1', '--format=%s').trim();

const BLOCK_CLAUDE = `tools:
  claude-code:
    action: block
    reason: Source code may not leave the company's data boundary.
    alternatives: [qoder]
`;

describe.each(INSTALLS)('the session (%s install): a commit made from inside a banned tool', (install) => {
  beforeEach(() => installHooks(install));
  /** The agent, seen from aitool: git's parent; above it the hook's sh, unless a hook line exec'd aitool. */
  const levelsUp = () => (install === 'hook line' ? 2 : 3);

  it('is refused when `git commit` runs as a child of the tool’s npm-installed process, naming it, the pid and the alternative', () => {
    policy(BLOCK_CLAUDE);
    // A real process whose script lives in Claude Code's npm package, and which runs `git commit` as its child.
    const script = world.write(
      'lib/node_modules/@anthropic-ai/claude-code/cli.js',
      `const { spawnSync } = require('node:child_process');
       const r = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'from the agent'], { stdio: 'inherit' });
       process.exit(r.status ?? 1);`,
    );
    world.write('lib/node_modules/@anthropic-ai/claude-code/package.json', JSON.stringify({ name: '@anthropic-ai/claude-code', version: '2.0.50' }));
    const result = commitVia([process.execPath, script]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/✖ BLOCK {2}Claude Code \(claude-code, agent CLI\)/);
    // aitool's parent is the hook's sh (which pipes git's answers to it; a hook line execs aitool, so then git),
    // git's parent the agent.
    // The command line is cut to the terminal's width (how much of it shows depends on how long TMPDIR is); the package names it.
    expect(result.stderr).toMatch(
      new RegExp(`inside {4}pid \\d+ {2}\\S*node \\S*/lib/node_modules\\S* {2}\\(ancestor, ${levelsUp()} levels up; npm package @anthropic-ai/claude-code 2\\.0\\.50\\)`),
    );
    expect(result.stderr).toContain('Use instead: Qoder');
    expect(headSubject()).toBe('policy');
  });

  it("is refused when the tool's native binary (its own installer's folder) runs git", () => {
    policy(BLOCK_CLAUDE);
    // The process's executable is a file in ~/.local/share/claude/versions/: a copy of sh stands in for the binary.
    const binary = join(world.home, '.local/share/claude/versions/2.0.50');
    mkdirSync(join(binary, '..'), { recursive: true });
    copyFileSync('/bin/sh', binary);
    chmodSync(binary, 0o755);
    const result = commitVia([binary, '-c', 'git commit -q --allow-empty -m "from the native agent"']);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`inside {4}pid \\d+ .*\\(ancestor, ${levelsUp()} levels up; install folder ~/\\.local/share/claude/versions/\\{version\\} 2\\.0\\.50\\)`));
  });

  it('goes through when the same process runs a tool the policy does not block', () => {
    policy('tools:\n  claude-code: allow\n');
    const binary = join(world.home, '.local/share/claude/versions/2.0.50');
    mkdirSync(join(binary, '..'), { recursive: true });
    copyFileSync('/bin/sh', binary);
    const result = commitVia([binary, '-c', 'git commit -q --allow-empty -m "allowed agent"']);
    expect(result.status, result.stderr).toBe(0);
    expect(headSubject()).toBe('allowed agent');
  });
});

describe.each(INSTALLS)('the session (%s install): environment markers', (install) => {
  beforeEach(() => installHooks(install));

  it('refuses a commit with CLAUDECODE=1 when claude-code is blocked, naming the variable', () => {
    policy(BLOCK_CLAUDE);
    const result = commit('marked', { CLAUDECODE: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('inside    environment CLAUDECODE=1');
    // The refusal opens with what to do, naming the variable (was "To fix: this shell was started by Claude Code (CLAUDECODE is set)").
    expect(result.stderr.split('\n')[0]).toMatch(
      /^✖ aitool refused this commit: Claude Code is blocked by the policy\. To fix: make the commit from a terminal of your own: this runs inside Claude Code \((environment variable CLAUDECODE|.*\benvironment variable)\)$/,
    );
    expect(headSubject()).toBe('policy');
  });

  it('lets the same commit through when claude-code is not blocked, and reports it when warned', () => {
    policy('tools:\n  claude-code: warn\n');
    const result = commit('marked', { CLAUDECODE: '1' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('▲ WARN   Claude Code');
    expect(headSubject()).toBe('marked');
  });

  it('ignores a weak marker (CURSOR_TRACE_ID, in every Cursor terminal) unless the policy counts it', () => {
    policy('tools:\n  cursor: block\n');
    expect(commit('human in Cursor', { CURSOR_TRACE_ID: 'a1b2' }).status).toBe(0);
    world.write('repo/.aitoolrc.yaml', 'tools:\n  cursor: block\nsession:\n  weakMarkers: [cursor]\n');
    const result = commit('agent in Cursor', { CURSOR_TRACE_ID: 'a1b2' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('environment CURSOR_TRACE_ID=a1b2');
  });

  it('does not take a marker with the wrong value (CLAUDECODE=0)', () => {
    policy(BLOCK_CLAUDE);
    expect(commit('not claude', { CLAUDECODE: '0' }).status).toBe(0);
  });
});

describe.each(INSTALLS)('staged AI tool files (%s install)', (install) => {
  beforeEach(() => installHooks(install));

  it('refuses a staged CLAUDE.md, but not the same file committed earlier and left alone', async () => {
    policy(BLOCK_CLAUDE);
    world.write('repo/CLAUDE.md', '# notes for the agent\n');
    git('add', 'CLAUDE.md');
    const refused = commit('add CLAUDE.md');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('in repo   CLAUDE.md  (added, staged)');
    expect(refused.stderr).toContain('To fix: git restore --staged CLAUDE.md');

    git('commit', '-q', '--no-verify', '-m', 'CLAUDE.md, past the hook');
    world.write('repo/src/app.ts', 'export {};\n');
    git('add', 'src/app.ts');
    const later = commit('unrelated change');
    expect(later.status, later.stderr).toBe(0);
    expect(later.stderr).toBe('');

    // Outside hook mode the tracked file is still there to see.
    const report = json<{ findings: Array<{ tool: string; kind: string; evidence: { file?: string; status?: string } }> }>(
      await runCli(['check', '--format', 'json'], world),
    );
    expect(report.findings.filter((f) => f.kind === 'artifact').map((f) => [f.tool, f.evidence.file, f.evidence.status])).toEqual([
      ['claude-code', 'CLAUDE.md', 'tracked'],
    ]);
  });

  it('maps files to their tools through the catalog, and AGENTS.md to the shared agent-instructions entry', async () => {
    policy('default: allow\ncategories:\n  agent-instructions: block\n');
    for (const file of ['.cursor/rules/style.mdc', '.github/copilot-instructions.md', 'docs/GEMINI.md', '.aider.conf.yml', 'AGENTS.md', 'README.md']) {
      world.write(`repo/${file}`, 'x\n');
    }
    git('add', '.');
    const result = await runCli(['hook', 'run', 'pre-commit', '--format', 'json'], world);
    const report = json<{ findings: Array<{ tool: string; action: string; evidence: { file?: string } }> }>(result);
    expect(report.findings.map((f) => [f.evidence.file, f.tool, f.action]).sort()).toEqual([
      ['.aider.conf.yml', 'aider', 'allow'],
      ['.cursor/rules/style.mdc', 'cursor', 'allow'],
      ['.github/copilot-instructions.md', 'github-copilot', 'allow'],
      ['AGENTS.md', 'agent-instructions', 'block'],
      ['docs/GEMINI.md', 'gemini-cli', 'allow'],
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('never counts a deletion', () => {
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    git('commit', '-q', '--no-verify', '-m', 'old CLAUDE.md');
    policy(BLOCK_CLAUDE);
    git('rm', '-q', 'CLAUDE.md');
    const result = commit('remove CLAUDE.md');
    expect(result.status, result.stderr).toBe(0);
  });

  it('sees what `git commit -a` stages into its temporary index', () => {
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    git('commit', '-q', '--no-verify', '-m', 'old CLAUDE.md');
    policy(BLOCK_CLAUDE);
    world.write('repo/CLAUDE.md', 'changed\n');
    const result = commitVia(['git', 'commit', '-q', '-a', '-m', 'edit CLAUDE.md']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (modified, staged)');
  });
});

describe.each(INSTALLS)('commit messages (%s install)', (install) => {
  // One message per tool the catalog knows a trailer or footer of, as the tool writes it.
  const cases: Array<[string, string, { author?: string }?]> = [
    ['claude-code', 'Fix the parser\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n'],
    ['claude-code', 'Fix\n\nCo-authored-by: Claude Opus 4.1 <noreply@anthropic.com>\n'],
    ['codex', 'Fix\n\nCo-authored-by: Codex <noreply@openai.com>\n'],
    ['github-copilot', 'Fix\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>\n'],
    ['qwen-code', 'Fix\n\nCo-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>\n'],
    ['amp', 'Fix\n\nAmp-Thread-ID: https://ampcode.com/threads/T-5f2c\nCo-authored-by: Amp <amp@ampcode.com>\n'],
    ['aider', 'aider: Fix the parser\n'],
    ['aider', 'Fix\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>\n'],
    ['aider', 'Fix the parser\n', { author: 'Ada Lovelace (aider)' }],
    ['crush', 'Fix\n\n💘 Generated with Crush\n\nAssisted-by: Crush: claude-sonnet-4\n'],
    ['factory-droid', 'Fix\n\nCo-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>\n'],
    ['continue', 'Fix\n\nCo-authored-by: Continue <noreply@continue.dev>\n'],
    ['cursor', 'Fix\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n'],
  ];

  beforeEach(() => {
    installHooks(install);
    policy('default: block\n');
  });

  it.each(cases)('commit-msg refuses a %s trailer', (tool, message, who) => {
    const file = world.write('msg.txt', message);
    const env: Record<string, string> = who?.author ? { GIT_AUTHOR_NAME: who.author } : {};
    const result = commitVia(['git', 'commit', '-q', '--allow-empty', '-F', file], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`(${tool}, `);
    expect(headSubject()).toBe('policy');
  });

  it('lets a plain message through, and ignores comment lines and everything below the scissors', () => {
    const file = world.write(
      'msg.txt',
      'Fix the parser\n# Co-authored-by: Claude <noreply@anthropic.com>\n# ------------------------ >8 ------------------------\nCo-authored-by: Codex <noreply@openai.com>\n',
    );
    const result = commitVia(['git', 'commit', '-q', '--allow-empty', '--cleanup=strip', '-F', file]);
    expect(result.status, result.stderr).toBe(0);
  });

  it('check --commits reads a range, naming each commit and line', async () => {
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'Plain');
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'Fix\n\nCo-authored-by: Codex <noreply@openai.com>');
    const sha = git('rev-parse', 'HEAD').trim();
    const result = await runCli(['check', '--commits', 'HEAD~2..HEAD', '--format', 'json'], world);
    expect(result.exitCode).toBe(1);
    const commits = json<{ findings: Array<{ tool: string; kind: string; evidence: { commit?: string; line?: number; excerpt?: string } }> }>(result)
      .findings.filter((f) => f.kind === 'commit');
    expect(commits).toEqual([
      expect.objectContaining({ tool: 'codex', evidence: expect.objectContaining({ commit: sha, line: 3, excerpt: 'Co-authored-by: Codex <noreply@openai.com>' }) }),
    ]);
    const bad = await runCli(['check', '--commits', 'no-such-ref..HEAD'], world);
    expect([bad.exitCode, bad.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(bad.stderr).toMatch(/^aitool: git log: fatal: /);
  });

  it('pre-push refuses to send a commit with a trailer, and sends one without', () => {
    installHook('pre-push', undefined, false);
    const remote = join(world.root, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    git('remote', 'add', 'origin', remote);
    git('push', '-q', '--no-verify', 'origin', 'main');
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>');
    const refused = commitVia(['git', 'push', '-q', 'origin', 'main']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('(claude-code, ');
    git('reset', '-q', '--hard', 'HEAD~1');
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'Plain fix');
    const sent = commitVia(['git', 'push', '-q', 'origin', 'main']);
    expect(sent.status, sent.stderr).toBe(0);
  });
});

describe('hooks installed by `aitool hook install`', () => {
  it('refuse a banned session and a staged file through the real install, and are gone after uninstall', async () => {
    policy(BLOCK_CLAUDE);
    const installed = await runCli(['hook', 'install'], world);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(commit('from the agent', { CLAUDECODE: '1' }).status).toBe(1);
    const file = world.write('msg.txt', 'Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n');
    expect(commitVia(['git', 'commit', '-q', '--allow-empty', '-F', file]).status).toBe(1);
    expect(commit('by hand').status).toBe(0);
    expect((await runCli(['hook', 'uninstall'], world)).exitCode).toBe(0);
    expect(commit('from the agent, unguarded', { CLAUDECODE: '1' }).status).toBe(0);
  });
});

describe('commits the default commit-msg hook sees that a pre-commit hook never did (git 2.39: `git merge` runs commit-msg, not pre-commit)', () => {
  beforeEach(() => installHooks('default'));

  /** A branch `agent` whose commit (made past the hooks) adds CLAUDE.md, and a commit on main so the merge is a real one. */
  function branchWithClaudeMd(): void {
    git('checkout', '-q', '-b', 'agent');
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    git('commit', '-q', '--no-verify', '-m', 'CLAUDE.md on the branch');
    git('checkout', '-q', 'main');
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'main moves on');
  }
  const merge = (args: string[], env: Record<string, string> = {}) => commitVia(['git', 'merge', '-q', '--no-ff', ...args, 'agent'], env);

  it('git merge: the session and the message are checked; a file the merged branch committed earlier is not this commit\'s doing', () => {
    policy(BLOCK_CLAUDE);
    branchWithClaudeMd();
    const fromAgent = merge(['--no-edit'], { CLAUDECODE: '1' });
    expect(fromAgent.status).toBe(1);
    expect(fromAgent.stderr).toContain('environment CLAUDECODE=1');
    git('merge', '--abort');
    const trailer = merge(['-m', 'Merge\n\nCo-authored-by: Claude <noreply@anthropic.com>']);
    expect(trailer.status).toBe(1);
    expect(trailer.stderr).toContain('Co-authored-by: Claude');
    git('merge', '--abort');
    const byHand = merge(['--no-edit']);
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(byHand.stderr).not.toContain('CLAUDE.md');
    expect(git('log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
  });

  it('a merge that stages an AI tool file neither side had is refused', () => {
    policy(BLOCK_CLAUDE);
    branchWithClaudeMd();
    git('merge', '-q', '--no-ff', '--no-commit', 'agent');
    world.write('repo/GEMINI.md', 'x\n');
    world.write('repo/CLAUDE.md', 'changed in the merge\n');
    git('add', 'GEMINI.md', 'CLAUDE.md');
    const result = commit('Merge branch agent');
    expect(result.status).toBe(1);
    // Changed against both parents: named as the staged change against HEAD (main, which had no CLAUDE.md).
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(result.stderr).toContain('GEMINI.md  (added, staged)');
  });

  it('git commit --amend is checked (session, staged files, message); --no-verify skips the hook, as before', () => {
    policy(BLOCK_CLAUDE);
    git('commit', '-q', '--no-verify', '--allow-empty', '-m', 'to amend');
    expect(commitVia(['git', 'commit', '-q', '--amend', '--no-edit'], { CLAUDECODE: '1' }).status).toBe(1);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const staged = commitVia(['git', 'commit', '-q', '--amend', '--no-edit']);
    expect(staged.status).toBe(1);
    expect(staged.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(commitVia(['git', 'commit', '-q', '--amend', '--no-edit', '--no-verify']).status).toBe(0);
    expect(headSubject()).toBe('to amend');
  });
});

describe('--pre-commit install', () => {
  beforeEach(() => installHooks('--pre-commit'));

  it('refuses staged files at pre-commit, before the message exists, and reports a warned file once, not at both hooks', () => {
    policy(BLOCK_CLAUDE);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    // An editor that would fail the test if git ever opened it: pre-commit refuses first.
    const refused = commitVia(['git', '-c', 'core.editor=false', 'commit', '-q']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(refused.stderr).not.toContain('problem with the editor');
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: warn\n');
    git('add', '.aitoolrc.yaml');
    const warned = commit('with CLAUDE.md');
    expect(warned.status, warned.stderr).toBe(0);
    expect(warned.stderr.split('CLAUDE.md  (added, staged)')).toHaveLength(2);
  });
});

describe('artifacts.ignore', () => {
  beforeEach(() => installHooks('default'));

  it('leaves ignored repository paths alone, unless the managed policy requires the repo scanner', async () => {
    policy(`${BLOCK_CLAUDE}artifacts:\n  ignore: [test/fixtures/]\n`);
    world.write('repo/test/fixtures/home/.claude/settings.json', '{}');
    world.write('repo/test/fixtures/CLAUDE.md', 'x\n');
    git('add', 'test');
    expect(commit('fixtures').status).toBe(0);

    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const outside = commit('not a fixture');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain('in repo   CLAUDE.md  (added, staged)');
    expect(outside.stderr).not.toContain('test/fixtures');
    git('reset', '-q', 'CLAUDE.md');

    // An organisation that requires the repo scanner does not let a repository hide paths from it.
    world.write('managed/policy.yaml', 'scanners:\n  repo: true\n');
    world.write('repo/test/fixtures/AGENTS.md', 'x\n');
    git('add', 'test');
    const report = json<{ findings: Array<{ evidence: { file?: string } }>; policy: { warnings: Array<{ key?: string; message: string }> } }>(
      await runCli(['hook', 'run', 'pre-commit', '--format', 'json'], world),
    );
    expect(report.findings.map((f) => f.evidence.file)).toContain('test/fixtures/AGENTS.md');
    expect(report.policy.warnings).toEqual([
      expect.objectContaining({ key: 'artifacts.ignore', message: expect.stringContaining('requires the repo scanner, so only it may ignore repository paths') }),
    ]);
  });
});

describe('hook run', () => {
  it('takes the form the hooks call and the full command line alike, and names an unknown hook in one line', async () => {
    policy(BLOCK_CLAUDE);
    const plain = await runCli(['hook', 'run', 'pre-commit'], world, { CLAUDECODE: '1' });
    const flagged = await runCli(['hook', 'run', 'pre-commit', '--no-color', '--fail-on', 'block'], world, { CLAUDECODE: '1' });
    expect([plain.exitCode, flagged.exitCode]).toEqual([1, 1]);
    expect(plain.stderr).toBe(flagged.stderr);
    const unknown = await runCli(['hook', 'run', 'post-merge'], world);
    expect([unknown.exitCode, unknown.stderr]).toEqual([2, "aitool: hook run: unknown hook 'post-merge'; expected one of pre-commit, commit-msg, commit, pre-push, pre-receive"]);
  });
});
