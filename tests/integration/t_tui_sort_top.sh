#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A new sort order shows its top: on the Processes tab sorted by PID, the
# selection is on PID 1, whose FDS is "-" (its fds are refused even to
# root); sorting by FDS must show the largest FDS first, not follow PID 1
# to the bottom of the list.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

mkdir -p "$WORK/config/leaktop"
cat >"$WORK/config/leaktop/leaktoprc" <<'RC'
tab = processes
processes.sort = pid
processes.reverse = 0
processes.columns = pid,fds,comm
RC

# The rows under the "PID" title line, up to the message line.
rows() {
	screen | awk 'found && NR < 23 { print } /^ +PID/ { found = 1 }'
}

start_leaktop -- -d 1
wait_re "^ +PID(▲|\^) +FDS " 10
# PID 1 is the first row and selected.
rows | head -n 1 | grep -qE "^ +1 " || fail "PID 1 is not the first row"
# The test needs more processes with fds than the screen has rows, so that
# PID 1 at the bottom would be off the first screen.
[ "$(ls -d /proc/[0-9]* | wc -l)" -gt 40 ] || skip "fewer than 40 processes on this box"

keys '>'
wait_re "^ +PID +FDS(▼|v) " 10
rows >"$WORK/rows"
[ -s "$WORK/rows" ] || fail "no rows under the titles"
# The top of the new order: the first row has the largest FDS shown...
awk 'NR == 1 { top = $2; if (top !~ /^[0-9]+$/) { print "first FDS is " top; exit 1 } }
     $2 ~ /^[0-9]+$/ && $2 + 0 > top + 0 { print "row " NR " has FDS " $2 " > " top; exit 1 }' \
	"$WORK/rows" || fail "the rows do not start at the largest FDS"
# ...and PID 1 (FDS "-", sorted last) is not where the view went.
if awk '$1 == 1 { found = 1 } END { exit !found }' "$WORK/rows"; then
	fail "the view followed PID 1 to the bottom instead of showing the top"
fi
echo "PASS: sorting by FDS shows the top of the list"
