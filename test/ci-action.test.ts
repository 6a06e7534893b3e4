/**
 * action.yml, the composite action: its structure, and its check step's
 * script run with bash against real repositories, with the environment GitHub
 * gives a step (GITHUB_EVENT_NAME, GITHUB_OUTPUT, RUNNER_TEMP, the step's
 * `env:` with its `${{ }}` expressions evaluated from the inputs and the
 * event) and `aitool` on PATH being this worktree's build. The install step
 * (npm) and the SARIF upload (GitHub's own action) are what cannot run here.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './cli/run-cli.js';
import { git, gitOk, initRepo, makeSandbox, writeExecutable, type Sandbox } from './hooks/helpers.js';
import { removeTempDirs } from './helpers/temp.js';

const ACTION_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'action.yml');
const TRAILER = 'Co-Authored-By: Claude <noreply@anthropic.com>';
const ZERO = '0'.repeat(40);
const BLOCKING = 'default: allow\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

let action: Action;
let sandbox: Sandbox;
let pathWithAitool: string;

beforeAll(async () => {
  action = parse(await readFile(ACTION_FILE, 'utf8')) as Action;
  sandbox = await makeSandbox();
  const bin = join(sandbox.root, 'bin');
  await mkdir(bin);
  // What the install step puts on PATH, from this worktree instead of npm.
  await writeExecutable(join(bin, 'aitool'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  pathWithAitool = `${bin}:${sandbox.env.PATH}`;
});

afterAll(removeTempDirs);

function step(id: string): Step {
  const found = action.runs.steps.find((s) => s.id === id || s.name === id);
  if (!found) throw new Error(`no step ${id} in action.yml`);
  return found;
}

/** `${{ inputs.x }}` and `${{ github.event.a.b }}`, the only expressions the steps' env uses. */
function evaluate(template: string, context: { inputs: Record<string, string>; event: Record<string, unknown>; steps?: Record<string, Record<string, string>> }): string {
  return template.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string) => {
    const inputs = /^inputs\.([\w-]+)$/.exec(expression);
    if (inputs) {
      const name = inputs[1]!;
      if (!(name in action.inputs)) throw new Error(`action.yml uses undeclared input ${name}`);
      return context.inputs[name] ?? action.inputs[name]!.default ?? '';
    }
    const event = /^github\.event\.(.+)$/.exec(expression);
    if (event) {
      let value: unknown = context.event;
      for (const key of event[1]!.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      return value === undefined || value === null ? '' : String(value);
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return context.steps?.[output[1]!]?.[output[2]!] ?? '';
    throw new Error(`unexpected expression in action.yml: ${expression}`);
  });
}

interface StepRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

let runCounter = 0;

/** Runs one `run:` step as the runner would: bash, the step's env evaluated, GITHUB_OUTPUT collected. */
async function runStep(id: string, cwd: string, eventName: string, context: { inputs?: Record<string, string>; event?: Record<string, unknown>; steps?: Record<string, Record<string, string>> }): Promise<StepRun> {
  const s = step(id);
  expect(s.shell).toBe('bash');
  const n = ++runCounter;
  const output = join(sandbox.root, `output-${n}`);
  const runnerTemp = join(sandbox.root, `runner-temp-${n}`);
  await mkdir(runnerTemp);
  await writeFile(output, '');
  const full = { inputs: context.inputs ?? {}, event: context.event ?? {}, ...(context.steps ? { steps: context.steps } : {}) };
  const stepEnv = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, evaluate(String(v), full)]));
  // As GitHub runs a `shell: bash` step.
  const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], {
    cwd,
    extendEnv: false,
    reject: false,
    env: { ...sandbox.env, PATH: pathWithAitool, GITHUB_EVENT_NAME: eventName, GITHUB_OUTPUT: output, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: cwd, ...stepEnv },
  });
  const outputs = Object.fromEntries(
    (await readFile(output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), outputs };
}

let repoCounter = 0;

