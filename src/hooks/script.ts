/**
 * The shell script `aitool hook install` writes into a git hooks folder, and
 * the test that tells such a script apart from anything else.
 *
 * The script is generated from three values only (the hook's name, the node
 * that ran the installer and this installation's bin/aitool.js; or two: the
 * hook's name and the standalone executable that ran it), so a file is
 * "ours and untouched" exactly when regenerating it from the values written in
 * it gives back the same bytes (with the template its marker names). That
 * check does not depend on which node or installation runs `aitool hook
 * uninstall` later.
 */

import { CLIENT_FD, REFUSED, REPLY_WAIT_SECONDS, SPARE_HOOKS, SPARE_PROTOCOL, spareKey } from './spare.js';

export const HOOK_NAMES = ['pre-commit', 'commit-msg', 'pre-push'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** The name a hook that was already there gets, beside ours, so that ours can run it first. */
export const CHAINED_SUFFIX = '.aitool-chained';

/**
 * What the installed hook runs: the node and the bin/aitool.js of the
 * installation that wrote it, or the standalone executable that wrote it
 * (which needs no node: scripts/build-sea.mjs).
 */
export type Launcher = { node: string; bin: string } | { standalone: string };

/** The launcher as a command line, for messages. */
export function launcherText(launcher: Launcher): string {
  return 'standalone' in launcher ? launcher.standalone : `${launcher.node} ${launcher.bin}`;
}

/**
 * What `aitool hook run <name>` a git hook runs. `commit` is the default
 * install's commit-msg hook: the session, the staged files (the index is
 * still there when commit-msg runs) and the message, in one Node process per
 * commit. `commit-msg` alone checks the session and the message: what the
 * commit-msg hook runs beside aitool's pre-commit hook (`--pre-commit`), so
 * nothing is checked twice.
 */
export type RunName = HookName | 'commit';
type SpareHook = (typeof SPARE_HOOKS)[number];

export type HookScript = Launcher & {
  hook: HookName;
  /** What it runs when that is not the hook's own name (only `commit`, in commit-msg). */
  run?: 'commit';
  /** Set only on a script read back from a file an earlier aitool wrote; what install writes is always the current template. */
  template?: OlderTemplate;
};

/**
 * The templates, oldest first; the marker's second line names the one a
 * script was written with, so a later aitool still recognises (removes,
 * upgrades) a script it no longer writes. v2: aitool starts without
 * NODE_EXTRA_CA_CERTS (unsetCaCerts). v3: the script's git answers what
 * aitool would ask it, while Node starts (gitAnswers). v4: a spare aitool,
 * started after the last commit, answers when there is one (spareBlock). v5:
 * a Ctrl-C (or a closed terminal) while a spare answers stops it at once
 * (WAIT_FOR_REPLY). v6: without a runtime folder, spares wait in a folder of
 * the user's own in the temporary folder (SPARES_FOLDER). v7: the script
 * claims only a spare that checked the very path it looks in (the pid file
 * names it), and passes over a refusal recorded for another path.
 */
const TEMPLATES = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'] as const;
type Template = (typeof TEMPLATES)[number];
type OlderTemplate = Exclude<Template, typeof CURRENT_TEMPLATE>;
const CURRENT_TEMPLATE = 'v7';
const MARKER_LINE = /^# aitool-hook (v\d+): (\S+)$/m;

/** v3 and later: the script asks git what aitool would (gitAnswers), and finds its folder itself. */
const asksGit = (template: Template): boolean => template !== 'v1' && template !== 'v2';
/** v4 and later: a spare may answer (spareBlock). */
const hasSpares = (template: Template): template is SpareTemplate => template === 'v4' || template === 'v5' || template === 'v6' || template === 'v7';
type SpareTemplate = 'v4' | 'v5' | 'v6' | 'v7';

function isTemplate(version: string): version is Template {
  return (TEMPLATES as readonly string[]).includes(version);
}

/** POSIX single quotes: everything literal, a quote written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** The inverse of shellQuote, for a value made only of quoted pieces and \' (what shellQuote writes); undefined otherwise. */
function shellUnquote(text: string): string | undefined {
  if (!/^(?:'[^']*'|\\')+$/.test(text)) return undefined;
  return text.replace(/'([^']*)'|\\'/g, (_match, inner: string | undefined) => inner ?? "'");
}

