#!/bin/sh
# The bench's yardstick: what a team writes instead of aitool. It only looks:
# names on PATH (command -v), command lines of running processes (pgrep -f,
# which reads and signals nothing), files in the home folder (test -e). No
# policy, no versions, no repository, no editors' extensions, no session.
# Usage: naive-scan.sh EXECUTABLES PROCESS_NAMES HOME_PATHS
# (each a file with one name a line; home paths relative to $HOME). The bench
# writes the three lists from the built catalog, so it covers the same tools.
while IFS= read -r name; do
  command -v "$name" >/dev/null 2>&1 && echo "on PATH: $name"
done < "$1"
while IFS= read -r name; do
  pgrep -f -- "$name" >/dev/null 2>&1 && echo "running: $name"
done < "$2"
while IFS= read -r entry; do
  test -e "$HOME/$entry" && echo "in home: $entry"
done < "$3"
exit 0
