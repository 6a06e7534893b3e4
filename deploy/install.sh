#!/bin/sh
# Rolls aitool out on one Linux machine, as root: the npm package, the
# organisation's managed policy, the system watch service, a first check.
#
#   sh install.sh <aitool-x.y.z.tgz> <policy.yaml> [--prefix /usr/local] [--no-service]
#
# Each step is an aitool command an MDM or configuration-management tool can
# run the same way; this script only chains them and stops at the first
# failure with one line saying which step failed and why.
set -eu

me='install.sh'
usage="usage: $me <aitool-tarball.tgz> <policy-file> [--prefix <dir>] [--no-service]"

fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 1
}

tarball=''
policy=''
prefix='/usr/local'
service=yes
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
[ -n "$tarball" ] && [ -n "$policy" ] || fail "$usage"
[ -f "$tarball" ] || fail "no such tarball: $tarball"
[ -f "$policy" ] && [ -r "$policy" ] || fail "cannot read the policy file: $policy"
# The service unit names the installed aitool by this path: it must not depend on the working folder.
case "$prefix" in
  /*) ;;
  *) fail "--prefix must be an absolute path: $prefix" ;;
esac
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (root's PATH: $PATH)"

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
  if "$@" >"$log" 2>&1; then
    cat "$log"
  else
    status="$?"
    fail "$what failed (exit $status): $(tail -n 1 "$log")"
  fi
}

echo "==> installing aitool into $prefix"
# --ignore-scripts: no package code runs as root at install time (the tarball ships dist/ built).
step 'npm install' npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund "$tarball"
[ -x "$aitool" ] || fail "npm install left no executable at $aitool"

echo "==> installing the managed policy"
step 'aitool policy install' "$aitool" policy install --managed "$policy"

if [ "$service" = yes ]; then
  echo "==> installing the system watch service"
  step 'aitool service install' "$aitool" service install --system --write
  enable="$(sed -n 's/^  *\(systemctl .*\)$/\1/p' "$log")"
  if [ -d /run/systemd/system ]; then
    echo "==> starting aitool-watch (systemd is running)"
    step 'systemctl' sh -c 'systemctl daemon-reload && systemctl enable --now aitool-watch'
  else
    # A container or chroot image: systemd is not PID 1, so starting now would fail; it starts at first boot once enabled.
    echo "systemd is not running here: not started. To start it, run:"
    printf '  %s\n' "${enable:-systemctl daemon-reload && systemctl enable --now aitool-watch}"
  fi
fi

echo "==> the effective policy"
step 'aitool policy show' "$aitool" policy show

echo "==> first check"
mkdir -p /var/lib/aitool
report=/var/lib/aitool/first-check.json
# Exit 1 means the check ran and found blocked tools: that is the report's
# news, not a failed rollout. Anything else (2: a usage or policy error) is.
set +e
"$aitool" check --format json --output "$report" >"$log" 2>&1
status="$?"
set -e
case "$status" in
  0) echo "no blocked AI tools found; report: $report" ;;
  1) echo "blocked AI tools found on this machine; report: $report" ;;
  *) fail "aitool check failed (exit $status): $(tail -n 1 "$log")" ;;
esac
echo "==> done"
