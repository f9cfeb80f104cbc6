#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The terminal: resizing at any moment, down to 20x6 and even 1x1, never
# kills leaktop ("terminal too small" below its minimum) and it comes back
# whole at 80x24; with NO_COLOR, TERM=vt100 and the C locale it draws plain
# ASCII and still works.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

# drawn_at HEIGHT SECONDS: poll until the screen is redrawn at HEIGHT rows,
# the tab line on it and the key bar on its last row (text left from a
# smaller size shows the tab line but leaves the last row blank).
drawn_at() {
	_d=$(deadline "$2")
	until screen | grep -qF "2 Memory" && [ -n "$(screen | sed -n "${1}p" | tr -d ' ')" ]; do
		died && fail "leaktop exited while redrawing at $1 rows"
		past "$_d" && fail "not redrawn at $1 rows within $2 s"
		sleep 0.1
	done
}

start_leaktop -- --no-config -d 0.5
for size in 20x6 80x24 40x10 1x1 132x50 29x7 30x7 200x60 80x24; do
	tm resize-window -t "$PANE" -x "${size%x*}" -y "${size#*x}"
	case $size in
	20x6 | 1x1 | 29x7)
		[ "$size" = 1x1 ] || wait_for "terminal too small" 5
		;;
	*)
		drawn_at "${size#*x}" 5
		;;
	esac
	# Keys while resized must not hurt either.
	keys Tab
done
died && fail "leaktop died while resizing"
wait_re "^Mem\[" 5
# Every tab draws at 80x24.
for t in "1 VERDICT" "2 Memory breakdown" "3 CACHE" "4 LOCAL" "5 COMMAND" "6 TCP memory" "7 CALLER"; do
	keys "${t%% *}"
	wait_for "${t#* }" 10
done
keys q
wait_re "^LEAKTOP-EXITED=0$" 10

# Monochrome, vt100, ASCII: still usable, nothing but ASCII on the screen.
tm kill-session -t "$PANE"
start_leaktop NO_COLOR=1 TERM=vt100 LANG=C LC_ALL=C -- --no-config --tab sockets -d 0.5
wait_re "^KIND +STATE .*SKMEM(v|\^)" 10
keys '>'
wait_re "dSKMEM(v|\^)" 5
screen | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "non-ASCII output in the C locale"
# The active tab is marked without color.
screen | grep -qF "[4 Sockets]" || fail "active tab not marked in monochrome"
keys 1
wait_re "^Mem\[" 5
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: resize, tiny terminals, monochrome ASCII"
