#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Vanish races: while leaktop samples every 0.2 s, vanishgen forks about a
# thousand short-lived processes a second, each holding a loopback TCP and
# a UDP socket, and closes accepted sockets mid-dump. leaktop must exit 0,
# every JSON line must parse, every socket owner must be a process of the
# same sample with the same comm and at least as many sockets as it is
# listed for (no process shown with another's fds), and processes that
# vanished are no warnings (no "processes" or /proc/PID note). Bounded:
# the churn stops by itself after 8 s and leaktop is killed after 40 s.
set -eu

: "${LEAKTOP:?}" "${VANISHGEN:?}"
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

SAMPLES=20
tmp=$(mktemp -d /tmp/leaktop-vanish.XXXXXX)
vg=
cleanup() {
	[ -n "$vg" ] && kill "$vg" 2>/dev/null && wait "$vg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$VANISHGEN" --rate 1000 --duration 8 >"$tmp/vg.out" 2>"$tmp/vg.err" &
vg=$!
i=0
until grep -q '^ready' "$tmp/vg.out"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$vg" 2>/dev/null; then
		echo "FAIL: vanishgen did not get ready"
		cat "$tmp/vg.err"
		exit 1
	fi
	sleep 0.1
done

status=0
timeout 40 "$LEAKTOP" -b -o json -n $SAMPLES -d 0.2 --top 0 \
	--sections sockets,owners,procs >"$tmp/lt.json" 2>"$tmp/lt.err" || status=$?
wait "$vg" || { echo "FAIL: vanishgen exited $?"; cat "$tmp/vg.err"; exit 1; }
vg=
forks=$(sed -n 's/^done forks=//p' "$tmp/vg.out")
fail=0
[ "$status" -eq 0 ] || { echo "FAIL: leaktop exited $status"; cat "$tmp/lt.err"; fail=1; }
[ "${forks:-0}" -ge 1000 ] || { echo "FAIL: only ${forks:-0} processes forked"; fail=1; }

lines=$(wc -l <"$tmp/lt.json")
[ "$lines" -eq $SAMPLES ] || { echo "FAIL: $lines samples, expected $SAMPLES"; fail=1; }
# Every line one JSON value: jq reads them all, as many as there are lines.
parsed=$(jq -c 'type' "$tmp/lt.json" 2>"$tmp/jq.err" | grep -c '^"object"$' || true)
[ "$parsed" -eq "$lines" ] ||
	{ echo "FAIL: $parsed of $lines lines parse as JSON objects"; cat "$tmp/jq.err"; fail=1; }

# check WHAT FILTER: FILTER, run over each sample, must give true for all.
check() {
	if ! jq -e -s "all(.[]; $2)" "$tmp/lt.json" >/dev/null 2>"$tmp/jq.err"; then
		echo "FAIL: $1"
		cat "$tmp/jq.err"
		jq -c -s "[.[] | select(($2) | not) | .seq]" "$tmp/lt.json" 2>/dev/null |
			sed 's/^/  samples (seq): /'
		fail=1
	fi
}
# Each owner is a process of the same sample with the same comm, its fds
# read, holding at least as many sockets as it is listed for: no process
# shown with fds from another.
check "owners inconsistent with the processes of their sample" '
	(.processes | map({key: (.pid | tostring), value: .}) | from_entries) as $p
	| [.sockets[] | .owners // [] | .[]] | group_by(.pid)
	| all(.[]; $p[.[0].pid | tostring] as $q
		| $q != null and $q.comm == .[0].comm and $q.fd_status == "ok"
		  and $q.socks >= length)'
# Vanished processes are not news: no note about them, and no flood.
check "notes about processes that vanished" '
	all(.warnings[]?; .source != "processes" and (.source | startswith("/proc/") | not))'
check "more than 4 warnings in a sample" '(.warnings // []) | length <= 4'
# The race was run: samples caught churning children holding sockets.
churn_seen=$(jq -s '[.[] | select(any(.sockets[] | .owners // [] | .[]; .comm == "vgchild"))]
	| length' "$tmp/lt.json" 2>/dev/null || echo 0)
[ "$churn_seen" -ge 1 ] || { echo "FAIL: no sample showed a socket of a churning child"; fail=1; }
echo "samples=$lines forks=$forks samples_with_churn_owners=$churn_seen"
exit $fail
