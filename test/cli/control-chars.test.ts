// Control characters from the machine through the built CLI: a real process
// whose command line tries to erase and overwrite the report, a staged file
// whose name carries an escape sequence, policy texts and keys that do. Text
// output shows them escaped (chalk's colours still work); JSON keeps them exact.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installNativeBinary, killSpawned, spawnNativeBinary, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

/** chalk's colour sequences: the only escape sequences aitool itself writes. */
const SGR = /\x1b\[[0-9;]*m/g;
/** What must not reach the terminal raw once chalk's colours are taken out: C0 but newline, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A command line that would clear the line, print a fake all-clear, move up a line, and reverse the rest. */
const SPOOF = 'claude\r\x1b[2K✔ aitool: no AI tools found\x1b[1A\u202eevil';
const SPOOF_ESCAPED = 'claude\\r\\x1b[2K✔ aitool: no AI tools found\\x1b[1A\\u202eevil';

let world: World;
beforeEach(() => {
  world = makeWorld();
  world.write('managed/policy.yaml', 'default: warn\ntools:\n  claude-code: block\n  cursor: block\n');
});
afterEach(async () => {
  await killSpawned();
  world.cleanup();
});

function expectOnlyColours(text: string): void {
  expect(text.replace(SGR, '')).not.toMatch(RAW_CONTROL);
}

describe('a process whose command line carries control characters', () => {
  let agent: SpawnedProcess;
  beforeEach(async () => {
    // A copy of a shell named `claude` in a PATH folder of the test's own; argv[0] is the spoof.
    const binary = await installNativeBinary(join(world.root, 'bin', 'claude'));
    world.env.PATH = `${join(world.root, 'bin')}:${world.env.PATH}`;
    agent = await spawnNativeBinary(binary, [], { argv0: SPOOF });
    await waitForExe(agent.pid, binary);
  });

  for (const colour of [{ FORCE_COLOR: '1' }, { NO_COLOR: '1' }]) {
    it(`is shown escaped in the text report (${Object.keys(colour)[0]})`, async () => {
      const result = await runCli(['check'], world, colour);
      expect(result.exitCode, result.stderr).toBe(1);
      if (colour.FORCE_COLOR) expect(result.stdout).toMatch(SGR);
      else expect(result.stdout).not.toContain('\x1b');
      expectOnlyColours(result.stdout);
      const line = result.stdout.replace(SGR, '').split('\n').find((l) => l.includes(`pid ${agent.pid} `));
      expect(line).toContain(SPOOF_ESCAPED);
      expect(result.stdout.replace(SGR, '')).toMatch(/✖ BLOCK {2}Claude Code \(claude-code, agent CLI\)/);
    });
  }

  it('is kept exact in --format json', async () => {
    const report = json<{ findings: Array<{ tool: string; evidence: { pid?: number; cmd?: string } }> }>(await runCli(['check', '--format', 'json'], world));
    const mine = report.findings.find((f) => f.evidence.pid === agent.pid);
    expect(mine?.tool).toBe('claude-code');
    expect(mine?.evidence.cmd).toBe(`${SPOOF} -c sleep 300; :`);
  });

  it('is shown escaped in the dry-run line of --kill', async () => {
    const result = await runCli(['check', '--kill', '--dry-run'], world, { FORCE_COLOR: '1' });
    expectOnlyColours(result.stdout);
    expect(result.stdout.replace(SGR, '')).toContain(`would stop (dry run): pid ${agent.pid} claude-code  ${SPOOF_ESCAPED}`);
  });
});

describe('a staged file whose name carries an escape sequence', () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });

  beforeEach(() => {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Ada Lovelace');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'commit.gpgsign', 'false');
    const hook = join(world.cwd, '.git', 'hooks', 'pre-commit');
    mkdirSync(join(world.cwd, '.git', 'hooks'), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run pre-commit "$@"\n`);
    chmodSync(hook, 0o755);
    world.write('repo/.cursor/rules/\x1b[31mevil\r\x1b[2K.mdc', 'x\n');
    git('add', '.');
  });

  for (const colour of [{ FORCE_COLOR: '1' }, {}]) {
    it(`is refused by the pre-commit hook and named escaped (${colour.FORCE_COLOR ? 'colour' : 'no colour'})`, () => {
      const result = spawnSync('git', ['commit', '-q', '-m', 'rules'], {
        cwd: world.cwd,
        env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1', AITOOL_MANAGED_POLICY: join(world.root, 'managed', 'policy.yaml'), ...colour },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status, result.stderr).toBe(1);
      if (colour.FORCE_COLOR) expect(result.stderr).toMatch(SGR);
      // The name is itself shaped like a colour code: it must not be among the sequences stripped below.
      expect(result.stderr).not.toContain('\x1b[31mevil');
      expectOnlyColours(result.stderr);
      expect(result.stderr.replace(SGR, '')).toContain('in repo   .cursor/rules/\\x1b[31mevil\\r\\x1b[2K.mdc  (added, staged)');
      expect(result.stderr.replace(SGR, '')).toMatch(/✖ BLOCK {2}Cursor/);
    });
  }
});

describe('policy texts, keys and file names with control characters', () => {
  it('print a policy error on one escaped stderr line (a key)', async () => {
    // YAML's double-quoted \e is ESC.
    world.write('repo/.aitoolrc.yaml', 'tools:\n  "cl\\e[2K\\raude\\n\\u202e": block\n');
    const result = await runCli(['check'], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).toContain('tools.cl\\x1b[2K\\raude\\n\\u202e');
  });

  it('print a policy error on one escaped stderr line (a file name)', async () => {
    const file = world.write('bad\x1b[1A\r\nname.yaml', 'default: sometimes\n');
    const result = await runCli(['check', '--policy', file], world);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).toContain('bad\\x1b[1A\\r\\nname.yaml: default:');
  });

  it('are escaped in policy show and tools, and exact in their JSON', async () => {
    world.write(
      'repo/.aitoolrc.yaml',
      [
        'customTools:',
        '  - id: acme-ai',
        '    name: "Acme\\e[2K\\r\\u202eAI"',
        '    vendor: "Acme\\e]8;;https://x.test\\aCorp"',
        '    homepage: https://ai.acme.test',
        '    category: agent-cli',
        '    signatures:',
        '      executables: [{ name: "acme\\e[1Aai" }]',
        'tools:',
        '  acme-ai:',
        '    action: block',
        '    reason: "Retired.\\r\\e[2K\\u2066all clear"',
        '',
      ].join('\n'),
    );
    const show = await runCli(['policy', 'show'], world);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).not.toMatch(RAW_CONTROL);
    expect(show.stdout).toContain('Acme\\x1b[2K\\r\\u202eAI');
    // policy show quotes texts as JSON strings: ESC is already \u001b there, the bidi isolate is escaped on top.
    expect(show.stdout).toContain('"Retired.\\r\\u001b[2K\\u2066all clear"');

    const list = await runCli(['tools'], world);
    expect(list.stdout).not.toMatch(RAW_CONTROL);
    expect(list.stdout).toContain('Acme\\x1b[2K\\r\\u202eAI (Acme\\x1b]8;;https://x.test\\x07Corp)');

    const one = await runCli(['tools', 'acme-ai'], world);
    expect(one.stdout).not.toMatch(RAW_CONTROL);
    expect(one.stdout).toContain('policy: block — Retired.\\r\\x1b[2K\\u2066all clear');
    expect(one.stdout).toContain('    acme\\x1b[1Aai');

    const exact = json<{ name: string; policy: { reason: string } }>(await runCli(['tools', 'acme-ai', '--format', 'json'], world));
    expect([exact.name, exact.policy.reason]).toEqual(['Acme\x1b[2K\r\u202eAI', 'Retired.\r\x1b[2K\u2066all clear']);
  });
});

describe('a repository folder whose name carries control characters', () => {
  let repo: string;
  beforeEach(() => {
    repo = join(world.root, 'work\x1b[2K\r\u202eproject');
    mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' } });
  });

  it('is named escaped by hook install and by onboard', async () => {
    const install = await runCli(['hook', 'install', '--repo', repo], world, { GIT_CONFIG_NOSYSTEM: '1' });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).not.toMatch(RAW_CONTROL);
    expect(install.stdout).toContain('work\\x1b[2K\\r\\u202eproject/.git/hooks/commit-msg');

    const onboard = await runCli(['onboard', '--repo', repo], world, { GIT_CONFIG_NOSYSTEM: '1', FORCE_COLOR: '1' });
    expect(onboard.stdout).toMatch(SGR);
    expectOnlyColours(onboard.stdout);
    expect(onboard.stdout.replace(SGR, '')).toContain(`✔ ${join(world.root, 'work\\x1b[2K\\r\\u202eproject')}`);
  });
});
