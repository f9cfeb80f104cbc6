#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The TUI over a recording: record a process whose RSS grows (leakdrv rss)
# for 8 samples, then replay it at 80x24: step with [ ], mark A at the
# first sample, go to #8, mark B, and the diff view shows the driver's RSS
# grown by about what it allocated; go to a clock time; play to the end;
# the Suspects tab names the driver. It runs in namespaces of its own
# (own_ns.sh): on a shared machine other processes that grow faster than
# the driver push its row off the diff and its suspect off rank 1.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/own_ns.sh"
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

needs_root "the recording reads every process"
: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"
N=8

# 16 MiB a second: 7 s between the first and the last sample is ~112 MiB.
"$LEAKDRV" rss --rate 16M --cap 1G --duration 120 --no-stdin >"$WORK/drv.out" 2>&1 &
DRV_PID=$!
DRV_PIDS=$DRV_PID
d=$(deadline 20)
until grep -qx ready "$WORK/drv.out" 2>/dev/null; do
	past "$d" && fail "leakdrv rss not ready"
	sleep 0.1
done
pid=$(sed -n 's/^proc pid=\([0-9]*\) .*/\1/p' "$WORK/drv.out" | head -n 1)
[ -n "$pid" ] || fail "leakdrv printed no pid"

"$LEAKTOP" --record "$WORK/rec" -d 1 -n $N 2>"$WORK/record.err" ||
	fail "recording failed: $(cat "$WORK/record.err")"
kill "$DRV_PID"
wait "$DRV_PID" 2>/dev/null || true
DRV_PIDS=

# The recorded clock time of sample 4, local HH:MM:SS, from batch replay.
t4=$("$LEAKTOP" -o json --replay "$WORK/rec" --from '#4' --to '#4' | jq -r .time)
[ -n "$t4" ] || fail "batch replay gave no time for sample 4"
hms4=$(date -d "$t4" +%H:%M:%S)

start_leaktop -- --no-config --tab processes --replay "$WORK/rec"
wait_for "REPLAY rec 1/$N " 10

# Stepping.
keys ']'
wait_for "REPLAY rec 2/$N " 5
keys '['
wait_for "REPLAY rec 1/$N " 5
keys '['
wait_for "at the first recorded sample" 5

# Mark A at the first sample, go to the last, mark B, diff.
keys a
wait_re "marks A#[0-9]+" 5
keys g
wait_for "Go to" 5
type_text "#$N"
keys Enter
wait_for "REPLAY rec $N/$N " 10
keys b
wait_re "marks A#[0-9]+.*B#[0-9]+" 5
keys d
wait_re "DIFF A#[0-9]+.*B#[0-9]+" 5
wait_re "^~ +$pid " 5
row=$(screen | grep -E "^~ +$pid " | head -n 1)
# Fields: ~ pid rss drss ...: the driver grew by tens of MiB at least.
grown=$(echo "$row" | awk '{ print $4 }')
case "$grown" in
+[0-9]*M | +[0-9]*G) ;;
*) fail "the driver's RSS change in the diff is '$grown', expected +NNM: '$row'" ;;
esac
mib=$(echo "$grown" | sed 's/^+\([0-9.]*\)\([MG]\)$/\1 \2/' |
	awk '{ printf "%d\n", $2 == "G" ? $1 * 1024 : $1 }')
[ "$mib" -ge 48 ] || fail "the driver grew only $grown between the first and the last sample"
keys x
wait_gone "DIFF" 5

# Jump by clock time: the first sample at or after sample 4's second.
keys g
type_text "$hms4"
keys Enter
wait_for "REPLAY rec 4/$N $hms4" 10

# Play to the end at the recorded pace, which pauses there.
keys p
wait_re "REPLAY rec [5-8]/$N .* PLAY" 5
wait_for "REPLAY rec $N/$N " 15
wait_for "end of the recording: paused" 10
screen | grep -qF " PLAY " && fail "still playing at the end"

# Suspects over the recording: the driver is one. Not necessarily the
# first: the recording's memory side is the whole box's, which other tests
# move meanwhile (make check -j).
keys 1
wait_re "^ *[0-9]+ +rss +pid $pid " 10

# A bad spec says why and stays put.
keys g
type_text "#99"
keys Enter
wait_for "no sample" 5
screen | grep -qF "REPLAY rec $N/$N " || fail "a bad jump moved the view"

keys q
wait_for "LEAKTOP-EXITED=0" 10
echo "PASS: replay at 80x24: step, marks, diff ($grown for pid $pid), go to #$N and $hms4, play, suspects"
