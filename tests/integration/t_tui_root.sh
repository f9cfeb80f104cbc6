#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# leaktop --root on a tree with no /proc/net files (sock_diag reads only the
# running kernel, so a tree has no other socket source): the Sockets tab
# says why it has no sockets instead of showing an empty table, and the TCP
# tab shows a tcp_mem of 2^62 pages as a saturated byte count, not a
# wrapped-around one.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

tree="$WORK/tree"
mkdir -p "$tree/proc/sys/net/ipv4" "$tree/sys"
cp "$TOP_SRCDIR/tests/fixtures/seed001/meminfo" "$tree/proc/meminfo"
# 2^62 pages times any page size passes 2^64 bytes.
echo "4611686018427387904 4611686018427387904 4611686018427387904" \
	>"$tree/proc/sys/net/ipv4/tcp_mem"

start_leaktop -- --no-config --root "$tree" -d 1
keys 4
wait_re "^KIND +STATE" 10
wait_for "sockets: no /proc/net socket file could be read in this tree" 10
screen | grep -qF "(no rows)" && fail "the Sockets tab shows an empty table"

keys 6
wait_for "tcp_mem max" 10
line=$(screen | grep -F "tcp_mem max")
echo "$line" | grep -qE "pages +16\.0E" || fail "tcp_mem max not saturated: $line"
echo "PASS: the Sockets tab says why it is empty; tcp_mem saturates"
