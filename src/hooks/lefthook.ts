/**
 * lefthook writes its own scripts into the git hooks folder and runs the
 * commands of `lefthook.yml`; aitool adds its commands to that file rather
 * than competing for the hook files.
 *
 * Only YAML configurations are written, and by inserting text rather than
 * re-serialising the document: the `yaml` package (parseDocument, so comments
 * are kept) finds where each map starts and ends, the new lines go in between
 * a pair of marker comments, and the result is parsed again and checked to
 * mean the old configuration plus our command and nothing else. Every byte
 * of the user's file stays as it was, and uninstall cuts out the marked block
 * to give the file back exactly.
 */
import { basename, extname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import { rewriteRegularFile } from '../output.js';
import { readRegularFile } from './read.js';
import type { HookChoice, Plan } from './install.js';
import type { HookName } from './script.js';

/** The names lefthook reads its main configuration from, in the order it looks. */
export const LEFTHOOK_CONFIGS = [
  'lefthook.yml',
  '.lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yaml',
  'lefthook.toml',
  '.lefthook.toml',
  'lefthook.json',
  '.lefthook.json',
] as const;

export interface Lefthook {
  kind: 'lefthook';
  file: string;
  format: 'yaml' | 'json' | 'toml';
}

export function lefthookFormat(file: string): Lefthook['format'] {
  const ext = extname(file);
  return ext === '.json' ? 'json' : ext === '.toml' ? 'toml' : 'yaml';
}

/**
 * Our command for each hook: `{1}` is git's first argument (the message file); pre-push reads the refs on stdin.
 * Unlike husky's line, it keeps NODE_EXTRA_CA_CERTS: lefthook releases before 2025 run `run:` on Windows
 * without a shell (their docs for `run`: "Windows: commands execute natively"; sh -c there came with
 * evilmartians/lefthook#953), where `NODE_EXTRA_CA_CERTS= aitool` would be looked up as a program and fail
 * every commit.
 */
export function lefthookCommand({ hook, run }: HookChoice): { run: string; use_stdin?: true } {
  if (hook === 'commit-msg') return { run: `aitool hook run ${run ?? hook} {1}` };
  if (hook === 'pre-push') return { run: 'aitool hook run pre-push {1} {2}', use_stdin: true };
  return { run: 'aitool hook run pre-commit' };
}

/** Every command aitool may have written for a hook: commit-msg's `commit` (the default) and `commit-msg` (beside pre-commit, or an older aitool). */
function choicesFor(hook: HookName): HookChoice[] {
  return hook === 'commit-msg' ? [{ hook, run: 'commit' }, { hook }] : [{ hook }];
}

/** The configuration to add, in the file's own format. */
export function lefthookSnippet(format: Lefthook['format'], hooks: readonly HookChoice[]): string {
  if (format === 'json') {
    const config = Object.fromEntries(hooks.map((choice) => [choice.hook, { commands: { aitool: lefthookCommand(choice) } }]));
    return `${JSON.stringify(config, null, 2)}\n`;
  }
  if (format === 'toml') {
    return hooks
      .map((choice) => {
        const { run, use_stdin } = lefthookCommand(choice);
        return `[${choice.hook}.commands.aitool]\nrun = ${JSON.stringify(run)}\n${use_stdin ? 'use_stdin = true\n' : ''}`;
      })
      .join('\n');
  }
  return hooks.map((choice) => block(choice, 'hook', '')).join('');
}

/** How much of `<hook>.commands.aitool` we create: the whole hook entry, its `commands`, or only the `aitool` command. */
type Depth = 'hook' | 'commands' | 'aitool';

/** The YAML lines for `depth` at `indent`, without markers. */
function block(choice: HookChoice, depth: Depth, indent: string): string {
  const { hook } = choice;
  const { run, use_stdin } = lefthookCommand(choice);
  const command = ['aitool:', `  run: ${run}`, ...(use_stdin ? ['  use_stdin: true'] : [])];
  const lines = depth === 'aitool' ? command : depth === 'commands' ? ['commands:', ...command.map((l) => `  ${l}`)] : [`${hook}:`, '  commands:', ...command.map((l) => `    ${l}`)];
  return lines.map((l) => `${indent}${l}\n`).join('');
}

const BEGIN = (hook: HookName) => `# >>> added by aitool hook install: ${hook} >>>`;
const END = (hook: HookName) => `# <<< added by aitool hook install: ${hook} <<<`;
/** Said in the opening marker when the file did not end with a line break and we added one before the block. */
const BREAK_NOTE = ' (and the line break before it)';

/**
 * The block between its markers. At the end of a file that has no final line
 * break, the block goes after a line break of its own and ends without one:
 * the file still ends as it did, and removing the block (break included)
 * gives it back whichever order several blocks are added and removed in.
 */
function marked(choice: HookChoice, depth: Depth, indent: string, breakBefore: boolean): string {
  const { hook } = choice;
  const text = `${indent}${BEGIN(hook)}${breakBefore ? BREAK_NOTE : ''}\n${block(choice, depth, indent)}${indent}${END(hook)}`;
  return breakBefore ? `\n${text}` : `${text}\n`;
}

/** Column of `offset` in `text`. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where to insert after the content ending at `end`: the start of the next line, or the end of the text when there is none. */
function afterLine(text: string, end: number): { at: number; breakBefore: boolean } {
  if (end > 0 && text[end - 1] === '\n') return { at: end, breakBefore: false };
  const newline = text.indexOf('\n', end);
  return newline === -1 ? { at: text.length, breakBefore: text.length > 0 } : { at: newline + 1, breakBefore: false };
}

function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && node.flow !== true && node.range !== undefined && node.range !== null;
}

