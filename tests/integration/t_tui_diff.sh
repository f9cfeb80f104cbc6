#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Freeze and diff, live: freeze, mark A, make leakgen grow (SIGUSR1), resume,
# mark B, and the diff view lists the new sockets as new ("+") with a
# positive skmem change; the Memory tab shows B minus A; [ and ] step
# through the history while frozen.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

start_leakgen --tcp-unread 1 --bytes 2000000 --grow 2 --grow-after 3600 --duration 300
ino=$(lg_field "role=receiver" inode)
[ -n "$ino" ] || fail "leakgen printed no receiver socket"

start_leaktop -- --no-config --tab sockets -d 1
# Only leakgen's sockets: on a shared box other tests' sockets of the same
# size can push its receiver off the screen. The filter stays on through the
# freeze, the marks and the diff view.
keys /
wait_for "Filter: " 5
type_text "$LG_PID/"
keys Enter
wait_for " $ino " 15

keys Space
wait_re "FROZEN #[0-9]+" 5
frozen_at=$(screen | sed -n 's/.*FROZEN #\([0-9]*\).*/\1/p' | head -n 1)
keys a
wait_re "marks A#$frozen_at" 5

kill -USR1 "$LG_PID"
d=$(deadline 30)
until grep -q '^grown ' "$WORK/leakgen.out"; do
	past "$d" && fail "leakgen did not grow"
	sleep 0.1
done
new=$(grep 'role=receiver' "$WORK/leakgen.out" | tr ' ' '\n' | sed -n 's/^inode=//p' |
	grep -vx "$ino" | head -n 1)
[ -n "$new" ] || fail "no new receiver after the grow"

# Frozen while sampling goes on: once a sample newer than the growth was
# taken, the display still must not show the new socket.
newest=$(screen | sed -n 's/.*FROZEN #[0-9]* of \([0-9]*\).*/\1/p' | head -n 1)
[ -n "$newest" ] || fail "no newest sample number next to FROZEN"
d=$(deadline 20)
while :; do
	n=$(screen | sed -n 's/.*FROZEN #[0-9]* of \([0-9]*\).*/\1/p' | head -n 1)
	[ -n "$n" ] && [ "$n" -gt "$newest" ] && break
	past "$d" && fail "sampling stopped while frozen (newest stays #$newest)"
	sleep 0.1
done
screen | grep -qF "FROZEN #$frozen_at " || fail "the frozen sample changed"
screen | grep -qF " $new " && fail "frozen display showed a socket made after the freeze"
keys Space
wait_gone "FROZEN" 5
wait_for " $new " 10
keys b
wait_re "marks A#$frozen_at.*B#[0-9]+" 5
keys d
wait_re "DIFF A#$frozen_at.*B#[0-9]+" 5
wait_re "^\+ +tcp +ESTAB .* $new " 5
row=$(screen | grep -E "^\+ +tcp +ESTAB .* $new " | head -n 1)
# Fields: + kind state recvq skmem dskmem ...: the change is positive.
delta=$(echo "$row" | awk '{ print $6 }')
case "$delta" in
+0 | 0) fail "new socket's skmem change is zero: '$row'" ;;
+*) ;;
*) fail "new socket's skmem change is not positive: '$row'" ;;
esac
# The old receiver is unchanged: not listed among the changes.
screen | grep -E "^[+~-] " | grep -qF " $ino " &&
	fail "the unchanged receiver $ino is listed as changed"

# Every tab diffs: the Memory tab says B minus A.
keys 2
wait_for "(B minus A)" 5
keys 4
wait_re "^  KIND" 5

# Leave the diff, clear the marks, step back and forth in history.
keys x
wait_gone "DIFF" 5
keys '['
wait_re "FROZEN #[0-9]+" 5
at=$(screen | sed -n 's/.*FROZEN #\([0-9]*\).*/\1/p' | head -n 1)
keys '['
wait_for "FROZEN #$((at - 1))" 5
keys ']'
wait_for "FROZEN #$at" 5

keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: freeze, marks, diff view, history"
