/**
 * `aitool export <osquery|fleet> [--fleetd] [--policy f] [--output file]`: the
 * effective policy (every layer and preset, exactly as `aitool check` loads
 * it) written as the fleet's own checks. The export goes to stdout or,
 * atomically, to --output; policy warnings and the signatures osquery cannot
 * check go to stderr, one line each.
 */
import path from 'node:path';
import { UserError } from '../errors.js';
import type { CommandIo, CommandResult } from '../commands/check.js';

export const EXPORT_TARGETS = ['osquery', 'fleet'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportCommandOptions {
  policy?: string;
  output?: string;
  /** The hosts run Fleet's agent: also query its ai_tools table. */
  fleetd?: boolean;
}

function isTarget(value: string): value is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(value);
}

export async function exportCommand(target: string, options: ExportCommandOptions, io: CommandIo): Promise<CommandResult> {
  if (!isTarget(target)) throw new UserError(`export: unknown target '${target}'; expected one of ${EXPORT_TARGETS.join(', ')}`);
  const [{ policyFor }, { createHost }, { CATALOG }, { planExport, gapLines }] = await Promise.all([
    import('../run.js'),
    import('../host.js'),
    import('../catalog/index.js'),
    import('./plan.js'),
  ]);
  const policy = await policyFor(
    { cwd: io.cwd, env: io.env, ...(options.policy ? { policyFile: options.policy } : {}) },
    createHost({ env: io.env }),
  );
  const plan = planExport(policy, CATALOG, { fleetd: options.fleetd === true });
  const text = target === 'osquery' ? (await import('./osquery.js')).formatPack(plan) : (await import('./fleet.js')).formatFleet(plan);

  const stderr = [
    ...plan.warnings.map((w) => `warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}`),
    ...(plan.tools.length === 0 ? ['export: the policy blocks and warns about no tool; the export is empty'] : []),
    ...gapLines(plan),
  ]
    .map((line) => `aitool: ${line}\n`)
    .join('');

  if (options.output) {
    const { writeFileAtomic } = await import('../output.js');
    // A query pack carries no command lines; whoever deploys it may need to read it.
    await writeFileAtomic(path.resolve(io.cwd, options.output), text, 0o644);
    return { stdout: '', stderr, exitCode: 0 };
  }
  return { stdout: text, stderr, exitCode: 0 };
}
