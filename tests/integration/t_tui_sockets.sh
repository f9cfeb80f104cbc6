#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Sockets tab on the live kernel: leakgen's receiver socket (megabytes
# queued, never read) is the first row under the default skmem sort; Enter
# shows its tcp_info, owner pid and fd and at least one kernel stack frame;
# < > move the sort and the rows follow it; r reverses; / narrows the rows.
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
# Rows of a sample; leakgen's own may be below the screen on a busy box.
wait_re "^tcp +[A-Z-]+ " 15

# The default sort is SKMEM, largest first: every row on the screen holds
# no more than the row above it ("-", no figure, only below all figures).
# Which rows those are depends on the box: other tests' drivers may hold
# sockets larger than the receiver, so its own place is checked under a
# filter to its process below.
skcol=$(screen | grep -E "^KIND " | awk '{ print index($0, "SKMEM") }')
[ "$skcol" -gt 0 ] || fail "no SKMEM column: $(screen | grep -E '^KIND ')"
screen | grep -qE "^KIND .*SKMEM(▼|v)" || fail "default sort is not SKMEM descending: $(screen | grep -E '^KIND ')"
table_rows KIND >"$WORK/rows"
awk -v c="$skcol" '
function bytes(v,   n, u) {
	if (v == "-") return -1
	n = v + 0; u = substr(v, length(v))
	if (u == "K") n *= 1024; else if (u == "M") n *= 1048576
	else if (u == "G") n *= 1073741824; else if (u == "T") n *= 1099511627776
	return n
}
/^(tcp|udp|udplite|unix|raw|packet|netlink) / {
	split(substr($0, c), f, " "); b = bytes(f[1]); rows++
	# Figures are rounded to three digits: allow that much between rows.
	if (rows > 1 && b > prev * 1.01 + 1) { print "row " rows " (" f[1] ") is above " pv; bad = 1; exit }
	prev = b; pv = f[1]
}
END { if (!bad && rows < 2) { print "only " rows " socket rows"; bad = 1 } exit bad }
' "$WORK/rows" >"$WORK/order" || fail "SKMEM order: $(cat "$WORK/order"): $(head -n 5 "$WORK/rows")"

# Among its own process's sockets the receiver (megabytes queued) is first.
keys /
wait_for "Filter: " 5
type_text "$pid/"
keys Enter
wait_for "filter \"$pid/\"" 5
wait_for " $ino " 15
# The filter is a substring: pid 1$pid's rows pass it too.
table_rows KIND | awk -v p="$pid/" '$1 ~ /^[a-z]+$/ && index($7, p) == 1 { print; exit }' >"$WORK/first"
grep -qE "^tcp +ESTAB .* $ino +$pid/" "$WORK/first" ||
	fail "receiver inode $ino is not the first of pid $pid's sockets: $(table_rows KIND | head -n 3)"
keys Escape
wait_gone "filter \"$pid/\"" 5

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
# tcp_info, below the memory figures (the page is longer than the pane):
# the samples leave it out until a socket page is open; the one the page
# asks for brings it. Down a line at a time until its last line shows.
d=$(deadline 15)
until screen | grep -qE "^  tcp_info length [0-9]+ bytes"; do
	past "$d" && fail "no tcp_info on the socket page: $(screen | sed -n '9,24p')"
	keys Down
	sleep 0.2
done
wait_re "^  rcv_ssthresh [0-9]+  rcv_space [0-9]+ " 5
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
