/**
 * Temporary folders and file trees for tests. Every folder made here is
 * removed by removeTempDirs() (call it in afterEach/afterAll).
 */
import { appendFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile as fsWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/**
 * Notes a temporary folder a test made in this run's list (AITOOL_TEST_TEMP,
 * set by vitest.config.ts): test/setup/no-stray-temp.ts fails the run on any
 * listed folder still there when it ends. Returns the folder.
 */
export function noteTempDir<T extends string>(dir: T): T {
  const list = process.env.AITOOL_TEST_TEMP;
  if (list) appendFileSync(list, `${dir}\n`);
  return dir;
}

/** A new empty folder under the OS temp folder, with links resolved (so it equals what realpath reports). */
export async function makeTempDir(prefix = 'aitool-test-'): Promise<string> {
  const dir = await realpath(noteTempDir(await mkdtemp(join(tmpdir(), prefix))));
  made.push(dir);
  return dir;
}

/** Removes every folder makeTempDir() made so far. */
export async function removeTempDirs(): Promise<void> {
  const dirs = made.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes a file, creating its folders; `mode` e.g. 0o755 for an executable. Returns the path. */
export async function writeFile(path: string, content: string | Uint8Array = '', mode?: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await fsWriteFile(path, content);
  if (mode !== undefined) await chmod(path, mode);
  return path;
}

/** Writes a package.json for an npm package folder. */
export function writePackageJson(packageDir: string, manifest: { name: string; version: string; [key: string]: unknown }): Promise<string> {
  return writeFile(join(packageDir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/** Creates a symlink at `path` pointing at `target` (relative targets are relative to the link's folder), creating folders. */
export async function makeSymlink(path: string, target: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
  return path;
}

export type TreeNode = string | { content?: string; mode?: number } | { symlink: string } | { dir: true };

/**
 * Builds a tree under `root` from a map of relative paths:
 * `{ 'bin/claude': { symlink: '../lib/x' }, 'lib/x': { content: '#!/bin/sh', mode: 0o755 }, 'empty': { dir: true } }`.
 */
export async function makeTree(root: string, tree: Record<string, TreeNode>): Promise<void> {
  for (const [relative, node] of Object.entries(tree)) {
    const path = join(root, relative);
    if (typeof node === 'string') await writeFile(path, node);
    else if ('symlink' in node) await makeSymlink(path, node.symlink);
    else if ('dir' in node) await mkdir(path, { recursive: true });
    else await writeFile(path, node.content ?? '', node.mode);
  }
}
