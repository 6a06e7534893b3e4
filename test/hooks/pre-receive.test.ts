/**
 * The server-side check: a real server repository with the shipped
 * bin/aitool-pre-receive installed as its pre-receive hook (running this
 * worktree's built CLI through AITOOL_BIN), real clones, real pushes. git
 * gives a local push's environment to the hook, so AITOOL_MANAGED_POLICY in
 * the push's environment is the server's managed policy.
 */
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../cli/run-cli.js';
import { removeTempDirs } from '../helpers/temp.js';
import { git, gitOk, initRepo, makeSandbox, writeExecutable, type Sandbox } from './helpers.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'aitool-pre-receive');
const TRAILER = 'Co-Authored-By: Claude <noreply@anthropic.com>';

const BLOCKING = `default: allow
tools:
  claude-code:
    action: block
    reason: Code may not leave the company.
    alternatives: [qoder]
`;

let sandbox: Sandbox;
/** The environment pushes run with: the blocking managed policy, and AITOOL_BIN naming the built CLI. */
let env: Record<string, string>;
let policies: { blocking: string; permissive: string };

beforeAll(async () => {
  sandbox = await makeSandbox();
  const blocking = join(sandbox.root, 'etc', 'policy.yaml');
  const permissive = join(sandbox.root, 'etc', 'permissive.yaml');
  await mkdir(dirname(blocking), { recursive: true });
  await writeFile(blocking, BLOCKING);
  await writeFile(permissive, 'default: allow\n');
  policies = { blocking, permissive };
  // The hook execs $AITOOL_BIN: a launcher for this worktree's build with the node running the tests.
  const launcher = await writeExecutable(join(sandbox.root, 'aitool'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  env = {
    ...sandbox.env,
    AITOOL_BIN: launcher,
    AITOOL_MANAGED_POLICY: blocking,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
  };
});

afterAll(removeTempDirs);

let counter = 0;

/** A bare server repository with the shipped hook, holding one clean commit on main, and a clone of it. */
async function serverAndClone(options: { bare?: boolean } = {}): Promise<{ server: string; clone: string }> {
  const n = ++counter;
  const seed = await initRepo(join(sandbox.root, `seed-${n}`), env);
  let server: string;
  if (options.bare === false) {
    // A server repository with a work tree that pushes update (receive.denyCurrentBranch=updateInstead).
    server = join(sandbox.root, `server-${n}`);
    await gitOk(sandbox.root, ['clone', '-q', seed, server], env);
    await gitOk(server, ['config', 'receive.denyCurrentBranch', 'updateInstead'], env);
  } else {
    server = join(sandbox.root, `server-${n}.git`);
    await gitOk(sandbox.root, ['clone', '-q', '--bare', seed, server], env);
  }
  const hooks = options.bare === false ? join(server, '.git', 'hooks') : join(server, 'hooks');
  // Installed as the script's own comment says: copied in as hooks/pre-receive, mode 755.
  await copyFile(SCRIPT, join(hooks, 'pre-receive'));
  await chmod(join(hooks, 'pre-receive'), 0o755);
  const clone = join(sandbox.root, `clone-${n}`);
  await gitOk(sandbox.root, ['clone', '-q', server, clone], env);
  await gitOk(clone, ['config', 'commit.gpgsign', 'false'], env);
  return { server, clone };
}

async function commitFile(clone: string, file: string, content: string, message: string, extra: string[] = []): Promise<string> {
  await mkdir(dirname(join(clone, file)), { recursive: true });
  await writeFile(join(clone, file), content);
  await gitOk(clone, ['add', '--', file], env);
  await gitOk(clone, ['commit', '-q', ...extra, '-m', message], env);
  return (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
}

async function tip(server: string, ref = 'refs/heads/main'): Promise<string> {
  return (await git(server, ['rev-parse', '--verify', '-q', ref], env)).stdout.trim();
}

describe('pre-receive: the shipped hook refuses what the client hooks let through', () => {
  it('refuses a commit with a Claude Code trailer, naming the commit, the tool, the verdict and the alternative', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    const sha = await commitFile(clone, 'src/a.txt', 'a\n', `Add the parser\n\n${TRAILER}`);
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain('pre-receive hook declined');
    expect(push.stderr).toContain('push refused');
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Add the parser"`);
    expect(push.stderr).toMatch(/Claude Code \(claude-code\): blocked by tools\.claude-code/);
    expect(push.stderr).toContain(TRAILER);
    expect(push.stderr).toContain('use instead: Qoder');
    expect(push.stderr).toContain('Code may not leave the company.');
    expect(await tip(server)).toBe(before);
  });

  it('refuses a commit that adds CLAUDE.md, even one buried under a later clean commit', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    const sha = await commitFile(clone, 'docs/CLAUDE.md', '# notes\n', 'Write down the conventions');
    await gitOk(clone, ['rm', '-q', 'docs/CLAUDE.md'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'Tidy up'], env);
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Write down the conventions"`);
    expect(push.stderr).toContain('adds docs/CLAUDE.md');
    expect(push.stderr).toContain('use instead: Qoder');
    expect(await tip(server)).toBe(before);
  });

  it('lets a clean push through, quietly', async () => {
    const { server, clone } = await serverAndClone();
    const sha = await commitFile(clone, 'src/b.txt', 'b\n', 'Plain change');
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.stderr).not.toContain('remote: aitool');
    expect(push.exitCode).toBe(0);
    expect(await tip(server)).toBe(sha);
  });

  it('checks only the commits a new branch brings: known ones pass, new ones are checked; a deletion passes', async () => {
    const { server, clone } = await serverAndClone();
    // Accepted while the server's policy allowed it: history now, not a change under review.
    const old = await commitFile(clone, 'src/c.txt', 'c\n', `Old work\n\n${TRAILER}`);
    expect((await git(clone, ['push', 'origin', 'HEAD:main'], { ...env, AITOOL_MANAGED_POLICY: policies.permissive })).exitCode).toBe(0);
    expect(await tip(server)).toBe(old);

    const known = await git(clone, ['push', 'origin', 'HEAD:refs/heads/copy'], env);
    expect(known.stderr).not.toContain('remote: aitool');
    expect(known.exitCode).toBe(0);
    expect(await tip(server, 'refs/heads/copy')).toBe(old);

    const fresh = await commitFile(clone, 'src/d.txt', 'd\n', `New work\n\n${TRAILER}`);
    const refused = await git(clone, ['push', 'origin', 'HEAD:refs/heads/feature'], env);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`${fresh.slice(0, 12)} "New work" (refs/heads/feature)`);
    expect(refused.stderr).not.toContain(old.slice(0, 12));
    expect(await tip(server, 'refs/heads/feature')).toBe('');

    const deletion = await git(clone, ['push', 'origin', ':refs/heads/copy'], env);
    expect(deletion.exitCode).toBe(0);
    expect(await tip(server, 'refs/heads/copy')).toBe('');
  });

  it('refuses a commit made with --no-verify and pushed with --no-verify past aitool\'s own client hooks', async () => {
    const { server, clone } = await serverAndClone();
    const installed = await execa(process.execPath, [BIN, 'hook', 'install', '--pre-commit', '--commit-msg', '--pre-push'], { cwd: clone, env, extendEnv: false, reject: false });
    expect(installed.exitCode).toBe(0);
    // The client hooks work: without --no-verify the commit is stopped.
    await writeFile(join(clone, 'x.txt'), 'x\n');
    await gitOk(clone, ['add', 'x.txt'], env);
    expect((await git(clone, ['commit', '-q', '-m', `Sneak\n\n${TRAILER}`], env)).exitCode).not.toBe(0);

    await gitOk(clone, ['commit', '-q', '--no-verify', '-m', `Sneak\n\n${TRAILER}`], env);
    const sha = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    const push = await git(clone, ['push', '--no-verify', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Sneak"`);
    expect(await tip(server)).not.toBe(sha);
  });

  it('refuses a commit made with plumbing (commit-tree + update-ref), which runs no hook at all', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    await writeFile(join(clone, 'CLAUDE.md'), '# agent notes\n');
    await gitOk(clone, ['add', 'CLAUDE.md'], env);
    const tree = (await gitOk(clone, ['write-tree'], env)).trim();
    const sha = (await gitOk(clone, ['commit-tree', tree, '-p', 'HEAD', '-m', 'Plumbed', '-m', TRAILER], env)).trim();
    await gitOk(clone, ['update-ref', 'refs/heads/main', sha], env);
    const push = await git(clone, ['push', 'origin', 'main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Plumbed"`);
    expect(push.stderr).toContain('adds CLAUDE.md');
    expect(push.stderr).toContain(TRAILER);
    expect(await tip(server)).toBe(before);
  });

  it('is still refused when the push brings a .aitoolrc.yaml that allows claude-code', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    await writeFile(join(clone, '.aitoolrc.yaml'), 'default: allow\ntools:\n  claude-code: allow\n');
    await gitOk(clone, ['add', '.aitoolrc.yaml'], env);
    const sha = await commitFile(clone, 'src/e.txt', 'e\n', `Loosen\n\n${TRAILER}`);
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Loosen"`);
    expect(await tip(server)).toBe(before);
  });

  it("never reads the server work tree's policy files: an earlier push's .aitoolrc.cjs does not run", async () => {
    // A server repository with a work tree holds what earlier pushes checked out.
    const { server, clone } = await serverAndClone({ bare: false });
    await writeFile(join(clone, '.aitoolrc.cjs'), 'process.exit(0);\n');
    await gitOk(clone, ['add', '.aitoolrc.cjs'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'Add a config'], env);
    expect((await git(clone, ['push', 'origin', 'HEAD:main'], env)).exitCode).toBe(0);
    expect(await readFile(join(server, '.aitoolrc.cjs'), 'utf8')).toContain('process.exit(0)');

    const before = await tip(server);
    const sha = await commitFile(clone, 'src/f.txt', 'f\n', `After the config\n\n${TRAILER}`);
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "After the config"`);
    expect(await tip(server)).toBe(before);
  });

  it('fails closed: no aitool to run refuses the push', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    await commitFile(clone, 'src/g.txt', 'g\n', 'Plain change');
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], { ...env, AITOOL_BIN: join(sandbox.root, 'no-such-aitool') });
    expect(push.exitCode).not.toBe(0);
    expect(await tip(server)).toBe(before);
  });

  it('shows control characters in a pushed subject as escapes', async () => {
    const { clone } = await serverAndClone();
    await commitFile(clone, 'src/h.txt', 'h\n', `Fix\x1b[2K\rall good\n\n${TRAILER}`);
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain('"Fix\\x1b[2K\\x0dall good"');
  });
});

describe('hook run pre-receive as a command', () => {
  it('takes the ref lines on stdin; a malformed line is a one-line error (exit 2)', async () => {
    const { server } = await serverAndClone();
    const result = await execa(process.execPath, [BIN, 'hook', 'run', 'pre-receive'], { cwd: server, env, extendEnv: false, reject: false, input: '--all HEAD refs/heads/main\n' });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr).trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('not a ref update line');
  });
});

describe('check --commits: the range check looks at what the range adds, and who made it', () => {
  interface Finding {
    tool: string;
    kind: string;
    action: string;
    evidence: { commit?: string; file?: string; status?: string; field?: string };
    remediation?: string;
  }

  async function check(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const result = await execa(process.execPath, [BIN, 'check', ...args], { cwd, env: { ...env, ...extraEnv }, extendEnv: false, reject: false });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  it('reports an AI tool file a commit in the range adds, with that commit, even when a later commit removed it', async () => {
    const { clone } = await serverAndClone();
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    const adds = await commitFile(clone, '.cursor/rules/style.mdc', 'rule\n', 'Add house rules');
    await gitOk(clone, ['rm', '-q', '-r', '.cursor'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'Remove them'], env);
    const cursorBlocked = join(sandbox.root, 'etc', 'cursor-blocked.yaml');
    await writeFile(cursorBlocked, 'default: allow\ntools:\n  cursor: block\n');
    const result = await check(clone, ['--commits', `${base}..HEAD`, '--commits-only', '--format', 'json'], { AITOOL_MANAGED_POLICY: cursorBlocked });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
    expect(findings).toEqual([
      expect.objectContaining({ tool: 'cursor', kind: 'artifact', action: 'block', evidence: expect.objectContaining({ commit: adds, file: '.cursor/rules/style.mdc', status: 'added' }) }),
    ]);
    expect(findings[0]!.remediation).toContain(`commit ${adds.slice(0, 12)}`);
  });

  it('names a commit whose author is an AI agent (Cursor background agents, Copilot coding agent)', async () => {
    const { clone } = await serverAndClone();
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    await writeFile(join(clone, 'a.txt'), 'a\n');
    await gitOk(clone, ['add', 'a.txt'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'From the agent'], { ...env, GIT_AUTHOR_NAME: 'Cursor Agent', GIT_AUTHOR_EMAIL: 'cursoragent@cursor.com' });
    const cursorSha = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    await writeFile(join(clone, 'b.txt'), 'b\n');
    await gitOk(clone, ['add', 'b.txt'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'From the other agent'], { ...env, GIT_AUTHOR_NAME: 'copilot-swe-agent[bot]', GIT_AUTHOR_EMAIL: '198982749+Copilot@users.noreply.github.com' });
    const result = await check(clone, ['--commits', `${base}..HEAD`, '--commits-only', '--format', 'json'], { AITOOL_MANAGED_POLICY: policies.permissive });
    const findings = (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tool: 'cursor', kind: 'commit', evidence: expect.objectContaining({ commit: cursorSha, field: 'author' }) }),
        expect.objectContaining({ tool: 'github-copilot', kind: 'commit', evidence: expect.objectContaining({ field: 'author' }) }),
      ]),
    );
  });

  it('--commits-only without --commits, and a range git cannot read, are one-line errors (exit 2)', async () => {
    const { clone } = await serverAndClone();
    for (const args of [['--commits-only'], ['--commits', 'no-such-branch..HEAD', '--commits-only']]) {
      const result = await check(clone, args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('agent SDKs a pushed commit adds to a manifest', () => {
  /** package.json with these dependencies (one per line, so each has its own line number). */
  const manifest = (version: string, dependencies: Record<string, string>) =>
    `{\n  "name": "demo",\n  "version": "${version}",\n  "dependencies": {\n${Object.entries(dependencies)
      .map(([name, range]) => `    "${name}": "${range}"`)
      .join(',\n')}\n  }\n}\n`;
  const SDK = '@anthropic-ai/claude-agent-sdk';

  it('refuses a commit that adds the Claude Agent SDK to package.json, naming the commit, file:line, the package and the alternative', async () => {
    const { server, clone } = await serverAndClone();
    const before = await tip(server);
    const sha = await commitFile(clone, 'package.json', manifest('1.0.0', { express: '^5.0.0', [SDK]: '^0.3.337' }), 'Add the agent');
    // A later clean commit does not hide it: each commit is held to what it adds.
    await commitFile(clone, 'src/i.txt', 'i\n', 'Unrelated');
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain('push refused');
    expect(push.stderr).toContain(`${sha.slice(0, 12)} "Add the agent"`);
    expect(push.stderr).toMatch(/Claude Code \(claude-code\): blocked by tools\.claude-code — adds SDK @anthropic-ai\/claude-agent-sdk \^0\.3\.337 in package\.json:6; use instead: Qoder/);
    // The report's own evidence line names the commit too.
    expect(push.stderr).toContain(`package.json:6  ${SDK} ^0.3.337  (npm dependencies, added in commit ${sha.slice(0, 12)})`);
    expect(await tip(server)).toBe(before);
  });

  it('lets through a commit that only changes another line of a package.json already declaring the SDK in an accepted commit', async () => {
    const { server, clone } = await serverAndClone();
    await commitFile(clone, 'package.json', manifest('1.0.0', { [SDK]: '^0.3.337' }), 'Add the agent');
    // Accepted while the server's policy allowed it: history now, not a change under review.
    expect((await git(clone, ['push', 'origin', 'HEAD:main'], { ...env, AITOOL_MANAGED_POLICY: policies.permissive })).exitCode).toBe(0);

    const bump = await commitFile(clone, 'package.json', manifest('1.0.1', { [SDK]: '^0.3.337' }), 'Release 1.0.1');
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.stderr).not.toContain('remote: aitool');
    expect(push.exitCode).toBe(0);
    expect(await tip(server)).toBe(bump);
  });

  it("lets through a commit that adds the npm package called 'claude' (nobody's SDK)", async () => {
    const { server, clone } = await serverAndClone();
    const sha = await commitFile(clone, 'package.json', manifest('1.0.0', { claude: '^1.0.0', 'claude-code-helpers': '1.0.0' }), 'Add a decoy');
    const push = await git(clone, ['push', 'origin', 'HEAD:main'], env);
    expect(push.stderr).not.toContain('remote: aitool');
    expect(push.exitCode).toBe(0);
    expect(await tip(server)).toBe(sha);
  });
});

describe('check --commits: agent SDKs the range adds', () => {
  interface Finding {
    tool: string;
    kind: string;
    action: string;
    evidence: { commit?: string; file?: string; line?: number; package?: string; status?: string; field?: string; ecosystem?: string };
    remediation?: string;
  }

  async function checkRange(cwd: string, range: string): Promise<{ exitCode: number; findings: Finding[]; stderr: string }> {
    const result = await execa(process.execPath, [BIN, 'check', '--commits', range, '--commits-only', '--format', 'json'], { cwd, env, extendEnv: false, reject: false });
    const findings = result.exitCode === 2 ? [] : (JSON.parse(String(result.stdout)) as { findings: Finding[] }).findings;
    return { exitCode: result.exitCode ?? -1, findings, stderr: String(result.stderr) };
  }

  it('names the commit that adds each SDK, with file and line in that commit; later commits that keep it are not blamed', async () => {
    const { clone } = await serverAndClone();
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    const addsNpm = await commitFile(clone, 'web/package.json', '{\n  "name": "web",\n  "devDependencies": {\n    "@anthropic-ai/claude-agent-sdk": "^0.3.337"\n  }\n}\n', 'Web agent');
    // Changes the same file without touching the SDK: not this commit's doing.
    await commitFile(clone, 'web/package.json', '{\n  "name": "web-app",\n  "devDependencies": {\n    "@anthropic-ai/claude-agent-sdk": "^0.3.340"\n  }\n}\n', 'Rename, bump');
    const addsPip = await commitFile(clone, 'tools/requirements.txt', 'requests==2.32.0\n# the agent\nclaude-agent-sdk>=0.1\n', 'Python agent');
    // A later removal does not undo what the range carries.
    await gitOk(clone, ['rm', '-q', 'tools/requirements.txt'], env);
    await gitOk(clone, ['commit', '-q', '-m', 'Drop it'], env);

    const result = await checkRange(clone, `${base}..HEAD`);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const dependencies = result.findings.filter((f) => f.kind === 'dependency');
    expect(dependencies).toHaveLength(2);
    expect(dependencies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tool: 'claude-code',
          action: 'block',
          evidence: expect.objectContaining({ commit: addsNpm, file: 'web/package.json', line: 4, package: '@anthropic-ai/claude-agent-sdk', status: 'added', ecosystem: 'npm', field: 'devDependencies' }),
        }),
        expect.objectContaining({
          tool: 'claude-code',
          action: 'block',
          evidence: expect.objectContaining({ commit: addsPip, file: 'tools/requirements.txt', line: 3, package: 'claude-agent-sdk', status: 'added', ecosystem: 'pip' }),
        }),
      ]),
    );
    for (const finding of dependencies) expect(finding.remediation).toContain(`commit ${finding.evidence.commit!.slice(0, 12)}`);
  });

  it('a modified package.json: the SDK it adds is reported at its line in that commit, the `claude` decoy beside it is not', async () => {
    const { clone } = await serverAndClone();
    await commitFile(clone, 'package.json', '{\n  "dependencies": {\n    "express": "^5.0.0"\n  }\n}\n', 'Start');
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    const adds = await commitFile(clone, 'package.json', '{\n  "dependencies": {\n    "express": "^5.0.0",\n    "claude": "^1.0.0",\n    "@openai/codex-sdk": "0.163.0"\n  }\n}\n', 'More deps');
    const result = await checkRange(clone, `${base}..HEAD`);
    expect(result.findings.filter((f) => f.kind === 'dependency').map((f) => [f.tool, f.evidence.commit, f.evidence.status, f.evidence.line, f.evidence.package])).toEqual([
      ['codex', adds, 'modified', 5, '@openai/codex-sdk'],
    ]);
  });

  it('a version over the per-file cap is not read and noted; a parent version over it counts as declaring nothing (fails closed)', async () => {
    const { clone } = await serverAndClone();
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    // 32 MiB is the cap (MANIFEST_MAX_BYTES): past any real lockfile.
    const huge = `claude-agent-sdk==0.1.0\n# ${'x'.repeat(32 * 1024 * 1024)}\n`;
    const big = await commitFile(clone, 'requirements.txt', huge, 'Huge requirements');
    const small = await commitFile(clone, 'requirements.txt', 'claude-agent-sdk==0.1.0\n', 'Small again');
    const result = await execa(process.execPath, [BIN, 'check', '--commits', `${base}..HEAD`, '--commits-only', '--format', 'json'], { cwd: clone, env, extendEnv: false, reject: false });
    const report = JSON.parse(String(result.stdout)) as { findings: Finding[]; notes: Array<{ scanner: string; path?: string; message: string }> };
    expect(report.findings.filter((f) => f.kind === 'dependency').map((f) => [f.evidence.commit, f.evidence.status, f.evidence.line])).toEqual([[small, 'modified', 1]]);
    expect(report.notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scanner: 'commits', path: join(clone, 'requirements.txt'), message: expect.stringMatching(new RegExp(`^in commit ${big.slice(0, 12)}: not read for agent SDKs: \\d+ bytes, more than`)) }),
        expect.objectContaining({ scanner: 'commits', message: expect.stringContaining(`before commit ${small.slice(0, 12)} (so every SDK that commit's version declares counts as added)`) }),
      ]),
    );
    expect(result.exitCode).toBe(1);
  });

  it('the npm package called claude alone is no finding', async () => {
    const { clone } = await serverAndClone();
    const base = (await gitOk(clone, ['rev-parse', 'HEAD'], env)).trim();
    await commitFile(clone, 'package.json', '{\n  "dependencies": {\n    "claude": "^1.0.0"\n  }\n}\n', 'Decoy');
    const result = await checkRange(clone, `${base}..HEAD`);
    expect(result.stderr).toBe('');
    expect(result.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
