#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Sockets tab on the live kernel: leakgen's receiver socket (megabytes
# queued, never read) is the first row under the default skmem sort; Enter
# shows its owner pid and fd and at least one kernel stack frame; < > move
# the sort and the rows follow it; r reverses; / narrows the rows.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
needs_root "the owner pid and fd of a socket, and kernel stacks"

start_leakgen --tcp-unread 1 --bytes 8000000 --rcvbuf 16000000 --duration 300
ino=$(lg_field "role=receiver" inode)
pid=$(lg_field "role=receiver" pid)
fd=$(lg_field "role=receiver" fd)
[ -n "$ino" ] && [ -n "$pid" ] || fail "leakgen printed no receiver socket"

start_leaktop -- --no-config --tab sockets -d 1
wait_re "^KIND +STATE" 10
wait_for " $ino " 15

# The receiver is first: other programs on the box may hold sockets of the
# same size (the kernel caps the receive buffer), so it must be in the run
# of rows that share the top SKMEM value, and no row above it is larger.
skcol=$(screen | grep -E "^KIND " | awk '{ print index($0, "SKMEM") }')
table_rows KIND >"$WORK/rows"
top=$(head -n 1 "$WORK/rows" | cut -c"$skcol"- | awk '{ print $1 }')
awk -v c="$skcol" -v top="$top" '{ v = substr($0, c); split(v, f, " "); if (f[1] != top) exit; print }' \
	"$WORK/rows" >"$WORK/toprun"
grep -qE "^tcp +ESTAB .* $ino " "$WORK/toprun" ||
	fail "receiver inode $ino is not first (top skmem $top): $(head -n 3 "$WORK/rows")"
grep -E " $ino " "$WORK/toprun" | grep -qF "$pid/" || fail "receiver row does not name owner pid $pid"

# Drill in: owner pid and fd, and kernel stack frames of its threads. The
# filter leaves the receiver alone first: a socket of another test with
# the same SKMEM can take row 1 between the check above and Enter.
keys /
wait_for "Filter: " 5
type_text "$ino"
keys Enter
wait_for "filter \"$ino\": 1 of" 5
keys Enter
wait_for "Socket inode $ino" 10
keys End
wait_for "Kernel stacks" 10
wait_for "pid $pid fd $fd " 10
wait_re "^ {6}[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+" 10
keys Escape
wait_re "^KIND +STATE" 10
keys Escape
wait_gone "filter \"$ino\"" 5

# Sort by inode: step the sort column with > and < until the INODE title
# carries the sort arrow, then check the order of the rows.
# Which whitespace-separated field INODE is (the columns before it never
# hold blanks).
inode_field() {
	screen | grep -E "^KIND " | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^INODE/) print i }'
}
sorted_on_inode() {
	screen | grep -qE "^KIND .*INODE(▲|▼|\^|v)"
}
header() {
	screen | grep -E "^KIND "
}
# One > at a time, each waited for, so a slow sample cannot make it overshoot.
i=0
while ! sorted_on_inode; do
	before=$(header)
	keys '>'
	d=$(deadline 10)
	while [ "$(header)" = "$before" ]; do
		past "$d" && fail "> did not move the sort"
		sleep 0.1
	done
	i=$((i + 1))
	[ $i -le 30 ] || fail "> never reached the INODE column"
done
wait_re "INODE(▲|\^)" 5
check_order() {
	# $1: -n for ascending, -nr for descending. Column of INODE values.
	f=$(inode_field)
	table_rows KIND | awk -v f="$f" '{ print $f }' | grep -E '^[0-9]+$' >"$WORK/inodes"
	[ "$(wc -l <"$WORK/inodes")" -ge 5 ] || fail "fewer than 5 rows to check the order"
	sort -c "$1" "$WORK/inodes" || fail "rows not in $1 inode order: $(tr '\n' ' ' <"$WORK/inodes")"
}
check_order -n
keys r
wait_re "INODE(▼|v)" 5
check_order -nr
# < goes back to the column on the left.
keys '<'
wait_gone "INODE▼" 5
screen | grep -qE "^KIND .*INODE " || fail "< left the sort on INODE"

# Filter: / then the inode narrows the table to that one socket.
keys /
wait_for "Filter: " 5
type_text "$ino"
keys Enter
wait_for "filter \"$ino\": 1 of" 5
rows=$(table_rows KIND | grep -c . || true)
[ "$rows" -eq 1 ] || fail "filter left $rows rows, expected 1"
keys Escape
wait_gone "filter \"$ino\"" 5
rows=$(table_rows KIND | grep -c . || true)
[ "$rows" -gt 1 ] || fail "Esc did not clear the filter"

keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: sockets tab, drill-down, sort, filter"
