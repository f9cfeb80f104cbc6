#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench-tui: how the TUI answers keys and what it costs while it
# samples every second, side by side at 0, 10k and 100k loopback sockets
# (leakgen). leaktop runs in a 200x50 tmux pane on the Sockets tab at -d 1.
#
#  - CPU: utime+stime of the leaktop process (every thread) over a quiet
#    window (no keys), as % of one core, and its VmRSS at the end.
#  - Key to screen: a tab key (5, then 4 back, alternately), sent at a
#    random moment of the sample interval, timed until capture-pane shows
#    the new tab's column titles (polled in a tight loop, or every
#    --poll-ms milliseconds: on two cores the tight loop's tmux clients take
#    CPU from what they time; both are reported with it). The poll itself
#    costs time (a tmux client per capture): the same loop is run against a
#    stub in the same pane size that draws the tab's titles the moment it
#    reads the key, and its percentiles are given alongside; "net" is
#    leaktop's percentile minus the stub's.
#  - Step back: the view frozen (space), then [ once every 0.5 to 1 s (a
#    user reading each sample), timed until the status line shows the
#    sample before ("FROZEN #N-1 of"); against the same stub.
# Needs root (the fd walk of every process). Usage:
#   keylat.sh [--counts "0 10000 100000"] [--reps 50] [--cpu-secs 60] [--steps 20] [--poll-ms 0]
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}"
COUNTS="0 10000 100000"
REPS=50
CPU_SECS=60
STEPS=20
POLL_MS=0
while [ $# -gt 0 ]; do
	case $1 in
	--counts) COUNTS=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--cpu-secs) CPU_SECS=$2; shift 2 ;;
	--steps) STEPS=$2; shift 2 ;;
	--poll-ms) POLL_MS=$2; shift 2 ;;
	*) echo "usage: $0 [--counts LIST] [--reps N] [--cpu-secs S] [--steps N] [--poll-ms MS]" >&2; exit 2 ;;
	esac
done
case $POLL_MS in '' | *[!0-9]*) echo "keylat: --poll-ms takes whole milliseconds" >&2; exit 2 ;; esac
POLL_S=$(awk -v m="$POLL_MS" 'BEGIN { printf "%.3f", m / 1000 }')
[ "$(id -u)" -eq 0 ] || { echo "keylat: needs root" >&2; exit 1; }
command -v tmux >/dev/null || { echo "keylat: needs tmux" >&2; exit 1; }

tmp=$(mktemp -d /tmp/leaktop-keylat.XXXXXX)
sock="keylat-$$"
lg=
tm() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	tm kill-server >/dev/null 2>&1 || true
	[ -n "$lg" ] && kill "$lg" 2>/dev/null && wait "$lg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ms() {
	date +%s%3N
}

clk=$(getconf CLK_TCK)
cpu_ticks() {
	# utime + stime: fields 14 and 15, after the ")" of the comm
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# wait_screen REGEX SECONDS
wait_screen() {
	_end=$(($(ms) + $2 * 1000))
	until tm capture-pane -p -t kl | grep -qE -- "$1"; do
		[ "$(ms)" -lt "$_end" ] || { echo "keylat: /$1/ not shown" >&2; tm capture-pane -p -t kl >&2; exit 1; }
		sleep 0.1
	done
}

# Send KEY, poll until REGEX shows; prints the milliseconds.
key_to_screen() {
	_t0=$(ms)
	tm send-keys -t kl "$1"
	until tm capture-pane -p -t kl | grep -qE -- "$2"; do
		[ "$POLL_MS" -gt 0 ] && sleep "$POLL_S"
	done
	echo $(($(ms) - _t0))
}

# latencies FILE: REPS alternating tab switches at random moments of the
# second, one figure a line.
latencies() {
	: >"$1"
	i=0
	while [ "$i" -lt "$REPS" ]; do
		sleep "0.$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%03d", rand() * 1000 }')"
		key_to_screen 5 "^ +PID +RSS" >>"$1"
		sleep "0.$(awk -v s="$i$$x" 'BEGIN { srand(s + 7); printf "%03d", rand() * 1000 }')"
		key_to_screen 4 "^KIND +STATE" >>"$1"
		i=$((i + 1))
	done
}

# steps FILE: freeze, then STEPS steps back at a reader's pace, one figure
# a line.
steps() {
	: >"$1"
	tm send-keys -t kl Space
	wait_screen "FROZEN #[0-9]+ of" 10
	_n=$(tm capture-pane -p -t kl | grep -oE "FROZEN #[0-9]+ of" | grep -oE "[0-9]+" | head -n 1)
	i=0
	while [ "$i" -lt "$STEPS" ] && [ "$_n" -gt 1 ]; do
		sleep "0.$(awk -v s="$i$$s" 'BEGIN { srand(s); printf "%03d", 500 + rand() * 499 }')"
		_n=$((_n - 1))
		key_to_screen '[' "FROZEN #$_n of" >>"$1"
		i=$((i + 1))
	done
	tm send-keys -t kl Space
}

# pct FILE P: the P-th percentile (nearest rank) of the figures in FILE.
pct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; print v[i] }'
}

