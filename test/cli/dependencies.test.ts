// Agent SDKs declared by a repository, through the built CLI: real git
// repositories with each manifest and lockfile shape, `check --format json`
// and `--format sarif`, the pre-commit hook refusing a staged package.json
// that adds a blocked SDK, SDKs installed in node_modules, and decoys.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sarifValidator } from '../helpers/sarif-schema.js';
import { BIN, json, makeWorld, runCli, type World, initRepo, type Git } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  rule: string;
  action: string;
  confidence: string;
  category: string;
  evidence: Record<string, unknown>;
  alternatives: Array<{ id: string }>;
  remediation?: string;
}
interface Report {
  findings: Finding[];
  notes: Array<{ scanner: string; path?: string; message: string }>;
}

let world: World;
let git: Git;
beforeEach(() => {
  world = makeWorld();
  git = initRepo(world);
});
afterEach(() => world.cleanup());

/** Only the repository: the machine's own processes (real agents run here) stay out of these reports. */
const REPO_ONLY = 'scanners: { processes: false, path: false, traces: false, packages: false, editors: false, apps: false, configs: false, session: false }\n';

async function check(...extra: string[]): Promise<Report> {
  const result = await runCli(['check', '--format', 'json', ...extra], world);
  expect(result.exitCode, result.stderr).toBeLessThan(2);
  return json<Report>(result);
}

const sdkFindings = (report: Report) =>
  report.findings
    .filter((f) => f.kind === 'dependency')
    .map((f) => [f.tool, f.evidence.file, f.evidence.line, f.evidence.package, f.evidence.spec, f.evidence.ecosystem, f.evidence.field])
    .sort((a, b) => String(a[1]).localeCompare(String(b[1])) || Number(a[2]) - Number(b[2]));

const PACKAGE_JSON = `{
  "name": "demo",
  "private": true,
  "dependencies": {
    "express": "^5.0.0",
    "@anthropic-ai/claude-agent-sdk": "^0.3.337"
  },
  "devDependencies": {
    "@openai/codex-sdk": "0.163.0"
  }
}
`;