/**
 * pre-push gets the refs being pushed on stdin, and both the chained hook and
 * aitool need them, so the script keeps one copy in a temp file. The copy is
 * opened as the script's own stdin and then deleted before aitool is exec'd:
 * nothing is left behind, and aitool reads the refs from the start.
 */
function chainBlock(hook: HookName, template: Template): string {
  // v3: the folder from $0 by the shell itself, not a dirname process (a fork and an exec on every commit).
  const chained =
    asksGit(template)
      ? `case $0 in */*) here=\${0%/*} ;; *) here=. ;; esac\nchained="$here/${hook}${CHAINED_SUFFIX}"`
      : `chained="$(dirname "$0")/${hook}${CHAINED_SUFFIX}"`;
  if (hook !== 'pre-push') {
    return `${chained}
if [ -f "$chained" ] && [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
`;
  }
  return `${chained}
if [ -f "$chained" ] && [ -x "$chained" ]; then
  # git writes the refs being pushed to stdin; both hooks read them, so keep a copy.
  refs=$(mktemp "\${TMPDIR:-/tmp}/aitool-pre-push.XXXXXX") || exit 1
  trap 'rm -f "$refs"' EXIT
  trap 'exit 1' HUP INT TERM
  cat >"$refs"
  "$chained" "$@" <"$refs" || exit $?
  exec <"$refs"
  rm -f "$refs"
  trap - EXIT HUP INT TERM
fi
`;
}

/**
 * Node reads and parses the NODE_EXTRA_CA_CERTS file at every start, before
 * any JS runs: machines behind a TLS-inspecting proxy set it, and with a
 * 3,600-line bundle `node -e 0` took 62 ms instead of 24 ms (measured on
 * Node 20). aitool opens no TLS connection, so every commit paid that for
 * nothing. Unset after the chained hook ran (it keeps the variable) and
 * before any of the three ways aitool is started (node + aitool.js, the
 * standalone executable, which is Node too, and aitool on PATH).
 */
const unsetCaCerts = `# aitool makes no TLS connections, and Node would parse the file named in
# NODE_EXTRA_CA_CERTS at every start: aitool runs without it.
unset NODE_EXTRA_CA_CERTS
`;

/**
 * The staged listing, as src/git/files.ts asks git for it (a test holds the
 * two equal). Part of the template's text: changing it means a new template.
 */
export const SCRIPT_STAGED_ARGS = ['diff', '--cached', '--name-status', '-z', '--no-renames', '--no-relative', '--diff-filter=ACMR'] as const;

/**
 * v3: the questions aitool would put to git (the committer for a message,
 * the staged files), asked by the script while Node starts, on the other
 * core: a git started by Node costs a fork of the whole Node process and
 * node:child_process besides. The answers go to aitool's stdin
 * (`--git-stdin`), ending with the mark hooks/git-input.ts checks, printed
 * only when every git exited 0; without it aitool asks git itself. git's
 * errors go nowhere: aitool's own git then says what is wrong. pre-push keeps
 * stdin for the refs git sends it, and asks git nothing of this kind.
 */
function gitAnswers(run: RunName): string {
  if (run === 'pre-push') return '';
  const asks: string[] = [];
  if (run !== 'pre-commit') asks.push(`git var GIT_COMMITTER_IDENT && printf '\\000'`);
  if (run !== 'commit-msg') asks.push(`git ${SCRIPT_STAGED_ARGS.join(' ')}`);
  return `# What aitool would ask git, asked while Node starts; aitool reads the answers
# on stdin, and asks git itself when they do not end with the mark.
git_answers() {
  ${asks.join(' &&\n  ')} &&
  printf 'X\\000aitool-end\\000'
}
`;
}

function isSpareHook(run: RunName): run is SpareHook {
  return (SPARE_HOOKS as readonly string[]).includes(run);
}

/**
 * v5: the answer is read by a reader the command substitution's own shell
 * waits for with `wait`, which a signal interrupts at once: a Ctrl-C then
 * stops the spare and the reader there and then. In v4 the script itself
 * waited for the reader, and a shell runs a trap only once the command it
 * waits for has ended: the spare went on checking a commit given up, until
 * it answered (or for the wait's 120 s). A closed terminal (SIGHUP) stops
 * the spare too, which v4 did not. `reader` is emptied first: a
 * signal before `reader=$!` must not kill a pid the user's environment
 * named (`reader=-1` would be every process of the user).
 */
