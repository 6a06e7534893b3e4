/**
 * aitool's own hook files in a hooks folder: install (chaining whatever hook
 * was there), uninstall (putting it back). Both look at every hook first and
 * change nothing unless all of them can be done, so a refusal leaves the
 * folder as it was.
 */
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import { createExclusive, tempNameFor } from '../output.js';
import { readRegularFile } from './read.js';
import { CHAINED_SUFFIX, classifyHookText, hookScript, type HookFileState, type HookName, type HookScript, type Launcher, HOOK_NAMES } from './script.js';

/** A hook file bigger than this is not one we wrote; it is not read. */
const MAX_HOOK_BYTES = 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/** What is at `path` now. A symlink is never ours: we only write regular files, and a link is moved, not followed. */
async function hookFileState(path: string, hook: HookName): Promise<HookFileState | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  const text = info.isFile() ? await readRegularFile(path, MAX_HOOK_BYTES) : undefined;
  if (text === undefined) return { kind: 'foreign' };
  const state = classifyHookText(text);
  if (state.kind === 'ours' && state.script.hook !== hook) return { kind: 'changed', reason: `is aitool's ${state.script.hook} hook, not its ${hook} hook` };
  return state;
}

/**
 * Writes beside the target and renames over it, so a hook is never seen
 * half-written. The temp file has a random name and is created exclusively,
 * so nothing planted in the hooks folder can redirect the write; rename
 * replaces whatever is at the hook's name (by then a link has been moved
 * aside as the chained hook) without following it.
 */
async function writeExecutable(path: string, text: string): Promise<void> {
  const temp = tempNameFor(path);
  let created = false;
  try {
    await createExclusive(temp, text, 0o755);
    created = true;
    await rename(temp, path);
  } catch (error) {
    if (created) await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Changes worked out but not made yet: uninstall checks every place it has
 * to touch (hook files, husky, lefthook) before it changes any of them.
 */
export interface Plan<T> {
  changes: T[];
  apply(): Promise<void>;
}

export type InstallOutcome = 'installed' | 'chained' | 'updated' | 'already';

interface InstallStep {
  hook: HookName;
  path: string;
  outcome: InstallOutcome;
  script: string;
}

export interface HookChange {
  hook: HookName;
  path: string;
}

export interface InstallResult extends HookChange {
  outcome: InstallOutcome;
}

/** A hook to install and what it runs (see HookScript's `run`). */
export type HookChoice = Pick<HookScript, 'hook' | 'run'>;

/** Installs aitool's script for each hook into `hooksDir`, chaining the hook already there. */
export async function installHookFiles(hooksDir: string, hooks: readonly HookChoice[], launcher: Launcher): Promise<InstallResult[]> {
  const steps: InstallStep[] = [];
  for (const { hook, run } of hooks) {
    const path = join(hooksDir, hook);
    const script = hookScript({ hook, ...launcher, ...(run ? { run } : {}) });
    const state = await hookFileState(path, hook);
    if (state === undefined) {
      steps.push({ hook, path, outcome: 'installed', script });
    } else if (state.kind === 'ours') {
      // Installed before, maybe by another node or installation: point it at this one.
      steps.push({ hook, path, outcome: hookScript(state.script) === script ? 'already' : 'updated', script });
    } else if (state.kind === 'changed') {
      throw new UserError(`${path} has aitool's marker but ${state.reason}; not touching it (restore it with "aitool hook uninstall" after undoing the edit, or remove it by hand)`);
    } else {
      const chained = path + CHAINED_SUFFIX;
      if (await exists(chained)) {
        throw new UserError(`${path} is not aitool's hook and ${basename(chained)} already exists, so the hook cannot be chained without losing one of them; move one away first`);
      }
      steps.push({ hook, path, outcome: 'chained', script });
    }
  }

  // The folder may not exist yet (a fresh core.hooksPath); uninstall leaves it, empty or not.
  if (steps.some((s) => s.outcome !== 'already')) await mkdir(hooksDir, { recursive: true });
  for (const step of steps) {
    // rename keeps the old hook's bytes, mode and, for a symlink, the link itself.
    if (step.outcome === 'chained') await rename(step.path, step.path + CHAINED_SUFFIX);
    if (step.outcome !== 'already') await writeExecutable(step.path, step.script);
  }
  return steps.map(({ hook, path, outcome }) => ({ hook, path, outcome }));
}

export type UninstallOutcome = 'removed' | 'restored' | 'restored-only';

export interface UninstallResult extends HookChange {
  outcome: UninstallOutcome;
}

interface UninstallStep extends UninstallResult {
  removeOurs: boolean;
  restoreChained: boolean;
}

/**
 * Removes aitool's hooks from `hooksDir` and renames each chained hook back.
 * A hook file with our marker that was edited, or a chained hook whose
 * aitool hook was replaced by something else, stops everything: we cannot
 * tell what the user wants there.
 */
export async function planHookFilesRemoval(
  hooksDir: string,
  options: { hooks?: readonly HookName[]; onlyOurs?: boolean } = {},
): Promise<Plan<UninstallResult>> {
  const steps: UninstallStep[] = [];
  for (const hook of options.hooks ?? HOOK_NAMES) {
    const path = join(hooksDir, hook);
    const chained = path + CHAINED_SUFFIX;
    const state = await hookFileState(path, hook);
    // onlyOurs: install taking out a hook of ours it replaces; anything else there is not its business.
    if (options.onlyOurs && state?.kind !== 'ours') continue;
    const hasChained = await exists(chained);
    if (state?.kind === 'changed') {
      throw new UserError(`${path} has aitool's marker but ${state.reason}; not removing it (undo the edit, or remove it by hand${hasChained ? ` and rename ${basename(chained)} back to ${hook}` : ''})`);
    }
    if (state?.kind === 'ours') {
      steps.push({ hook, path, outcome: hasChained ? 'restored' : 'removed', removeOurs: true, restoreChained: hasChained });
    } else if (state === undefined && hasChained) {
      // Our hook is gone but the one it chained is still set aside: put it back, which is what uninstall means.
      steps.push({ hook, path, outcome: 'restored-only', removeOurs: false, restoreChained: true });
    } else if (state?.kind === 'foreign' && hasChained) {
      throw new UserError(`${path} is no longer aitool's hook (edited or replaced) but ${basename(chained)} is still beside it; not touching either: decide which to keep and remove the other by hand`);
    }
  }
  return {
    changes: steps.map(({ hook, path, outcome }) => ({ hook, path, outcome })),
    async apply() {
      for (const step of steps) {
        if (step.removeOurs) await rm(step.path);
        if (step.restoreChained) await rename(step.path + CHAINED_SUFFIX, step.path);
      }
    },
  };
}
