// Reports a fleet collects: `--output` replaces the file in one step, and
// `--format ndjson` gives one self-contained finding per line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';

let world: World;
beforeEach(() => {
  world = makeWorld();
  world.write('home/.claude.json', '{}');
  world.write('home/.codex/config.toml', '');
});
afterEach(() => world.cleanup());

describe('--format ndjson', () => {
  it('writes one finding per line, each with its time, machine and aitool version', async () => {
    const result = await runCli(['check', '--format', 'ndjson'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const ours = lines.filter((l) => String((l.evidence as { path?: string }).path ?? '').startsWith(world.home));
    expect(ours.map((l) => l.tool).sort()).toEqual(['claude-code', 'codex']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['time', 'hostname', 'os', 'aitool', 'tool', 'kind', 'action', 'evidence']));
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    }
  });
});

describe('--output', () => {
  it('writes the report to the file and nothing to stdout, keeping the exit code', async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  codex: block\n');
    const file = join(world.root, 'out', 'report.json');
    world.write('out/.keep', '');
    const result = await runCli(['check', '--format', 'json', '--output', file], world);
    expect([result.exitCode, result.stdout, result.stderr]).toEqual([1, '', '']);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(1);
    // Text to a file has no colour codes, even when colour is forced.
    await runCli(['check', '--output', file], world, { FORCE_COLOR: '3' });
    expect(readFileSync(file, 'utf8')).not.toContain('\u001b[');
    expect(readdirSync(join(world.root, 'out')).sort()).toEqual(['.keep', 'report.json']);
  });

  it('replaces the file in one step: a reader never sees half a report', async () => {
    const file = join(world.root, 'report.json');
    await runCli(['check', '--format', 'json', '--output', file], world);
    const inodes = new Set<number>();
    let reads = 0;
    let running = true;
    const reader = (async () => {
      while (running) {
        const text = readFileSync(file, 'utf8');
        JSON.parse(text); // throws on a partial file
        inodes.add(statSync(file).ino);
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 5; i++) await runCli(['check', '--format', 'json', '--output', file], world);
    running = false;
    await reader;
    expect(reads).toBeGreaterThan(5);
    expect(inodes.size).toBeGreaterThan(1);
  });

  it.runIf(process.getuid?.() === 0)('to a null device (as /dev/null), and to report --csv: written through, the device left a device; another device refused in one line', async () => {
    // Device nodes of the test's own (mknod): the machine's own /dev is never written to.
    const nullDevice = join(world.root, 'null');
    const zero = join(world.root, 'zero');
    expect(spawnSync('mknod', [nullDevice, 'c', '1', '3']).status).toBe(0);
    expect(spawnSync('mknod', [zero, 'c', '1', '5']).status).toBe(0);
    const check = await runCli(['check', '--output', nullDevice], world);
    expect(check.exitCode, check.stderr).toBe(0);
    expect([check.stdout, check.stderr]).toEqual(['', '']);
    const reports = join(world.root, 'reports');
    world.write('reports/one.json', JSON.stringify({ schemaVersion: 1 }));
    const report = await runCli(['report', reports, '--csv', nullDevice], world);
    expect(report.exitCode, report.stderr).toBeLessThan(2);
    expect(statSync(nullDevice).isCharacterDevice()).toBe(true);
    const refused = await runCli(['check', '--output', zero], world);
    expect([refused.exitCode, refused.stderr]).toEqual([2, `aitool: ${zero}: a device; aitool writes to a file, /dev/null, a terminal or a pipe of your own`]);
    expect(statSync(zero).isCharacterDevice()).toBe(true);
  });

  it('says in one line when the file cannot be written', async () => {
    const file = join(world.root, 'no-such-folder', 'report.json');
    const result = await runCli(['check', '--output', file], world);
    expect([result.exitCode, result.stderr]).toEqual([2, `aitool: ${file}: cannot write (ENOENT)`]);
    expect(existsSync(file)).toBe(false);
  });
});
