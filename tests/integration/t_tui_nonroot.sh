#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The TUI without root: every tab draws, the sources that need root say so
# instead of showing zeros (slab, vmalloc, other users' fds and kernel
# stacks), and nothing crashes.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
command -v setpriv >/dev/null || fail "setpriv (util-linux) is required"

# nobody must reach the binary: a copy in a directory anyone can traverse.
pub=$(mktemp -d /tmp/leaktop-nobody.XXXXXX)
chmod 755 "$pub"
cp "$LEAKTOP" "$pub/leaktop"
chmod 755 "$pub/leaktop"
trap 'cleanup; rm -rf "$pub"' EXIT
LEAKTOP="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $pub/leaktop"

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
wait_re "^ *1 +[0-9.]+[BKMG] " 10
screen | awk '$1 == 1 && $2 ~ /^[0-9.]+[BKMG]$/ { found = 1; fds = $5 }
	END { if (!found) print "no row for pid 1"; else if (fds != "-") print "fds of pid 1 shown as " fds
	      exit !(found && fds == "-") }' || fail "pid 1's fd count is not shown as missing"
keys /
type_text process_api
keys Enter
keys Home Enter
wait_re "permission denied \(needs root\)|not permitted" 10
died && fail "leaktop died as nobody"
keys Escape q
wait_for "LEAKTOP-EXITED=0" 10
echo "PASS: as nobody every tab draws and says what needs root"
