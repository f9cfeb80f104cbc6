# SPDX-License-Identifier: GPL-2.0-or-later
# Tests that share the machine with others running side by side.
#
# machine_lock NAME / machine_unlock: a test that takes a machine-wide
# figure to a level (tcp_mem near its pressure mark) holds the lock NAME
# meanwhile, so that two such tests running side by side (make check -j)
# do not add up past the level, or drop under it when the other's driver
# stops. On fd 9; the drivers started meanwhile inherit it, and the lock
# goes with the last of them.
#
# machine_lock NAME shared: for a test that needs the figure to stay under
# the level meanwhile (a test whose culprit must outrank everything else on
# the box, which tcp_mem at its pressure mark would); such tests run side by
# side, but never beside a holder of the lock itself.
machine_lock() {
	exec 9>"${TMPDIR:-/tmp}/leaktop-test-$1.lock"
	_how=-x
	[ "${2:-}" = shared ] && _how=-s
	flock $_how -w 600 9 || {
		echo "machine_lock: $1 still held by another test after 600 s" >&2
		return 1
	}
}

machine_unlock() {
	flock -u 9
	exec 9>&-
}

# foreign_drivers FILE: add the leak drivers (ld-*) running now that are not
# this test's: those whose pid no "pid=" of $WORK/*.out names.
foreign_drivers() {
	ps -eo pid=,comm= | awk '$2 ~ /^ld-/ { print $1 }' | while read -r p; do
		grep -q "pid=$p\( \|$\)" "$WORK"/*.out || echo "$p"
	done >>"$1"
}

# wait_quiet SECONDS: until no leak driver of another test runs (make check
# runs tests side by side; theirs end); returns 1 when SECONDS ran out.
wait_quiet() {
	_i=0
	while [ $_i -lt "$1" ]; do
		: >"$WORK/busy"
		foreign_drivers "$WORK/busy"
		[ -s "$WORK/busy" ] || return 0
		_i=$((_i + 1))
		sleep 1
	done
	return 1
}