const WAIT_FOR_REPLY = `reply=$(
        reader=
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 130' INT
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 143' TERM
        trap 'kill "$pid" "$reader" 2>/dev/null; exit 129' HUP
        timeout ${REPLY_WAIT_SECONDS} cat "$spares/$name.out" 2>/dev/null &
        reader=$!
        wait "$reader"
      )`;

/** v4 and v5: spares only in the user's runtime folder. */
const olderSparesFolder = (key: string): string => `# A spare: an aitool that the last commit's hook started, waiting in your
# runtime folder to answer this one ("aitool hook spare"; Linux, which has
# /proc; AITOOL_HOOK_SPARE=0 turns spares off). Without one, aitool starts as
# before.
spares=
# The runtime folder must be an absolute path this user owns; with NODE_OPTIONS set, a spare (started without
# them) would decline every commit.
if [ -n "\${XDG_RUNTIME_DIR-}" ] && [ "\${AITOOL_HOOK_SPARE-}" != 0 ] && [ -z "\${NODE_OPTIONS-}" ] && [ -d /proc/self/fd ]; then
  case $XDG_RUNTIME_DIR in
    /*) if [ -O "$XDG_RUNTIME_DIR" ]; then spares="$XDG_RUNTIME_DIR/aitool-${key}"; fi ;;
  esac
fi
`;

/**
 * v6: where there is no runtime folder (a container or devcontainer, a login
 * without systemd-logind), spares wait in `aitool-<uid>-<key>` in the
 * temporary folder, as tmux keeps `/tmp/tmux-<uid>`: that folder must be the
 * user's own, or the system's /tmp with its sticky bit. The spare itself
 * checks the whole path (hooks/spare.ts, checkPlace: nobody else may be able
 * to put another folder in its place), which a shell cannot do without
 * forks; a spare that refuses leaves a `refused` file, and the script starts
 * no more there. Not under CI (CI, or Jenkins', Azure Pipelines', TeamCity's
 * or CodeBuild's own variables): a commit there is rare, and nothing should
 * outlive the job. The uid is read from the kernel (/proc/self/status: the
 * shell's own), not from a forked `id -u`. Its variables have aitool's
 * prefix: a spare declines a script whose user exports a name the script
 * sets (a started aitool would see the script's value).
 */
const SPARES_FOLDER = (key: string): string => `# A spare: an aitool that the last commit's hook started, waiting to answer
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
      /*) if [ -O "$XDG_RUNTIME_DIR" ]; then spares="$XDG_RUNTIME_DIR/aitool-${key}"; fi ;;
    esac
  elif [ -z "\${CI-}\${JENKINS_URL-}\${TF_BUILD-}\${TEAMCITY_VERSION-}\${CODEBUILD_BUILD_ID-}" ]; then
    # The temporary folder must be this user's, or the sticky /tmp; the spare checks the rest of its path.
    aitool_uid=
    while read -r aitool_tmp aitool_uid; do [ "$aitool_tmp" = Uid: ] && break; aitool_uid=; done </proc/self/status
    aitool_uid=\${aitool_uid%%[!0-9]*}
    aitool_tmp=\${TMPDIR:-/tmp}
    aitool_tmp=\${aitool_tmp%/}
    case $aitool_tmp in
      /*) if [ -n "$aitool_uid" ] && { [ -O "$aitool_tmp" ] || { [ "$aitool_tmp" = /tmp ] && [ -k /tmp ]; }; }; then spares="$aitool_tmp/aitool-$aitool_uid-${key}"; fi ;;
    esac
  fi
fi
`;

/**
 * v4: a spare (hooks/spare.ts) answers the hook when one is ready: an aitool
 * the last commit's hook started, waiting in the user's runtime folder. The
 * script claims it (noclobber: O_EXCL), writes git's answers and its
 * request, and prints the answer; it trusts only files its own user owns
 * and a spare that holds its FIFO open (/proc/<pid>/fd/<fd>, from the pid
 * file), and holds the FIFO open itself while it asks (CLIENT_FD), which is
 * how the spare knows the pid it was sent is the asker's. It waits until the
 * spare has answered or ended (REPLY_WAIT_SECONDS at most). No answer, or a refusal (`-`), and
 * aitool starts as before. Either way a new spare is started for the next
 * commit, unless one is waiting (it detaches itself: a session of its own,
 * none of git's descriptors). No runtime folder (XDG_RUNTIME_DIR),
 * AITOOL_HOOK_SPARE=0, or no timeout: no spares.
 *
 * `timeout` without --foreground, which busybox's lacks: timeout and cat
 * are in a process group of timeout's own, which a Ctrl-C does not reach.
 * v5 stops them, and the spare, at once (WAIT_FOR_REPLY); in v4 they ended
 * when the spare answered, or at the wait's end.
 */
