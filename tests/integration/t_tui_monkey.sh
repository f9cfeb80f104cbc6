#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Robustness: a reproducible pseudo-random storm of every documented key plus
# junk bytes, Escape, arrows and F-keys, with resizes between 1x1 and 200x60,
# while sockets come and go, never kills, hangs or garbles leaktop; q still
# quits with status 0 and the terminal is restored. Then Ctrl-Z and fg in a
# job-control shell suspend and redraw it, and a view frozen for longer than
# the history keeps its sparklines still. MONKEY_SEED picks the sequence (printed
# so a failure can be replayed), MONKEY_KEYS its length.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

SEED=${MONKEY_SEED:-20261124}
NKEYS=${MONKEY_KEYS:-1500}
echo "monkey seed $SEED, $NKEYS keys"

# The exit line starts a line; the Processes tab may show a command line
# holding the marker (this script's own grep), which is not an exit.
died() {
	screen | grep -q '^LEAKTOP-EXITED='
}

# Short-lived load generators on top of the long one make sockets vanish.
EXTRA_PIDS=
monkey_cleanup() {
	for p in $EXTRA_PIDS; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	cleanup
}
trap monkey_cleanup EXIT

mfail() {
	echo "monkey seed $SEED (replay: MONKEY_SEED=$SEED MONKEY_KEYS=$NKEYS $0)"
	echo "--- last actions:"
	tail -n 15 "$WORK/done" 2>/dev/null || true
	fail "$@"
}

alive() {
	if died; then
		mfail "leaktop exited during the key storm"
	fi
}

# restored WHAT: curses has left the alternate screen and shows the cursor.
restored() {
	_d=$(deadline 5)
	until [ "$(tm display-message -p -t "$PANE" '#{alternate_on}')" = 0 ]; do
		past "$_d" && mfail "the alternate screen is still on after $1"
		sleep 0.1
	done
	[ "$(tm display-message -p -t "$PANE" '#{cursor_flag}')" = 1 ] ||
		mfail "the cursor is still hidden after $1"
}

start_leakgen --all --grow-after 5 --grow 20 --duration 90
start_leaktop -- -d 0.3 --no-config

# The plan, one action a line: K key-names (a burst for one send-keys), H hex
# bytes, R WxH (resize), C (check alive), G (start a short-lived leakgen).
# Keys that leave (q, F10) or signal (C-c, C-z, C-\, C-s) are not in it.
awk -v seed="$SEED" -v n="$NKEYS" '
BEGIN {
	srand(seed)
	nk = split("1 2 3 4 5 6 Tab BTab Up Down PPage NPage Home End Left Right < > F6 r / " \
		"Escape Enter BSpace c Space [ ] a b d x s S C-l h ? F1 C-u", K, " ")
	nj = split("Escape Up Down Left Right F2 F3 F4 F5 F7 F8 F9 F11 F12 Enter BSpace C-l " \
		"C-u IC DC M-a M-[ C-a C-e Escape Escape", J, " ")
	sent = 0
	while (sent < n) {
		r = rand()
		if (r < 0.02) {
			printf "R %dx%d\n", 1 + int(rand() * 200), 1 + int(rand() * 60)
			continue
		}
		if (r < 0.04) {
			# Around the smallest usable size and the header steps.
			printf "R %dx%d\n", 27 + int(rand() * 20), 5 + int(rand() * 18)
			continue
		}
		if (r < 0.06) {
			print "R 80x24"
			continue
		}
		if (r < 0.07) {
			print "G"
			continue
		}
		if (r < 0.12) {
			# A prompt with junk text, accepted or cancelled.
			line = "K " (rand() < 0.5 ? "/" : "s")
			print line
			b = "H"
			m = 1 + int(rand() * 12)
			for (i = 0; i < m; i++) {
				c = 32 + int(rand() * 95)
				if (c == 113)
					c = 81
				b = b sprintf(" %02x", c)
			}
			if (rand() < 0.2)
				b = b " c3 a9 e4 b8 ad"
			print b
			print "K " (rand() < 0.6 ? "Enter" : "Escape")
			sent += m + 2
			continue
		}
		line = "K"
		m = 1 + int(rand() * 8)
		for (i = 0; i < m; i++) {
			if (rand() < 0.8)
				k = K[1 + int(rand() * nk)]
			else
				k = J[1 + int(rand() * nj)]
			if (k == ";")
				k = "\\;"
			line = line " " k
		}
		print line
		sent += m
		if (rand() < 0.15) {
			b = "H"
			m = 1 + int(rand() * 4)
			for (i = 0; i < m; i++) {
				c = 32 + int(rand() * 95)
				if (c == 113)
					c = 81
				b = b sprintf(" %02x", c)
			}
			print b
			sent += m
		}
		if (int(sent / 50) != int((sent - m) / 50))
			print "C"
	}
}' >"$WORK/plan"

