#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# How noisy is "unaccounted"? leaktop samples once a second; for each phase
# this prints, for the reconciled figure (unaccounted) and the meminfo-only
# one (unaccounted_meminfo = unaccounted + pcp_free + sock_pages +
# vmstat_other), the mean level and the standard deviation of the change
# from one sample to the next, both in KiB. Phases:
#   idle     nothing added by this script
#   compile  make clean all -j2 of a copy of the build directory, in a loop
#   backlog  leakgen holding unix stream pairs with unread data
# Needs root (slabinfo) and jq. Usage, from the build directory:
#   LEAKTOP=./leaktop LEAKGEN=tests/leakgen/leakgen BUILD=. \
#     ../tests/bench/unacc_noise.sh [--samples N] [--pairs N] [--bytes B]
set -eu

: "${LEAKTOP:?}" "${LEAKGEN:?}" "${BUILD:?}"
SAMPLES=60
PAIRS=1000
BYTES=65536
while [ $# -gt 0 ]; do
	case $1 in
	--samples) SAMPLES=$2; shift 2 ;;
	--pairs) PAIRS=$2; shift 2 ;;
	--bytes) BYTES=$2; shift 2 ;;
	*) echo "usage: $0 [--samples N] [--pairs N] [--bytes B]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "unacc_noise: needs root (slabinfo)" >&2; exit 1; }
command -v jq >/dev/null || { echo "unacc_noise: needs jq" >&2; exit 1; }

tmp=$(mktemp -d /tmp/leaktop-unacc.XXXXXX)
bg=
cleanup() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null && wait "$bg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# sample NAME: SAMPLES + 1 samples at 1 s, one line per sample:
# unaccounted unaccounted_meminfo pcp_free sock_pages vmstat_other (bytes).
sample() {
	"$LEAKTOP" -b -o json --no-config --sections mem,slab,sockets -d 1 \
		-n $((SAMPLES + 1)) |
		jq -r '.derived | [.unaccounted, .unaccounted_meminfo, .pcp_free // 0,
			.sock_pages // 0, .vmstat_other // 0] | @tsv' >"$tmp/$1.tsv"
}

# report NAME: mean level and σ of the per-sample change, KiB.
report() {
	awk -v name="$1" '
	{ for (i = 1; i <= 5; i++) v[NR, i] = $i / 1024 }
	END {
		n = NR - 1
		if (n < 2) { print name ": too few samples"; exit 1 }
		for (i = 1; i <= 5; i++) {
			s = 0; ss = 0; lv = 0
			for (k = 1; k <= NR; k++) lv += v[k, i]
			for (k = 2; k <= NR; k++) { d = v[k, i] - v[k - 1, i]; s += d; ss += d * d }
			mean[i] = lv / NR
			sd[i] = sqrt(ss / n - (s / n) ^ 2)
		}
		printf "%-8s n=%d  unaccounted: mean %9.0f KiB, sd(change) %7.0f KiB" \
		       "  | meminfo-only: mean %9.0f KiB, sd(change) %7.0f KiB" \
		       "  | pcp %7.0f sock %7.0f vmstat %5.0f KiB (means)\n",
		       name, n, mean[1], sd[1], mean[2], sd[2], mean[3], mean[4], mean[5]
	}' "$tmp/$1.tsv"
}

sample idle
report idle

cp -a "$BUILD" "$tmp/build"
(
	while :; do
		make -C "$tmp/build" clean >/dev/null 2>&1
		make -C "$tmp/build" -j2 all >/dev/null 2>&1
	done
) &
bg=$!
sleep 5
sample compile
kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null || true
bg=
report compile

"$LEAKGEN" --unix-unread "$PAIRS" --bytes "$BYTES" --duration $((SAMPLES + 60)) \
	>"$tmp/leakgen.out" 2>"$tmp/leakgen.err" </dev/null &
bg=$!
i=0
until grep -qx ready "$tmp/leakgen.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] && kill -0 "$bg" 2>/dev/null ||
		{ cat "$tmp/leakgen.err" >&2; echo "unacc_noise: leakgen not ready" >&2; exit 1; }
	sleep 0.1
done
sample backlog
report backlog
echo "backlog: $(grep '^summary' "$tmp/leakgen.out"), $BYTES bytes unread per pair"