function spareBlock(launcher: Launcher, run: SpareHook, template: SpareTemplate): string {
  const command = 'standalone' in launcher ? '"$aitool"' : '"$node" "$aitool"';
  return `${template === 'v4' || template === 'v5' ? olderSparesFolder(spareKey(launcher)) : SPARES_FOLDER(spareKey(launcher))}nl='
'
spare_answer() {
  [ -n "$spares" ] && [ -d "$spares" ] && [ ! -L "$spares" ] && [ -O "$spares" ] && command -v timeout >/dev/null 2>&1 || return 0
  for pidfile in "$spares"/s*.pid; do
    name=\${pidfile##*/}
    name=\${name%.pid}
    # Only files of this user: nobody else can have made them.
    if [ -f "$pidfile" ] && [ -O "$pidfile" ] && [ -p "$spares/$name.in" ] && [ -O "$spares/$name.in" ] && [ -p "$spares/$name.out" ] && [ -O "$spares/$name.out" ]; then :; else continue; fi
    # The spare's pid, and the descriptor it holds its FIFO open on: a pid reused by another process fails this.
${template === 'v7' ? `    # ... and the path it checked (hooks/spare.ts, checkPlace): the one this script looks in, not one a link led to.
    { read -r pid fd && read -r aitool_checked; } <"$pidfile" || continue
    [ "$aitool_checked" = "$spares" ] || continue
` : `    read -r pid fd <"$pidfile" || continue
`}    case $pid in '' | *[!0-9]*) continue ;; esac
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
${template === 'v4' ? '' : `    trap 'kill "$pid" 2>/dev/null; exit 129' HUP\n`}    # The script holds the FIFO open on fd ${CLIENT_FD} while it asks: the spare's proof that the pid sent is the asker.
    {
      printf '%s\\000' ${SPARE_PROTOCOL} "$$" ${run} "$tty" "$#" "$@" >&${CLIENT_FD}
      ${template === 'v4' ? `reply=$(timeout ${REPLY_WAIT_SECONDS} cat "$spares/$name.out" 2>/dev/null)` : WAIT_FOR_REPLY}
    } ${CLIENT_FD}<>"$spares/$name.in"
    trap - ${template === 'v4' ? '' : 'HUP '}INT TERM
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
${template === 'v6' ? `  # A spare refused this folder (its file says why): none would run here.
  [ ! -e "$spares/${REFUSED}" ] || return 0
` : template === 'v7' ? `  # A spare refused this folder by this path (its file says why): none would run here.
  if [ -f "$spares/${REFUSED}" ] && read -r aitool_checked <"$spares/${REFUSED}" && [ "$aitool_checked" = "$spares" ]; then return 0; fi
` : ''}  for pidfile in "$spares"/s*.pid; do
    name=\${pidfile##*/}
    name=\${name%.pid}
    # shellcheck disable=SC3013 # as above
    [ -f "$pidfile" ] && [ -O "$pidfile" ] && [ ! -e "$spares/$name.claim" ] && ${template === 'v7' ? '{ read -r pid fd && read -r aitool_checked; } <"$pidfile" && [ "$aitool_checked" = "$spares" ]' : 'read -r pid fd <"$pidfile"'} && [ "/proc/$pid/fd/$fd" -ef "$spares/$name.in" ] && [ "/proc/$$/ns/mnt" -ef "/proc/$pid/ns/mnt" ] && return 0
  done
  name=s$$
  mkfifo -m 600 "$spares/$name.in" "$spares/$name.out" 2>/dev/null || return 0
  ${command} hook spare "$spares" "$name" </dev/null >/dev/null 2>&1 &
}
`;
}

