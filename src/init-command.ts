/** `aitool init`: writes a starter policy; asks in a terminal, takes flags otherwise. */
import { closeSync, constants, existsSync, openSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CATALOG } from './catalog/index.js';
import { UserError } from './errors.js';
import type { Io } from './cli.js';
import { starterPolicy } from './policy/init.js';
import { closest } from './policy/suggest.js';
import { printable } from './report/escape.js';
import type { Action } from './types.js';

interface InitOptions {
  block?: string;
  allow?: string;
  default?: Action;
  alternative?: string;
  file: string;
  force?: boolean;
  yes?: boolean;
}

const KNOWN_IDS = CATALOG.map((t) => t.id);

function toolIds(flag: string, text: string | undefined): string[] {
  const ids = (text ?? '').split(/[\s,]+/).filter(Boolean);
  for (const id of ids) {
    if (!KNOWN_IDS.includes(id)) {
      const guess = closest(id, KNOWN_IDS);
      throw new UserError(`${flag}: unknown tool id '${id}'${guess ? ` (did you mean '${guess}'?)` : ''}; run "aitool tools" for the list`);
    }
  }
  return ids;
}

/** Asks for what the flags did not say; a typo is pointed out and asked again, not fatal. */
async function ask(options: InitOptions, io: Io): Promise<InitOptions> {
  const rl = createInterface({ input: process.stdin, output: io.stdout });
  const askIds = async (flag: string, question: string): Promise<string> => {
    for (;;) {
      const answer = await rl.question(question);
      try {
        toolIds(flag, answer);
        return answer;
      } catch (error) {
        io.stdout.write(`  ${printable(error instanceof Error ? error.message.replace(`${flag}: `, '') : String(error))}\n`);
      }
    }
  };
  try {
    const answers = { ...options };
    answers.block ??= await askIds('--block', 'Tools to block (ids, comma-separated; "aitool tools" lists them): ');
    answers.allow ??= await askIds('--allow', 'Tools to allow (the approved ones): ');
    if (!answers.default) {
      const fallback = (await rl.question('Action for tools the policy does not name [warn] (allow/warn/block): ')).trim();
      answers.default = (['allow', 'warn', 'block'].includes(fallback) ? fallback : 'warn') as Action;
    }
    if (!answers.alternative) {
      const alternative = (await askIds('--alternative', 'Approved alternative to point people to (a tool id, optional): ')).trim();
      if (alternative) answers.alternative = alternative;
    }
    return answers;
  } finally {
    rl.close();
  }
}

export async function initCommand(options: InitOptions, io: Io): Promise<string> {
  const path = resolve(io.cwd, options.file);
  if (existsSync(path) && !options.force) throw new UserError(`${path} already exists (use --force to overwrite)`);
  const interactive = !options.yes && process.stdin.isTTY === true && io.stdout.isTTY === true;
  const chosen = interactive ? await ask(options, io) : options;
  const block = toolIds('--block', chosen.block);
  const allow = toolIds('--allow', chosen.allow);
  const alternative = chosen.alternative ? toolIds('--alternative', chosen.alternative)[0] : allow[0];
  const text = starterPolicy({ block, allow, ...(chosen.default ? { default: chosen.default } : {}), ...(alternative ? { alternative } : {}) });
  // Never through a link at that name (--force included): it would overwrite the file the link points at.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK | (options.force ? constants.O_TRUNC : constants.O_EXCL);
  try {
    const fd = openSync(path, flags, 0o644);
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`${path}: cannot write (${code === 'ELOOP' ? 'a symbolic link' : code})`);
  }
  return `wrote ${path}\ncheck it with: aitool policy validate ${options.file}\n`;
}