/** A key with nothing after it (`pre-commit:`), which we may fill in below. `~` or `null` written out is not empty. */
function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  return isScalar(value) && value.value === null && value.range !== undefined && value.range !== null && value.range[0] === value.range[1];
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === key) as Pair | undefined;
}

function keyEnd(pair: Pair): number {
  const node = pair.key as Node | null;
  return node?.range?.[1] ?? 0;
}

function parse(text: string, file: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) throw new UserError(`${file}: not valid YAML (${error.message.split('\n')[0]}); fix it before adding aitool to it`);
  return doc;
}

type Insertion = { at: number; text: string } | 'already';

/** Where and what to insert so `<hook>.commands.aitool` exists. */
function insertion(text: string, doc: Document, choice: HookChoice, file: string): Insertion {
  const { hook } = choice;
  const name = basename(file);
  const cannot = (what: string) => new UserError(`${file}: ${what}, so aitool cannot add its command safely; add it by hand (run "aitool hook install" without --write for the snippet)`);
  const root = doc.contents;
  if (root !== null && !isBlockMap(root)) throw cannot(`the top level of ${name} is not a block mapping`);
  const hookPair = root ? findPair(root, hook) : undefined;
  if (!hookPair) {
    const { at, breakBefore } = afterLine(text, text.length);
    return { at, text: marked(choice, 'hook', '', breakBefore) };
  }
  const within = (pair: Pair, parentKeyColumn: number, depth: Depth): Insertion => {
    // `key:` with nothing under it: our lines go right below, one level in.
    const { at, breakBefore } = afterLine(text, keyEnd(pair));
    return { at, text: marked(choice, depth, ' '.repeat(parentKeyColumn + 2), breakBefore) };
  };
  const hookColumn = column(text, (hookPair.key as Node).range?.[0] ?? 0);
  if (isEmptyValue(hookPair.value)) return within(hookPair, hookColumn, 'commands');
  const hookMap = hookPair.value;
  if (!isBlockMap(hookMap)) throw cannot(`${hook} is not a block mapping`);
  const commandsPair = findPair(hookMap, 'commands');
  if (!commandsPair) {
    const { at, breakBefore } = afterLine(text, hookMap.range![1]);
    return { at, text: marked(choice, 'commands', ' '.repeat(column(text, hookMap.range![0])), breakBefore) };
  }
  const commandsColumn = column(text, (commandsPair.key as Node).range?.[0] ?? 0);
  if (isEmptyValue(commandsPair.value)) return within(commandsPair, commandsColumn, 'aitool');
  const commands = commandsPair.value;
  if (!isBlockMap(commands)) throw cannot(`${hook}.commands is not a block mapping`);
  const existing = findPair(commands, 'aitool');
  if (existing) {
    const run = doc.getIn([hook, 'commands', 'aitool', 'run']);
    // Either command aitool writes for this hook counts: the other mode (or an older aitool) put it there.
    if (choicesFor(hook).some((c) => lefthookCommand(c).run === run)) return 'already';
    throw new UserError(`${file}: ${hook}.commands.aitool is already there and runs ${JSON.stringify(run)}; not changing it (expected "${lefthookCommand(choice).run}")`);
  }
  const { at, breakBefore } = afterLine(text, commands.range![1]);
  return { at, text: marked(choice, 'aitool', ' '.repeat(column(text, commands.range![0])), breakBefore) };
}

