// The CLI as built: one esbuild bundle (dist/cli.js and its lazy chunks), run
// through bin/aitool.js, and as the npm package ships it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let world: World;
afterEach(() => world?.cleanup());

// A fault in the report writer, injected from a preload: aitool's own code
// fails, not the user's input, so it is an internal error.
const INJECT_FAULT = `
const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value !== null && typeof value === 'object' && 'schemaVersion' in value) throw new Error('injected fault');
  return stringify.call(this, value, ...rest);
};
`;

describe('an internal error in the bundle', () => {
  it('with --debug, its stack names the src/ files and lines (through the source maps)', async () => {
    world = makeWorld();
    const preload = world.write('inject-fault.mjs', INJECT_FAULT);
    const result = await runCli(['check', '--format', 'json', '--debug'], world, {}, { nodeArgs: ['--import', preload] });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: internal error: injected fault\n/);
    expect(result.stderr).toMatch(/\/src\/report\/json\.ts:\d+:\d+/);
    expect(result.stderr).toMatch(/\/src\/cli\.ts:\d+:\d+/);
    expect(result.stderr).not.toMatch(/\/dist\//);
  });

  it('without --debug, stays one line', async () => {
    world = makeWorld();
    const preload = world.write('inject-fault.mjs', INJECT_FAULT);
    const result = await runCli(['check', '--format', 'json'], world, {}, { nodeArgs: ['--import', preload] });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('aitool: internal error: injected fault (run with --debug for details)');
  });
});

describe('the packed package (npm pack), unpacked elsewhere', () => {
  it('runs check, finds its presets, its version and installs hooks that run it', async () => {
    world = makeWorld();
    const packDir = join(world.root, 'pack');
    mkdirSync(packDir);
    // --ignore-scripts: the test runs after `npm run build`; prepare would build again.
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const [tarball] = readdirSync(packDir);
    execFileSync('tar', ['-xzf', join(packDir, tarball!), '-C', packDir]);
    const installed = join(packDir, 'package');
    // The dependencies an install would bring: this checkout's.
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'node_modules', 'package.json', 'policies']);
    const bin = join(installed, 'bin', 'aitool.js');
    expect(bin).not.toBe(BIN);
    const run = (args: string[]) => runCliWith(bin, args, world);

    const version = await run(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const check = await run(['check', '--format', 'json']);
    expect([0, 1]).toContain(check.exitCode);
    expect(json(check).schemaVersion).toBe(1);

    // A project policy extending a preset: the preset is read from the package's policies/.
    execFileSync('git', ['init', '-q'], { cwd: world.cwd });
    world.write('repo/.aitoolrc.yaml', 'extends: aitool:strict\n');
    const shown = await run(['policy', 'show']);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('aitool:strict');

    const install = await run(['hook', 'install']);
    expect(install.exitCode, install.stderr).toBe(0);
    // The hook runs this very installation's bin/aitool.js.
    expect(readFileSync(join(world.cwd, '.git', 'hooks', 'commit-msg'), 'utf8')).toContain(bin);
    const gitEnv = { ...world.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
    world.write('repo/CLAUDE.md', '# notes\n');
    execFileSync('git', ['add', 'CLAUDE.md'], { cwd: world.cwd, env: gitEnv });
    // strict blocks Claude Code: the installed hook (the packed bin) refuses the commit.
    let refused = '';
    try {
      execFileSync('git', ['commit', '-q', '-m', 'add notes'], { cwd: world.cwd, env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      refused = String((error as { stderr?: Buffer }).stderr ?? '');
    }
    expect(refused).toMatch(/CLAUDE\.md/);
  });
});

async function runCliWith(bin: string, args: string[], w: World) {
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [bin, ...args], { cwd: w.cwd, env: w.env, extendEnv: false, reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
