/** `aitool init`: writes a starter policy; asks in a terminal, takes flags otherwise. */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CATALOG } from './catalog/index.js';
import { UserError } from './errors.js';
import type { Io } from './cli.js';
import { starterPolicy } from './policy/init.js';
import { closest } from './policy/suggest.js';
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

async function ask(options: InitOptions): Promise<InitOptions> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answers = { ...options };
    answers.block ??= await rl.question('Tools to block (ids, comma-separated; "aitool tools" lists them): ');
    answers.allow ??= await rl.question('Tools to allow (the approved ones): ');
    const fallback = await rl.question('Action for tools the policy does not name [warn] (allow/warn/block): ');
    answers.default ??= (['allow', 'warn', 'block'].includes(fallback.trim()) ? fallback.trim() : 'warn') as Action;
    if (!answers.alternative) {
      const alternative = (await rl.question('Approved alternative to point people to (a tool id, optional): ')).trim();
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
  const chosen = interactive ? await ask(options) : options;
  const block = toolIds('--block', chosen.block);
  const allow = toolIds('--allow', chosen.allow);
  const alternative = chosen.alternative ? toolIds('--alternative', chosen.alternative)[0] : allow[0];
  writeFileSync(
    path,
    starterPolicy({ block, allow, ...(chosen.default ? { default: chosen.default } : {}), ...(alternative ? { alternative } : {}) }),
  );
  return `wrote ${path}\ncheck it with: aitool policy validate ${options.file}\n`;
}
