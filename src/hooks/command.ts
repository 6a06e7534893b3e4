/**
 * `aitool hook install` and `aitool hook uninstall`: find the repository and
 * who runs its hooks (git itself, husky or lefthook), then write or remove
 * aitool's part and say what was done. A refusal is a UserError (one line,
 * exit 2), raised before anything is changed.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standaloneExecutable } from '../embedded.js';
import { locateRepo, type Env, type Repo } from './git.js';
import { huskySnippet, planHuskyRemoval, writeHusky, type Husky } from './husky.js';
import { installHookFiles, planHookFilesRemoval, type HookChoice, type InstallResult, type Plan } from './install.js';
import { lefthookSnippet, planLefthookRemoval, writeLefthook, type Lefthook } from './lefthook.js';
import { chooseManager, detectManager } from './managers.js';
import { CHAINED_SUFFIX, HOOK_NAMES, launcherText, type Launcher } from './script.js';

export interface InstallOptions {
  preCommit?: boolean;
  commitMsg?: boolean;
  prePush?: boolean;
  repo?: string;
  write?: boolean;
}

export interface UninstallOptions {
  repo?: string;
}

export interface CommandIo {
  cwd: string;
  env: Env;
}

export interface CommandResult {
  text: string;
  exitCode: number;
}

/**
 * What installed hooks run: the node running this installer and this
 * installation's bin/aitool.js (two folders up from src/hooks/ and from
 * dist/hooks/ alike), or the standalone executable running this installer
 * (it has no bin/aitool.js, and the machine may have no node). Absolute
 * paths, so the hook works without aitool on PATH and runs the very version
 * that was installed.
 */
export function currentLauncher(): Launcher {
  const standalone = standaloneExecutable();
  if (standalone !== undefined) return { standalone };
  return { node: process.execPath, bin: fileURLToPath(new URL('../../bin/aitool.js', import.meta.url)) };
}

/**
 * The hooks to install. By default one hook, commit-msg, checks everything
 * (session, staged files, message): one Node start per commit. `--pre-commit`
 * asks for refusals before the editor opens: then pre-commit checks the
 * session and the staged files, and commit-msg only the message and the
 * session. `--pre-push` alone installs pre-push alone, as before.
 */
export function selectedHooks(options: Pick<InstallOptions, 'preCommit' | 'commitMsg' | 'prePush'>): HookChoice[] {
  const none = !options.preCommit && !options.commitMsg && !options.prePush;
  const chosen: HookChoice[] = [];
  if (options.preCommit) chosen.push({ hook: 'pre-commit' }, { hook: 'commit-msg' });
  else if (options.commitMsg || none) chosen.push({ hook: 'commit-msg', run: 'commit' });
  if (options.prePush) chosen.push({ hook: 'pre-push' });
  return chosen;
}

/** The one-process commit-msg hook replaces aitool's pre-commit hook (the previous default, or an earlier --pre-commit): else the staged files are checked twice. */
function replacesPreCommit(hooks: readonly HookChoice[]): boolean {
  return hooks.some((h) => h.hook === 'commit-msg' && h.run === 'commit');
}

function installLine(result: InstallResult, launcher: Launcher): string {
  switch (result.outcome) {
    case 'installed':
      return `${result.hook}: installed (${result.path})`;
    case 'chained':
      return `${result.hook}: installed (${result.path}); the hook that was there runs first, kept as ${result.hook}${CHAINED_SUFFIX}`;
    case 'updated':
      return `${result.hook}: updated to run ${launcherText(launcher)} (${result.path})`;
    case 'already':
      return `${result.hook}: already installed (${result.path})`;
  }
}

/** A core.hooksPath from the user's or the system's config is shared by every repository: say so. */
function sharedHooksNote(repo: Repo): string {
  const scope = repo.hooksPath?.scope;
  if (!scope || scope === 'local' || scope === 'worktree') return '';
  return `note: core.hooksPath comes from the ${scope} git config, so these hooks run in every repository that uses ${repo.hooksDir}\n`;
}

async function installHusky(husky: Husky, repo: Repo, hooks: HookChoice[], write: boolean): Promise<string> {
  const intro = `husky runs this repository's hooks (${husky.via}).`;
  if (!write) {
    return `${intro} Add these lines (aitool must be on PATH when the hook runs: a devDependency or a global install):\n${huskySnippet(husky, hooks, repo.top)}Or run "aitool hook install --write" to add them.\n`;
  }
  const lines = (await writeHusky(husky, hooks)).map(({ hook, file, outcome }) => {
    const name = relative(repo.top, file);
    if (outcome === 'created') return `${hook}: created ${name} running aitool`;
    if (outcome === 'added') return `${hook}: added aitool to ${name}`;
    return `${hook}: ${name} already runs aitool`;
  });
  return `${intro}\n${lines.join('\n')}\n`;
}

