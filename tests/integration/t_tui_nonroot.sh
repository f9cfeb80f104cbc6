#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The TUI without root: every tab draws, the sources that need root say so
# instead of showing zeros (slab, vmalloc, other users' fds and kernel
# stacks), and nothing crashes.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "drops to user nobody with setpriv, and starts a root process nobody may not inspect"
command -v setpriv >/dev/null || fail "setpriv (util-linux) is required"

# nobody must reach the binary: a copy in a directory anyone can traverse.
pub=$(mktemp -d /tmp/leaktop-nobody.XXXXXX)
chmod 755 "$pub"
cp "$LEAKTOP" "$pub/leaktop"
chmod 755 "$pub/leaktop"
trap 'cleanup; rm -rf "$pub"' EXIT
LEAKTOP="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $pub/leaktop"

start_leakgen --tcp-unread 1 --duration 300 --name lt-rootonly
LG_ROOT_PID=$(lg_field "role=receiver" pid)
[ -n "$LG_ROOT_PID" ] || fail "leakgen printed no receiver socket"
start_leaktop -- --no-config -d 0.5
keys 2
wait_for "slabinfo: permission denied (needs root)" 10
keys 6
wait_for "vmallocinfo: permission denied (needs root)" 10
keys 3
wait_re "^KIND +STATE" 10
wait_re "^(tcp|udp|unix|netlink|packet) " 10
# PID 1 belongs to root: its fds are unknown to nobody, shown as "-", not 0.
keys 4
wait_re "^ +1 " 10
screen | awk '$1 == 1 && $2 ~ /^[0-9.]+[BKMG]$/ { found = 1; fds = $5 }
	END { if (!found) print "no row for pid 1"; else if (fds != "-") print "fds of pid 1 shown as " fds
	      exit !(found && fds == "-") }' || fail "pid 1's fd count is not shown as missing"
# A process of root's own, found by its name: nobody may not read its fds,
# and its drill-down says so.
keys /
type_text lt-rootonly
keys Enter
wait_for "filter \"lt-rootonly\": 1 of" 10
keys Home Enter
wait_for "Process $LG_ROOT_PID lt-rootonly" 10
wait_for "(fds: permission denied)" 10
died && fail "leaktop died as nobody"
keys Escape q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: as nobody every tab draws and says what needs root"
