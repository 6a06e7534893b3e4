// `aitool check --format sarif` from the built CLI, in a real repository: the
// log must pass the SARIF 2.1.0 schema, with repository files located at
// their path and machine findings anchored to the policy file.
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sarifValidator } from '../helpers/sarif-schema.js';
import { makeWorld, runCli, type World } from './run-cli.js';

interface Log {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; help: { markdown: string } }> } };
    results: Array<{
      ruleId: string;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
  }>;
}

let world: World;
beforeEach(() => {
  world = makeWorld();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: world.cwd });
  git('init', '-q');
  world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n  cursor: warn\n');
  world.write('repo/docs/CLAUDE.md', '# for the agent\n');
  world.write('repo/.cursor/rules/style.mdc', 'x\n');
  world.write('home/.claude.json', '{}');
  git('add', '.');
});
afterEach(() => world.cleanup());

describe('aitool check --format sarif', () => {
  it('writes a valid SARIF 2.1.0 log with repository and machine findings, exit code as for text', async () => {
    const result = await runCli(['check', '--format', 'sarif'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const log = JSON.parse(result.stdout) as Log;
    const { validate } = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);

    const run = log.runs[0]!;
    const located = (ruleId: string) =>
      run.results.filter((r) => r.ruleId === ruleId).map((r) => [r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine]);
    expect(located('aitool/claude-code/artifact')).toEqual([['error', 'docs/CLAUDE.md', 1]]);
    expect(located('aitool/cursor/artifact')).toEqual([['warning', '.cursor/rules/style.mdc', 1]]);
    // ~/.claude.json is outside the repository: anchored to the policy file that blocks it.
    expect(located('aitool/claude-code/trace')).toEqual([['error', '.aitoolrc.yaml', 1]]);
    expect(run.tool.driver.rules.find((r) => r.id === 'aitool/claude-code/artifact')!.help.markdown).toContain('Qoder');
  });
});
