// husky and lefthook: aitool prints what to add to their configuration, writes
// it with --write, and uninstall gives the files back byte for byte.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { installHooksCommand, uninstallHooksCommand } from '../../src/hooks/command.js';
import type { World } from '../cli/run-cli.js';
import { commit, fakeAitool, gitOk, makeRepoWorld, runs, snapshot, writeExecutable, type RepoWorld } from './helpers.js';

let world: World;
let env: Record<string, string>;
let repo: string;
let cli: RepoWorld['cli'];
beforeEach(async () => {
  ({ world, env, repo, cli } = await makeRepoWorld());
});
afterEach(() => world.cleanup());
const io = () => ({ cwd: repo, env });

describe('husky', () => {
  /** husky v9's layout: core.hooksPath = .husky/_, the team's hooks in .husky/<hook>. */
  async function huskyV9(): Promise<void> {
    await mkdir(join(repo, '.husky', '_'), { recursive: true });
    await writeFile(join(repo, '.husky', '_', 'h'), '#!/usr/bin/env sh\n');
    await writeFile(join(repo, '.husky', 'pre-commit'), 'npm test\n');
    await gitOk(repo, ['config', 'core.hooksPath', '.husky/_'], env);
  }

  it('prints the lines to add and writes nothing', async () => {
    await huskyV9();
    const before = await snapshot(repo);
    const result = await cli(['install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("husky runs this repository's hooks (core.hooksPath is .husky/_)");
    // The default: one commit-msg line doing everything; with --pre-commit, two lines and a message-only commit-msg.
    expect(result.stdout).toContain('  .husky/commit-msg:  NODE_EXTRA_CA_CERTS= aitool hook run commit "$1"\n');
    expect(result.stdout).not.toContain('.husky/pre-commit:');
    const split = await cli(['install', '--pre-commit']);
    expect(split.stdout).toContain('  .husky/pre-commit:  NODE_EXTRA_CA_CERTS= aitool hook run pre-commit\n');
    expect(split.stdout).toContain('  .husky/commit-msg:  NODE_EXTRA_CA_CERTS= aitool hook run commit-msg "$1"\n');
    expect(result.stdout).toContain('aitool hook install --write');
    expect(await snapshot(repo)).toEqual(before);
  });

  it('--write appends to .husky/<hook>, creates a missing one executable with a shebang; again changes nothing; uninstall restores byte for byte', async () => {
    await huskyV9();
    // One file without a final line break, to check that uninstall takes away only the break aitool added.
    await writeExecutable(join(repo, '.husky', 'pre-push'), '#!/bin/sh\nnpm run lint');
    const before = await snapshot(join(repo, '.husky'));

    const written = await cli(['install', '--write', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stdout).toContain('pre-commit: added aitool to .husky/pre-commit');
    expect(written.stdout).toContain('commit-msg: created .husky/commit-msg running aitool');
    expect(await readFile(join(repo, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\nNODE_EXTRA_CA_CERTS= aitool hook run pre-commit # added by aitool hook install\n');
    const created = join(repo, '.husky', 'commit-msg');
    expect(await readFile(created, 'utf8')).toMatch(/^#!\/usr\/bin\/env sh\n[^]*\nNODE_EXTRA_CA_CERTS= aitool hook run commit-msg "\$1" # added by aitool hook install\n$/);
    expect((await lstat(created)).mode & 0o777).toBe(0o755);
    expect(await readFile(join(repo, '.husky', 'pre-push'), 'utf8')).toBe(
      '#!/bin/sh\nnpm run lint\nNODE_EXTRA_CA_CERTS= aitool hook run pre-push "$@" # added by aitool hook install, with the line break before it\n',
    );
    // Nothing went into git's hooks folder or husky's own.
    await expect(lstat(join(repo, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
    await expect(lstat(join(repo, '.husky', '_', 'pre-commit'))).rejects.toThrow();

    const afterWrite = await snapshot(join(repo, '.husky'));
    const again = await cli(['install', '--write', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(again.stdout).toContain('pre-commit: .husky/pre-commit already runs aitool');
    expect(await snapshot(join(repo, '.husky'))).toEqual(afterWrite);

    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("pre-commit: removed aitool's line from .husky/pre-commit");
    expect(removed.stdout).toContain('commit-msg: deleted .husky/commit-msg, which aitool had created');
    expect(await snapshot(join(repo, '.husky'))).toEqual(before);
  });

  it('husky v4-8 (core.hooksPath = .husky) is recognised too; a fresh clone (only package.json prepare) is not, husky runs nothing there yet', async () => {
    await mkdir(join(repo, '.husky'));
    await writeFile(join(repo, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky' } }));
    // test/hooks/inactive-managers.test.ts: aitool's own hooks go in instead.
    expect((await installHooksCommand({}, io())).text).toContain('.husky found but core.hooksPath does not point at it');
    await gitOk(repo, ['config', 'core.hooksPath', '.husky'], env);
    expect((await installHooksCommand({}, io())).text).toContain('(core.hooksPath is .husky)');
    // Printed, not written: nothing went into .husky.
    await expect(lstat(join(repo, '.husky', 'pre-commit'))).rejects.toThrow();
  });

  it('a line aitool added and the user then changed makes uninstall refuse, touching nothing', async () => {
    await huskyV9();
    await installHooksCommand({ write: true, preCommit: true }, io());
    const path = join(repo, '.husky', 'pre-commit');
    await writeFile(path, (await readFile(path, 'utf8')).replace('aitool hook run pre-commit', 'aitool hook run pre-commit --verbose'));
    const before = await snapshot(repo);
    const result = await cli(['uninstall']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*\.husky\/pre-commit: the line aitool added was changed/);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(await snapshot(repo)).toEqual(before);
  });

  it('the default --write: one commit-msg line running everything; the old pair of lines counts as installed; uninstall removes either', async () => {
    await huskyV9();
    const before = await snapshot(join(repo, '.husky'));
    const written = await cli(['install', '--write']);
    expect(written.stdout).toContain('commit-msg: created .husky/commit-msg running aitool');
    expect(await readFile(join(repo, '.husky', 'commit-msg'), 'utf8')).toMatch(/\nNODE_EXTRA_CA_CERTS= aitool hook run commit "\$1" # added by aitool hook install\n$/);
    expect(await readFile(join(repo, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\n');
    expect((await cli(['uninstall'])).stdout).toContain('commit-msg: deleted .husky/commit-msg, which aitool had created');
    expect(await snapshot(join(repo, '.husky'))).toEqual(before);
    // Lines written by the previous version (pre-commit + message-only commit-msg): left as they are, nothing added twice.
    await installHooksCommand({ write: true, preCommit: true }, io());
    const old = await snapshot(join(repo, '.husky'));
    expect((await cli(['install', '--write'])).stdout).toContain('commit-msg: .husky/commit-msg already runs aitool');
    expect(await snapshot(join(repo, '.husky'))).toEqual(old);
  });

  it('lines an earlier aitool wrote (without NODE_EXTRA_CA_CERTS=) count as installed, and uninstall removes them byte for byte; beside them the new line is written', async () => {
    await huskyV9();
    await writeExecutable(join(repo, '.husky', 'pre-push'), '#!/bin/sh\nnpm run lint');
    const before = await snapshot(join(repo, '.husky'));
    // Verbatim what aitool wrote for --pre-commit --commit-msg --pre-push before the assignment was added.
    const mark = '# added by aitool hook install';
    await writeFile(join(repo, '.husky', 'pre-commit'), `npm test\naitool hook run pre-commit ${mark}\n`);
    await writeExecutable(join(repo, '.husky', 'commit-msg'), `#!/usr/bin/env sh\n# created by aitool hook install\naitool hook run commit-msg "$1" ${mark}\n`);
    await writeFile(join(repo, '.husky', 'pre-push'), `#!/bin/sh\nnpm run lint\naitool hook run pre-push "$@" ${mark}, with the line break before it\n`);
    const old = await snapshot(join(repo, '.husky'));

    const again = await cli(['install', '--write', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(again.exitCode, again.stderr).toBe(0);
    for (const hook of ['pre-commit', 'commit-msg', 'pre-push']) expect(again.stdout).toContain(`${hook}: .husky/${hook} already runs aitool`);
    expect((await cli(['install', '--write'])).stdout).toContain('commit-msg: .husky/commit-msg already runs aitool');
    expect(await snapshot(join(repo, '.husky'))).toEqual(old);

    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("pre-commit: removed aitool's line from .husky/pre-commit");
    expect(removed.stdout).toContain('commit-msg: deleted .husky/commit-msg, which aitool had created');
    expect(removed.stdout).toContain("pre-push: removed aitool's line from .husky/pre-push");
    expect(await snapshot(join(repo, '.husky'))).toEqual(before);

    // An old line in one file, the new one written into another: uninstall takes both out.
    await writeFile(join(repo, '.husky', 'pre-commit'), `npm test\naitool hook run pre-commit ${mark}\n`);
    const mixed = await cli(['install', '--write', '--pre-commit', '--commit-msg']);
    expect(mixed.stdout).toContain('pre-commit: .husky/pre-commit already runs aitool');
    expect(await readFile(join(repo, '.husky', 'commit-msg'), 'utf8')).toMatch(/\nNODE_EXTRA_CA_CERTS= aitool hook run commit-msg "\$1" # added by aitool hook install\n$/);
    expect((await cli(['uninstall'])).exitCode).toBe(0);
    expect(await snapshot(join(repo, '.husky'))).toEqual(before);
  });

  it('a real commit through .husky/commit-msg (core.hooksPath = .husky): the team\'s line sees NODE_EXTRA_CA_CERTS, aitool starts with it empty (Node does not read it, no warning)', async () => {
    await mkdir(join(repo, '.husky'));
    await gitOk(repo, ['config', 'core.hooksPath', '.husky'], env);
    const seen = join(world.root, 'team-line-saw.txt');
    await writeExecutable(join(repo, '.husky', 'commit-msg'), `#!/bin/sh\nprintf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > '${seen}'\n`);
    const written = await cli(['install', '--write']);
    expect(written.stdout, written.stderr).toContain('commit-msg: added aitool to .husky/commit-msg');
    // The stand-in on PATH, started through its shebang as an npm-installed aitool is.
    const bin = join(world.root, 'bin');
    await mkdir(bin);
    const log = join(world.root, 'aitool-runs.jsonl');
    const fake = await fakeAitool(join(world.root, 'aitool.mjs'), log, 0);
    await writeExecutable(join(bin, 'aitool'), `#!${process.execPath}\n${await readFile(fake, 'utf8')}`);
    // A file that does not exist: a node started with the variable set warns about it on stderr.
    const caFile = join(world.root, 'no-such-ca.pem');
    const result = await commit(repo, { ...env, PATH: `${bin}${delimiter}${env.PATH}`, NODE_EXTRA_CA_CERTS: caFile }, 'a message');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Ignoring extra certs');
    expect(await readFile(seen, 'utf8')).toBe(caFile);
    expect(await runs(log)).toEqual([expect.objectContaining({ argv: ['hook', 'run', 'commit', '.git/COMMIT_EDITMSG'], caCerts: '' })]);
  });

  it('a line the user added by hand is left alone and reported', async () => {
    await huskyV9();
    await writeFile(join(repo, '.husky', 'pre-commit'), 'npx aitool hook run pre-commit\n');
    expect((await installHooksCommand({ write: true, preCommit: true }, io())).text).toContain('.husky/pre-commit already runs aitool');
    expect((await uninstallHooksCommand({}, io())).text).toContain('runs aitool from a line aitool did not add; left it there');
    expect(await readFile(join(repo, '.husky', 'pre-commit'), 'utf8')).toBe('npx aitool hook run pre-commit\n');
  });
});

const LEFTHOOK_YML = `# Team hooks: keep them fast
pre-commit:
  parallel: true # lint and test at once
  commands:
    # eslint only on staged files
    lint:
      glob: "*.{ts,js}"
      run: npx eslint {staged_files}
    test:
      run: |
        npm test
commit-msg:
# nothing here yet
post-checkout:
    commands:
        deps:
            run: npm ci   # indented by four
`;

/** What `lefthook install` leaves in .git/hooks (abridged): a script that finds lefthook and runs it. */
const LEFTHOOK_SCRIPT = '#!/bin/sh\ncall_lefthook()\n{\n  lefthook "$@"\n}\ncall_lefthook run "pre-commit" "$@"\n';

describe('lefthook', () => {
  // lefthook is active: installed in node_modules (never run by aitool) and its hook scripts in place.
  // Without either, aitool installs its own hooks: test/hooks/inactive-managers.test.ts.
  beforeEach(async () => {
    await mkdir(join(repo, 'node_modules', '.bin'), { recursive: true });
    await writeExecutable(join(repo, 'node_modules', '.bin', 'lefthook'), '#!/bin/sh\nexit 1\n');
    await writeExecutable(join(repo, '.git', 'hooks', 'pre-commit'), LEFTHOOK_SCRIPT);
  });

  it('prints the YAML snippet and writes nothing', async () => {
    await writeFile(join(repo, 'lefthook.yml'), LEFTHOOK_YML);
    const result = await cli(['install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("lefthook runs this repository's hooks (lefthook.yml)");
    expect(result.stdout).toContain('commit-msg:\n  commands:\n    aitool:\n      run: aitool hook run commit {1}\n');
    expect(result.stdout).not.toContain('run: aitool hook run pre-commit');
    expect(await readFile(join(repo, 'lefthook.yml'), 'utf8')).toBe(LEFTHOOK_YML);
    expect(await readFile(join(repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe(LEFTHOOK_SCRIPT);
    await expect(lstat(join(repo, '.git', 'hooks', 'commit-msg'))).rejects.toThrow();
  });

  it('--write adds the commands keeping every comment and line of the file; again changes nothing; uninstall restores it byte for byte', async () => {
    const file = join(repo, 'lefthook.yml');
    await writeFile(file, LEFTHOOK_YML);
    const written = await cli(['install', '--write', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stdout).toContain('pre-commit: added the aitool command to lefthook.yml');
    expect(written.stdout).toContain('lefthook install');

    const text = await readFile(file, 'utf8');
    // Every original line is still there, in order (comments included).
    const kept = LEFTHOOK_YML.split('\n');
    const lines = text.split('\n');
    let at = 0;
    for (const line of lines) if (line === kept[at]) at++;
    expect(at).toBe(kept.length);
    expect(parse(text)).toEqual({
      'pre-commit': {
        parallel: true,
        commands: {
          lint: { glob: '*.{ts,js}', run: 'npx eslint {staged_files}' },
          test: { run: 'npm test\n' },
          aitool: { run: 'aitool hook run pre-commit' },
        },
      },
      'commit-msg': { commands: { aitool: { run: 'aitool hook run commit-msg {1}' } } },
      'post-checkout': { commands: { deps: { run: 'npm ci' } } },
      'pre-push': { commands: { aitool: { run: 'aitool hook run pre-push {1} {2}', use_stdin: true } } },
    });
    expect(parseDocument(text).errors).toEqual([]);

    const again = await cli(['install', '--write', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(again.stdout).toContain('pre-commit: lefthook.yml already runs aitool');
    expect(await readFile(file, 'utf8')).toBe(text);

    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("pre-push: removed aitool's command from lefthook.yml");
    expect(await readFile(file, 'utf8')).toBe(LEFTHOOK_YML);
  });

  it('a file without a final line break, an empty file, and a dotted name (.lefthook.yaml) round-trip too', async () => {
    for (const [name, original] of [
      ['.lefthook.yaml', 'pre-commit:\n  commands:\n    lint:\n      run: eslint # no final break'],
      ['.lefthook.yaml', ''],
      ['.lefthook.yaml', '# only a comment\n'],
    ] as const) {
      const file = join(repo, name);
      await writeFile(file, original);
      await installHooksCommand({ write: true, preCommit: true, prePush: true }, io());
      const text = await readFile(file, 'utf8');
      expect(parse(text)).toMatchObject({ 'pre-commit': { commands: { aitool: { run: 'aitool hook run pre-commit' } } } });
      await uninstallHooksCommand({}, io());
      expect(await readFile(file, 'utf8')).toBe(original);
    }
  });

  it('blocks added one at a time to a file without a final line break come out in any order', async () => {
    const file = join(repo, 'lefthook.yml');
    const original = 'pre-commit:\n  commands:\n    lint:\n      run: eslint';
    await writeFile(file, original);
    await installHooksCommand({ write: true, prePush: true }, io());
    await installHooksCommand({ write: true, preCommit: true }, io());
    await installHooksCommand({ write: true, commitMsg: true }, io());
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(false);
    expect(Object.keys(parse(text) as object)).toEqual(['pre-commit', 'pre-push', 'commit-msg']);
    await uninstallHooksCommand({}, io());
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('an aitool command that runs something else is not overwritten', async () => {
    const file = join(repo, 'lefthook.yml');
    const original = 'pre-commit:\n  commands:\n    aitool:\n      run: aitool check\n';
    await writeFile(file, original);
    await expect(installHooksCommand({ write: true, preCommit: true }, io())).rejects.toThrow(UserError);
    await expect(installHooksCommand({ write: true, preCommit: true }, io())).rejects.toThrow(/pre-commit\.commands\.aitool is already there and runs "aitool check"/);
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('uninstall refuses a block the user changed, and touches nothing', async () => {
    const file = join(repo, 'lefthook.yml');
    await writeFile(file, LEFTHOOK_YML);
    await installHooksCommand({ write: true }, io());
    const edited = (await readFile(file, 'utf8')).replace('run: aitool hook run commit {1}', 'run: aitool hook run commit {1} --strict');
    await writeFile(file, edited);
    const result = await cli(['uninstall']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*lefthook\.yml: the commit-msg block aitool added was changed/);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('lefthook.json with --write: prints the JSON snippet and says the file was not written', async () => {
    const file = join(repo, 'lefthook.json');
    const original = '{ "pre-commit": { "commands": { "lint": { "run": "eslint" } } } }\n';
    await writeFile(file, original);
    const result = await cli(['install', '--write']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('lefthook.json was not changed: aitool writes only YAML lefthook configurations');
    expect(result.stdout).toContain('"run": "aitool hook run commit {1}"');
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('lefthook.toml: the snippet is TOML', async () => {
    await writeFile(join(repo, 'lefthook.toml'), '');
    const result = await cli(['install', '--pre-push']);
    expect(result.stdout).toContain('[pre-push.commands.aitool]\nrun = "aitool hook run pre-push {1} {2}"\nuse_stdin = true\n');
  });
});
