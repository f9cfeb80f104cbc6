#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Without root, leaktop shows what it can and names what needs root; it
# never prints zeros for what it could not read, and never crashes.
set -eu

: "${LEAKTOP:?}"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root to drop to an unprivileged user for the test"
	exit 77
fi
command -v setpriv >/dev/null || { echo "ERROR: setpriv (util-linux) is required"; exit 99; }
command -v jq >/dev/null || { echo "ERROR: jq is required (./build.sh installs it)"; exit 99; }

tmp=$(mktemp -d /tmp/leaktop-nonroot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
# The binary may sit under a private build dir: run a copy nobody can reach.
cp "$LEAKTOP" "$tmp/leaktop"
chmod 755 "$tmp/leaktop"

setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$tmp/leaktop" -b -o json -n 1 --top 0 >"$tmp/out.json" 2>"$tmp/err" ||
	{ echo "FAIL: leaktop exited $? as nobody"; cat "$tmp/err"; exit 1; }
fail=0
for src in slabinfo vmallocinfo; do
	jq -e --arg s "$src" '.missing[$s] | test("needs root")' "$tmp/out.json" >/dev/null ||
		{ echo "FAIL: $src not reported as needing root: $(jq -c .missing "$tmp/out.json")"; fail=1; }
done
jq -e 'has("slab") | not' "$tmp/out.json" >/dev/null || { echo "FAIL: slab printed without root"; fail=1; }
jq -e '.derived.total > 0 and .meminfo.MemTotal > 0' "$tmp/out.json" >/dev/null ||
	{ echo "FAIL: meminfo missing as nobody"; fail=1; }
# Other users' processes: their fds are not readable, so their socket counts
# are unknown (null), never 0.
jq -e '[.processes[] | select(.fd_status == "denied") | .socks] | all(. == null)' \
	"$tmp/out.json" >/dev/null || { echo "FAIL: denied processes show socket counts"; fail=1; }
jq -e '[.processes[] | select(.fd_status == "denied")] | length > 0' "$tmp/out.json" >/dev/null ||
	{ echo "FAIL: no process reported as denied"; fail=1; }
"$tmp/leaktop" -b -n 1 >/dev/null 2>&1 || { echo "FAIL: text output as root failed"; fail=1; }
setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/leaktop" -b -n 1 >"$tmp/out.txt" 2>&1 ||
	{ echo "FAIL: text output as nobody failed"; fail=1; }
grep -q "slabinfo: permission denied (needs root)" "$tmp/out.txt" ||
	{ echo "FAIL: text output does not say slabinfo needs root"; fail=1; }
exit $fail
