#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The screen never waits for a sample. Every sample is made to last 4 s (the
# LEAKTOP_TEST_SAMPLE_DELAY_MS test hook sleeps inside it) at a 0.5 s
# interval: while one runs, the status line says "sampling ... late", a tab
# key switches the tab well before the sample ends (and with no new sample
# shown), and q exits at once.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

DELAY_MS=4000

ms() {
	date +%s%3N
}

# The sample number on the tab bar (" 0.5s #3 ").
seq_shown() {
	screen | sed -n 's/.* 0\.5s #\([0-9][0-9]*\).*/\1/p' | head -n 1
}

start_leaktop LEAKTOP_TEST_SAMPLE_DELAY_MS=$DELAY_MS -- --no-config -d 0.5 --tab sockets
wait_re "^KIND +STATE" 10
# The second sample starts 0.5 s after the first and is late 0.5 s later.
wait_re "sampling [0-9.]+s late" 10
seq0=$(seq_shown)
[ -n "$seq0" ] || fail "no sample number on the tab bar"

t0=$(ms)
keys 5
wait_re "^ +PID +RSS" 5
t1=$(ms)
seq1=$(seq_shown)
[ "$seq1" = "$seq0" ] ||
	fail "a new sample (#$seq1 after #$seq0) came before the tab switched: not mid-sample"
screen | grep -qE "sampling [0-9.]+s" || fail "the sampling note went away mid-sample"
# Well under the 4 s the sample takes (the box may be loaded: 1.5 s).
[ $((t1 - t0)) -lt 1500 ] || fail "the tab switched after $((t1 - t0)) ms, during a ${DELAY_MS} ms sample"
echo "tab switch mid-sample: $((t1 - t0)) ms (sample #$seq0 shown throughout)"

# A finished sample still shows up at once, and the note goes.
wait_re " 0\.5s #$((seq0 + 1))( |$)" 10
# q mid-sample: the next sample starts 0.5 s later; catch it running.
wait_re "sampling [0-9.]+s" 10
t0=$(ms)
keys q
wait_re "^LEAKTOP-EXITED=0$" 5
t1=$(ms)
[ $((t1 - t0)) -lt 1500 ] || fail "q took $((t1 - t0)) ms to exit mid-sample"
echo "PASS: keys answered mid-sample ($((t1 - t0)) ms to exit on q)"
