#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# leaktop under valgrind memcheck, on a leakgen load so that sockets, their
# owners and kernel stacks have content: (1) batch, 100 samples of every
# section as JSON; (2) the TUI through tmux: every tab, a drill-down from
# the Slab, Sockets and Processes tabs and back, freeze, history, marks A
# and B, the diff view, resizes, help, quit with q. Fails unless both runs
# end with 0 errors and no definitely or indirectly lost block (what ncurses
# keeps reachable until exit is fine). `make valgrind` runs it.
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}" "${TOP_SRCDIR:?}"
# Valgrind is some 20 to 50 times slower: the harness's deadlines stretch.
TIMEOUT_SCALE=${TIMEOUT_SCALE:-15}
. "$TOP_SRCDIR/tests/integration/lib.sh"
command -v valgrind >/dev/null 2>&1 || fail "valgrind is not installed (./build.sh installs it)"

BIN=$LEAKTOP
# A status of its own for memcheck's findings, apart from leaktop's 0, 1, 2.
VG_STATUS=42
VG="valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=$VG_STATUS
	--suppressions=$TOP_SRCDIR/tests/valgrind/leaktop.supp"

# vg_verdict LOG WHAT: memcheck's summary lines; fails on any error.
vg_verdict() {
	echo "$2: $(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|no leaks are possible' "$1" |
		sed 's/^==[0-9]*== *//' | tr '\n' ';')"
	if ! grep -qE 'ERROR SUMMARY: 0 errors' "$1"; then
		cat "$1"
		fail "$2: memcheck found errors or leaks (log above)"
	fi
}

start_leakgen --all --children 2 --duration 900
stack_pid=$(sed -n 's/^thread pid=\([0-9]*\) .*/\1/p' "$WORK/leakgen.out")
[ -n "$stack_pid" ] || fail "leakgen reported no blocked thread"

# (1) Batch.
t0=$(date +%s)
st=0
$VG --log-file="$WORK/vg-batch.log" "$BIN" -b -n 100 -d 0.1 -o json --top 0 --sections all \
	--stack "$stack_pid" >"$WORK/batch.json" 2>"$WORK/batch.err" || st=$?
t1=$(date +%s)
[ "$st" -ne "$VG_STATUS" ] || { cat "$WORK/vg-batch.log"; fail "batch: memcheck found errors or leaks"; }
[ "$st" -eq 0 ] || { cat "$WORK/batch.err"; fail "batch: leaktop exited $st"; }
[ "$(wc -l <"$WORK/batch.json")" -eq 100 ] || fail "batch: expected 100 samples"
grep -q '"owners":\[{' "$WORK/batch.json" || fail "batch: no socket owners sampled"
grep -q '"stacks":' "$WORK/batch.json" || fail "batch: no kernel stacks sampled"
vg_verdict "$WORK/vg-batch.log" "batch, 100 samples, $((t1 - t0)) s"

# (2) The TUI.
t0=$(date +%s)
LEAKTOP="$(echo "$VG" | tr '\n\t' '  ') --log-file=$WORK/vg-tui.log $BIN"
start_leaktop -- --no-config -d 0.2
wait_re "KIND +SUBJECT" 10
keys 2
wait_for "Memory breakdown" 10
# drill: Enter on the first row opens a page with a way back; Esc leaves it.
drill() {
	keys Home Enter
	wait_for "(Esc back" 30
	wait_re "$1" 30
	keys Escape
	wait_gone "(Esc back" 30
}
keys 3
wait_re "CACHE" 10
drill "^Slab cache "
keys 4
wait_re "^KIND +STATE" 10
keys Home Enter
wait_for "Socket inode" 10
keys End
# Kernel stack frames of the owner's threads (reading them needs root).
[ "$(id -u)" -ne 0 ] || wait_re "^ {6}[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+" 10
keys Escape
wait_gone "(Esc back" 10
keys 5
wait_re "^ *PID " 10
drill "^Process [0-9]+ "
keys 6
wait_for "TCP memory" 10
keys 7
wait_for "CALLER" 10
keys 8
wait_re "MEM +.MEM" 10

# Freeze, history, marks, diff.
keys 4 Space
wait_re "FROZEN #[0-9]+ of" 10
at=$(screen | sed -n 's/.*FROZEN #\([0-9]*\) of.*/\1/p' | head -n 1)
keys a
wait_for "marks A#$at" 10
keys '['
wait_for "FROZEN #$((at - 1)) of" 10
keys ']'
wait_for "FROZEN #$at of" 10
keys Space
wait_gone "FROZEN" 10
keys b
wait_re "marks A#[0-9]+.*B#[0-9]+" 10
keys d
wait_re "DIFF A#[0-9]+.*B#[0-9]+" 10
keys 2
wait_for "(B minus A)" 10
keys x
wait_gone "DIFF" 10

# Resizes, help, quit.
tm resize-window -t "$PANE" -x 20 -y 6
wait_for "terminal too small" 10
tm resize-window -t "$PANE" -x 132 -y 50
wait_for "7 Vmalloc" 10
tm resize-window -t "$PANE" -x 80 -y 24
keys h
wait_for "scroll this help" 10
keys PageDown x
wait_gone "scroll this help" 10
keys q
d=$(deadline 60)
until died; do
	past "$d" && fail "leaktop did not exit after q"
	sleep 0.2
done
t1=$(date +%s)
st=$(screen | sed -n 's/^LEAKTOP-EXITED=\([0-9]*\)$/\1/p')
[ "$st" -ne "$VG_STATUS" ] || { cat "$WORK/vg-tui.log"; fail "tui: memcheck found errors or leaks"; }
[ "$st" -eq 0 ] || fail "tui: leaktop exited $st"
vg_verdict "$WORK/vg-tui.log" "tui, $((t1 - t0)) s"
echo "PASS: no memcheck error and no leak in batch and TUI runs"
