// src/output.ts: the temp file of an atomic write cannot be redirected by a
// link planted at its name, and nothing planted there is removed.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, lchownSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, removeTempDirs, writeFile } from './helpers/temp.js';

// The temp name's random part, made predictable so that a test can plant a link at it first.
const predictable = vi.hoisted(() => ({ bytes: undefined as Buffer | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, randomBytes: (size: number) => predictable.bytes ?? actual.randomBytes(size) };
});

const { createExclusive, tempNameFor, writeFileAtomic } = await import('../src/output.js');
const { UserError } = await import('../src/errors.js');

afterEach(() => {
  predictable.bytes = undefined;
});
afterAll(removeTempDirs);

describe('writeFileAtomic', () => {
  it('gives every write its own random temp name', () => {
    const names = new Set(Array.from({ length: 50 }, () => tempNameFor('/some/folder/report.json')));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^\/some\/folder\/\.report\.json\.\d+\.[0-9a-f]{16}\.tmp$/);
  });

  it('a link planted at the temp name does not redirect the write: refused, the link target and the link untouched', async () => {
    const dir = await makeTempDir();
    const victim = await writeFile(join(dir, 'victim'), 'precious\n');
    const target = join(dir, 'report.json');
    predictable.bytes = Buffer.alloc(8, 0xab);
    const temp = tempNameFor(target);
    symlinkSync(victim, temp);
    await expect(writeFileAtomic(target, 'the report')).rejects.toThrow(UserError);
    await expect(writeFileAtomic(target, 'the report')).rejects.toThrow(/cannot write \(EEXIST\)/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readlinkSync(temp)).toBe(victim);
    expect(() => lstatSync(target)).toThrow();
  });

  it('a dangling link at the temp name creates nothing where it points', async () => {
    const dir = await makeTempDir();
    const pointedAt = join(dir, 'would-be-created');
    predictable.bytes = Buffer.alloc(8, 0xcd);
    symlinkSync(pointedAt, tempNameFor(join(dir, 'report.json')));
    await expect(writeFileAtomic(join(dir, 'report.json'), 'x')).rejects.toThrow(/EEXIST/);
    expect(() => lstatSync(pointedAt)).toThrow();
  });
});

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** A device node of the test's own (mknod needs root): the tests never write to the machine's own /dev. */
function mknod(path: string, type: 'c' | 'b', major: number, minor: number): string {
  const made = spawnSync('mknod', [path, type, String(major), String(minor)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mknod ${path}: ${made.stderr}`);
  return path;
}

describe('writeFileAtomic and names that are not files', () => {
  it.runIf(isRoot)('writes through a null device, and a link to one, and leaves each in place: never a file put where a device was', async () => {
    const dir = await makeTempDir();
    const nullDevice = mknod(join(dir, 'null'), 'c', 1, 3);
    await writeFileAtomic(nullDevice, 'the report');
    expect(lstatSync(nullDevice).isCharacterDevice()).toBe(true);
    // As /dev/stdout is a link (to /proc/self/fd/1, here to the null device).
    symlinkSync(nullDevice, join(dir, 'stdout'));
    await writeFileAtomic(join(dir, 'stdout'), 'the report');
    expect(lstatSync(join(dir, 'stdout')).isSymbolicLink()).toBe(true);
    expect(lstatSync(nullDevice).isCharacterDevice()).toBe(true);
  });

  it.runIf(isRoot)("never follows another user's link, even to a null device: the link is replaced by the report, as any link is", async () => {
    const dir = await makeTempDir();
    const nullDevice = mknod(join(dir, 'null'), 'c', 1, 3);
    const link = join(dir, 'theirs');
    symlinkSync(nullDevice, link);
    lchownSync(link, NOBODY, NOBODY);
    await writeFileAtomic(link, 'the report');
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8')).toBe('the report');
    expect(lstatSync(nullDevice).isCharacterDevice()).toBe(true);
  });

  it.runIf(isRoot)('refuses other devices without opening them (some act on open), a block device, a folder, and leaves them as they were', async () => {
    const dir = await makeTempDir();
    const zero = mknod(join(dir, 'zero'), 'c', 1, 5);
    const block = mknod(join(dir, 'loop'), 'b', 7, 200);
    mkdirSync(join(dir, 'folder'));
    symlinkSync(zero, join(dir, 'to-zero'));
    for (const [name, why] of [['zero', 'a device'], ['to-zero', 'a device'], ['loop', 'a device'], ['folder', 'a folder']] as const) {
      await expect(writeFileAtomic(join(dir, name), 'the report'), name).rejects.toThrow(`${join(dir, name)}: ${why}; aitool writes to a file, /dev/null, a terminal or a pipe of your own`);
    }
    expect(lstatSync(zero).isCharacterDevice()).toBe(true);
    expect(lstatSync(block).isBlockDevice()).toBe(true);
    expect(lstatSync(join(dir, 'folder')).isDirectory()).toBe(true);
    expect(lstatSync(join(dir, 'to-zero')).isSymbolicLink()).toBe(true);
  });

  it.runIf(isRoot)("writes into a pipe of the user's own, which stays a pipe; refuses another user's (it would hand them the report)", async () => {
    const dir = await makeTempDir();
    const own = join(dir, 'own');
    expect(spawnSync('mkfifo', [own]).status).toBe(0);
    const reader = spawn('cat', [own], { stdio: ['ignore', 'pipe', 'ignore'] });
    let read = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (read += chunk));
    const ended = new Promise((resolve) => reader.on('close', resolve));
    try {
      await writeFileAtomic(own, 'the report\n');
      // Bounded: a write that went elsewhere leaves the reader waiting, and the check below says so.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    } finally {
      // The test's own reader, left waiting if the write went elsewhere.
      if (reader.exitCode === null && reader.signalCode === null) reader.kill();
    }
    expect(read).toBe('the report\n');
    expect(lstatSync(own).isFIFO()).toBe(true);

    const theirs = join(dir, 'theirs');
    expect(spawnSync('mkfifo', [theirs]).status).toBe(0);
    chownSync(theirs, NOBODY, NOBODY);
    symlinkSync(theirs, join(dir, 'to-theirs'));
    for (const name of ['theirs', 'to-theirs']) {
      await expect(writeFileAtomic(join(dir, name), 'the report')).rejects.toThrow(`${join(dir, name)}: another user's pipe;`);
    }
    expect(lstatSync(theirs).isFIFO()).toBe(true);
  });

  it('replaces a regular file, and a link at the name (never the file it leads to), as before', async () => {
    const dir = await makeTempDir();
    const victim = await writeFile(join(dir, 'victim'), 'precious\n');
    symlinkSync(victim, join(dir, 'report.json'));
    await writeFileAtomic(join(dir, 'report.json'), 'the report');
    expect(lstatSync(join(dir, 'report.json')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('the report');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});

describe('createExclusive', () => {
  it('sets the mode exactly, whatever the umask', async () => {
    const dir = await makeTempDir();
    const previous = process.umask(0o077);
    try {
      await createExclusive(join(dir, 'hook'), '#!/bin/sh\n', 0o755);
    } finally {
      process.umask(previous);
    }
    expect(lstatSync(join(dir, 'hook')).mode & 0o777).toBe(0o755);
  });
});
