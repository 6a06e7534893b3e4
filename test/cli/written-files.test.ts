// Finding 13: files aitool writes are opened without following a symbolic
// link, and those carrying command lines (reports, the watch log) are 0600.
// Run as root (as the suite is), a link or a file planted by another user in
// a folder they can write must not get root's output.
import { chmodSync, chownSync, linkSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';

const NOBODY = 65534;
const VICTIM_TEXT = 'a file someone else cares about\n';

let world: World;
let victim: string;
beforeEach(() => {
  world = makeWorld();
  victim = world.write('elsewhere/victim', VICTIM_TEXT);
});
afterEach(() => world.cleanup());

function expectOneLineRefusal(result: { exitCode: number; stderr: string }, pattern: RegExp): void {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

const watchOnce = (log: string) => runCli(['watch', '--interval', '1s', '--log', log], world, {}, { timeoutMs: 20_000 });

describe('watch --log', () => {
  it('refuses a log name that is a symbolic link, and the link target is unchanged', async () => {
    const log = join(world.root, 'shared', 'watch.jsonl');
    world.write('shared/.keep', '');
    symlinkSync(victim, log);
    const result = await watchOnce(log);
    expectOneLineRefusal(result, /^aitool: .*watch\.jsonl: cannot log to it \(a symbolic link; name the file itself\)$/m);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(readlinkSync(log)).toBe(victim);
  });

  it('refuses a dangling link too, creating nothing at its target', async () => {
    const log = join(world.root, 'watch.jsonl');
    const target = join(world.root, 'elsewhere', 'created-through-the-link');
    symlinkSync(target, log);
    expectOneLineRefusal(await watchOnce(log), /cannot log to it \(a symbolic link/);
    expect(() => lstatSync(target)).toThrow();
  });

  it("refuses an existing log owned by another user, and one with another hard link (root's lines onto someone else's file)", async () => {
    expect(process.getuid!()).toBe(0); // the suite runs as root; a planted file of another user needs root to make
    const theirs = world.write('theirs.jsonl', '');
    chownSync(theirs, NOBODY, NOBODY);
    expectOneLineRefusal(await watchOnce(theirs), /cannot log to it \(owned by uid 65534, not by the user running aitool \(0\)\)/);
    expect(readFileSync(theirs, 'utf8')).toBe('');

    const linked = join(world.root, 'linked.jsonl');
    linkSync(victim, linked);
    expectOneLineRefusal(await watchOnce(linked), /cannot log to it \(it has 2 hard links\)/);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  });

  it('creates a missing log 0600', async () => {
    const log = join(world.root, 'new.jsonl');
    // A broken policy ends the watch at once, after writing the error to the log.
    world.write('repo/.git/.keep', '');
    world.write('repo/.aitoolrc.yaml', 'default: blok\n');
    expect((await watchOnce(log)).exitCode).toBe(2);
    expect(readFileSync(log, 'utf8')).toContain('"event":"policy-error"');
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });
});

describe('check --output', () => {
  it('writes the report 0600, also over an existing 0644 file', async () => {
    const fresh = join(world.root, 'report.json');
    expect((await runCli(['check', '--format', 'json', '--output', fresh], world)).exitCode).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);

    const old = world.write('old-report.json', '{}\n');
    chmodSync(old, 0o644);
    expect((await runCli(['check', '--format', 'json', '--output', old], world)).exitCode).toBe(0);
    expect(statSync(old).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(old, 'utf8'))).toMatchObject({ schemaVersion: 1 });
  });

  it('replaces a link at the output name with the report, never writing through it', async () => {
    const out = join(world.root, 'report.json');
    symlinkSync(victim, out);
    expect((await runCli(['check', '--format', 'json', '--output', out], world)).exitCode).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(lstatSync(out).isFile()).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

describe('init', () => {
  it('--force does not write through a link at the policy name', async () => {
    const file = join(world.cwd, '.aitoolrc.yaml');
    symlinkSync(victim, file);
    const result = await runCli(['init', '--yes', '--force', '--file', '.aitoolrc.yaml'], world);
    expectOneLineRefusal(result, /\.aitoolrc\.yaml: cannot write \(a symbolic link\)$/m);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  });
});