/** A lefthook configuration bigger than this is not edited in place. */
const MAX_CONFIG_BYTES = 1024 * 1024;

async function readConfig(file: string): Promise<string> {
  const text = await readRegularFile(file, MAX_CONFIG_BYTES);
  if (text === undefined) throw new UserError(`${file}: not a regular file of at most 1 MiB; add aitool's commands to it by hand`);
  return text;
}

export interface LefthookChange {
  hook: HookName;
  outcome: 'added' | 'already' | 'removed';
}

/** Adds `<hook>.commands.aitool` to a YAML lefthook configuration, one hook at a time, checking each step. */
export async function writeLefthook(lefthook: Lefthook, hooks: readonly HookChoice[]): Promise<LefthookChange[]> {
  if (lefthook.format !== 'yaml') throw new Error(`writeLefthook: ${lefthook.file} is not YAML`);
  const original = await readConfig(lefthook.file);
  let text = original;
  const changes: LefthookChange[] = [];
  for (const choice of hooks) {
    const { hook } = choice;
    const doc = parse(text, lefthook.file);
    const step = insertion(text, doc, choice, lefthook.file);
    if (step === 'already') {
      changes.push({ hook, outcome: 'already' });
      continue;
    }
    const next = text.slice(0, step.at) + step.text + text.slice(step.at);
    // The new file must mean the old one plus our command, nothing more and nothing less.
    const expected = (doc.toJS() ?? {}) as Record<string, unknown>;
    const hookValue = (expected[hook] ?? {}) as Record<string, unknown>;
    const commands = (hookValue.commands ?? {}) as Record<string, unknown>;
    expected[hook] = { ...hookValue, commands: { ...commands, aitool: lefthookCommand(choice) } };
    const nextDoc = parseDocument(next);
    if (nextDoc.errors.length > 0 || !isDeepStrictEqual(nextDoc.toJS(), expected)) {
      throw new UserError(`${lefthook.file}: could not add aitool's ${hook} command without changing the rest of the file; add it by hand (run "aitool hook install" without --write for the snippet)`);
    }
    text = next;
    changes.push({ hook, outcome: 'added' });
  }
  if (text !== original) await rewriteRegularFile(lefthook.file, text);
  return changes;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cuts the marked blocks aitool added out of a YAML lefthook configuration. */
export async function planLefthookRemoval(lefthook: Lefthook, hooks: readonly HookName[]): Promise<Plan<LefthookChange>> {
  if (lefthook.format !== 'yaml') return { changes: [], apply: async () => {} };
  const original = await readConfig(lefthook.file);
  let text = original;
  const changes: LefthookChange[] = [];
  for (const hook of hooks) {
    const begin = new RegExp(`^( *)${escapeRegExp(BEGIN(hook))}(${escapeRegExp(BREAK_NOTE)})?\\n`, 'm');
    const found = begin.exec(text);
    if (!found) {
      if (text.includes(BEGIN(hook)) || text.includes(END(hook))) {
        throw new UserError(`${lefthook.file}: aitool's ${hook} markers were changed; not touching the file: remove the block between them by hand`);
      }
      continue;
    }
    const indent = found[1] ?? '';
    const breakBefore = found[2] !== undefined;
    const start = found.index - (breakBefore ? 1 : 0);
    // The block must be one we could have written, at that indentation, or it was edited.
    const depths: Depth[] = ['hook', 'commands', 'aitool'];
    const block = choicesFor(hook)
      .flatMap((choice) => depths.map((depth) => marked(choice, depth, indent, breakBefore)))
      .find((b) => start >= 0 && text.startsWith(b, start));
    if (block === undefined) {
      throw new UserError(`${lefthook.file}: the ${hook} block aitool added was changed; not touching the file: remove it by hand`);
    }
    const from = start;
    const to = start + block.length;
    const next = text.slice(0, from) + text.slice(to);
    if (parseDocument(next).errors.length > 0) {
      throw new UserError(`${lefthook.file}: removing aitool's ${hook} block would leave invalid YAML (lines were added inside it); remove it by hand`);
    }
    text = next;
    changes.push({ hook, outcome: 'removed' });
  }
  return {
    changes,
    async apply() {
      if (text !== original) await rewriteRegularFile(lefthook.file, text);
    },
  };
}
