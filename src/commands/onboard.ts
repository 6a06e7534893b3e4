/**
 * `aitool onboard`: the one command an onboarding script runs. It checks the
 * machine, says what to remove and what to install instead, installs the git
 * hooks into the repositories it is given, and exits with the usual codes:
 * 0 nothing blocked, 1 something blocked (the hooks are installed anyway:
 * they are what keeps it from coming back), 2 a usage or policy error, or a
 * repository whose hooks could not be installed (the others still are).
 * It never asks a question.
 */
import { UserError } from '../errors.js';
import { printable } from '../report/escape.js';
import type { FailOn, Report } from '../report/types.js';
import type { Alternative } from '../types.js';
import type { CommandIo, CommandResult } from './check.js';

export interface OnboardOptions {
  repo: string[];
  policy?: string;
  format: 'text' | 'json';
  failOn: FailOn;
  /** With husky or lefthook, write aitool into their configuration instead of printing the snippet. */
  write?: boolean;
  prePush?: boolean;
}

interface HookOutcome {
  repo: string;
  ok: boolean;
  text: string;
}

/** The approved tools to get, once each, in the order the findings name them. */
export function alternativesToInstall(report: Report): Alternative[] {
  const seen = new Map<string, Alternative>();
  for (const finding of report.findings) {
    if (finding.action === 'allow') continue;
    for (const alternative of finding.alternatives) if (!seen.has(alternative.id)) seen.set(alternative.id, alternative);
  }
  return [...seen.values()];
}

export async function onboardCommand(options: OnboardOptions, io: CommandIo): Promise<CommandResult> {
  const { check, exitCodeFor } = await import('../run.js');
  const report = await check({ cwd: io.cwd, env: io.env, failOn: options.failOn, ...(options.policy ? { policyFile: options.policy } : {}) });

  const { installHooksCommand } = await import('../hooks/command.js');
  const hooks: HookOutcome[] = [];
  for (const repo of options.repo) {
    try {
      const result = await installHooksCommand(
        { repo, commitMsg: true, ...(options.prePush ? { prePush: true } : {}), ...(options.write ? { write: true } : {}) },
        { cwd: io.cwd, env: io.env },
      );
      hooks.push({ repo, ok: result.exitCode === 0, text: result.text.trim() });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      hooks.push({ repo, ok: false, text: error.message });
    }
  }
  const alternatives = alternativesToInstall(report);
  const exitCode = hooks.some((h) => !h.ok) ? 2 : exitCodeFor(report);

  if (options.format === 'json') {
    return { stdout: `${JSON.stringify({ report, install: alternatives, hooks }, null, 2)}\n`, stderr: '', exitCode };
  }
  const chalk = await io.chalk();
  const { formatText } = await import('../report/text.js');
  const lines = [formatText(report, chalk, io.env.HOME).trimEnd(), ''];
  if (alternatives.length > 0) {
    lines.push(chalk.bold('Install instead:'));
    for (const a of alternatives) {
      lines.push(`  ${chalk.bold(printable(a.name))}${a.url ? ` — ${printable(a.url)}` : ''}`);
      if (a.install) lines.push(`    ${printable(a.install)}`);
      if (a.note) lines.push(`    ${printable(a.note)}`);
    }
    lines.push('');
  }
  if (options.repo.length > 0) {
    lines.push(chalk.bold('Git hooks:'));
    for (const h of hooks) {
      lines.push(`  ${h.ok ? chalk.green('✔') : chalk.red('✖')} ${printable(h.repo)}`);
      for (const line of h.text.split('\n')) lines.push(`    ${printable(line)}`);
    }
    lines.push('');
  }
  return { stdout: `${lines.join('\n')}`, stderr: '', exitCode };
}