describe('aitool check: SDK dependencies in the tracked files', () => {
  it('reports each manifest and lockfile shape under the agent it runs, with file, line, package, range, ecosystem and field', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY);
    world.write('repo/package.json', PACKAGE_JSON);
    world.write(
      'repo/package-lock.json',
      `{
  "name": "demo",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "demo",
      "dependencies": {
        "@anthropic-ai/claude-agent-sdk": "^0.3.337"
      }
    },
    "node_modules/@anthropic-ai/claude-agent-sdk": {
      "version": "0.3.337",
      "license": "SEE LICENSE IN README.md"
    }
  }
}
`,
    );
    world.write('repo/web/pnpm-lock.yaml', "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@github/copilot-sdk':\n        specifier: ^1.0.14\n        version: 1.0.14\n");
    world.write('repo/tools/yarn.lock', '# yarn lockfile v1\n\n\n"@qwen-code/sdk@^0.1.14":\n  version "0.1.14"\n');
    world.write('repo/bots/bun.lock', '{\n  "lockfileVersion": 1,\n  "packages": {\n    "@iflow-ai/iflow-cli-sdk": ["@iflow-ai/iflow-cli-sdk@0.1.2", "", {}, "sha512-x"],\n  }\n}\n');
    world.write('repo/py/requirements-dev.txt', 'pytest>=8\nclaude-agent-sdk==0.2.184\n');
    world.write('repo/py/pyproject.toml', '[project]\nname = "svc"\ndependencies = [\n  "github-copilot-sdk>=1.0",\n]\n');
    world.write('repo/py/uv.lock', 'version = 1\n\n[[package]]\nname = "github-copilot-sdk"\nversion = "1.0.27"\n');
    world.write('repo/go/go.mod', 'module example.com/svc\n\ngo 1.24\n\nrequire github.com/github/copilot-sdk/go v0.1.15\n');
    git('add', '.');

    const report = await check();
    expect(sdkFindings(report)).toEqual([
      ['iflow-cli', 'bots/bun.lock', 4, '@iflow-ai/iflow-cli-sdk', '0.1.2', 'npm', 'lockfile'],
      ['github-copilot', 'go/go.mod', 5, 'github.com/github/copilot-sdk/go', 'v0.1.15', 'go', 'require'],
      ['claude-code', 'package-lock.json', 12, '@anthropic-ai/claude-agent-sdk', '0.3.337', 'npm', 'lockfile'],
      ['claude-code', 'package.json', 6, '@anthropic-ai/claude-agent-sdk', '^0.3.337', 'npm', 'dependencies'],
      ['codex', 'package.json', 9, '@openai/codex-sdk', '0.163.0', 'npm', 'devDependencies'],
      ['github-copilot', 'py/pyproject.toml', 4, 'github-copilot-sdk', '>=1.0', 'pip', 'project.dependencies'],
      ['claude-code', 'py/requirements-dev.txt', 2, 'claude-agent-sdk', '==0.2.184', 'pip', 'require'],
      ['github-copilot', 'py/uv.lock', 4, 'github-copilot-sdk', '1.0.27', 'pip', 'lockfile'],
      ['qwen-code', 'tools/yarn.lock', 4, '@qwen-code/sdk', '0.1.14', 'npm', 'lockfile'],
      ['github-copilot', 'web/pnpm-lock.yaml', 7, '@github/copilot-sdk', '^1.0.14', 'npm', 'lockfile'],
    ]);
    const declared = report.findings.find((f) => f.kind === 'dependency' && f.evidence.file === 'package.json' && f.tool === 'claude-code')!;
    expect(declared).toMatchObject({
      confidence: 'confirmed',
      category: 'agent-cli',
      rule: 'default',
      action: 'warn',
      evidence: { root: world.cwd, status: 'tracked', matched: 'npm SDK @anthropic-ai/claude-agent-sdk (dependencies)' },
      remediation: 'npm uninstall @anthropic-ai/claude-agent-sdk',
    });
    expect(report.findings.find((f) => f.evidence.file === 'go/go.mod')!.remediation).toBe('cd go && go get github.com/github/copilot-sdk/go@none && go mod tidy');
  });

  it('reports nothing for decoys: npm `claude`, `codex`, `gemini`, `codex-cli-helper`, PyPI `codex`, a comment or description naming an SDK, an untracked manifest', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY);
    world.write(
      'repo/package.json',
      JSON.stringify(
        {
          name: 'decoys',
          description: 'We do not use @anthropic-ai/claude-agent-sdk',
          scripts: { claude: 'claude -p "@openai/codex-sdk"' },
          dependencies: { claude: '^1.0.0', codex: '^2.0.0', gemini: '1.0.0', 'codex-cli-helper': '^3.0.0', '@anthropic-ai/sdk': '^0.93.0' },
        },
        null,
        2,
      ),
    );
    world.write('repo/requirements.txt', '# claude-agent-sdk==0.2.184\ncodex==2.5.6\nclaude-code-sdk-shmaxi==0.0.12\n');
    world.write('repo/yarn.lock', '# yarn lockfile v1\n# "@anthropic-ai/claude-agent-sdk@^0.3.0":\n\nclaude@^1.0.0:\n  version "1.0.0"\n');
    world.write('repo/go.mod', 'module example.com/x\n\n// github.com/github/copilot-sdk/go is not used\nrequire github.com/example/claude v1.0.0\n');
    world.write('repo/README.md', 'Install @anthropic-ai/claude-agent-sdk? No.\n');
    // The control: the same scan finds a real SDK beside the decoys.
    world.write('repo/control/package.json', '{\n  "dependencies": {\n    "@google/gemini-cli-core": "0.61.0"\n  }\n}\n');
    git('add', '.');
    world.write('repo/untracked/package.json', PACKAGE_JSON);

    const report = await check();
    expect(report.findings.map((f) => [f.tool, f.kind, f.evidence.file])).toEqual([['gemini-cli', 'dependency', 'control/package.json']]);
  });

  it('reads the index, not the work tree: a symlink out of the repository is not followed, a FIFO in the work tree is never opened', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY);
    world.write('outside/package-lock.json', '{\n  "packages": {\n    "node_modules/@openai/codex-sdk": {\n      "version": "0.163.0"\n    }\n  }\n}\n');
    symlinkSync(join(world.root, 'outside/package-lock.json'), join(world.cwd, 'package-lock.json'));
    world.write('repo/package.json', PACKAGE_JSON);
    world.write('repo/requirements.txt', 'github-copilot-sdk==1.0.27\n');
    git('add', '.');
    git('commit', '-q', '-m', 'manifests');
    // The work tree's requirements.txt becomes a FIFO: reading it would block for ever.
    rmSync(join(world.cwd, 'requirements.txt'));
    execFileSync('mkfifo', [join(world.cwd, 'requirements.txt')]);

    const report = await check();
    expect(sdkFindings(report).map((f) => [f[1], f[3]])).toEqual([
      ['package.json', '@anthropic-ai/claude-agent-sdk'],
      ['package.json', '@openai/codex-sdk'],
      ['requirements.txt', 'github-copilot-sdk'],
    ]);
  });

  it('skips a lockfile over the size cap with a note, and still reads the manifest beside it', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY);
    world.write('repo/package.json', PACKAGE_JSON);
    const entry = '    "node_modules/pkg": {\n      "version": "1.0.0"\n    },\n';
    world.write('repo/package-lock.json', `{\n  "packages": {\n${entry.repeat(Math.ceil((33 * 1024 * 1024) / entry.length))}    "node_modules/@qwen-code/sdk": {\n      "version": "0.1.14"\n    }\n  }\n}\n`);
    git('add', '.');

    const report = await check();
    expect(sdkFindings(report).map((f) => f[1])).toEqual(['package.json', 'package.json']);
    expect(report.notes).toContainEqual({ scanner: 'repo', path: join(world.cwd, 'package-lock.json'), message: expect.stringMatching(/^not read for agent SDKs: \d+ bytes/) });
  });

  it('reports an SDK installed in node_modules as an install of the agent (installMethod sdk, the project folder)', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY + 'tools:\n  claude-code: block\n');
    world.write('repo/.gitignore', 'node_modules/\n');
    world.write('repo/app/package.json', '{ "name": "app" }\n');
    world.write('repo/app/node_modules/@anthropic-ai/claude-agent-sdk/package.json', JSON.stringify({ name: '@anthropic-ai/claude-agent-sdk', version: '0.3.337' }));
    world.write('repo/app/node_modules/claude/package.json', JSON.stringify({ name: 'claude', version: '1.0.0' }));
    git('add', '.');

    const report = await check();
    const installs = report.findings.filter((f) => f.kind === 'package');
    expect(installs).toEqual([
      expect.objectContaining({
        tool: 'claude-code',
        action: 'block',
        confidence: 'confirmed',
        evidence: expect.objectContaining({
          installMethod: 'sdk',
          package: '@anthropic-ai/claude-agent-sdk',
          version: '0.3.337',
          project: join(world.cwd, 'app'),
          path: join(world.cwd, 'app/node_modules/@anthropic-ai/claude-agent-sdk'),
        }),
        remediation: `cd ${join(world.cwd, 'app')} && npm uninstall @anthropic-ai/claude-agent-sdk`,
      }),
    ]);
  });

  it('locates each finding at its file and line in SARIF', async () => {
    world.write('repo/.aitoolrc.yaml', REPO_ONLY + 'tools:\n  claude-code: block\n');
    world.write('repo/package.json', PACKAGE_JSON);
    world.write('repo/py/requirements.txt', 'claude-agent-sdk\n');
    git('add', '.');
    const result = await runCli(['check', '--format', 'sarif'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const log = JSON.parse(result.stdout);
    const { validate } = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results as Array<{ ruleId: string; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    expect(results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine]).sort()).toEqual([
      ['aitool/claude-code/dependency', 'error', 'package.json', 6],
      ['aitool/claude-code/dependency', 'error', 'py/requirements.txt', 1],
      ['aitool/codex/dependency', 'warning', 'package.json', 9],
    ]);
    expect(results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'py/requirements.txt')!.message.text).toContain(
      'py/requirements.txt line 1 declares claude-agent-sdk (pip require), an SDK that runs Claude Code',
    );
  });
});

