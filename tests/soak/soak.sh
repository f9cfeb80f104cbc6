#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# soak.sh DURATION [HISTORY]: leaktop's TUI at one sample a second, on the
# Sockets tab, for DURATION seconds while churngen makes short loopback TCP
# connections (SOAK_CONNS a second, default 2000), short-lived processes
# (SOAK_PROCS, default 200) and a slowly growing leak. Every SOAK_EVERY
# seconds (default 2) leaktop's VmRSS, utime+stime, open fds, sample number
# and message line go to DIR/soak.csv (DIR = SOAK_OUT, default a temporary
# directory removed at exit). SOAK_LEAKTOP_ENV adds VAR=VALUE words to
# leaktop's environment (e.g. malloc tunables). It fails when leaktop
#   - exits, writes to stderr, or shows a message line that reads as an error
#     (other than the expected notes below);
#   - falls behind 1 Hz, grows (RSS, fds) once its history ring (HISTORY
#     samples, default leaktop's own) has filled and turned over, or burns
#     more CPU as time goes on: tests/soak/soak_report.sh has the bounds;
#   - no longer answers keys at the end (a tab switch must show within 10 s,
#     q must quit with status 0).
# It prints the rates churngen reached and a summary line; exit 0 on pass,
# 1 on failure, 77 when it cannot run (not root, no tmux).
set -eu

TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
# Network and pid namespaces of its own (own_ns.sh): the sockets and
# processes leaktop walks are the churn's and not whatever else the machine
# runs at the time (another test's 100k sockets made every sample cost
# several times more), so its memory and CPU follow the load this test made.
# The memory side (/proc/meminfo, slab) stays the machine's.
export TOP_SRCDIR
. "$TOP_SRCDIR/tests/integration/own_ns.sh"
. "$TOP_SRCDIR/tests/integration/lib.sh"
TMUX_SOCK="leaktop-soak-${LEAKTOP_IN_NS:-$$}"
: "${CHURNGEN:?CHURNGEN must name the churngen binary}"

DURATION=${1:?usage: soak.sh DURATION [HISTORY]}
HISTORY=${2:-$("$LEAKTOP" --help | sed -n 's/.*--history N .*(default \([0-9]*\)).*/\1/p')}
EVERY=${SOAK_EVERY:-2}
OUT=${SOAK_OUT:-$WORK}
mkdir -p "$OUT"
[ "$DURATION" -ge $((2 * HISTORY + 30)) ] ||
	{ echo "soak.sh: DURATION must be at least 2 x HISTORY + 30 ($((2 * HISTORY + 30)))"; exit 2; }
# What the screen may say without being an error: this kernel has no
# sock_diag handler for raw sockets, and leaktop says so.
EXPECTED_NOTES='no diag handler in this kernel'
ERROR_WORDS='error|fail|refused|incomplete|malformed|denied|cannot|unable|too many|overflow|truncat|skipped|lost'

died() {
	screen | grep -q '^LEAKTOP-EXITED='
}

CG_PID=
soak_cleanup() {
	if [ -n "$CG_PID" ]; then
		kill "$CG_PID" 2>/dev/null || true
		wait "$CG_PID" 2>/dev/null || true
	fi
	[ "$OUT" = "$WORK" ] || cp "$WORK/leaktop.err" "$OUT/" 2>/dev/null || true
	cleanup
}
trap soak_cleanup EXIT

"$CHURNGEN" --conns "${SOAK_CONNS:-2000}" --procs "${SOAK_PROCS:-200}" \
	--duration $((DURATION + 60)) >"$OUT/churngen.out" 2>"$OUT/churngen.err" </dev/null &
CG_PID=$!
_d=$(deadline 10)
until grep -q '^ready' "$OUT/churngen.out" 2>/dev/null; do
	kill -0 "$CG_PID" 2>/dev/null || { cat "$OUT/churngen.err"; fail "churngen exited early"; }
	past "$_d" && fail "churngen not ready within 10 s"
	sleep 0.1
done
echo "soak: ${DURATION}s, history $HISTORY, output in $OUT; churngen: $(head -n 1 "$OUT/churngen.out")"

