// aitool as an npm user gets it: `npm pack` of this checkout, then
// `npm install -g <tarball>` into a temp prefix (dependencies from the npm
// registry, through a private npm cache of the test's own), then the installed `aitool`
// command run from PATH: `check`, and `hook run pre-commit` refusing a staged
// CLAUDE.md under a project policy that blocks Claude Code.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './run-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

let world: World | undefined;
afterEach(() => world?.cleanup());

describe('npm install -g of the packed tarball', () => {
  it('installs an `aitool` command that runs check and the pre-commit hook', async (ctx) => {
    world = makeWorld();
    const packDir = join(world.root, 'pack');
    const prefix = join(world.root, 'prefix');
    mkdirSync(packDir);
    // --ignore-scripts: the suite runs after `npm run build`; prepare would build again.
    // A private npm cache (npm keeps its logs there too): the user's own is neither read nor written.
    const npmEnv = { ...process.env, npm_config_cache: join(world.root, 'npm-cache'), npm_config_update_notifier: 'false' };
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: npmEnv });
    const [tarball] = readdirSync(packDir);
    const install = spawnSync(
      'npm',
      ['install', '-g', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error', join(packDir, tarball!)],
      { cwd: world.root, encoding: 'utf8', timeout: 240_000, env: npmEnv },
    );
    if (install.status !== 0) {
      const why = `${install.stderr ?? ''}`.split('\n').find((line) => /npm error (code|network|request)/.test(line)) ?? `exit ${install.status}`;
      // Only a registry that cannot be reached is a reason to skip; anything else is a failure.
      if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network/i.test(install.stderr ?? '')) ctx.skip(`the dependencies could not be installed from the npm registry: ${why.trim()}`);
      throw new Error(`npm install -g failed: ${install.stderr}`);
    }
    const command = join(prefix, 'bin', 'aitool');
    expect(existsSync(command)).toBe(true);
    // The command is npm's link to the installed package's bin/aitool.js, not this checkout's.
    expect(realpathSync(command)).toBe(join(prefix, 'lib', 'node_modules', 'aitool', 'bin', 'aitool.js'));

    const env = { ...world.env, PATH: `${join(prefix, 'bin')}:${join(process.execPath, '..')}:/usr/bin:/bin`, GIT_CONFIG_NOSYSTEM: '1' };
    const run = (args: string[]) => spawnSync('aitool', args, { cwd: world!.cwd, env, encoding: 'utf8', timeout: 60_000 });

    const check = run(['check', '--format', 'json']);
    expect([0, 1], check.stderr).toContain(check.status);
    expect(JSON.parse(check.stdout).schemaVersion).toBe(1);

    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: world!.cwd, env: { ...env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git(['init', '-q']);
    world.write('repo/.aitoolrc.yaml', 'extends: aitool:strict\n');
    world.write('repo/CLAUDE.md', '# notes\n');
    git(['add', 'CLAUDE.md']);
    const hook = run(['hook', 'run', 'pre-commit']);
    expect(hook.status, hook.stderr).toBe(1);
    expect(hook.stderr).toMatch(/BLOCK {2}Claude Code/);
    expect(hook.stderr).toContain('CLAUDE.md');
  }, 300_000);
});