async function installLefthook(lefthook: Lefthook, repo: Repo, hooks: HookChoice[], write: boolean): Promise<string> {
  const name = relative(repo.top, lefthook.file);
  const intro = `lefthook runs this repository's hooks (${name}).`;
  const snippet = lefthookSnippet(lefthook.format, hooks);
  if (!write) return `${intro} Add this to ${name} (aitool must be on PATH when the hook runs):\n\n${snippet}\nOr run "aitool hook install --write" to add it.\n`;
  if (lefthook.format !== 'yaml') {
    return `${intro} ${name} was not changed: aitool writes only YAML lefthook configurations. Add this to it by hand:\n\n${snippet}`;
  }
  const changes = await writeLefthook(lefthook, hooks);
  const lines = changes.map(({ hook, outcome }) => (outcome === 'added' ? `${hook}: added the aitool command to ${name}` : `${hook}: ${name} already runs aitool`));
  const added = changes.some((c) => c.outcome === 'added');
  return `${intro}\n${lines.join('\n')}\n${added ? 'Run "lefthook install" so git runs hooks lefthook did not have before.\n' : ''}`;
}

export async function installHooksCommand(options: InstallOptions, io: CommandIo, launcher: Launcher = currentLauncher()): Promise<CommandResult> {
  const repo = await locateRepo(resolve(io.cwd, options.repo ?? '.'), io.env);
  const hooks = selectedHooks(options);
  // A manager counts only when it runs hooks today; otherwise aitool's own hooks go in, and the output says why.
  const { manager, passedOver } = await chooseManager(repo, io.env);
  if (manager?.kind === 'husky') return { text: await installHusky(manager, repo, hooks, options.write === true), exitCode: 0 };
  if (manager?.kind === 'lefthook') return { text: await installLefthook(manager, repo, hooks, options.write === true), exitCode: 0 };

  // Checked before anything is written: a refusal from either leaves the folder as it was.
  const replaced = replacesPreCommit(hooks) ? await planHookFilesRemoval(repo.hooksDir, { hooks: ['pre-commit'], onlyOurs: true }) : undefined;
  const results = await installHookFiles(repo.hooksDir, hooks, launcher);
  await replaced?.apply();
  const lines = results.map((r) => installLine(r, launcher));
  for (const { path, outcome } of replaced?.changes ?? []) {
    const restored = outcome === 'restored' ? `, and put back the hook it chained (${path})` : ` (${path})`;
    lines.push(`pre-commit: removed aitool's pre-commit hook${restored}: commit-msg now checks the staged files too, one process per commit ("aitool hook install --pre-commit" keeps a separate pre-commit hook)`);
  }
  const changed = results.some((r) => r.outcome !== 'already') || (replaced?.changes.length ?? 0) > 0;
  const footer = changed ? '"aitool hook uninstall" removes them and puts back what was there.\n' : '';
  return { text: `${passedOver ? `${passedOver}\n` : ''}${lines.join('\n')}\n${sharedHooksNote(repo)}${footer}`, exitCode: 0 };
}

export async function uninstallHooksCommand(options: UninstallOptions, io: CommandIo): Promise<CommandResult> {
  const repo = await locateRepo(resolve(io.cwd, options.repo ?? '.'), io.env);
  const manager = await detectManager(repo);

  // Every place is checked before any is changed, so a refusal leaves all of them as they were.
  const lines: string[] = [];
  const plans: Array<Plan<unknown>> = [];
  const files = await planHookFilesRemoval(repo.hooksDir);
  plans.push(files);
  for (const { hook, path, outcome } of files.changes) {
    if (outcome === 'removed') lines.push(`${hook}: removed aitool's hook (${path})`);
    else if (outcome === 'restored') lines.push(`${hook}: removed aitool's hook and put back the one it chained (${path})`);
    else lines.push(`${hook}: put back ${hook}${CHAINED_SUFFIX} as ${path} (aitool's hook was already gone)`);
  }
  if (manager?.kind === 'husky') {
    const husky = await planHuskyRemoval(manager, HOOK_NAMES);
    plans.push(husky);
    for (const { hook, file, outcome } of husky.changes) {
      const name = relative(repo.top, file);
      if (outcome === 'removed') lines.push(`${hook}: removed aitool's line from ${name}`);
      else if (outcome === 'deleted') lines.push(`${hook}: deleted ${name}, which aitool had created`);
      else if (outcome === 'manual') lines.push(`${hook}: ${name} runs aitool from a line aitool did not add; left it there`);
    }
  }
  if (manager?.kind === 'lefthook') {
    const name = relative(repo.top, manager.file);
    if (manager.format === 'yaml') {
      const lefthook = await planLefthookRemoval(manager, HOOK_NAMES);
      plans.push(lefthook);
      for (const { hook } of lefthook.changes) lines.push(`${hook}: removed aitool's command from ${name}`);
    } else if ((await readFile(manager.file, 'utf8').catch(() => '')).includes('aitool hook run')) {
      lines.push(`${name} runs aitool; aitool does not write ${manager.format.toUpperCase()} configurations, so remove those commands by hand`);
    }
  }
  for (const plan of plans) await plan.apply();
  if (lines.length === 0) lines.push(`aitool's hooks are not installed here (${repo.hooksDir})`);
  return { text: `${lines.join('\n')}\n`, exitCode: 0 };
}
