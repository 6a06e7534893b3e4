/**
 * The real vendor CLIs (Claude Code, Gemini CLI) from the npm registry, at
 * the versions test/real-clis/package-lock.json pins, for the tests that
 * prove each CLI obeys the native control files aitool exports.
 *
 * They are installed with `npm ci` into a cache folder outside the
 * repository, named by the lock's hash, so a changed lock installs afresh and
 * an unchanged one is reused across runs. `--ignore-scripts`: no package code
 * runs at install time, whatever npm version CI has (npm 11 would skip the
 * unapproved scripts anyway; the CLIs run without them). A mkdir lock keeps
 * parallel test files from installing over each other.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MANIFEST_DIR = join(import.meta.dirname, '..', 'real-clis');
const LOCK_WAIT_MS = 5 * 60_000;
/** A lock older than this belongs to a run that died mid-install. */
const STALE_LOCK_MS = 10 * 60_000;

export interface RealClis {
  claude: string;
  gemini: string;
  /** The installed versions, from the lock. */
  versions: { claudeCode: string; geminiCli: string };
}

export type RealClisResult = { clis: RealClis } | { skip: string };

let pending: Promise<RealClisResult> | undefined;

/** Installs the pinned CLIs once (per lock, per machine) and returns their bin paths, or why they cannot be had. */
export function realClis(): Promise<RealClisResult> {
  pending ??= install();
  return pending;
}

function lockedVersions(lock: string): RealClis['versions'] {
  const packages = (JSON.parse(lock) as { packages: Record<string, { version: string }> }).packages;
  return {
    claudeCode: packages['node_modules/@anthropic-ai/claude-code']!.version,
    geminiCli: packages['node_modules/@google/gemini-cli']!.version,
  };
}

/**
 * Claude Code's npm wrapper ships a placeholder `bin/claude.exe` that its
 * install script replaces with the native binary from the platform package
 * npm picked (by os, cpu and libc). Without install scripts, that binary is
 * run from where npm put it: the same file the script would have copied.
 */
function claudeBinary(nodeModules: string): string | undefined {
  const scope = join(nodeModules, '@anthropic-ai');
  const prefix = `claude-code-${process.platform}-${process.arch}`;
  const names = existsSync(scope) ? readdirSync(scope).filter((name) => name === prefix || name.startsWith(`${prefix}-`)) : [];
  return names.map((name) => join(scope, name, 'claude')).find((path) => existsSync(path));
}

async function install(): Promise<RealClisResult> {
  const lock = readFileSync(join(MANIFEST_DIR, 'package-lock.json'), 'utf8');
  const hash = createHash('sha256').update(lock).update(readFileSync(join(MANIFEST_DIR, 'package.json'))).digest('hex').slice(0, 16);
  const cache = join(tmpdir(), `aitool-real-clis-${hash}`);
  const bins = (): RealClisResult => {
    const claude = claudeBinary(join(cache, 'node_modules'));
    if (claude === undefined) return { skip: `the Claude Code package has no native binary for ${process.platform}-${process.arch}` };
    return { clis: { claude, gemini: join(cache, 'node_modules', '.bin', 'gemini'), versions: lockedVersions(lock) } };
  };
  const ready = join(cache, '.installed');
  if (existsSync(ready)) return bins();

  const lockDir = `${cache}.lock`;
  await acquire(lockDir);
  try {
    if (existsSync(ready)) return bins();
    const staging = `${cache}.staging-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await cp(join(MANIFEST_DIR, 'package.json'), join(staging, 'package.json'));
    await cp(join(MANIFEST_DIR, 'package-lock.json'), join(staging, 'package-lock.json'));
    // npm's own cache (and its logs) for this install only, removed with it: the user's own is left alone.
    const npmCache = `${cache}.npm-${process.pid}`;
    const failure = await npmCi(staging, npmCache).finally(() => rm(npmCache, { recursive: true, force: true }));
    if (failure !== undefined) {
      await rm(staging, { recursive: true, force: true });
      return { skip: `the real vendor CLIs could not be installed from the npm registry (npm ci in ${staging}: ${failure})` };
    }
    await writeFile(join(staging, '.installed'), new Date().toISOString());
    await rm(cache, { recursive: true, force: true });
    await rename(staging, cache);
    return bins();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function npmCi(cwd: string, npmCache: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
      { cwd, timeout: 4 * 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false' } },
      (error, _stdout, stderr) => {
        if (!error) return resolve(undefined);
        // npm's first lines say what failed (`npm error code ECONNREFUSED`, the URL); the rest is advice.
        const lines = `${stderr}`.split('\n').map((line) => line.trim()).filter((line) => line !== '' && line !== 'npm error');
        resolve(lines.slice(0, 2).join(' / ') || error.message);
      },
    );
  });
}

async function acquire(lockDir: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const since = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (since > STALE_LOCK_MS) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS / 1000} s for another test run installing the real CLIs (${lockDir})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
