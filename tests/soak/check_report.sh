#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# soak_report.sh on made-up runs of 120 s with a 15-sample history: a flat
# one with malloc-like steps passes; one more leak, CPU runaway, fd leak or
# lagging sampler each fails with its own reason (and only that one).
set -eu
REPORT="${TOP_SRCDIR:-.}/tests/soak/soak_report.sh"
WORK=$(mktemp -d /tmp/soak-report.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TCK=$(getconf CLK_TCK)

# fake_run NAME AWK-ADJUSTMENT: a 2 s sampled run; the adjustment may change
# rss, ticks, fds or seq for time t.
fake_run() {
	awk -v tck="$TCK" 'BEGIN {
		print "t_s,rss_kb,cpu_ticks,fds,seq,sockets,message"
		for (t = 0; t <= 120; t += 2) {
			rss = t < 25 ? 3000 + 220 * t : 8500 + (t < 60 ? 20 * (t - 25) : 700) + (t % 6 == 0 ? 90 : 0)
			ticks = int(t * 0.015 * tck + (t % 4 == 0 ? 0.6 : 0))
			fds = 5 + (t % 10 == 0)
			seq = t > 2 ? t - 2 : 1
			'"$2"'
			printf "%d,%d,%d,%d,%d,800,note\n", t, rss, ticks, fds, seq
		}
	}' >"$WORK/$1.csv"
}

# expect NAME pass|TEXT [FAILS]: FAILS (default 1) FAIL lines, one with TEXT
expect() {
	if sh "$REPORT" "$WORK/$1.csv" 15 120 >"$WORK/$1.out"; then
		got=pass
	else
		got=fail
	fi
	if [ "$2" = pass ]; then
		[ "$got" = pass ] || { cat "$WORK/$1.out"; echo "FAIL: $1 should pass"; exit 1; }
	else
		grep -q -- "$2" "$WORK/$1.out" && [ "$(grep -c '^FAIL' "$WORK/$1.out")" -eq "${3:-1}" ] ||
			{ cat "$WORK/$1.out"; echo "FAIL: $1 should fail with '$2' (${3:-1} FAIL lines)"; exit 1; }
	fi
	echo "ok: $1 $got"
}

fake_run flat ''
expect flat pass
fake_run leak 'rss += 20 * t'
expect leak 'RSS grew by [0-9]* kB from 60 s' 2
# 1.6 MiB more in the 40 s after the fill (sample 35), flat from then on:
# malloc settling, as before leaktop gave free pages back.
fake_run settle 'if (t >= 40) rss += t < 80 ? 40 * (t - 40) : 1600'
expect settle "from the ring's fill"
fake_run cpu 'ticks += int(t * t / 40)'
expect cpu 'median CPU rose'
fake_run fds 'if (t > 100) fds += 20'
expect fds 'open fds grew'
fake_run lag 'seq = int(t * 0.4)'
expect lag 'not keeping 1 Hz'
fake_run short 'if (t > 40) exit'
expect short 'too short'
echo "PASS: soak_report.sh passes a flat run and fails each kind of growth"
