// `aitool export all --output <folder>`: every target from one load of the
// policy, run through the built CLI. Each file must be byte for byte what the
// target's own export writes, and the index must list exactly the files
// written and the lines each export says it cannot express.
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from '../cli/run-cli.js';

const POLICY = [
  'default: allow',
  'tools:',
  '  claude-code: block',
  '  cursor:',
  '    action: block',
  '    alternatives: [github-copilot]',
  'mcp:',
  '  servers:',
  '    filesystem: block',
  '',
].join('\n');

const NATIVE = ['claude-code', 'vscode', 'copilot', 'gemini-cli', 'santa', 'jamf'];

function cannotExpressLines(stderr: string, target: string): string[] {
  const prefix = `aitool: ${target} cannot express: `;
  return stderr.split('\n').filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
}

function listing(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listing(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('aitool export all (built CLI)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
    world.write('managed/policy.yaml', POLICY);
  });
  afterEach(() => world.cleanup());

  it('writes every target into its own folder, each file exactly as the target alone writes it, with an index', async () => {
    const out = join(world.root, 'controls');
    const all = await runCli(['export', 'all', '--os', 'macos', '--output', out], world);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stdout).toBe('');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
      os: string;
      policyFiles: string[];
      targets: { target: string; files: { name: string; installPath: string }[]; cannotExpress: string[] }[];
    };
    expect(index.os).toBe('macos');
    expect(index.policyFiles.some((file) => file.endsWith('managed/policy.yaml (managed)'))).toBe(true);
    expect(index.targets.map((entry) => entry.target)).toEqual(['osquery', 'fleet', ...NATIVE]);

    // The index names every file written, and nothing else is there.
    const written = listing(out).sort();
    const indexed = index.targets.flatMap((entry) => entry.files.map((file) => `${entry.target}/${file.name}`));
    expect(written).toEqual([...indexed, 'INDEX.md', 'index.json'].sort());

    for (const target of NATIVE) {
      const alone = join(world.root, `alone-${target}`);
      const single = await runCli(['export', target, '--os', 'macos', '--output', alone], world);
      expect(single.exitCode, single.stderr).toBe(0);
      const entry = index.targets.find((candidate) => candidate.target === target)!;
      for (const file of entry.files) {
        const aloneFile = entry.files.length === 1 ? alone : join(alone, file.name);
        expect(readFileSync(join(out, target, file.name), 'utf8'), `${target}/${file.name}`).toBe(readFileSync(aloneFile, 'utf8'));
        expect(single.stderr).toContain(`aitool: ${target}: ${file.name} goes to ${file.installPath}`);
      }
      expect(entry.cannotExpress).toEqual(cannotExpressLines(single.stderr, target));
    }
    for (const [target, name] of [['osquery', 'aitool-pack.conf'], ['fleet', 'aitool-policies.yml']] as const) {
      const alone = join(world.root, `alone-${target}`);
      const single = await runCli(['export', target, '--output', alone], world);
      expect(single.exitCode, single.stderr).toBe(0);
      expect(readFileSync(join(out, target, name), 'utf8')).toBe(readFileSync(alone, 'utf8'));
    }

    // The blocked tools reached the controls that can express them.
    expect(JSON.parse(readFileSync(join(out, 'claude-code', 'managed-settings.json'), 'utf8')).deniedMcpServers).toEqual([{ serverName: 'filesystem' }]);
    expect(readdirSync(join(out, 'vscode'))).toEqual(['vscode.mobileconfig']);
    const markdown = readFileSync(join(out, 'INDEX.md'), 'utf8');
    expect(markdown).toContain('## santa');
    expect(markdown).toContain('`claude-code/managed-settings.json` goes to /Library/Application Support/ClaudeCode/managed-settings.json');
    const vscode = index.targets.find((entry) => entry.target === 'vscode')!;
    expect(vscode.cannotExpress.length).toBeGreaterThan(0);
    for (const line of vscode.cannotExpress) expect(markdown).toContain(`- ${line}`);
    expect(all.stderr).toMatch(/aitool: vscode: 1 file in .*controls\/vscode; \d+ things it cannot express/);
  });

  it('refuses a folder that is not empty, a link, or no --output, with one line and exit 2, writing nothing', async () => {
    const busy = join(world.root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const notEmpty = await runCli(['export', 'all', '--output', busy], world);
    expect(notEmpty.exitCode).toBe(2);
    expect(notEmpty.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^aitool: export all: .*busy is not empty/)]);
    expect(readdirSync(busy)).toEqual(['keep.txt']);

    const elsewhere = join(world.root, 'elsewhere');
    mkdirSync(elsewhere);
    const link = join(world.root, 'link');
    symlinkSync(elsewhere, link);
    const linked = await runCli(['export', 'all', '--output', link], world);
    expect(linked.exitCode).toBe(2);
    expect(linked.stderr).toMatch(/is not a folder \(a link or a file\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const none = await runCli(['export', 'all'], world);
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain('name a new or empty folder with --output');
  });
});
