#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The short fuzz run (make fuzz): each target for FUZZ_SECONDS on a fresh
# copy of its seed corpus (seeds.list plus tests/fixtures/fuzz/<target>/),
# with its -max_len and dictionary from options.list.
#   run.sh SRCDIR FUZZDIR TARGET...
# FUZZDIR holds the built fuzz_<target> programs; corpora, logs and crash
# artifacts go under FUZZDIR/run/. Any crash, leak or timeout fails the run.
# The closing lines "# PASS: N" / "# FAIL: N" go to FUZZDIR/fuzz-suite.log
# in the form of automake's test-suite.log.
set -u

srcdir=$1
fuzzdir=$2
shift 2
seconds=${FUZZ_SECONDS:-10}
work=$fuzzdir/run
pass=0
fail=0
. "$srcdir/tests/fuzz/options.sh"

rm -rf "$work"
mkdir -p "$work"
for t in "$@"; do
	corpus=$work/corpus/$t
	mkdir -p "$corpus" "$work/artifacts"
	# Each seed is named after its fixture, selector included:
	# seed_procnet_proc_net_unix, seed4_procnet_proc_net_tcp6.
	grep -v '^#' "$srcdir/tests/fuzz/seeds.list" |
	while read -r target sel fixture; do
		[ "$target" = "$t" ] || continue
		if [ "$sel" = - ]; then
			cp "$srcdir/tests/fixtures/$fixture" "$corpus/seed_$(echo "$fixture" | tr / _)"
		else
			{ printf '%s' "$sel"; cat "$srcdir/tests/fixtures/$fixture"; } \
				>"$corpus/seed${sel}_$(echo "$fixture" | tr / _)"
		fi
	done
	if [ -d "$srcdir/tests/fixtures/fuzz/$t" ]; then
		cp "$srcdir/tests/fixtures/fuzz/$t"/* "$corpus"/
	fi
	opts=$(fuzz_options "$srcdir/tests/fuzz" "$t") || { fail=$((fail + 1)); continue; }
	log=$work/$t.log
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	   "$fuzzdir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" $opts "$corpus" \
		>"$log" 2>&1; then
		pass=$((pass + 1))
		awk -v t="$t" '/^stat::number_of_executed_units:/ { runs = $2 }
			/^stat::average_exec_per_sec:/ { eps = $2 }
			END { printf "PASS: fuzz_%s (%s runs, %s exec/s)\n", t, runs, eps }' "$log"
	else
		fail=$((fail + 1))
		echo "FAIL: fuzz_$t (log: $log)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
	fi
done
printf '# PASS: %d\n# FAIL: %d\n' "$pass" "$fail" >"$fuzzdir/fuzz-suite.log"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
