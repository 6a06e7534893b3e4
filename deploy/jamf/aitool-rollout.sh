#!/bin/sh
# Jamf Pro policy script (macOS, runs as root): installs aitool (the
# standalone executable, or an npm tarball), the organisation's managed
# policy, the LaunchDaemon that runs
# `aitool watch` for every user, and runs a first check whose report lands in
# the policy log.
#
# Jamf passes $1-$3 (mount point, computer name, user name); the script's
# parameters are $4 onwards, labelled in Jamf Pro (Settings > Scripts):
#   $4  aitool on the Mac, placed by a Jamf package in the same policy: the
#       standalone executable for the Mac's CPU (aitool-macos-arm64 or
#       aitool-macos-x64, signed), e.g.
#       /Library/Application Support/aitool-deploy/aitool-macos-arm64;
#       or a name ending in .tgz: the npm tarball (`npm pack` of a release)
#   $5  the managed policy file on the Mac (.yaml, .yml or .json)
#   $6  the prefix (default /usr/local; the command is $6/bin/aitool)
#   $7  "start" to load the LaunchDaemon now (launchctl bootstrap); anything
#       else prints the command instead
#
# The executable needs nothing else on the Mac: it is copied to $6/bin/aitool
# (root, 0755; left alone when the installed file has the same SHA-256). The
# tarball needs Node >= 20 and npm on the Mac (Homebrew's or nodejs.org's);
# Jamf's PATH is minimal, so the usual install places are added below.
#
# NOT RUN ON macOS HERE: this script was checked with `sh -n` and shellcheck
# only, and its aitool commands against the built CLI's --help. Try it on one
# Mac (sudo sh aitool-rollout.sh / / "$USER" <executable> <policy>) before
# scoping the policy to a fleet.
set -eu

me='aitool-rollout'
fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 1
}

program="${4:-}"
policy="${5:-}"
prefix="${6:-/usr/local}"
start="${7:-}"
[ -n "$prefix" ] || prefix=/usr/local

[ "$(id -u)" -eq 0 ] || fail "run it as root (Jamf does): it installs system files"
[ -n "$program" ] || fail "parameter 4 (the aitool executable or tarball) is empty"
[ -n "$policy" ] || fail "parameter 5 (the managed policy file) is empty"
[ -f "$program" ] || fail "no such file: $program"
case "$program" in
  *.tgz | *.tar.gz) kind=tarball ;;
  *) kind=executable ;;
