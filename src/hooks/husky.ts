/**
 * husky keeps the hooks in `.husky/<hook>` (committed, shared by the team)
 * and points core.hooksPath at `.husky/_` (v9) or `.husky` (v4 to v8).
 * Writing our own script into that folder would be overwritten by husky or
 * committed by accident, so aitool adds one line to `.husky/<hook>` instead.
 *
 * The line ends with a marker comment, so uninstall removes exactly that line
 * and nothing the user wrote. Two more facts are encoded so uninstall can give
 * back the file byte for byte without keeping state anywhere: a file that did
 * not end with a line break gets one before our line (the marker says so), and
 * a file aitool created starts with a header saying so (uninstall deletes the
 * file when nothing but that header is left).
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UserError } from '../errors.js';
import { createExclusive, rewriteRegularFile } from '../output.js';
import { readRegularFile } from './read.js';
import type { HookChoice, Plan } from './install.js';
import type { HookName, RunName } from './script.js';

export interface Husky {
  kind: 'husky';
  /** The `.husky` folder holding the user's hook files. */
  dir: string;
  /** How we know: core.hooksPath points into it, or package.json's prepare script runs husky. */
  via: string;
}

/**
 * Node reads and parses the file named in NODE_EXTRA_CA_CERTS at every start
 * (tens of milliseconds for a big bundle) and aitool opens no TLS connection,
 * so the line starts aitool with the variable empty, which Node treats as
 * unset. husky runs its hook files with sh (Git's sh on Windows), so the
 * assignment works everywhere.
 */
const WITHOUT_CA_CERTS = 'NODE_EXTRA_CA_CERTS= ';

/** The command for each hook without the assignment: what aitool wrote before it dropped the variable. */
function bareCommand({ hook, run }: HookChoice): string {
  if (hook === 'commit-msg') return `aitool hook run ${run ?? hook} "$1"`;
  if (hook === 'pre-push') return 'aitool hook run pre-push "$@"';
  return 'aitool hook run pre-commit';
}

/** The command for each hook; it needs `aitool` on PATH (husky puts node_modules/.bin there). */
export function huskyCommand(choice: HookChoice): string {
  return WITHOUT_CA_CERTS + bareCommand(choice);
}

/** What aitool may have put in a hook's file: commit-msg runs `commit` (the default) or `commit-msg` (beside a pre-commit hook, or an older aitool). */
function runNames(hook: HookName): RunName[] {
  return hook === 'commit-msg' ? ['commit', 'commit-msg'] : [hook];
}

const MARK = '# added by aitool hook install';
const MARK_WITH_BREAK = `${MARK}, with the line break before it`;
const CREATED_HEADER = '#!/usr/bin/env sh\n# created by aitool hook install\n';