/** How the script starts aitool: the recorded node and aitool.js, or the recorded standalone executable. */
function launchBlock(launcher: Launcher, run: RunName, template: Template): string {
  // An aitool that is not the recorded one (PATH) may be older than --git-stdin: it gets no stdin of answers.
  const piped = asksGit(template) && run !== 'pre-push';
  const spares = hasSpares(template) && isSpareHook(run);
  const start = (command: string): string =>
    !piped
      ? `exec ${command} hook run ${run} "$@"`
      : spares
        ? `spare_answer "$@"\n  git_answers 2>/dev/null | ${command} hook run ${run} --git-stdin "$@"\n  status=$?\n  spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &\n  exit $status`
        : `git_answers 2>/dev/null | ${command} hook run ${run} --git-stdin "$@"\n  exit $?`;
  if ('standalone' in launcher) {
    return `aitool=${shellQuote(launcher.standalone)}
if [ -f "$aitool" ] && [ -x "$aitool" ]; then
  ${start('"$aitool"')}
fi
`;
  }
  return `node=${shellQuote(launcher.node)}
aitool=${shellQuote(launcher.bin)}
if [ -x "$node" ] && [ -f "$aitool" ]; then
  ${start('"$node" "$aitool"')}
fi
`;
}

/** The hook script, byte for byte. */
export function hookScript(script: HookScript): string {
  const { hook, run: runName } = script;
  const template: Template = script.template ?? CURRENT_TEMPLATE;
  const run: RunName = runName ?? hook;
  const launcher = 'standalone' in script ? { standalone: script.standalone } : { node: script.node, bin: script.bin };
  return `#!/bin/sh
# aitool-hook ${template}: ${hook}
# Written by "aitool hook install"; "aitool hook uninstall" removes it and puts
# back the hook it replaced. Do not edit: uninstall refuses a changed file.
#
# 1. The hook that was here before runs first, with the same arguments${hook === 'pre-push' ? ' and stdin' : ''}:
#    ${hook}${CHAINED_SUFFIX}, beside this file. If it fails, this hook fails
#    with its exit code. Like git, it is skipped when it is not executable.
# 2. Then aitool runs: ${'standalone' in launcher ? 'the executable below' : 'the node and aitool.js below'}, else "aitool" on PATH.
#    If neither is there any more, the hook warns and exits 0: aitool being
#    uninstalled must not block every ${hook === 'pre-push' ? 'push' : 'commit'} in this repository.

${chainBlock(hook, template)}
${template === 'v1' ? '' : unsetCaCerts}${asksGit(template) ? gitAnswers(run) : ''}${hasSpares(template) && isSpareHook(run) ? spareBlock(launcher, run, template) : ''}${launchBlock(launcher, run, template)}if command -v aitool >/dev/null 2>&1; then
  exec aitool hook run ${run} "$@"
fi
echo "aitool: not installed (no $aitool, no aitool on PATH); the ${hook} check was skipped" >&2
exit 0
`;
}

export type HookFileState =
  /** Ours, exactly as the installer wrote it. */
  | { kind: 'ours'; script: HookScript }
  /** Carries our marker but is not what we write: edited by hand, or from an aitool whose template we do not know. */
  | { kind: 'changed'; reason: string }
  /** Anything else: someone else's hook. */
  | { kind: 'foreign' };

function isHookName(name: string): name is HookName {
  return (HOOK_NAMES as readonly string[]).includes(name);
}

/** Classifies the text of a hook file. */
export function classifyHookText(text: string): HookFileState {
  const marker = MARKER_LINE.exec(text);
  if (!marker) return { kind: 'foreign' };
  const [, version, hook] = marker;
  if (version === undefined || !isTemplate(version)) return { kind: 'changed', reason: `written by another aitool version (${version ?? ''})` };
  if (hook === undefined || !isHookName(hook)) return { kind: 'changed', reason: `names an unknown hook '${hook ?? ''}'` };
  const nodeLine = /^node=(.*)$/m.exec(text)?.[1];
  const node = nodeLine === undefined ? undefined : shellUnquote(nodeLine);
  const bin = shellUnquote(/^aitool=(.*)$/m.exec(text)?.[1] ?? '');
  if ((nodeLine !== undefined && node === undefined) || bin === undefined) return { kind: 'changed', reason: 'changed after aitool wrote it' };
  // No node line: the standalone executable's script, where "aitool" is that executable.
  const launcher: Launcher = node === undefined ? { standalone: bin } : { node, bin };
  const run = /^ {2}(?:exec |git_answers 2>\/dev\/null \| )(?:"\$node" )?"\$aitool" hook run (\S+) /m.exec(text)?.[1];
  const script: HookScript = {
    hook,
    ...launcher,
    ...(run === 'commit' && hook === 'commit-msg' ? { run } : {}),
    ...(version === CURRENT_TEMPLATE ? {} : { template: version }),
  };
  return hookScript(script) === text ? { kind: 'ours', script } : { kind: 'changed', reason: 'changed after aitool wrote it' };
}