: >"$WORK/done"
t0=$(now)
while read -r op args; do
	echo "$op $args" >>"$WORK/done"
	case $op in
	K)
		# shellcheck disable=SC2086
		keys $args
		;;
	H)
		# shellcheck disable=SC2086
		tm send-keys -t "$PANE" -H $args
		;;
	R)
		tm resize-window -t "$PANE" -x "${args%x*}" -y "${args#*x}"
		;;
	G)
		"$LEAKGEN" --tcp-unread 3 --unix-unread 2 --duration 2 \
			>/dev/null 2>&1 </dev/null &
		EXTRA_PIDS="$EXTRA_PIDS $!"
		;;
	C)
		alive
		sleep 0.05
		;;
	esac
done <"$WORK/plan"
alive

# Back to a known state: normal size, no prompt, no drill-down, no help.
tm resize-window -t "$PANE" -x 80 -y 24
keys Escape
sleep 0.2
keys Escape Escape Escape
sleep 0.2
keys x
keys 2
wait_re "^Mem\[" 15
wait_for "2 Memory" 5
# No raw control character reached the screen.
tm capture-pane -p -t "$PANE" | LC_ALL=C grep -q "$(printf '[\001-\010\016-\037\177]')" &&
	mfail "a raw control character reached the screen"
# What the terminal shows is what curses thinks it shows: with sampling
# held off (an hour's interval, so that neither the view nor the history
# moves), a full repaint (Ctrl-L) changes nothing above the message line.
keys s
wait_for "Interval (seconds):" 5
type_text 3600
keys Enter
wait_for " 3600s #" 5
wait_gone "Interval (seconds):" 5
screen | head -n 22 >"$WORK/before"
# The interval prompt after Ctrl-L shows on the message line only once
# leaktop has read both keys and drawn again: a hung leaktop fails here
# instead of leaving an unchanged screen that compares equal.
keys C-l s
wait_for "Interval (seconds):" 5
keys Escape
wait_gone "Interval (seconds):" 5
screen | head -n 22 >"$WORK/after"
if ! cmp -s "$WORK/before" "$WORK/after"; then
	diff "$WORK/before" "$WORK/after" || true
	mfail "the screen differs from a full repaint"
fi
echo "storm done in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"

keys q
wait_for "LEAKTOP-EXITED=0" 10
restored "q"
if [ -s "$WORK/leaktop.err" ]; then
	mfail "leaktop wrote to stderr"
fi

# Ctrl-Z under a job-control shell gives the terminal back; fg draws the
# screen again and the keys still work. (The harness pane has no job
# control: there a stop signal is discarded and curses just redraws.)
# The new session comes first: killing the last one ends the tmux server.
tm -u new-session -d -s js -x 80 -y 24 "env PS1='$ ' ENV= sh -i"
tm kill-session -t "$PANE"
PANE=js
wait_for '$' 5
type_text "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen XDG_CONFIG_HOME=$WORK/config \
$LEAKTOP --no-config -d 0.3 -H 3 2>$WORK/leaktop.err"
keys Enter
wait_re "^Mem\[" 15
keys 4
wait_re "^KIND +STATE" 10
keys C-z
wait_for "Stopped" 5
restored "Ctrl-Z"
type_text "fg"
keys Enter
wait_re "^Mem\[" 10
wait_re "^KIND +STATE" 5
[ "$(tm display-message -p -t "$PANE" '#{alternate_on}')" = 1 ] ||
	mfail "curses is not back after fg"
keys 2
wait_for "Memory breakdown" 10
# Frozen for longer than the 3 samples of history: the sparklines no longer
# have the shown sample's past, and must not show the newer samples instead.
keys Space
wait_for FROZEN 5
# "FROZEN #V of N": N is the newest sample, which keeps counting while the
# view stands still, so a live leaktop is told from a hung one by N moving.
# Wait until the view is older than the 3 samples the ring keeps, then for
# two more samples: the sparklines must not move meanwhile.
newest() {
	screen | sed -n 's/.*FROZEN #\([0-9]*\) of \([0-9]*\).*/\1 \2/p' | head -n 1
}
# wait_newest MIN SECONDS: poll until the newest sample is at least MIN.
wait_newest() {
	_d=$(deadline "$2")
	while :; do
		set -- "$1" "$2" $(newest)
		[ $# -eq 4 ] && [ "$4" -ge "$1" ] && return 0
		died && mfail "leaktop exited while frozen"
		past "$_d" && mfail "the newest sample did not reach #$1 within $2 s (hung?)"
		sleep 0.1
	done
}
set -- $(newest)
[ $# -eq 2 ] || mfail "no 'FROZEN #V of N' on the status line"
view=$1
wait_newest $((view + 4)) 10
r1=$(screen | sed -n 6p)
set -- $(newest)
wait_newest $(($2 + 2)) 10
r2=$(screen | sed -n 6p)
[ "$r1" = "$r2" ] || mfail "the sparklines of a frozen view moved: '$r1' then '$r2'"
# A signal to end leaves the terminal restored too.
kill -TERM "$(pgrep -P "$(tm display-message -p -t "$PANE" '#{pane_pid}')" -x leaktop)"
wait_gone "Memory breakdown" 10
restored "SIGTERM"
type_text 'echo FG-EXIT=$?'
keys Enter
wait_re "FG-EXIT=[0-9]" 5
if [ -s "$WORK/leaktop.err" ]; then
	mfail "leaktop wrote to stderr"
fi
echo "PASS: monkey seed $SEED: $NKEYS keys, resizes, suspend/resume, clean exit"
