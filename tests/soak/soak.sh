#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# soak.sh DURATION [HISTORY]: leaktop's TUI at one sample a second, on the
# Sockets tab, for DURATION seconds while churngen makes short loopback TCP
# connections (SOAK_CONNS a second, default 2000), short-lived processes
# (SOAK_PROCS, default 200) and a slowly growing leak. Every SOAK_EVERY
# seconds (default 2) leaktop's VmRSS, utime+stime, open fds, sample number
# and message line go to DIR/soak.csv (DIR = SOAK_OUT, default a temporary
# directory removed at exit). It fails when leaktop
#   - exits, writes to stderr, or shows a message line that reads as an error
#     (other than the expected notes below);
#   - falls behind 1 Hz (sample number < 90% of the seconds it ran);
#   - grows after its history ring is full (HISTORY samples, default
#     leaktop's own): the median VmRSS of the last five samples minus that of
#     the five from 10 s after the ring filled must stay under 1 MiB, and open
#     fds must not grow by more than 8;
#   - burns more CPU as time goes on: the last quarter's CPU rate must stay
#     under twice the second quarter's plus one point of a core. A per-sample
#     cost that grows with time (a list that is never pruned) doubles well
#     within an hour; the churn and a busy machine move the rate by far less
#     between two stretches of the same load, and the one point absorbs clock
#     tick rounding (a tick is 10 ms: 0.5 point over a 2 s sample);
#   - no longer answers keys at the end (a tab switch must show within 10 s,
#     q must quit with status 0).
# It prints the rates churngen reached and a summary line; exit 0 on pass,
# 1 on failure, 77 when it cannot run (not root, no tmux).
set -eu

# A network namespace of its own, lo up: the sockets leaktop lists are the
# churn's and not whatever else the machine runs at the time, so its memory
# follows the load this test made. (/proc and its processes stay shared.)
if [ "$(id -u)" -eq 0 ] && [ -z "${SOAK_IN_NETNS:-}" ]; then
	if ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
		echo "SKIP: needs unshare (util-linux) and ip (iproute2) for a private network namespace"
		exit 77
	fi
	if ! unshare --net true 2>/dev/null; then
		echo "SKIP: cannot make a network namespace here"
		exit 77
	fi
	SOAK_IN_NETNS=1 exec unshare --net -- sh -c 'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
fi

TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP_SRCDIR/tests/integration/lib.sh"
: "${CHURNGEN:?CHURNGEN must name the churngen binary}"

DURATION=${1:?usage: soak.sh DURATION [HISTORY]}
HISTORY=${2:-$("$LEAKTOP" --help | sed -n 's/.*--history N .*(default \([0-9]*\)).*/\1/p')}
EVERY=${SOAK_EVERY:-2}
OUT=${SOAK_OUT:-$WORK}
mkdir -p "$OUT"
# Ten seconds after the ring filled (startup and one slow sample are in them).
RING_T=$((HISTORY + 10))
[ "$DURATION" -ge $((RING_T + 20)) ] ||
	{ echo "soak.sh: DURATION must be at least HISTORY + 30 ($((HISTORY + 30)))"; exit 2; }
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

start_leaktop -- --no-config -d 1 -H "$HISTORY" --tab sockets
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
	seq=$(printf '%s\n' "$scr" | sed -n 7p | sed -n 's/.* #\([0-9]*\) *$/\1/p')
	socks=$(printf '%s\n' "$scr" | sed -n 's/^Sockets \([0-9]*\) .*/\1/p' | head -n 1)
	msg=$(printf '%s\n' "$scr" | sed -n 23p | sed 's/ *$//; s/,/;/g')
	[ -n "$msg" ] && printf '%s\n' "$msg" >>"$OUT/messages"
	echo "$t,$rss,$ticks,$fds,${seq:-},${socks:-},$msg" >>"$OUT/soak.csv"
	[ "$t" -ge "$DURATION" ] && break
	sleep "$EVERY"
