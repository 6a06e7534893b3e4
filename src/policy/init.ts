/**
 * `aitool init`: a commented starter policy for a repository. The lead wires
 * prompts and flags; this only writes the text (it validates as written, see
 * test/policy/init.test.ts).
 */
import { UserError } from '../errors.js';
import type { Action } from '../types.js';

export interface StarterChoices {
  /** Catalog tool ids to block. */
  block?: string[];
  /** Catalog tool ids to allow. */
  allow?: string[];
  /** The action for tools no rule names; warn when absent. */
  default?: Action;
  /** A catalog tool id offered instead of every blocked tool; it is allowed too. */
  alternative?: string;
}

/** Where the JSON Schema is when aitool is a dev dependency (editors with YAML support pick it up). */
export const SCHEMA_HINT = './node_modules/aitool/policies/schema.json';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function starterPolicy(choices: StarterChoices = {}): string {
  const block = unique(choices.block ?? []);
  const allow = unique(choices.allow ?? []);
  const alternative = choices.alternative;
  for (const id of [...block, ...allow, ...(alternative ? [alternative] : [])]) {
    if (!ID.test(id)) throw new UserError(`'${id}' is not a tool id (see \`aitool tools\`)`);
  }
  const both = block.find((id) => allow.includes(id));
  if (both) throw new UserError(`'${both}' cannot be both blocked and allowed`);
  if (alternative && block.includes(alternative)) throw new UserError(`'${alternative}' cannot be both blocked and the alternative`);
  if (alternative && !allow.includes(alternative)) allow.push(alternative);

  const lines = [
    '# aitool policy for this repository.',
    '#   npx aitool policy validate   checks this file',
    '#   npx aitool policy show       prints the effective policy (with the organisation',
    "#                                and personal layers) and where each value comes from",
    `# yaml-language-server: $schema=${SCHEMA_HINT}`,
    `$schema: ${SCHEMA_HINT}`,
    '',
    '# Start from a preset: aitool:recommended reports every AI tool and allows local',
    '# model runtimes; aitool:strict also blocks every tool not allowed by name.',
    'extends: aitool:recommended',
    '',
    '# The action for tools this file does not name: allow | warn | block.',
    `default: ${choices.default ?? 'warn'}`,
    '',
    '# Rules per tool, keyed by the ids `aitool tools` lists. A value is an action,',
    '# or { action, reason, message, alternatives } (alternatives: ids of approved tools).',
  ];
  if (block.length === 0 && allow.length === 0) {
    lines.push(
      '# tools:',
      '#   claude-code:',
      '#     action: block',
      "#     reason: Source code may not leave the company's data boundary.",
      '#     alternatives: [qoder]',
      '#   qoder: allow',
    );
  } else {
    lines.push('tools:');
    for (const id of block) {
      lines.push(`  ${id}:`, '    action: block', '    # reason: Why, in one sentence (shown to the person and in CI).');
      if (alternative) lines.push(`    alternatives: [${alternative}]`);
    }
    for (const id of allow) lines.push(`  ${id}: allow`);
  }
  return `${lines.join('\n')}\n`;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