describe('policy: the agent rule covers its SDK; categories.agent-sdk can only be stricter', () => {
  const verdict = (report: Report) => report.findings.filter((f) => f.kind === 'dependency').map((f) => [f.tool, f.action, f.rule]);

  beforeEach(() => {
    world.write('repo/package.json', PACKAGE_JSON);
    git('add', 'package.json');
  });

  it('categories.agent-sdk: block blocks SDK use of an agent the policy allows', async () => {
    world.write('repo/.aitoolrc.yaml', `${REPO_ONLY}tools:\n  claude-code: allow\ncategories:\n  agent-sdk:\n    action: block\n    reason: No agents inside our products.\n`);
    const report = await check();
    expect(verdict(report)).toEqual([
      ['claude-code', 'block', 'categories.agent-sdk'],
      ['codex', 'block', 'categories.agent-sdk'],
    ]);
  });

  it('categories.agent-sdk: allow does not loosen a blocked agent, nor a managed default', async () => {
    world.write('managed/policy.yaml', 'default: block\n');
    world.write('repo/.aitoolrc.yaml', `${REPO_ONLY}tools:\n  codex: block\ncategories:\n  agent-sdk: allow\n`);
    const report = await check();
    expect(verdict(report)).toEqual([
      ['claude-code', 'block', 'default'],
      ['codex', 'block', 'tools.codex'],
    ]);
  });
});

