/**
 * Real git repositories in temp folders for the hook tests. git runs with a
 * temp HOME and no system config, so this machine's own git settings (a
 * global core.hooksPath, signing, templates) cannot leak in.
 */
import { chmod, lstat, mkdir, readdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { shellQuote } from '../../src/hooks/script.js';
import { makeWorld, runCli, type CliResult, type World } from '../cli/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

export interface Sandbox {
  root: string;
  env: Record<string, string>;
}

/** PATH without any folder holding an `aitool`, so a test controls whether one is found. */
export async function pathWithoutAitool(): Promise<string> {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  const kept: string[] = [];
  for (const dir of dirs) {
    if (!(await lstat(join(dir, 'aitool')).catch(() => undefined))) kept.push(dir);
  }
  return kept.join(delimiter);
}

export async function makeSandbox(): Promise<Sandbox> {
  const root = await makeTempDir('aitool-hooks-');
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  return {
    root,
    env: {
      HOME: home,
      PATH: await pathWithoutAitool(),
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      TMPDIR: tmp,
      LC_ALL: 'C',
      // No spare aitools from a test's commits: test/hooks/spare.test.ts makes its own.
      AITOOL_HOOK_SPARE: '0',
    },
  };
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function git(cwd: string, args: string[], env: Record<string, string>, input?: string): Promise<GitResult> {
  const result = await execa('git', args, { cwd, env, extendEnv: false, reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like git(), but a failure fails the test with git's own words. */
export async function gitOk(cwd: string, args: string[], env: Record<string, string>): Promise<string> {
  const result = await git(cwd, args, env);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** A new repository with an identity and one commit (worktrees and submodules need a commit). */
export async function initRepo(dir: string, env: Record<string, string>, options: { commit?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await gitOk(dir, ['init', '-q', '-b', 'main'], env);
  await gitOk(dir, ['config', 'user.name', 'Hook Test'], env);
  await gitOk(dir, ['config', 'user.email', 'hooks@example.com'], env);
  await gitOk(dir, ['config', 'commit.gpgsign', 'false'], env);
  if (options.commit !== false) {
    await writeFile(join(dir, 'README'), 'hello\n');
    await gitOk(dir, ['add', 'README'], env);
    await gitOk(dir, ['commit', '-q', '--no-verify', '-m', 'first'], env);
  }
  return dir;
}

/** Stages a change and commits it, hooks on; resolves to git's result. */
export async function commit(dir: string, env: Record<string, string>, message = 'change'): Promise<GitResult> {
  const file = join(dir, 'file.txt');
  const previous = await readFile(file, 'utf8').catch(() => '');
  await writeFile(file, `${previous}line ${previous.length}\n`);
  await gitOk(dir, ['add', 'file.txt'], env);
  return git(dir, ['commit', '-q', '-m', message], env);
}

/** Writes an executable file. */
export async function writeExecutable(path: string, text: string): Promise<string> {
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

export type Entry = { type: 'file'; mode: number; content: string } | { type: 'link'; target: string } | { type: 'dir'; mode: number };

/** Every entry under `dir` with its bytes (base64), mode and link target: equal snapshots mean byte-for-byte and mode-for-mode equal trees. */
export async function snapshot(dir: string): Promise<Record<string, Entry>> {
  const out: Record<string, Entry> = {};
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const key = prefix + name;
      const info = await lstat(path);
      if (info.isSymbolicLink()) out[key] = { type: 'link', target: await readlink(path) };
      else if (info.isDirectory()) {
        out[key] = { type: 'dir', mode: info.mode & 0o7777 };
        await walk(path, `${key}/`);
      } else out[key] = { type: 'file', mode: info.mode & 0o7777, content: (await readFile(path)).toString('base64') };
    }
  };
  await walk(dir, '');
  return out;
}

/**
 * A stand-in for bin/aitool.js that records how it was run (arguments and
 * stdin, one JSON line each time; and NODE_EXTRA_CA_CERTS, null when unset)
 * into `log`, and exits with `exitCode`.
 * Hooks installed with it show that the hook really execs node + bin.
 */
export async function fakeAitool(path: string, log: string, exitCode = 0): Promise<string> {
  await writeFile(
    path,
    `import { appendFileSync, readFileSync } from 'node:fs';
let stdin = '';
try { stdin = readFileSync(0, 'utf8'); } catch {}
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), stdin, caCerts: process.env.NODE_EXTRA_CA_CERTS ?? null }) + '\\n');
process.exit(${exitCode});
`,
  );
  return path;
}

export interface Run {
  argv: string[];
  cwd: string;
  stdin: string;
  caCerts: string | null;
}

export async function runs(log: string): Promise<Run[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Run);
}

/** No system git config: the machine's must not change what a test sees. */
export const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1' };

/** A CLI world whose working folder is a fresh repository, with the git environment the tests use. */
export interface RepoWorld {
  world: World;
  env: Record<string, string>;
  /** The repository, links resolved. */
  repo: string;
  /** `aitool hook <args>` through the built CLI. */
  cli(args: string[]): Promise<CliResult>;
}

export async function makeRepoWorld(): Promise<RepoWorld> {
  const world = makeWorld();
  const env = { ...world.env, ...GIT_ENV };
  const repo = await realpath(world.cwd);
  await initRepo(repo, env);
  return { world, env, repo, cli: (args) => runCli(['hook', ...args], world, GIT_ENV) };
}

/**
 * What the v1 template (before NODE_EXTRA_CA_CERTS was dropped) wrote for the
 * default commit-msg hook, verbatim: the v1 template in src must keep
 * generating exactly this, or hooks already installed stop being recognised.
 */
export const V1_COMMIT_MSG = `#!/bin/sh
# aitool-hook v1: commit-msg
# Written by "aitool hook install"; "aitool hook uninstall" removes it and puts
# back the hook it replaced. Do not edit: uninstall refuses a changed file.
#
# 1. The hook that was here before runs first, with the same arguments:
#    commit-msg.aitool-chained, beside this file. If it fails, this hook fails
#    with its exit code. Like git, it is skipped when it is not executable.
# 2. Then aitool runs: the node and aitool.js below, else "aitool" on PATH.
#    If neither is there any more, the hook warns and exits 0: aitool being
#    uninstalled must not block every commit in this repository.

chained="$(dirname "$0")/commit-msg.aitool-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi

node='/opt/node/bin/node'
aitool='/opt/aitool/bin/aitool.js'
if [ -x "$node" ] && [ -f "$aitool" ]; then
  exec "$node" "$aitool" hook run commit "$@"
fi
if command -v aitool >/dev/null 2>&1; then
  exec aitool hook run commit "$@"
fi
echo "aitool: not installed (no $aitool, no aitool on PATH); the commit-msg check was skipped" >&2
exit 0
`;

/**
 * What the v2 template (NODE_EXTRA_CA_CERTS dropped; aitool still asked git
 * itself) wrote for the default commit-msg hook, for the same reason as
 * V1_COMMIT_MSG: v1's bytes with v2's marker and the unset, verbatim.
 */
export const V2_COMMIT_MSG = V1_COMMIT_MSG.replace('# aitool-hook v1: commit-msg\n', '# aitool-hook v2: commit-msg\n').replace(
  "\nnode='/opt/node/bin/node'\n",
  "\n# aitool makes no TLS connections, and Node would parse the file named in\n# NODE_EXTRA_CA_CERTS at every start: aitool runs without it.\nunset NODE_EXTRA_CA_CERTS\nnode='/opt/node/bin/node'\n",
);

/**
 * The commit-msg hook as template v3 wrote it (aitool 0.1.0 before spares),
 * with the same node and aitool.js as V1_COMMIT_MSG: the literal bytes, so
 * that a later template still recognises and upgrades what v3 installed.
 */
export const V3_COMMIT_MSG = `#!/bin/sh
# aitool-hook v3: commit-msg
# Written by "aitool hook install"; "aitool hook uninstall" removes it and puts
# back the hook it replaced. Do not edit: uninstall refuses a changed file.
#
# 1. The hook that was here before runs first, with the same arguments:
#    commit-msg.aitool-chained, beside this file. If it fails, this hook fails
#    with its exit code. Like git, it is skipped when it is not executable.
# 2. Then aitool runs: the node and aitool.js below, else "aitool" on PATH.
#    If neither is there any more, the hook warns and exits 0: aitool being
#    uninstalled must not block every commit in this repository.

case $0 in */*) here=\${0%/*} ;; *) here=. ;; esac
chained="$here/commit-msg.aitool-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi

# aitool makes no TLS connections, and Node would parse the file named in
# NODE_EXTRA_CA_CERTS at every start: aitool runs without it.
unset NODE_EXTRA_CA_CERTS
# What aitool would ask git, asked while Node starts; aitool reads the answers
# on stdin, and asks git itself when they do not end with the mark.
git_answers() {
  git var GIT_COMMITTER_IDENT && printf '\\000' &&
  git diff --cached --name-status -z --no-renames --no-relative --diff-filter=ACMR &&
  printf 'X\\000aitool-end\\000'
}
node='/opt/node/bin/node'
aitool='/opt/aitool/bin/aitool.js'
if [ -x "$node" ] && [ -f "$aitool" ]; then
  git_answers 2>/dev/null | "$node" "$aitool" hook run commit --git-stdin "$@"
  exit $?
fi
if command -v aitool >/dev/null 2>&1; then
  exec aitool hook run commit "$@"
fi
echo "aitool: not installed (no $aitool, no aitool on PATH); the commit-msg check was skipped" >&2
exit 0
`;


/**
 * A v4 commit-msg hook as aitool wrote it (the first template with spares):
 * kept byte for byte, so that installed v4 hooks are still recognised as
 * aitool's and upgraded.
 */
export const V4_COMMIT_MSG = `#!/bin/sh
# aitool-hook v4: commit-msg
# Written by "aitool hook install"; "aitool hook uninstall" removes it and puts
# back the hook it replaced. Do not edit: uninstall refuses a changed file.
#
# 1. The hook that was here before runs first, with the same arguments:
#    commit-msg.aitool-chained, beside this file. If it fails, this hook fails
#    with its exit code. Like git, it is skipped when it is not executable.
# 2. Then aitool runs: the node and aitool.js below, else "aitool" on PATH.
#    If neither is there any more, the hook warns and exits 0: aitool being
#    uninstalled must not block every commit in this repository.

case $0 in */*) here=\${0%/*} ;; *) here=. ;; esac
chained="$here/commit-msg.aitool-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi

# aitool makes no TLS connections, and Node would parse the file named in
# NODE_EXTRA_CA_CERTS at every start: aitool runs without it.
unset NODE_EXTRA_CA_CERTS
# What aitool would ask git, asked while Node starts; aitool reads the answers
# on stdin, and asks git itself when they do not end with the mark.
git_answers() {
  git var GIT_COMMITTER_IDENT && printf '\\000' &&
  git diff --cached --name-status -z --no-renames --no-relative --diff-filter=ACMR &&
  printf 'X\\000aitool-end\\000'
}
# A spare: an aitool that the last commit's hook started, waiting in your
# runtime folder to answer this one ("aitool hook spare"; Linux, which has
# /proc; AITOOL_HOOK_SPARE=0 turns spares off). Without one, aitool starts as
# before.
spares=
# The runtime folder must be an absolute path this user owns; with NODE_OPTIONS set, a spare (started without
# them) would decline every commit.
if [ -n "\${XDG_RUNTIME_DIR-}" ] && [ "\${AITOOL_HOOK_SPARE-}" != 0 ] && [ -z "\${NODE_OPTIONS-}" ] && [ -d /proc/self/fd ]; then
  case $XDG_RUNTIME_DIR in
    /*) if [ -O "$XDG_RUNTIME_DIR" ]; then spares="$XDG_RUNTIME_DIR/aitool-823717c036d822b6"; fi ;;
  esac
fi
nl='
'
spare_answer() {
  [ -n "$spares" ] && [ -d "$spares" ] && [ ! -L "$spares" ] && [ -O "$spares" ] && command -v timeout >/dev/null 2>&1 || return 0
  for pidfile in "$spares"/s*.pid; do
    name=\${pidfile##*/}
    name=\${name%.pid}
    # Only files of this user: nobody else can have made them.
    if [ -f "$pidfile" ] && [ -O "$pidfile" ] && [ -p "$spares/$name.in" ] && [ -O "$spares/$name.in" ] && [ -p "$spares/$name.out" ] && [ -O "$spares/$name.out" ]; then :; else continue; fi
    # The spare's pid, and the descriptor it holds its FIFO open on: a pid reused by another process fails this.
    read -r pid fd <"$pidfile" || continue
    case $pid in '' | *[!0-9]*) continue ;; esac
    case $fd in '' | *[!0-9]*) continue ;; esac
    # shellcheck disable=SC3013 # -ef: dash, bash and busybox sh have it (spares are for Linux only)
    [ "/proc/$pid/fd/$fd" -ef "$spares/$name.in" ] || continue
    # A stopped spare (Ctrl-Z, a debugger) would keep this commit waiting; one in another mount namespace (a toolbox
    # sharing the runtime folder) would decline it.
    read -r stat <"/proc/$pid/stat" || continue
    stat=\${stat##*")"}
    case $stat in " R"* | " S"*) ;; *) continue ;; esac
    # shellcheck disable=SC3013 # as above
    [ "/proc/$$/ns/mnt" -ef "/proc/$pid/ns/mnt" ] || continue
    set -C
    if { true >"$spares/$name.claim"; } 2>/dev/null; then set +C; else set +C; continue; fi
    git_answers 2>/dev/null >"$spares/$name.git"
    tty=0
    if [ -t 2 ]; then tty=1; fi
    # A commit given up (Ctrl-C) stops its spare, which would go on checking for it.
    trap 'kill "$pid" 2>/dev/null; exit 130' INT
    trap 'kill "$pid" 2>/dev/null; exit 143' TERM
    # The script holds the FIFO open on fd 8 while it asks: the spare's proof that the pid sent is the asker.
    {
      printf '%s\\000' aitool-spare-1 "$$" commit "$tty" "$#" "$@" >&8
      reply=$(timeout 120 cat "$spares/$name.out" 2>/dev/null)
    } 8<>"$spares/$name.in"
    trap - INT TERM
    case $reply in [0-9]*"$nl"*.) ;; *) return 0 ;; esac
    reply=\${reply%.}
    code=\${reply%%"$nl"*}
    case $code in *[!0-9]*) return 0 ;; esac
    printf '%s' "\${reply#*"$nl"}" >&2
    spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    exit "$code"
  done
}
spare_start() {
  [ -n "$spares" ] || return 0
  [ -d "$spares" ] || mkdir -m 700 "$spares" 2>/dev/null || return 0
  [ ! -L "$spares" ] && [ -O "$spares" ] || return 0
  for pidfile in "$spares"/s*.pid; do
    name=\${pidfile##*/}
    name=\${name%.pid}
    # shellcheck disable=SC3013 # as above
    [ -f "$pidfile" ] && [ -O "$pidfile" ] && [ ! -e "$spares/$name.claim" ] && read -r pid fd <"$pidfile" && [ "/proc/$pid/fd/$fd" -ef "$spares/$name.in" ] && [ "/proc/$$/ns/mnt" -ef "/proc/$pid/ns/mnt" ] && return 0
  done
  name=s$$
  mkfifo -m 600 "$spares/$name.in" "$spares/$name.out" 2>/dev/null || return 0
  "$node" "$aitool" hook spare "$spares" "$name" </dev/null >/dev/null 2>&1 &
}
node='/opt/node/bin/node'
aitool='/opt/aitool/bin/aitool.js'
if [ -x "$node" ] && [ -f "$aitool" ]; then
  spare_answer "$@"
  git_answers 2>/dev/null | "$node" "$aitool" hook run commit --git-stdin "$@"
  status=$?
  spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  exit $status
fi
if command -v aitool >/dev/null 2>&1; then
  exec aitool hook run commit "$@"
fi
echo "aitool: not installed (no $aitool, no aitool on PATH); the commit-msg check was skipped" >&2
exit 0
`;

/**
 * A v5 commit-msg hook as aitool wrote it (spares only in the user's runtime
 * folder; a Ctrl-C or a closed terminal stops the spare at once): v4 with its
 * marker, the HUP trap and the reply's reader, kept byte for byte, so that
 * installed v5 hooks are still recognised as aitool's and upgraded.
 */
export const V5_COMMIT_MSG = V4_COMMIT_MSG.replace('# aitool-hook v4: commit-msg\n', '# aitool-hook v5: commit-msg\n')
  .replace(
    `    trap 'kill "$pid" 2>/dev/null; exit 143' TERM\n`,
    `    trap 'kill "$pid" 2>/dev/null; exit 143' TERM\n    trap 'kill "$pid" 2>/dev/null; exit 129' HUP\n`,
  )
  .replace(
    `      reply=$(timeout 120 cat "$spares/$name.out" 2>/dev/null)\n`,
    `      reply=$(
        reader=
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 130' INT
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 143' TERM
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 129' HUP
        timeout 120 cat "$spares/$name.out" 2>/dev/null &
        reader=$!
        wait "$reader"
      )\n`,
  )
  .replace('    trap - INT TERM\n', '    trap - HUP INT TERM\n');

/**
 * A v6 commit-msg hook as aitool wrote it (spares also in the temporary
 * folder; any spare in the folder claimed, any refusal heeded): v5 with its
 * marker, its choice of spares folder and the refusal check, kept byte for
 * byte, so that installed v6 hooks are still recognised and upgraded.
 */
export const V6_COMMIT_MSG = V5_COMMIT_MSG.replace('# aitool-hook v5: commit-msg\n', '# aitool-hook v6: commit-msg\n')
  .replace(
    `# A spare: an aitool that the last commit's hook started, waiting in your
# runtime folder to answer this one ("aitool hook spare"; Linux, which has
# /proc; AITOOL_HOOK_SPARE=0 turns spares off). Without one, aitool starts as
# before.
spares=
# The runtime folder must be an absolute path this user owns; with NODE_OPTIONS set, a spare (started without
# them) would decline every commit.
if [ -n "\${XDG_RUNTIME_DIR-}" ] && [ "\${AITOOL_HOOK_SPARE-}" != 0 ] && [ -z "\${NODE_OPTIONS-}" ] && [ -d /proc/self/fd ]; then
  case $XDG_RUNTIME_DIR in
    /*) if [ -O "$XDG_RUNTIME_DIR" ]; then spares="$XDG_RUNTIME_DIR/aitool-823717c036d822b6"; fi ;;
  esac
`,
    `# A spare: an aitool that the last commit's hook started, waiting to answer
# this one ("aitool hook spare"; Linux, which has /proc). It waits in your
# runtime folder or, without one, in a folder of your own in the temporary
# folder (not under CI). AITOOL_HOOK_SPARE=0 turns spares off; without a spare,
# aitool starts as before.
spares=
# With NODE_OPTIONS set, a spare (started without them) would decline every commit.
if [ "\${AITOOL_HOOK_SPARE-}" != 0 ] && [ -z "\${NODE_OPTIONS-}" ] && [ -d /proc/self/fd ]; then
  if [ -n "\${XDG_RUNTIME_DIR-}" ]; then
    # The runtime folder must be an absolute path this user owns.
    case $XDG_RUNTIME_DIR in
      /*) if [ -O "$XDG_RUNTIME_DIR" ]; then spares="$XDG_RUNTIME_DIR/aitool-823717c036d822b6"; fi ;;
    esac
  elif [ -z "\${CI-}\${JENKINS_URL-}\${TF_BUILD-}\${TEAMCITY_VERSION-}\${CODEBUILD_BUILD_ID-}" ]; then
    # The temporary folder must be this user's, or the sticky /tmp; the spare checks the rest of its path.
    aitool_uid=
    while read -r aitool_tmp aitool_uid; do [ "$aitool_tmp" = Uid: ] && break; aitool_uid=; done </proc/self/status
    aitool_uid=\${aitool_uid%%[!0-9]*}
    aitool_tmp=\${TMPDIR:-/tmp}
    aitool_tmp=\${aitool_tmp%/}
    case $aitool_tmp in
      /*) if [ -n "$aitool_uid" ] && { [ -O "$aitool_tmp" ] || { [ "$aitool_tmp" = /tmp ] && [ -k /tmp ]; }; }; then spares="$aitool_tmp/aitool-$aitool_uid-823717c036d822b6"; fi ;;
    esac
  fi
`,
  )
  .replace('  [ ! -L "$spares" ] && [ -O "$spares" ] || return 0\n', '  [ ! -L "$spares" ] && [ -O "$spares" ] || return 0\n  # A spare refused this folder (its file says why): none would run here.\n  [ ! -e "$spares/refused" ] || return 0\n');

/** A hook fixture (V1_COMMIT_MSG by default) pointing at another node and aitool.js, as an install by them would have written it. */
export function fixtureWith(node: string, bin: string, fixture: string = V1_COMMIT_MSG): string {
  return fixture.replace("node='/opt/node/bin/node'", `node=${shellQuote(node)}`).replace("aitool='/opt/aitool/bin/aitool.js'", `aitool=${shellQuote(bin)}`);
}
