#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# No false alarm: 30 samples of steady churn and nothing leaking. A
# compile job (leakdrv's sources compiled again and again into a private
# directory), short loopback connections (leakdrv churn) and short-lived
# processes (leakdrv churn --procs) run while "leaktop -b -o json -n 30
# -d 1" watches; 1 s instead of the default 2 s keeps the test at half a
# minute, and a shorter interval only makes the engine quicker to judge.
# From the fourth sample on, no suspect may be one of the test's own
# processes or a machine-wide quantity (slab caches, memory classes,
# mounts, vmalloc callers, TCP figures) that the churn moves. Other
# people's processes growing on a shared machine are shown and ignored.
# Machine-wide quantities are moved by other users' jobs too: when a
# machine-wide suspect comes while someone else's leak driver (an ld-*
# process not ours) runs, the run is repeated once none runs (waiting up
# to 10 minutes), at most 3 times, and the
# test says SKIP when the machine never was quiet; without such a driver
# any machine-wide suspect fails.
set -u

: "${LEAKTOP:?LEAKTOP must name the leaktop binary}"
: "${LEAKDRV:?LEAKDRV must name the leakdrv binary}"
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"
. "$TOP_SRCDIR/tests/integration/machine_lock.sh"

skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root: slabinfo, other processes' fds"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler for the compile job"
"$LEAKTOP" -b -o json -n 1 --sections suspects >/dev/null 2>&1 ||
	skip "this leaktop has no suspects section"

SAMPLES=30
WORK=$(mktemp -d /tmp/t_suspects_quiet.XXXXXX)
PIDS=

stop_pid() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

cleanup() {
	for p in $PIDS; do
		stop_pid "$p"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# start NAME DRIVER ARGS...: a driver, once it says ready.
start() {
	name=$1
	shift
	"$LEAKDRV" "$@" --duration 600 >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
	PIDS="$PIDS $!"
	i=0
	while ! grep -q '^ready$' "$WORK/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$!" 2>/dev/null; then
			echo "FAIL: $name: no ready line"
			cat "$WORK/$name.err"
			exit 1
		fi
		sleep 0.1
	done
}

# The compile job: each compiler's pid is written down (its own children,
# cc1 and as, live a fraction of a second).
compile_loop() {
	mkdir -p "$WORK/obj"
	while :; do
		for src in "$TOP_SRCDIR"/tests/leakdrv/*.c; do
			"$CC" -O2 -c "$src" -o "$WORK/obj/$(basename "$src" .c).o" 2>/dev/null &
			echo "$!" >>"$WORK/compile.pids"
			wait "$!"
		done
		rm -f "$WORK/obj"/*.o
	done
}

start churn churn --rate 200
start procs churn --rate 20 --procs 20
compile_loop &
PIDS="$PIDS $!"
echo "$!" >>"$WORK/compile.pids"
sleep 2

# Tests that move machine-wide figures hold the lock exclusively: none runs
# during a run. Others' drivers that still do (leakgen, memgen, the perl
# drivers, ld-*) are looked for every second of it.
MOVERS='^(ld-|leakgen$|memgen$|perl$)'

# run N: leaktop over SAMPLES samples; the suspects that count are left
# in $WORK/bad.N (one JSON object a line).
run() {
	machine_lock machine-wide shared || exit 99
	foreign_drivers "$WORK/others.$1" "$MOVERS"
	(while :; do foreign_drivers "$WORK/others.$1" "$MOVERS"; sleep 1; done) 9>&- &
	_watch=$!
	"$LEAKTOP" -b -o json -n "$SAMPLES" -d 1 --sections suspects >"$WORK/lt.$1.json" \
		2>"$WORK/lt.$1.err"
	kill "$_watch" 2>/dev/null
	wait "$_watch" 2>/dev/null
	ours=$(cat "$WORK"/*.out "$WORK/compile.pids" | grep -o '\(^\| pid=\)[0-9]*' |
		tr -dc '0-9\n' | sort -u | jq -s -c .)
	samples=$(wc -l <"$WORK/lt.$1.json")
	[ "$samples" -eq "$SAMPLES" ] || {
		echo "FAIL: leaktop gave $samples samples of $SAMPLES"
		cat "$WORK/lt.$1.err"
		exit 1
	}
	# Theirs: shown, never counted. A cgroup is theirs too: the cgroup
	# this test runs in holds every test of the suite running beside it
	# (on this host each command gets one), and their leak drivers grow it.
	jq -r --argjson ours "$ours" 'select(.seq > 3) | .suspects[]
		| select(.kind == "cgroup" or ((.subject.pid // 0) != 0 and ((.subject.pid) as $p | $ours | index($p) | not)))
		| "note: not ours, ignored: " + .verdict' "$WORK/lt.$1.json" | sort -u | head -n 5
	jq -c --argjson ours "$ours" 'select(.seq > 3) | .seq as $s | .suspects[]
		| select(.kind != "cgroup")
		| select((.subject.pid // 0) == 0 or ((.subject.pid) as $p | $ours | index($p)))
		| {seq: $s, kind, subject: .subject.text, verdict}' "$WORK/lt.$1.json" >"$WORK/bad.$1"
	foreign_drivers "$WORK/others.$1" "$MOVERS"
	machine_unlock
}

n=1
while :; do
	[ $n -gt 1 ] && { wait_quiet 600 "$MOVERS" || :; }
	run $n
	[ -s "$WORK/bad.$n" ] || break
	if jq -e 'select(.subject | test("^pid "))' "$WORK/bad.$n" >/dev/null ||
	   [ ! -s "$WORK/others.$n" ]; then
		echo "FAIL: false alarms under steady churn:"
		head -n 10 "$WORK/bad.$n"
		exit 1
	fi
	echo "note: run $n: machine-wide suspects while $(sort -u "$WORK/others.$n" | wc -l) leak drivers of other users ran:"
	jq -r '.verdict' "$WORK/bad.$n" | sort -u | head -n 3
	[ $n -lt 3 ] || skip "other users' leak drivers kept moving machine-wide quantities for 3 runs"
	n=$((n + 1))
done
echo "ok: run $n: $SAMPLES samples of compile, connection and process churn: no suspect of ours or machine-wide"
tail -n 1 "$WORK/lt.$n.json" | jq -r '"summary: " + (.suspects_summary.empty // "")'
exit 0