# shellcheck disable=SC2086
start_leaktop ${SOAK_LEAKTOP_ENV:-} -- --no-config -d 1 -H "$HISTORY" --tab sockets
LT_PID=$(pgrep -P "$(tm display-message -p -t "$PANE" '#{pane_pid}')" -x leaktop)
[ -n "$LT_PID" ] || fail "leaktop's pid not found"
TCK=$(getconf CLK_TCK)
T0=$(date +%s)

# The sockets leaktop counted go along, to show the load it saw.
echo "t_s,rss_kb,cpu_ticks,fds,seq,sockets,message" >"$OUT/soak.csv"
: >"$OUT/messages"
while :; do
	t=$(($(date +%s) - T0))
	died && fail "leaktop exited at ${t}s"
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$LT_PID/status" 2>/dev/null) ||
		fail "leaktop (pid $LT_PID) is gone at ${t}s"
	# utime and stime are fields 14 and 15; the name before them is in
	# parentheses and may hold spaces, so count from the last ')'.
	ticks=$(sed 's/.*) //' "/proc/$LT_PID/stat" | awk '{ print $12 + $13 }')
	fds=$(ls "/proc/$LT_PID/fd" | wc -l)
	scr=$(screen)
	# The sample number ends the tab bar's interval ("1s #42"); the bar's
	# place depends on the header's height, so find it by its first tab.
	seq=$(printf '%s\n' "$scr" | grep -m 1 '^ *1 Suspec' |
		sed -n 's/.* [0-9.]*s #\([0-9]*\).*/\1/p')
	socks=$(printf '%s\n' "$scr" | sed -n 's/^Sockets \([0-9]*\) .*/\1/p' | head -n 1)
	msg=$(printf '%s\n' "$scr" | sed -n 23p | sed 's/ *$//; s/,/;/g')
	[ -n "$msg" ] && printf '%s\n' "$msg" >>"$OUT/messages"
	echo "$t,$rss,$ticks,$fds,${seq:-},${socks:-},$msg" >>"$OUT/soak.csv"
	[ "$t" -ge "$DURATION" ] && break
	sleep "$EVERY"
done

# Still answering keys: another tab, then back, then q.
keys 6
wait_for "TCP memory" 10
keys 4
wait_re "^KIND +STATE" 10
keys q
wait_for "LEAKTOP-EXITED=0" 10

kill "$CG_PID" 2>/dev/null || true
wait "$CG_PID" || fail "churngen failed: $(cat "$OUT/churngen.err")"
CG_PID=
grep '^summary' "$OUT/churngen.out" | sed 's/^/churngen /'
grep '^rate' "$OUT/churngen.out" |
	awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	       c[NR] = v["conn_per_s"]; p[NR] = v["proc_per_s"] }
	     END { if (NR) { lc = c[1]; hc = c[1]; lp = p[1]; hp = p[1]
		   for (i = 2; i <= NR; i++) { if (c[i] < lc) lc = c[i]; if (c[i] > hc) hc = c[i]
			if (p[i] < lp) lp = p[i]; if (p[i] > hp) hp = p[i] }
		   printf "churngen 10 s windows: conn/s %d..%d, proc/s %d..%d\n", lc, hc, lp, hp } }'

status=0
if [ -s "$WORK/leaktop.err" ]; then
	echo "FAIL: leaktop wrote to stderr:"
	cat "$WORK/leaktop.err"
	status=1
fi
bad=$(sort -u "$OUT/messages" | grep -E -i -- "$ERROR_WORDS" | grep -v -F -- "$EXPECTED_NOTES" || true)
if [ -n "$bad" ]; then
	echo "FAIL: error text on leaktop's message line:"
	printf '%s\n' "$bad"
	status=1
fi

# AddressSanitizer's quarantine holds freed memory: RSS means nothing there.
if ldd "$LEAKTOP" 2>/dev/null | grep -q libasan; then
	SOAK_RSS_BOUND=0
	export SOAK_RSS_BOUND
fi
sh "$TOP_SRCDIR/tests/soak/soak_report.sh" "$OUT/soak.csv" "$HISTORY" "$DURATION" |
	tee "$OUT/summary"
grep -q '^FAIL' "$OUT/summary" && status=1
[ "$status" -eq 0 ] && echo "PASS: soak ${DURATION}s" || tail -n 5 "$OUT/soak.csv"
exit "$status"
