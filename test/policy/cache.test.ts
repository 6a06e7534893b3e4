// The merged-policy cache: used only while every file it came from is the
// same file, unchanged; never for code policies, foreign or tampered entries.
import { chmod, lutimes, mkdir, readFile, readdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, nameHash, PolicyCache, prune, PRUNE_AFTER_MS, stampOf } from '../../src/policy/cache.js';
import { loadPolicy } from '../../src/policy/load.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

const FILES = {
  'etc-aitool/policy.yaml': 'tools:\n  codex: block\n',
  'home/.config/aitool/config.yaml': 'tools:\n  ollama: allow\n',
  'repo/.aitoolrc.yaml': 'extends: ./base.yaml\ntools:\n  claude-code: block\n',
  'repo/base.yaml': 'default: warn\ntools:\n  cursor: warn\n',
};

/** Files changed in the last two seconds are not trusted into the cache: the boxes are made, then aged, once. */
const boxes: Record<string, Sandbox> = {};
beforeAll(async () => {
  for (const name of ['hit', 'edits', 'tamper', 'off', 'code', 'bad', 'slow', 'package', 'name', 'prune']) {
    boxes[name] = await sandbox();
    await boxes[name].write(FILES);
  }
  await boxes.code!.write({ 'repo/.aitoolrc.cjs': "module.exports = { tools: { 'claude-code': 'block' } };\n" });
  await rm(path.join(boxes.code!.repo, '.aitoolrc.yaml'));
  // Code runs (sandboxed) only where no organisation policy is installed.
  await rm(path.join(boxes.code!.root, 'etc-aitool/policy.yaml'));
  await boxes.bad!.write({ 'repo/.aitoolrc.yaml': 'tools:\n  claude-cod: block\n' });
  await boxes.package!.write({
    'repo/.aitoolrc.yaml': 'extends: acme-policy\n',
    'repo/node_modules/acme-policy/package.json': JSON.stringify({ name: 'acme-policy', main: 'lenient.yaml' }),
    'repo/node_modules/acme-policy/lenient.yaml': 'default: warn\n',
    'repo/node_modules/acme-policy/strict.yaml': 'default: block\n',
  });
  await new Promise((resolve) => setTimeout(resolve, 2100));
}, 10_000);
afterAll(async () => {
  await Promise.all(Object.values(boxes).map((box) => box.cleanup()));
});

const cacheFiles = async (box: Sandbox): Promise<string[]> => {
  const dir = cacheDir({ os: 'linux', home: box.home, env: box.options.env });
  return (await readdir(dir!).catch(() => [])).map((name) => path.join(dir!, name));
};

/** Rewrites the cached policy's default, to tell a cached answer from a fresh one. */
async function tamper(file: string, action: string): Promise<void> {
  const entry = JSON.parse(await readFile(file, 'utf8')) as { policy: { default: string } };
  entry.policy.default = action;
  await writeFile(file, JSON.stringify(entry), { mode: 0o600 });
}

