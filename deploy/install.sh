#!/bin/sh
# Rolls aitool out on one Linux machine, as root: the aitool command (the
# standalone executable, or the npm package), the organisation's managed
# policy, the system watch service, a first check.
#
#   sh install.sh --executable <aitool-linux-x64> <policy.yaml> [--prefix /usr/local] [--no-service] [--start]
#   sh install.sh <aitool-x.y.z.tgz> <policy.yaml> [--prefix /usr/local] [--no-service] [--start]
#
# The standalone executable (npm run build:sea) needs nothing else on the
# machine: it becomes <prefix>/bin/aitool. The npm tarball needs Node >= 20
# and npm on root's PATH, and the package's dependencies reachable (the npm
# registry, a mirror set in npm's config, or npm's cache with
# npm_config_offline=true).
#
# Each step is an aitool command an MDM or configuration-management tool can
# run the same way; this script only chains them and stops at the first
# failure with one line saying which step failed and why. Run it again at
# every check-in: when nothing changed it changes nothing. It never runs
# systemctl unless --start says so; otherwise it prints the command.
set -eu

me='install.sh'
usage="usage: $me (--executable <aitool-executable> | <aitool-tarball.tgz>) <policy-file> [--prefix <dir>] [--no-service] [--start]"

fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 1
}

executable=''
tarball=''
policy=''
# The positional words, given out once --executable is known: with it, the only one is the policy.
first=''
second=''
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
    --executable)
      [ "$#" -ge 2 ] || fail "--executable needs a file; $usage"
      executable="$2"
      shift 2
      ;;
    --executable=*)
      executable="${1#--executable=}"
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
      if [ -z "$first" ]; then
        first="$1"
      elif [ -z "$second" ]; then
        second="$1"
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
if [ -n "$executable" ]; then
  [ -z "$second" ] || fail "--executable replaces the tarball: give only the policy file after it; $usage"
  policy="$first"
  [ -f "$executable" ] || fail "no such executable: $executable"
else
  tarball="$first"
  policy="$second"
  [ -n "$tarball" ] || fail "$usage"
  [ -f "$tarball" ] || fail "no such tarball: $tarball"
fi
[ -n "$policy" ] || fail "$usage"
if ! [ -f "$policy" ] || ! [ -r "$policy" ]; then fail "cannot read the policy file: $policy"; fi
# The service unit names the installed aitool by this path: it must not depend on the working folder.
case "$prefix" in
  /*) ;;
  *) fail "--prefix must be an absolute path: $prefix" ;;
esac
# Only the npm package runs on the machine's node; the executable carries its own.
if [ -n "$tarball" ]; then
  command -v npm >/dev/null 2>&1 || fail "npm is not on PATH (root's PATH: $PATH)"
  command -v node >/dev/null 2>&1 || fail "node is not on PATH (root's PATH: $PATH); aitool from the npm tarball needs Node >= 20 (or use --executable)"
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' </dev/null ||
    fail "aitool from the npm tarball needs Node >= 20; root's node is $(node --version </dev/null) (or use --executable)"
fi
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

# The standalone executable, copied into place: the installed file's own
# SHA-256 decides, so the same executable again (root's, 0755) is left as it
# is, and a changed or tampered-with one is replaced.
install_executable() {
  sum="$(sha256sum "$executable" | cut -d ' ' -f 1)"
  echo "executable sha256 $sum"
  if [ -f "$aitool" ] && ! [ -L "$aitool" ] &&
    [ "$(stat -c '%u %g %a' "$aitool")" = '0 0 755' ] &&
    [ "$(sha256sum "$aitool" | cut -d ' ' -f 1)" = "$sum" ]; then
    echo "this executable is already installed: $aitool"
    return
  fi
  mkdir -p "$prefix/bin"
  # Beside the target, so the rename below is atomic: a check the watch starts
  # meanwhile runs the old aitool or the new one, never half a file.
  next="$(mktemp "$prefix/bin/.aitool.XXXXXX")"
  trap 'rm -f "$log" "$next"' EXIT
  cp "$executable" "$next"
  chown 0:0 "$next"
  chmod 0755 "$next"
  # The copy is what was hashed, before anything runs it.
  [ "$(sha256sum "$next" | cut -d ' ' -f 1)" = "$sum" ] || fail "the copy of $executable changed while it was copied"
  # Only a Linux program is started: a file the kernel cannot run (a policy or a
  # tarball given by mistake) would be read by sh as a script, as root.
  [ "$(head -c 4 "$next" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || fail "$executable is not a Linux executable (no ELF header); nothing was run or replaced"
  # A build for another CPU fails here, before it replaces a working aitool.
  step 'the executable' "$next" --version
  # Replaces npm's link too, when the npm package was installed before.
  mv -f "$next" "$aitool"
  echo "installed $aitool (root, 0755)"
  if [ -d "$prefix/lib/node_modules/aitool" ]; then
    echo "note: the npm package in $prefix/lib/node_modules/aitool is no longer used; npm uninstall -g --prefix $prefix aitool removes it"
  fi
}

install_tarball() {
  package="$prefix/lib/node_modules/aitool"
  # npm reinstalls a package it already has, so the tarball's hash decides: the
  # same tarball again leaves the installed files as they are. The hash lives in
  # the package folder, so npm removing or replacing the package removes it too.
  # npm's link (not an executable copied over it) says the package is what runs.
  stamp="$package/.aitool-tarball.sha256"
  sum="$(sha256sum "$tarball" | cut -d ' ' -f 1)"
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
    # --ignore-scripts: no package code runs as root at install time (the tarball ships dist/ built).
    status=0
    npm install -g --prefix "$prefix" --ignore-scripts --no-audit --no-fund --no-update-notifier "$tarball" </dev/null >"$log" 2>&1 || status="$?"
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

echo "==> installing aitool into $prefix"
if [ -n "$executable" ]; then install_executable; else install_tarball; fi

echo "==> installing the managed policy"
step 'aitool policy install' "$aitool" policy install --managed "$policy"

if [ "$service" = yes ]; then
  echo "==> installing the system watch service"
  step 'aitool service install' "$aitool" service install --system --write
  enable="$(sed -n 's/^  *\(systemctl .*\)$/\1/p' "$log")"
  [ -n "$enable" ] || fail "aitool service install printed no systemctl command (not a systemd system?)"
  if [ -n "$executable" ]; then
    # The unit names the program that wrote it, as the kernel resolved it (links followed).
    unit=/etc/systemd/system/aitool-watch.service
    runs="$(sed -n 's/^ExecStart="\([^"]*\)" .*/\1/p' "$unit")"
    [ "$runs" = "$aitool" ] || [ "$runs" = "$(readlink -f "$aitool")" ] ||
      fail "$unit runs ${runs:-nothing}, not the installed executable $aitool"
  fi
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