esac
if ! [ -f "$policy" ] || ! [ -r "$policy" ]; then fail "cannot read the policy file: $policy"; fi
case "$prefix" in
  /*) ;;
  *) fail "parameter 6 (the prefix) must be an absolute path: $prefix" ;;
esac

# The system's own tools only: Homebrew's folders belong to the admin who
# installed it, and a cp or stat planted there would run as root. The npm
# package needs the Mac's node and npm, which are usually Homebrew's.
PATH=/usr/bin:/bin:/usr/sbin:/sbin
[ "$kind" = executable ] || PATH="$PATH:/opt/homebrew/bin:/usr/local/bin:$prefix/bin"
export PATH
# Only the npm package runs on the Mac's node; the executable carries its own.
if [ "$kind" = tarball ]; then
  command -v node >/dev/null 2>&1 || fail "node is not installed (looked in $PATH); aitool from the npm tarball needs Node >= 20"
  command -v npm >/dev/null 2>&1 || fail "npm is not installed (looked in $PATH)"
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' </dev/null ||
    fail "aitool from the npm tarball needs Node >= 20; this Mac has $(node --version </dev/null)"
fi

umask 022
aitool="$prefix/bin/aitool"
log="$(mktemp -t aitool-rollout)"
trap 'rm -f "$log"' EXIT

step() {
  what="$1"
  shift
  if "$@" </dev/null >"$log" 2>&1; then
    cat "$log"
  else
    status="$?"
    fail "$what failed (exit $status): $(tail -n 1 "$log")"
  fi
}

# The executable: the installed file's own SHA-256 decides, so the same file
# again (root's, 0755) is left alone. Copied beside the target and renamed
# (atomic), after the copy answered --version: a build for the other CPU never
# replaces a working aitool. The copy keeps the code signature macOS checks.
install_executable() {
  sum="$(shasum -a 256 "$program" | cut -d ' ' -f 1)"
  echo "executable sha256 $sum"
  if [ -f "$aitool" ] && ! [ -L "$aitool" ] &&
    [ "$(stat -f '%u %g %Lp' "$aitool")" = '0 0 755' ] &&
    [ "$(shasum -a 256 "$aitool" | cut -d ' ' -f 1)" = "$sum" ]; then
    echo "this executable is already installed: $aitool"
    return
  fi
  mkdir -p "$prefix/bin"
  next="$(mktemp "$prefix/bin/.aitool.XXXXXX")"
  trap 'rm -f "$log" "$next"' EXIT
  cp "$program" "$next"
  chown 0:0 "$next"
  chmod 0755 "$next"
  # The copy is what was hashed, before anything runs it.
  [ "$(shasum -a 256 "$next" | cut -d ' ' -f 1)" = "$sum" ] || fail "the copy of $program changed while it was copied"
  # Only a Mac program (Mach-O, one architecture or universal) is started: a file
  # the kernel cannot run (a policy given by mistake) would be read by sh as a script, as root.
  case "$(head -c 4 "$next" | od -An -tx1 | tr -d ' \n')" in
    cffaedfe | cefaedfe | cafebabe) ;;
    *) fail "$program is not a macOS executable (no Mach-O header); nothing was run or replaced" ;;
  esac
  step 'the executable' "$next" --version
  mv -f "$next" "$aitool"
  echo "installed $aitool (root, 0755)"
}

# The same stamp as deploy/install.sh: the hash of the tarball the installed
# package came from, so a Jamf re-run with the same tarball reinstalls nothing.
install_tarball() {
  stamp="$prefix/lib/node_modules/aitool/.aitool-tarball.sha256"
  sum="$(shasum -a 256 "$program" | cut -d ' ' -f 1)"
  if [ -L "$aitool" ] && [ -x "$aitool" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    echo "aitool from this tarball is already installed: $aitool"
  else
    # npm will not put its link over a file it did not write: a standalone
    # executable an earlier run installed moves aside, and comes back if npm fails.
    aside=''
    if [ -e "$aitool" ] && ! [ -L "$aitool" ]; then
      aside="$(mktemp "$prefix/bin/.aitool-standalone.XXXXXX")"
      mv -f "$aitool" "$aside"
    fi
    # --ignore-scripts: no package code runs as root at install time.
    status=0
    npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund --no-update-notifier "$program" </dev/null >"$log" 2>&1 || status="$?"
    if [ "$status" -ne 0 ]; then
      [ -z "$aside" ] || mv -f "$aside" "$aitool"
      fail "npm install failed (exit $status): $(tail -n 1 "$log")"
    fi
    cat "$log"
    [ -z "$aside" ] || rm -f "$aside"
    [ -x "$aitool" ] || fail "npm install left no executable at $aitool"
    printf '%s\n' "$sum" >"$stamp"
  fi
}

echo "==> installing aitool ($kind) into $prefix"
if [ "$kind" = executable ]; then install_executable; else install_tarball; fi

echo "==> installing the managed policy (/Library/Application Support/aitool)"
step 'aitool policy install' "$aitool" policy install --managed "$policy"

echo "==> installing the LaunchDaemon"
step 'aitool service install' "$aitool" service install --system --write
load="$(sed -n 's/^  *\(launchctl .*\)$/\1/p' "$log")"
[ -n "$load" ] || fail "aitool service install printed no launchctl command"
if [ "$start" = start ]; then
  echo "==> loading it (parameter 7 is \"start\")"
  step 'launchctl' sh -c "$load"
else
  echo "not loaded (parameter 7 is not \"start\"). To load it now, run:"
  printf '  %s\n' "$load"
fi

echo "==> first check"
cd /
set +e
"$aitool" check --no-color </dev/null >"$log" 2>&1
status="$?"
set -e
case "$status" in
  0 | 1) cat "$log" ;;
  *) fail "aitool check failed (exit $status): $(tail -n 1 "$log")" ;;
esac
echo "==> done"
