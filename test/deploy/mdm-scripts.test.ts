// The rollout recipes that cannot run on this Linux machine (Jamf for macOS,
// Intune for Windows), and every recipe's use of aitool: each `aitool`
// invocation in each recipe is read out of the script text and checked
// against the built CLI's own --help (the subcommand exists, every option it
// passes is one that subcommand has), so a renamed command or option fails
// here rather than on a fleet. The Jamf script is also checked with `sh -n` and
// shellcheck. Neither script was run on macOS or Windows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../cli/run-cli.js';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
const read = (relative: string) => readFileSync(join(DEPLOY, relative), 'utf8');

/** One aitool command line as a recipe runs it: the words up to the first computed argument. */
type Invocation = string[];

const word = /^-{0,2}[a-z][a-z-]*$/;
const leadingWords = (words: string[]) => {
  const out: string[] = [];
  for (const each of words) {
    if (!word.test(each)) break;
    out.push(each);
  }
  return out;
};

/** `"$aitool" policy install --managed "$policy"` in a POSIX shell script. */
function shellInvocations(text: string): Invocation[] {
  return [...text.matchAll(/"\$aitool" ([a-z-][^\n;|>&]*)/g)].map((match) => leadingWords(match[1]!.trim().split(/\s+/)));
}

/** `& $aitool check --no-color` and `Invoke-Step '...' $aitool @('policy', 'install', ...)` in PowerShell. */
function powershellInvocations(text: string): Invocation[] {
  const bare = [...text.matchAll(/& \$aitool ([^\n|]*)/g)].map((match) => leadingWords(match[1]!.trim().split(/\s+/)));
  const splatted = [...text.matchAll(/\$aitool @\(([^)]*)\)/g)].map((match) =>
    leadingWords(match[1]!.split(',').map((item) => item.trim().replace(/^'(.*)'$/, '$1'))),
  );
  return [...bare, ...splatted];
}

/** `argv: ["{{ aitool_prefix }}/bin/aitool", policy, install, --managed, ...]` in an Ansible task. */
function ansibleInvocations(text: string): Invocation[] {
  return [...text.matchAll(/\/bin\/aitool", ([^\]]*)\]/g)].map((match) => leadingWords(match[1]!.split(',').map((item) => item.trim())));
}

/** What is wrong with an invocation according to the built CLI's --help, or undefined when nothing is. */
function problem(invocation: Invocation): string | undefined {
  const path = invocation.filter((each) => !each.startsWith('-'));
  const options = invocation.filter((each) => each.startsWith('-'));
  const help = spawnSync(process.execPath, [BIN, ...path, '--help'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' } });
  if (help.status !== 0) return `aitool ${path.join(' ')} --help failed: ${help.stderr}`;
  // Commander answers an unknown subcommand's --help with its parent's help: the usage line names the command it describes.
  if (!help.stdout.startsWith(`Usage: aitool ${path.length > 0 ? `${path.join(' ')} ` : ''}[options]`)) return `no command aitool ${path.join(' ')}`;
  const missing = options.filter((option) => !new RegExp(`(^|[ ,])${option}([ ,]|$)`, 'm').test(help.stdout));
  return missing.length > 0 ? `aitool ${path.join(' ')} has no ${missing.join(', ')}` : undefined;
}

const key = (invocation: Invocation) => invocation.join(' ');

describe('each recipe calls only aitool commands and options that exist', () => {
  const recipes: [string, Invocation[], string[]][] = [
    ['install.sh', shellInvocations(read('install.sh')), ['policy install --managed', 'service install --system --write', 'policy show', 'check --no-color']],
    ['jamf/aitool-rollout.sh', shellInvocations(read('jamf/aitool-rollout.sh')), ['policy install --managed', 'service install --system --write', 'check --no-color']],
    ['intune/Install-Aitool.ps1', powershellInvocations(read('intune/Install-Aitool.ps1')), ['check --no-color', 'policy install --managed', 'service install --system --write']],
    ['intune/Detect-Aitool.ps1', powershellInvocations(read('intune/Detect-Aitool.ps1')), ['--version', 'policy show']],
    ['ansible/roles/aitool/tasks/main.yml', ansibleInvocations(read('ansible/roles/aitool/tasks/main.yml')), ['policy install --managed', 'service install --system --write', 'check --no-color']],
  ];
  for (const [name, invocations, expected] of recipes) {
    it(name, () => {
      // What the parser found is what the recipe is meant to run: a parser that finds nothing proves nothing.
      expect(invocations.map(key).sort()).toEqual([...expected].sort());
      expect(invocations.map((invocation) => [key(invocation), problem(invocation)])).toEqual(invocations.map((invocation) => [key(invocation), undefined]));
    }, 60_000);
  }

  it('the check catches a subcommand or option aitool does not have', () => {
    expect(problem(['policy', 'deploy', '--managed'])).toBe('no command aitool policy deploy');
    expect(problem(['service', 'install', '--system', '--start'])).toBe('aitool service install has no --start');
    expect(problem(['policy', 'install', '--managed'])).toBeUndefined();
    expect(powershellInvocations("Invoke-Step 'x' $aitool @('service', 'install', '--system', $Root)")).toEqual([['service', 'install', '--system']]);
  }, 60_000);
});

describe('the Jamf script (macOS; not run here)', () => {
  const script = join(DEPLOY, 'jamf', 'aitool-rollout.sh');

  it('parses with sh -n and passes shellcheck as a POSIX sh script', () => {
    const parse = spawnSync('sh', ['-n', script], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(parse.status, parse.stderr).toBe(0);
    const lint = spawnSync('shellcheck', ['-s', 'sh', script, join(DEPLOY, 'install.sh')], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (lint.error) throw new Error(`shellcheck could not run (apt-get install shellcheck; .ci/run does): ${lint.error.message}`);
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('shellcheck here does flag a broken script (so its silence above means something)', async () => {
    const { makeTempDir, writeFile } = await import('../helpers/temp.js');
    const broken = await writeFile(join(await makeTempDir('aitool-shellcheck-'), 'broken.sh'), '#!/bin/sh\nrm -rf $1/*\n[[ -n "$2" ]] && echo yes\n');
    const lint = spawnSync('shellcheck', ['-s', 'sh', broken], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain('SC2086');
  });
});