/** A line running aitool for this hook, whoever wrote it (`npx aitool hook run pre-commit`, and aitool's line with or without `NODE_EXTRA_CA_CERTS= ` in front, count too). */
function runsAitool(line: string, hook: HookName): boolean {
  const code = line.replace(/#.*$/, '');
  return runNames(hook).some((run) => new RegExp(`(^|[\\s;&|])aitool hook run ${run}(\\s|$)`).test(code));
}

export interface HuskyChange {
  hook: HookName;
  file: string;
  outcome: 'added' | 'created' | 'already' | 'removed' | 'deleted' | 'manual';
}

function hookFile(husky: Husky, hook: HookName): string {
  return join(husky.dir, hook);
}

/** A husky hook file bigger than this is not one to edit line by line. */
const MAX_HUSKY_FILE_BYTES = 1024 * 1024;

async function readIfExists(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  const text = info.isFile() ? await readRegularFile(path, MAX_HUSKY_FILE_BYTES) : undefined;
  if (text === undefined) throw new UserError(`${path} is not a regular file of at most 1 MiB; add aitool's line to it by hand`);
  return text;
}

/** Adds aitool's line to `.husky/<hook>` for each hook (creating the file, executable, when missing). */
export async function writeHusky(husky: Husky, hooks: readonly HookChoice[]): Promise<HuskyChange[]> {
  // Read every file first: one that cannot be written to stops the command before any is changed.
  const files = await Promise.all(hooks.map(async (choice) => ({ choice, hook: choice.hook, file: hookFile(husky, choice.hook), text: await readIfExists(hookFile(husky, choice.hook)) })));
  const changes: HuskyChange[] = [];
  await mkdir(husky.dir, { recursive: true });
  for (const { choice, hook, file, text } of files) {
    const line = huskyCommand(choice);
    if (text === undefined) {
      // Executable: husky v4 to v8 run only executable files.
      await createExclusive(file, `${CREATED_HEADER}${line} ${MARK}\n`, 0o755);
      changes.push({ hook, file, outcome: 'created' });
    } else if (text.split('\n').some((l) => runsAitool(l, hook))) {
      changes.push({ hook, file, outcome: 'already' });
    } else {
      const addition = text === '' || text.endsWith('\n') ? `${line} ${MARK}\n` : `\n${line} ${MARK_WITH_BREAK}\n`;
      await rewriteRegularFile(file, text + addition); // an existing file keeps its mode
      changes.push({ hook, file, outcome: 'added' });
    }
  }
  return changes;
}

/** Removes the lines aitool added from every `.husky/<hook>` file; deletes a file aitool created once nothing else is in it. */
export async function planHuskyRemoval(husky: Husky, hooks: readonly HookName[]): Promise<Plan<HuskyChange>> {
  const plans: Array<{ change: HuskyChange; text?: string }> = [];
  for (const hook of hooks) {
    const file = hookFile(husky, hook);
    const text = await readIfExists(file).catch(() => undefined);
    if (text === undefined) continue;
    // Both forms are ours: the current one and the one without the assignment an earlier aitool wrote.
    const choices = runNames(hook).map((run): HookChoice => ({ hook, ...(run === 'commit' ? { run } : {}) }));
    const commands = choices.flatMap((choice) => [huskyCommand(choice), bareCommand(choice)]);
    const ours = new Set(commands.flatMap((line) => [`${line} ${MARK}`, `${line} ${MARK_WITH_BREAK}`]));
    const lines = text.split('\n');
    const edited = lines.find((l) => l.includes(MARK) && !ours.has(l));
    if (edited !== undefined) {
      throw new UserError(`${file}: the line aitool added was changed ("${edited.trim()}"); not touching the file: remove the line by hand`);
    }
    let out = text;
    const at = lines.findIndex((l) => ours.has(l));
    if (at >= 0) {
      const start = lines.slice(0, at).reduce((n, l) => n + l.length + 1, 0);
      let end = start + (lines[at] ?? '').length;
      if (text[end] === '\n') end++;
      // With the break-before marker, the line break in front of our line was ours too.
      const from = lines[at]!.endsWith(MARK_WITH_BREAK) && start > 0 ? start - 1 : start;
      out = text.slice(0, from) + text.slice(end);
    }
    if (out === text) {
      if (lines.some((l) => runsAitool(l, hook))) plans.push({ change: { hook, file, outcome: 'manual' } });
      continue;
    }
    plans.push(out === CREATED_HEADER ? { change: { hook, file, outcome: 'deleted' } } : { change: { hook, file, outcome: 'removed' }, text: out });
  }
  return {
    changes: plans.map((p) => p.change),
    async apply() {
      for (const { change, text } of plans) {
        if (change.outcome === 'deleted') await rm(change.file);
        else if (text !== undefined) await rewriteRegularFile(change.file, text);
      }
    },
  };
}

/** The snippet to add by hand, one file per line. */
export function huskySnippet(husky: Husky, hooks: readonly HookChoice[], top: string): string {
  return hooks.map((choice) => `  ${relative(top, hookFile(husky, choice.hook)) || choice.hook}:  ${huskyCommand(choice)}\n`).join('');
}