done

# Still answering keys: another tab, then back, then q.
keys 5
wait_for "TCP memory" 10
keys 3
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

# CPU % of a core in each sample after the ring filled, sorted, for the
# median and the 90th percentile.
PCTS=$(awk -F, -v ring="$RING_T" -v tck="$TCK" 'NR > 2 && $1 >= ring && $1 > pt {
	printf "%.2f\n", 100 * ($3 - pk) / tck / ($1 - pt) } NR > 1 { pt = $1; pk = $3 }' \
	"$OUT/soak.csv" | sort -n)
CPU_MED=$(printf '%s\n' "$PCTS" | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
CPU_P90=$(printf '%s\n' "$PCTS" | awk '{ v[NR] = $1 } END { i = int(NR * 0.9 + 0.5); print NR ? v[i < 1 ? 1 : i] : 0 }')

awk -F, -v ring="$RING_T" -v med="$CPU_MED" -v p90="$CPU_P90" -v hist="$HISTORY" -v dur="$DURATION" -v tck="$TCK" '
NR == 1 { next }
{
	n++; t[n] = $1; rss[n] = $2; tk[n] = $3; fd[n] = $4; sq[n] = $5; so[n] = $6
	if (!base && $1 >= ring) { base = n }
}
# The median RSS of the five samples from i: malloc gives pages back and
# takes them again from one sample to the next, a leak stays.
function med5(i,  a, j, k, x) {
	for (j = 0; j < 5; j++)
		a[j] = rss[i + j]
	for (j = 1; j < 5; j++)
		for (k = j; k > 0 && a[k - 1] > a[k]; k--) {
			x = a[k]; a[k] = a[k - 1]; a[k - 1] = x
		}
	return a[2]
}
function rate(a, b,  i, j) {	# CPU % of a core between times a and b
	for (i = 1; i < n && t[i] < a; i++) ;
	for (j = n; j > 1 && t[j] > b; j--) ;
	return j > i ? 100 * (tk[j] - tk[i]) / tck / (t[j] - t[i]) : 0
}
END {
	ok = 1
	q2 = rate(dur / 4, dur / 2)
	q4 = rate(dur * 3 / 4, dur)
	r0 = med5(base)
	r1 = med5(n - 4)
	growth = r1 - r0
	peak = 0
	for (i = base; i <= n; i++)
		if (rss[i] - r0 > peak)
			peak = rss[i] - r0
	printf "soak summary: samples=%d duration=%ds history=%d rss_ring_full=%dkB (t=%ds) rss_end=%dkB growth=%+dkB peak_growth=%+dkB fds=%d..%d cpu_median=%.1f%% cpu_p90=%.1f%% cpu_q2=%.2f%% cpu_q4=%.2f%% last_sample=#%s sockets_end=%s\n", \
		n, t[n], hist, r0, t[base], r1, growth, peak, fd[base], fd[n], med, p90, q2, q4, sq[n], so[n]
	if (growth >= 1024) { print "FAIL: RSS grew by " growth " kB after the ring filled (limit 1024)"; ok = 0 }
	if (fd[n] > fd[base] + 8) { print "FAIL: open fds grew from " fd[base] " to " fd[n]; ok = 0 }
	if (q4 > 2 * q2 + 1) { printf "FAIL: CPU rate rose from %.2f%% to %.2f%% of a core\n", q2, q4; ok = 0 }
	if (sq[n] == "" || sq[n] < 0.9 * t[n]) { print "FAIL: sample #" sq[n] " after " t[n] " s: not keeping 1 Hz"; ok = 0 }
	exit !ok
}' "$OUT/soak.csv" | tee "$OUT/summary" || status=1
grep -q '^FAIL' "$OUT/summary" && status=1
[ "$status" -eq 0 ] && echo "PASS: soak ${DURATION}s" || tail -n 5 "$OUT/soak.csv"
exit "$status"
