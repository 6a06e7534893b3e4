#!/bin/sh
# Rolls aitool out on one Linux machine, as root: the npm package, the
# organisation's managed policy, the system watch service, a first check.
#
#   sh install.sh <aitool-x.y.z.tgz> <policy.yaml> [--prefix /usr/local] [--no-service] [--start]
#
# Needs: Node >= 20 and npm on root's PATH, and the package's dependencies
# reachable (the npm registry, a mirror set in npm's config, or npm's cache
# with npm_config_offline=true).
#
# Each step is an aitool command an MDM or configuration-management tool can
# run the same way; this script only chains them and stops at the first
# failure with one line saying which step failed and why. Run it again at
# every check-in: when nothing changed it changes nothing. It never runs
# systemctl unless --start says so; otherwise it prints the command.
set -eu

me='install.sh'
usage="usage: $me <aitool-tarball.tgz> <policy-file> [--prefix <dir>] [--no-service] [--start]"

fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 1
}

tarball=''
policy=''
prefix='/usr/local'
service=yes
start=no
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix)
      [ "$#" -ge 2 ] || fail "--prefix needs a folder; $usage"
      prefix="$2"
      shift 2
      ;;
    --prefix=*)
      prefix="${1#--prefix=}"
      shift
      ;;
    --no-service)
      service=no
      shift
      ;;
    --start)
      start=yes
      shift
      ;;
    -h | --help)
      printf '%s\n' "$usage"
      exit 0
      ;;
    -*)
      fail "unknown option $1; $usage"
      ;;
    *)
      if [ -z "$tarball" ]; then
        tarball="$1"
      elif [ -z "$policy" ]; then
        policy="$1"
      else
        fail "unexpected argument $1; $usage"
      fi
      shift
      ;;
  esac
done

# Before anything else: a half-run as a normal user would leave a user-owned
# aitool that the root service then executes.
[ "$(id -u)" -eq 0 ] || fail "run it as root (sudo sh $me ...): it installs system files"
[ -n "$tarball" ] || fail "$usage"
[ -n "$policy" ] || fail "$usage"
[ -f "$tarball" ] || fail "no such tarball: $tarball"
if ! [ -f "$policy" ] || ! [ -r "$policy" ]; then fail "cannot read the policy file: $policy"; fi
# The service unit names the installed aitool by this path: it must not depend on the working folder.
case "$prefix" in
  /*) ;;
  *) fail "--prefix must be an absolute path: $prefix" ;;
esac
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (root's PATH: $PATH)"
command -v node >/dev/null 2>&1 || fail "node is not on PATH (root's PATH: $PATH); aitool needs Node >= 20"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' </dev/null ||
  fail "aitool needs Node >= 20; root's node is $(node --version </dev/null)"
[ "$start" = no ] || [ "$service" = yes ] || fail "--start and --no-service contradict each other"

# Installed files readable by every user, writable by root alone, whatever umask root has.
umask 022
aitool="$prefix/bin/aitool"
log="$(mktemp "${TMPDIR:-/tmp}/aitool-install.XXXXXX")"
trap 'rm -f "$log"' EXIT

# Runs one step with its output kept aside: on success the output is shown,
# on failure only its last line, so the failure stays one line.
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
package="$prefix/lib/node_modules/aitool"
# npm reinstalls a package it already has, so the tarball's hash decides: the
# same tarball again leaves the installed files as they are. The hash lives in
# the package folder, so npm removing or replacing the package removes it too.
stamp="$package/.aitool-tarball.sha256"
sum="$(sha256sum "$tarball" | cut -d ' ' -f 1)"
if [ -x "$aitool" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  echo "aitool from this tarball is already installed: $aitool"
else
  # --ignore-scripts: no package code runs as root at install time (the tarball ships dist/ built).
  step 'npm install' npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund --no-update-notifier "$tarball"
  [ -x "$aitool" ] || fail "npm install left no executable at $aitool"
  printf '%s\n' "$sum" >"$stamp"
fi

echo "==> installing the managed policy"
step 'aitool policy install' "$aitool" policy install --managed "$policy"

if [ "$service" = yes ]; then
  echo "==> installing the system watch service"
  step 'aitool service install' "$aitool" service install --system --write
  enable="$(sed -n 's/^  *\(systemctl .*\)$/\1/p' "$log")"
  [ -n "$enable" ] || fail "aitool service install printed no systemctl command (not a systemd system?)"
  if [ "$start" = yes ]; then
    echo "==> starting aitool-watch (--start)"
    step 'systemctl' sh -c "$enable"
  else
    # An MDM run in an image build or a container has no running systemd; starting is the caller's call.
    echo "not started (no --start). To start it now and at every boot, run:"
    printf '  %s\n' "$enable"
  fi
fi

echo "==> the effective policy"
step 'aitool policy show' "$aitool" policy show

echo "==> first check"
# From /, as the service runs: a machine-wide check reads no project policy.
cd /
# The report goes to this script's output, which the MDM keeps; writing a file
# would make every re-run change the machine. Exit 1 means the check ran and
# found blocked tools: that is the report's news, not a failed rollout.
# Anything else (2: a usage or policy error) is.
set +e
"$aitool" check --no-color </dev/null >"$log" 2>&1
status="$?"
set -e
case "$status" in
  0 | 1) cat "$log" ;;
  *) fail "aitool check failed (exit $status): $(tail -n 1 "$log")" ;;
esac
case "$status" in
  0) echo "no blocked AI tools found" ;;
  1) echo "blocked AI tools found on this machine (listed above)" ;;
esac
echo "==> done"
