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
# In the tab's own table, where the rows would be (the message line may
# carry the same note on any tab).
keys 3
wait_re "^- +slabinfo: permission denied \(needs root\)" 10
keys 7
wait_re "^- +vmallocinfo: permission denied \(needs root\)" 10
keys 4
wait_re "^KIND +STATE" 10
wait_re "^(tcp|udp|unix|netlink|packet) " 10
# A process of root's own, found by its name: nobody may not read its fds,
# so they show as "-", not 0, and its drill-down says why.
keys 5
wait_re "^ *PID +RSS" 10
keys /
type_text lt-rootonly
keys Enter
wait_for "filter \"lt-rootonly\": 1 of" 10
wait_re "^ *$LG_ROOT_PID " 10
screen | awk -v p="$LG_ROOT_PID" '$1 == p { found = 1; fds = $5 }
	END { if (!found) print "no row for pid " p; else if (fds != "-") print "fds of pid " p " shown as " fds
	      exit !(found && fds == "-") }' || fail "the fd count of root's process is not shown as missing"
keys Home Enter
wait_for "Process $LG_ROOT_PID lt-rootonly" 10
wait_for "(fds: permission denied)" 10
died && fail "leaktop died as nobody"
keys Escape q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: as nobody every tab draws and says what needs root"
