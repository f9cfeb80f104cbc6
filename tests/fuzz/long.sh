#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The long fuzz run, by hand, after make fuzz in a --enable-fuzzing build:
#   long.sh run FUZZDIR OUTDIR [RUNS [MAX_SECONDS]] -- TARGET...
#   long.sh report OUTDIR
# "run" fuzzes the targets one after another, niced, each for RUNS
# executions (default 10000000) or MAX_SECONDS (default 900), starting from
# the corpus the short run left in FUZZDIR/run/corpus/<target>, with the
# -max_len and dictionary of options.list; logs go to
# OUTDIR/<target>.log, crashes to OUTDIR/crash/. One in-process fuzzer per
# target (no -jobs/-workers: one worker, and its output stays in the log). "report" prints one
# Markdown table row per log: executions, exec/s, seconds, coverage
# (cov/ft) and crash artifacts; a run still going shows its figures so far.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/options.sh"

case "${1:-}" in
run)
	fuzzdir=$2
	out=$3
	shift 3
	runs=10000000
	secs=900
	[ "${1:-}" != -- ] && { runs=$1; shift; }
	[ "${1:-}" != -- ] && { secs=$1; shift; }
	shift
	mkdir -p "$out/crash"
	for t in "$@"; do
		opts=$(fuzz_options "$here" "$t") || continue
		mkdir -p "$out/corpus/$t"
		cp "$fuzzdir/run/corpus/$t"/* "$out/corpus/$t"/ 2>/dev/null
		start=$(date +%s)
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		nice -n 10 "$fuzzdir/fuzz_$t" -runs="$runs" -max_total_time="$secs" \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$out/crash/$t-" $opts "$out/corpus/$t" >"$out/$t.log" 2>&1
		echo "exit=$? seconds=$(($(date +%s) - start))" >>"$out/$t.log"
	done
	;;
report)
	out=$2
	echo "| target | executions | exec/s | time (s) | cov | ft | crashes |"
	echo "|---|---|---|---|---|---|---|"
	for log in "$out"/*.log; do
		t=$(basename "$log" .log)
		# A run still going has no final stats yet: its last status line
		# gives the figures so far, and the time says "running".
		awk -v t="$t" -v crashes="$(ls "$out/crash" 2>/dev/null | grep -c "^$t-")" '
			/^stat::number_of_executed_units:/ { runs = $2 }
			/^stat::average_exec_per_sec:/ { eps = $2 }
			/^#[0-9]+.*cov: / { last = substr($1, 2); for (i = 1; i <= NF; i++) {
				if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1)
				if ($i == "exec/s:") leps = $(i + 1) } }
			/^exit=/ { split($2, s, "="); secs = s[2] }
			END { if (runs == "") { runs = last " (running)"; eps = leps }
			      if (secs == "") secs = "running"
			      printf "| %s | %s | %s | %s | %s | %s | %d |\n", t, runs, eps, secs, cov, ft, crashes }' "$log"
	done
	;;
*)
	echo "usage: $0 run FUZZDIR OUTDIR [RUNS [MAX_SECONDS]] -- TARGET... | report OUTDIR" >&2
	exit 2
	;;
esac