describe('pre-commit hook: a staged manifest that adds a blocked SDK', () => {
  beforeEach(() => {
    const hook = join(world.cwd, '.git', 'hooks', 'pre-commit');
    mkdirSync(join(world.cwd, '.git', 'hooks'), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run pre-commit "$@"\n`);
    chmodSync(hook, 0o755);
    world.write('repo/.aitoolrc.yaml', "tools:\n  claude-code:\n    action: block\n    reason: Source code may not leave the company's data boundary.\n    alternatives: [qoder]\n");
    world.write('repo/package.json', '{\n  "name": "demo",\n  "dependencies": {\n    "express": "^5.0.0"\n  }\n}\n');
    git('add', '.');
    git('commit', '-q', '--no-verify', '-m', 'start');
  });

  const commit = (message: string) => {
    const result = spawnSync('git', ['commit', '-q', '-m', message], { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8', timeout: 30_000 });
    return { status: result.status ?? -1, stderr: result.stderr };
  };
  const head = () => git('log', '-1', '--format=%s').trim();

  it('is refused, naming the file, the line, the package and the alternative; once committed, an unrelated change to the file goes through', () => {
    world.write('repo/package.json', '{\n  "name": "demo",\n  "dependencies": {\n    "express": "^5.0.0",\n    "@anthropic-ai/claude-agent-sdk": "^0.3.337"\n  }\n}\n');
    git('add', 'package.json');
    const refused = commit('add the agent sdk');
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/✖ BLOCK {2}Claude Code \(claude-code, agent CLI\)/);
    expect(refused.stderr).toContain('SDK dep   package.json:5  @anthropic-ai/claude-agent-sdk ^0.3.337  (npm dependencies, modified, staged)');
    expect(refused.stderr).toContain('Use instead: Qoder');
    expect(refused.stderr).toContain('To fix: npm uninstall @anthropic-ai/claude-agent-sdk, then stage package.json again');
    expect(head()).toBe('start');

    git('commit', '-q', '--no-verify', '-m', 'sdk, past the hook');
    world.write('repo/package.json', '{\n  "name": "demo",\n  "dependencies": {\n    "express": "^5.1.0",\n    "@anthropic-ai/claude-agent-sdk": "^0.3.337"\n  }\n}\n');
    git('add', 'package.json');
    const bump = commit('bump express');
    expect(bump.status, bump.stderr).toBe(0);
    expect(head()).toBe('bump express');
  });

  it('is refused for a new requirements file too, and lets a decoy dependency through', () => {
    world.write('repo/requirements.txt', 'codex==2.5.6\n');
    git('add', 'requirements.txt');
    expect(commit('decoy').status).toBe(0);
    world.write('repo/requirements.txt', 'codex==2.5.6\nclaude-agent-sdk>=0.2\n');
    git('add', 'requirements.txt');
    const refused = commit('python sdk');
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('SDK dep   requirements.txt:2  claude-agent-sdk >=0.2  (pip require, modified, staged)');
  });
});
