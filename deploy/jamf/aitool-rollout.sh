#!/bin/sh
# Jamf Pro policy script (macOS, runs as root): installs aitool from an npm
# tarball, the organisation's managed policy, the LaunchDaemon that runs
# `aitool watch` for every user, and runs a first check whose report lands in
# the policy log.
#
# Jamf passes $1-$3 (mount point, computer name, user name); the script's
# parameters are $4 onwards, labelled in Jamf Pro (Settings > Scripts):
#   $4  the aitool tarball on the Mac (`npm pack` of a release, placed by a
#       Jamf package), e.g. /Library/Application Support/aitool-deploy/aitool.tgz
#   $5  the managed policy file on the Mac (.yaml, .yml or .json)
#   $6  the npm prefix (default /usr/local; the command is $6/bin/aitool)
#   $7  "start" to load the LaunchDaemon now (launchctl bootstrap); anything
#       else prints the command instead
#
# Needs Node >= 20 and npm on the Mac (Homebrew's or nodejs.org's); Jamf's
# PATH is minimal, so the usual install places are added below.
#
# NOT RUN ON macOS HERE: this script was checked with `sh -n` and shellcheck
# only, and its aitool commands against the built CLI's --help. Try it on one
# Mac (sudo sh aitool-rollout.sh / / "$USER" <tarball> <policy>) before
# scoping the policy to a fleet.
set -eu

me='aitool-rollout'
fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 1
}

tarball="${4:-}"
policy="${5:-}"
prefix="${6:-/usr/local}"
start="${7:-}"
[ -n "$prefix" ] || prefix=/usr/local

[ "$(id -u)" -eq 0 ] || fail "run it as root (Jamf does): it installs system files"
[ -n "$tarball" ] || fail "parameter 4 (the aitool tarball) is empty"
[ -n "$policy" ] || fail "parameter 5 (the managed policy file) is empty"
[ -f "$tarball" ] || fail "no such tarball: $tarball"
if ! [ -f "$policy" ] || ! [ -r "$policy" ]; then fail "cannot read the policy file: $policy"; fi
case "$prefix" in
  /*) ;;
  *) fail "parameter 6 (the npm prefix) must be an absolute path: $prefix" ;;
esac

PATH="$prefix/bin:/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
export PATH
command -v node >/dev/null 2>&1 || fail "node is not installed (looked in $PATH); aitool needs Node >= 20"
command -v npm >/dev/null 2>&1 || fail "npm is not installed (looked in $PATH)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' </dev/null ||
  fail "aitool needs Node >= 20; this Mac has $(node --version </dev/null)"

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

echo "==> installing aitool into $prefix"
# The same stamp as deploy/install.sh: the hash of the tarball the installed
# package came from, so a Jamf re-run with the same tarball reinstalls nothing.
stamp="$prefix/lib/node_modules/aitool/.aitool-tarball.sha256"
sum="$(shasum -a 256 "$tarball" | cut -d ' ' -f 1)"
if [ -x "$aitool" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  echo "aitool from this tarball is already installed: $aitool"
else
  # --ignore-scripts: no package code runs as root at install time.
  step 'npm install' npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund --no-update-notifier "$tarball"
  [ -x "$aitool" ] || fail "npm install left no executable at $aitool"
  printf '%s\n' "$sum" >"$stamp"
fi

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