echo "# leaktop TUI bench, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -sr), $(nproc) CPUs"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The stub: draws the tab's titles as soon as it reads the key.
cat >"$tmp/stub.sh" <<'STUB'
stty raw -echo
n=100
printf 'KIND   STATE\n'
while c=$(dd bs=1 count=1 2>/dev/null); do
	case $c in
	5) printf '\033[H\033[2J    PID   RSS\n' ;;
	4) printf '\033[H\033[2JKIND   STATE\n' ;;
	' ') printf '\033[H\033[2JKIND   STATE\n FROZEN #%d of 100\n' "$n" ;;
	'[') n=$((n - 1)); printf '\033[H\033[2JKIND   STATE\n FROZEN #%d of 100\n' "$n" ;;
	q) break ;;
	esac
done
STUB
sock="keylat-$$-stub"
tm new-session -d -s kl -x 200 -y 50 "exec sh $tmp/stub.sh"
wait_screen "^KIND +STATE" 10
latencies "$tmp/stub.lat"
steps "$tmp/stub.step"
tm kill-server
s50=$(pct "$tmp/stub.lat" 50) s90=$(pct "$tmp/stub.lat" 90) smax=$(pct "$tmp/stub.lat" 100)
t50=$(pct "$tmp/stub.step" 50) t90=$(pct "$tmp/stub.step" 90)
echo "# polling capture-pane: $([ "$POLL_MS" -gt 0 ] && echo "every $POLL_MS ms" || echo "in a tight loop")"
echo "# measurement overhead (stub that answers at once): p50 $s50 ms, p90 $s90 ms, max $smax ms;"
echo "# stepping back: p50 $t50 ms, p90 $t90 ms"
echo
printf '| %8s | %8s | %9s | %7s | %7s | %7s | %7s | %7s | %8s | %8s | %9s |\n' sockets "cpu %" \
	"rss MiB" "p50 ms" "p90 ms" "max ms" "net p50" "net p90" "step p50" "step p90" "load avg"
printf '|%s|\n' "---------:|---------:|----------:|--------:|--------:|--------:|--------:|--------:|---------:|---------:|----------:"

for n in $COUNTS; do
	lg=
	if [ "$n" -gt 0 ]; then
		"$LEAKGEN" --tcp-unread $((n / 2)) --bytes 1000 --duration 1800 \
			>"$tmp/lg.out" 2>"$tmp/lg.err" </dev/null &
		lg=$!
		end=$(($(ms) + 300000))
		until grep -q '^ready' "$tmp/lg.out"; do
			kill -0 "$lg" 2>/dev/null && [ "$(ms)" -lt "$end" ] ||
				{ echo "keylat: leakgen did not get ready:" >&2; cat "$tmp/lg.err" >&2; exit 1; }
			sleep 0.5
		done
	fi
	# A server of its own per run: a new session on a server still
	# shutting down fails.
	sock="keylat-$$-$n"
	tm new-session -d -s kl -x 200 -y 50 \
		"exec env LANG=C.UTF-8 TERM=screen XDG_CONFIG_HOME=$tmp/config $LEAKTOP --no-config -d 1 --tab sockets"
	pid=$(tm display-message -p -t kl '#{pane_pid}')
	wait_screen "^KIND +STATE" 120
	# Warm: past the first samples (cold fd walk, the first full rows).
	wait_screen " 1s #5( |$)" 120
	c0=$(cpu_ticks "$pid")
	sleep "$CPU_SECS"
	c1=$(cpu_ticks "$pid")
	cpu=$(awk -v a="$c0" -v b="$c1" -v k="$clk" -v s="$CPU_SECS" 'BEGIN { printf "%.2f", (b - a) / k / s * 100 }')
	rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
	latencies "$tmp/lat.$n"
	steps "$tmp/step.$n"
	tm capture-pane -p -t kl | sed -n '8p;50p' >"$tmp/screen.$n"
	tm send-keys -t kl q
	sleep 1
	tm kill-server >/dev/null 2>&1 || true
	if [ -n "$lg" ]; then
		kill "$lg" 2>/dev/null
		wait "$lg" 2>/dev/null || true
		lg=
	fi
	p50=$(pct "$tmp/lat.$n" 50) p90=$(pct "$tmp/lat.$n" 90) pmax=$(pct "$tmp/lat.$n" 100)
	q50=$(pct "$tmp/step.$n" 50) q90=$(pct "$tmp/step.$n" 90)
	printf '| %8s | %8s | %9s | %7s | %7s | %7s | %7s | %7s | %8s | %8s | %9s |\n' "$n" "$cpu" \
		"$rss" "$p50" "$p90" "$pmax" "$((p50 - s50))" "$((p90 - s90))" "$((q50 - t50))" \
		"$((q90 - t90))" "$(cut -d' ' -f1 /proc/loadavg)"
done
echo
echo "# step p50/p90: net of the stub's, as the key columns."
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $COUNTS; do
	echo "# tab bar and status line at $n sockets:"
	sed 's/^/#   /' "$tmp/screen.$n"
done
