#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: leaktop against ss, lsof and slabtop on the same load, in one
# run. For each socket count, leakgen holds that many loopback TCP sockets
# (spread over child processes), then every command runs RUNS times; the
# table gives median wall and CPU time, peak RSS, and wall time as a ratio of
# `ss -tanmp` (the tool whose job leaktop's socket view does). A cold
# sample runs the socket dump and the fd walk side by side: the two halves
# are also run alone (--sections sockets, --sections fds), and the lines
# after the table give the cold sample against the slower half.
# Needs root (slabinfo, every process's fds). Usage:
#   bench.sh [--counts "1000 10000 100000"] [--runs 5]
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}" "${MEASURE:?}"
. "$(dirname "$0")/../integration/gen_lib.sh"
COUNTS="1000 10000 100000"
RUNS=5
while [ $# -gt 0 ]; do
	case $1 in
	--counts) COUNTS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	*) echo "usage: $0 [--counts LIST] [--runs N]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root" >&2; exit 1; }

gen_scratch bench

echo "# leaktop benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(uname -sr), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
	"$(ss -V 2>&1 | head -1), lsof $(lsof -v 2>&1 | awk '/revision/ {print $2}'), $(slabtop -V 2>&1 | head -1)"
echo "# medians of $RUNS runs; ratio = wall / wall of 'ss -tanmp' at the same count"

row() {
	name=$1
	shift
	line=$("$MEASURE" "$RUNS" "$@")
	wall=$(echo "$line" | sed 's/.*wall_ms=\([0-9.]*\).*/\1/')
	cpu=$(echo "$line" | sed 's/.*cpu_ms=\([0-9.]*\).*/\1/')
	rss=$(echo "$line" | sed 's/.*maxrss_kb=\([0-9]*\).*/\1/')
	last_sys=$(echo "$line" | sed 's/.*sys_ms=\([0-9.]*\).*/\1/')
	st=$(echo "$line" | sed 's/.*status=\([0-9]*\).*/\1/')
	[ -n "${base:-}" ] || base=$wall
	last_wall=$wall
	printf "| %7s | %-44s | %9s | %9s | %9.1f | %6.2f |%s\n" "$sockets" "$name" "$wall" "$cpu" \
		"$(echo "$rss" | awk '{print $1/1024}')" "$(echo "$wall $base" | awk '{print $1/$2}')" \
		"$([ "$st" = 0 ] || echo " exit $st")"
}

# A warm sample in the interactive steady state: the per-process cache is
# filled by the earlier samples of the same run; medians over samples 3..9
# (sample 10 would be the periodic full fd walk) of the sample's wall time,
# its own CPU time (self.cpu_ms: every sampling thread) and leaktop's RSS.
warm_row() {
	"$LEAKTOP" -b -o json -n 9 -d 1 --top 1 >"$tmp/warm.json"
	med() { jq -s "[.[2:][] | $1] | sort | .[length/2|floor]" "$tmp/warm.json"; }
	ms=$(med .sample_ms)
	cpu=$(med .self.cpu_ms)
	rss=$(med .self.rss_bytes)
	printf "| %7s | %-44s | %9s | %9s | %9.1f | %6.2f |\n" "$sockets" \
		"leaktop warm sample (all sections, 1 s, in-run)" "$ms" "$cpu" \
		"$(echo "$rss" | awk '{print $1/1048576}')" "$(echo "$ms $base" | awk '{print $1/$2}')"
	echo "- $sockets sockets: warm batch sample, CPU per 1 s sample: $cpu ms" \
		"($(echo "$cpu" | awk '{printf "%.2f", $1/10}')% of one core)" >>"$tmp/summary"
}

# The interactive steady state: leaktop on the Sockets tab in a private tmux
# server, one sample a second; its CPU time over 10 samples (from
# /proc/PID/stat) per sample covers sampling, sorting every row and drawing.
# Compared with the warm batch sample, the difference is the TUI's own cost.
tui_row() {
	command -v tmux >/dev/null || return 0
	sock=leaktop-bench-$$
	tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 50 \
		"$LEAKTOP --no-config -d 1 --tab sockets"
	sleep 4
	pid=$(pgrep -n -f "^$LEAKTOP --no-config -d 1 --tab sockets") || { tmux -L "$sock" kill-server; return 0; }
	t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	sleep 10
	t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	tmux -L "$sock" kill-server
	tick=$(getconf CLK_TCK)
	printf "| %7s | %-44s | %9s | %9.1f | %9.1f | %6s |\n" "$sockets" \
		"leaktop TUI, Sockets tab, per 1 s sample" "-" \
		"$(echo "$t0 $t1 $tick" | awk '{print ($2 - $1) * 1000 / $3 / 10}')" \
		"$(echo "$rss" | awk '{print $1/1024}')" "-"
}

: >"$tmp/summary"
echo
echo "| sockets | command | wall ms | cpu ms | max RSS MiB | ratio |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $COUNTS; do
	conns=$((n / 2))
	"$LEAKGEN" --tcp-unread "$conns" --bytes 1000 --duration 1800 >"$tmp/lg.out" 2>"$tmp/lg.err" &
	lg=$!
	gen_wait_ready "$lg" "$tmp/lg.out" 1800 ||
		{ echo "bench: leakgen did not get ready:" >&2; cat "$tmp/lg.err" >&2; exit 1; }
	sockets=$(ss -Htan | wc -l)
	base=
	row "ss -tanmp" ss -tanmp
	row "ss -tanm" ss -tanm
	# The floor under any sampler that dumps every socket: the kernel's
	# time for a dump that asks for nothing extra (no memory, no tcp_info).
	row "ss -tan (kernel: bare dump)" ss -tan
	echo "$sockets $last_sys" | awk '{ printf "- %s sockets: kernel time of a bare dump (ss -tan, system time) %.1f ms = %.2f%% of one core at 1 s\n", $1, $2, $2 / 10 }' >>"$tmp/summary"
	row "lsof -nP -i" lsof -nP -i
	row "leaktop -b -n 1 (all sections)" "$LEAKTOP" -b -n 1 --top 10
	row "leaktop -b -n 1 --sections sockets (dump)" "$LEAKTOP" -b -n 1 --sections sockets --top 10
	dump=$last_wall
	row "leaktop -b -n 1 --sections fds (fd walk)" "$LEAKTOP" -b -n 1 --sections fds --top 10
	walk=$last_wall
	row "leaktop -b -n 1 --sections sockets,owners" "$LEAKTOP" -b -n 1 --sections sockets,owners --top 10
	echo "$sockets $last_wall $dump $walk" | awk '{ slow = $3 > $4 ? $3 : $4;
		printf "- %s sockets: cold sockets,owners %.0f ms = %.2f x the slower half (dump %.0f ms, fd walk %.0f ms; target <= 1.3)\n",
		$1, $2, $2 / slow, $3, $4 }' >>"$tmp/summary"
	warm_row
	tui_row
	row "slabtop -o" slabtop -o
	row "leaktop -b -n 1 --sections slab" "$LEAKTOP" -b -n 1 --sections slab
	kill "$lg"
	wait "$lg" 2>/dev/null || true
	lg=
done
echo
cat "$tmp/summary"