describe('policy cache', () => {
  it('stores the merged policy privately and answers from it while nothing changed', async () => {
    const box = boxes.hit!;
    const fresh = await loadPolicy(box.options);
    const [file, ...more] = await cacheFiles(box);
    expect(more).toEqual([]);
    expect(((await import('node:fs')).statSync(file!).mode & 0o777).toString(8)).toBe('600');
    expect(await loadPolicy(box.options)).toEqual(fresh);
    // Proof that the second answer came from the cache: an entry edited in place is what comes back.
    await tamper(file!, 'block');
    expect((await loadPolicy(box.options)).default).toBe('block');
  });

  it('is not used once any file it came from changes, appears or goes', async () => {
    const box = boxes.edits!;
    const first = await loadPolicy(box.options);
    expect(first.tools['cursor']?.action).toBe('warn');
    const [file] = await cacheFiles(box);
    await tamper(file!, 'block');

    // An extends target edited, with its old mtime put back: ctime still tells.
    const base = path.join(box.repo, 'base.yaml');
    const { mtime } = (await import('node:fs')).statSync(base);
    await writeFile(base, 'default: warn\ntools:\n  cursor: allow\n');
    await utimes(base, mtime, mtime);
    const edited = await loadPolicy(box.options);
    expect([edited.default, edited.tools['cursor']?.action]).toEqual(['warn', 'allow']);

    // A new candidate in the project search (package.json with an "aitool" key, in a folder on the way).
    await box.write({ 'repo/sub/package.json': JSON.stringify({ aitool: { tools: { qoder: 'block' } } }) });
    expect((await loadPolicy({ ...box.options, cwd: path.join(box.repo, 'sub') })).tools['qoder']?.action).toBe('block');

    // The managed file gone.
    await rm(path.join(box.managedDir, 'policy.yaml'));
    expect((await loadPolicy(box.options)).tools['codex']).toBeUndefined();
  });

  it('ignores an entry others may write', async () => {
    const box = boxes.tamper!;
    await loadPolicy(box.options);
    const [file] = await cacheFiles(box);
    await tamper(file!, 'block');
    await chmod(file!, 0o666);
    expect((await loadPolicy(box.options)).default).toBe('warn');
    await writeFile(file!, '{ not json');
    await chmod(file!, 0o600);
    expect((await loadPolicy(box.options)).default).toBe('warn');
  });

  it('is off with AITOOL_NO_CACHE=1', async () => {
    const box = boxes.off!;
    await loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_NO_CACHE: '1' } });
    expect(await cacheFiles(box)).toEqual([]);
  });

  it('never holds a policy written as code, nor a broken one', async () => {
    const code = boxes.code!;
    expect((await loadPolicy(code.options)).tools['claude-code']?.action).toBe('block');
    expect(await cacheFiles(code)).toEqual([]);
    const bad = boxes.bad!;
    await expect(loadPolicy(bad.options)).rejects.toThrow(/unknown tool 'claude-cod'/);
    expect(await cacheFiles(bad)).toEqual([]);
  });

  it('refuses to store what a slow load read when a file changed while it ran (stamps are taken before the load)', async () => {
    const box = boxes.slow!;
    const managed = path.join(box.managedDir, 'policy.yaml');
    const policy = await loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_NO_CACHE: '1' } });
    const stampedBefore = await stampOf(managed);
    // The managed file is tightened during the "load"; by the time the load
    // ends it is older than the two-second rule, with its mtime put back.
    const { mtime } = (await import('node:fs')).statSync(managed);
    await writeFile(managed, 'tools:\n  codex: block\ndefault: block\n');
    await utimes(managed, mtime, mtime);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const cache = PolicyCache.for({ os: 'linux', home: box.home, env: box.options.env }, { any: 'key' })!;
    await cache.write(policy, [stampedBefore]);
    expect(await cacheFiles(box)).toEqual([]);
    // The same write with a stamp of the file as it now is goes through.
    await cache.write(policy, [await stampOf(managed)]);
    expect(await cacheFiles(box)).toHaveLength(1);
  });

  it("is not used once an extended package's manifest points elsewhere", async () => {
    const box = boxes.package!;
    expect((await loadPolicy(box.options)).default).toBe('warn');
    const [file, ...more] = await cacheFiles(box);
    expect(more).toEqual([]);
    // A tampered entry tells a cached answer from a fresh one (Node's own
    // resolver caches package.json in this process, so the fresh answer is
    // still the old file here; a new aitool process resolves anew).
    await tamper(file!, 'allow');
    expect((await loadPolicy(box.options)).default).toBe('allow');
    const manifest = path.join(box.repo, 'node_modules/acme-policy/package.json');
    const { mtime } = (await import('node:fs')).statSync(manifest);
    await writeFile(manifest, JSON.stringify({ name: 'acme-policy', main: 'strict.yaml' }).padEnd(57, ' '));
    await utimes(manifest, mtime, mtime);
    expect((await loadPolicy(box.options)).default).not.toBe('allow');
  });

  it('answers only for the inputs it was stored for: an entry under another key is not used, whatever its file name', async () => {
    const box = boxes.name!;
    const where = { os: 'linux' as const, home: box.home, env: box.options.env };
    const policy = await loadPolicy({ ...box.options, env: { ...box.options.env, AITOOL_NO_CACHE: '1' } });
    const stamp = await stampOf(path.join(box.repo, '.aitoolrc.yaml'));
    await PolicyCache.for(where, { cwd: '/a' })!.write(policy, [stamp]);
    expect(await PolicyCache.for(where, { cwd: '/a' })!.read()).toEqual(policy);
    // The entry moved to the name another key's entry has (as a clash of names would place it).
    const [file, ...more] = await cacheFiles(box);
    expect(more).toEqual([]);
    const other = path.join(path.dirname(file!), `policy-${nameHash(JSON.stringify({ format: 4, version: JSON.parse(await readFile(file!, 'utf8')).version, inputs: { cwd: '/b' } }))}.json`);
    await rename(file!, other);
    expect(await PolicyCache.for(where, { cwd: '/b' })!.read()).toBeUndefined();
    // The name spreads: near inputs get different names, and it is 16 hex digits.
    const names = new Set(Array.from({ length: 1000 }, (_, i) => nameHash(JSON.stringify({ cwd: `/repo/${i}` }))));
    expect(names.size).toBe(1000);
    expect([...names].every((name) => /^[0-9a-f]{16}$/.test(name))).toBe(true);
  });

  it('removes its own entries and temp files not written for a month when it writes one, and nothing else', async () => {
    const box = boxes.prune!;
    const dir = cacheDir({ os: 'linux', home: box.home, env: box.options.env })!;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const old = new Date(Date.now() - PRUNE_AFTER_MS - 24 * 60 * 60 * 1000);
    const recent = new Date(Date.now() - PRUNE_AFTER_MS + 24 * 60 * 60 * 1000);
    const at = (name: string): string => path.join(dir, name);
    const stale = ['policy-0123456789abcdef.json', 'policy-0123456789abcdef01234567.json', 'policy-fedcba9876543210.json.0123456789ab.tmp', 'policy-0123456789abcdef01234567.json.4242.tmp'];
    const kept = ['policy-1111111111111111.json', 'notes.json', 'policy-2222222222222222.json.bak'];
    for (const name of [...stale, ...kept]) {
      await writeFile(at(name), '{}', { mode: 0o600 });
      await utimes(at(name), old, old);
    }
    await utimes(at('policy-1111111111111111.json'), recent, recent);
    // Names it writes, but not files: a link (and what it leads to) and a folder stay.
    const outside = path.join(box.root, 'outside.json');
    await writeFile(outside, 'keep');
    await utimes(outside, old, old);
    await symlink(outside, at('policy-3333333333333333.json'));
    await lutimes(at('policy-3333333333333333.json'), old, old);
    await mkdir(at('policy-4444444444444444.json'));
    await utimes(at('policy-4444444444444444.json'), old, old);

    // A read prunes nothing; a miss that writes an entry does.
    expect(await PolicyCache.for({ os: 'linux', home: box.home, env: box.options.env }, { cwd: '/nowhere' })!.read()).toBeUndefined();
    expect((await readdir(dir)).length).toBe(stale.length + kept.length + 2);
    await loadPolicy(box.options);
    const now = await readdir(dir);
    for (const name of stale) expect(now, name).not.toContain(name);
    for (const name of [...kept, 'policy-3333333333333333.json', 'policy-4444444444444444.json']) expect(now, name).toContain(name);
    expect(await readFile(outside, 'utf8')).toBe('keep');
    // The entry just written is there, and answers.
    expect(now.filter((name) => /^policy-[0-9a-f]{16}\.json$/.test(name) && !['policy-1111111111111111.json', 'policy-3333333333333333.json', 'policy-4444444444444444.json'].includes(name))).toHaveLength(1);
    await tamper(path.join(dir, now.find((name) => /^policy-[0-9a-f]{16}\.json$/.test(name) && !/^policy-(1{16}|3{16}|4{16})\.json$/.test(name))!), 'block');
    expect((await loadPolicy(box.options)).default).toBe('block');
  });

  it('keeps the entry it just wrote even where the file system dates it more than a month back (a clock behind)', async () => {
    const box = boxes.prune!;
    const dir = path.join(box.root, 'skewed-cache');
    await mkdir(dir, { mode: 0o700 });
    const old = new Date(Date.now() - PRUNE_AFTER_MS - 24 * 60 * 60 * 1000);
    for (const name of ['policy-5555555555555555.json', 'policy-6666666666666666.json']) {
      await writeFile(path.join(dir, name), '{}', { mode: 0o600 });
      await utimes(path.join(dir, name), old, old);
    }
    prune(dir, Date.now() - PRUNE_AFTER_MS, 'policy-5555555555555555.json');
    expect(await readdir(dir)).toEqual(['policy-5555555555555555.json']);
  });
});