/** A remote with main, and a checkout of it as actions/checkout with fetch-depth: 0 leaves it (origin/* refs, full history). */
async function checkout(): Promise<{ work: string; main: string; policy: string }> {
  const n = ++repoCounter;
  const seed = await initRepo(join(sandbox.root, `seed-${n}`), sandbox.env);
  const remote = join(sandbox.root, `remote-${n}.git`);
  await gitOk(sandbox.root, ['clone', '-q', '--bare', seed, remote], sandbox.env);
  const work = join(sandbox.root, `work-${n}`);
  await gitOk(sandbox.root, ['clone', '-q', remote, work], sandbox.env);
  await gitOk(work, ['config', 'user.name', 'Dev'], sandbox.env);
  await gitOk(work, ['config', 'user.email', 'dev@example.com'], sandbox.env);
  const policy = join(sandbox.root, `org-policy-${n}.yaml`);
  await writeFile(policy, BLOCKING);
  return { work, main: (await gitOk(work, ['rev-parse', 'HEAD'], sandbox.env)).trim(), policy };
}

async function commit(work: string, file: string, message: string): Promise<string> {
  await mkdir(dirname(join(work, file)), { recursive: true });
  await writeFile(join(work, file), `${file}\n`);
  await gitOk(work, ['add', '--', file], sandbox.env);
  await gitOk(work, ['commit', '-q', '-m', message], sandbox.env);
  return (await gitOk(work, ['rev-parse', 'HEAD'], sandbox.env)).trim();
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs, every run step with a shell', () => {
    expect(action.name).toEqual(expect.any(String));
    expect(action.description).toContain('fetch-depth: 0');
    expect(action.runs.using).toBe('composite');
    for (const name of ['policy', 'policy-yaml', 'version', 'fail-on', 'sarif', 'upload-sarif']) {
      expect(action.inputs[name]?.description, name).toEqual(expect.any(String));
    }
    expect(action.inputs.version!.default).toBe('latest');
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['range', 'exit-code', 'sarif-file']));
    for (const s of action.runs.steps) {
      expect(s.run !== undefined || s.uses !== undefined, s.name).toBe(true);
      if (s.run !== undefined) {
        expect(s.shell, s.name).toBe('bash');
        // Inputs and event fields go through env, never into the script text (no script injection).
        expect(s.run, s.name).not.toMatch(/\$\{\{/);
      }
    }
    expect(step('Install aitool').run).toContain('npm install --global');
    expect(step('Install aitool').env).toEqual({ AITOOL_VERSION: '${{ inputs.version }}' });
    expect(step('Upload SARIF').uses).toMatch(/^github\/codeql-action\/upload-sarif@/);
    expect(step('Upload SARIF').if).toContain("inputs.upload-sarif == 'true'");
  });

  it('pull_request: fails on a commit with a Claude Code trailer in base..head, naming the commit and the alternative', async () => {
    const { work, main, policy } = await checkout();
    await gitOk(work, ['checkout', '-q', '-b', 'feature'], sandbox.env);
    await commit(work, 'src/clean.txt', 'Clean change');
    const bad = await commit(work, 'src/bad.txt', `Add the parser\n\n${TRAILER}`);
    const result = await runStep('check', work, 'pull_request', {
      inputs: { policy },
      event: { pull_request: { base: { sha: main }, head: { sha: bad } }, repository: { default_branch: 'main' } },
    });
    expect(result.exitCode).toBe(0); // the step records the verdict; the Verdict step fails the job
    expect(result.outputs.range).toBe(`${main}..${bad}`);
    expect(result.outputs['exit-code']).toBe('1');
    expect(result.stdout).toContain(`${bad.slice(0, 12)} "Add the parser"`);
    expect(result.stdout).toContain('Claude Code (claude-code): blocked by tools.claude-code');
    expect(result.stdout).toContain('use instead: Qoder');

    const verdict = await runStep('Verdict', work, 'pull_request', { steps: { check: result.outputs } });
    expect(verdict.exitCode).toBe(1);
    expect(verdict.stdout).toContain('::error');
  });

  it("pull_request: a clean range passes, and the commits' own .aitoolrc.cjs is never run", async () => {
    const { work, main, policy } = await checkout();
    const clean = await commit(work, 'src/ok.txt', 'Clean change');
    const pass = await runStep('check', work, 'pull_request', { inputs: { policy }, event: { pull_request: { base: { sha: main }, head: { sha: clean } } } });
    expect(pass.outputs['exit-code']).toBe('0');
    expect((await runStep('Verdict', work, 'pull_request', { steps: { check: pass.outputs } })).exitCode).toBe(0);

    // The pull request brings a code config that would end aitool with 0, and a trailer.
    await writeFile(join(work, '.aitoolrc.cjs'), 'process.exit(0);\n');
    await gitOk(work, ['add', '.aitoolrc.cjs'], sandbox.env);
    const bad = await commit(work, 'src/bad.txt', `Sneak\n\n${TRAILER}`);
    const refused = await runStep('check', work, 'pull_request', { inputs: { policy }, event: { pull_request: { base: { sha: main }, head: { sha: bad } } } });
    expect(refused.outputs['exit-code']).toBe('1');
    expect(refused.stdout).toContain(`${bad.slice(0, 12)} "Sneak"`);
  });

  it('push of a new branch (before is all zeros): checks what the branch adds to the default branch, e.g. an added CLAUDE.md', async () => {
    const { work, main, policy } = await checkout();
    const agent = await commit(work, 'CLAUDE.md', 'Agent notes');
    const result = await runStep('check', work, 'push', {
      inputs: { 'policy-yaml': await readFile(policy, 'utf8') },
      event: { before: ZERO, after: agent, repository: { default_branch: 'main' } },
    });
    expect(result.outputs.range).toBe(`origin/main..${agent}`);
    expect(result.outputs['exit-code']).toBe('1');
    expect(result.stdout).toContain(`${agent.slice(0, 12)} "Agent notes"`);
    expect(result.stdout).toContain('adds CLAUDE.md');
    expect(result.stdout).not.toContain(main.slice(0, 12));
  });

  it('push: before..after, and writes SARIF that names the commit', async () => {
    const { work, main, policy } = await checkout();
    const bad = await commit(work, 'src/x.txt', `Pushed\n\n${TRAILER}`);
    const sarif = join(sandbox.root, 'results.sarif');
    const result = await runStep('check', work, 'push', { inputs: { policy, sarif }, event: { before: main, after: bad } });
    expect(result.outputs.range).toBe(`${main}..${bad}`);
    expect(result.outputs['exit-code']).toBe('1');
    expect(result.outputs['sarif-file']).toBe(sarif);
    const log = JSON.parse(await readFile(sarif, 'utf8')) as { runs: Array<{ results: Array<{ level: string; message: { text: string } }> }> };
    const results = log.runs[0]!.results;
    expect(results.some((r) => r.level === 'error' && r.message.text.includes(bad.slice(0, 12)))).toBe(true);
  });

  it('refuses a policy given as a URL, or both policy inputs at once (exit code 2)', async () => {
    const { work, main } = await checkout();
    const event = { before: main, after: main };
    const url = await runStep('check', work, 'push', { inputs: { policy: 'https://example.com/policy.yaml' }, event });
    expect(url.outputs['exit-code']).toBe('2');
    expect(url.stdout).toContain('not a URL');
    const both = await runStep('check', work, 'push', { inputs: { policy: '/x.yaml', 'policy-yaml': 'default: warn' }, event });
    expect(both.outputs['exit-code']).toBe('2');
    expect((await runStep('Verdict', work, 'push', { steps: { check: both.outputs } })).exitCode).toBe(2);
  });

  it('says when the head commit is not in the checkout (shallow clone)', async () => {
    const { work, main, policy } = await checkout();
    const missing = 'f'.repeat(40);
    const result = await runStep('check', work, 'push', { inputs: { policy }, event: { before: main, after: missing } });
    expect(result.outputs['exit-code']).toBe('2');
    expect(result.stdout).toContain('fetch-depth: 0');
    expect((await git(work, ['status'], sandbox.env)).exitCode).toBe(0);
  });
});
