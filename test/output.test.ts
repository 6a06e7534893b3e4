// src/output.ts: the temp file of an atomic write cannot be redirected by a
// link planted at its name, and nothing planted there is removed.
import { lstatSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
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
