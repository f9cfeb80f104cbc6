# SPDX-License-Identifier: GPL-2.0-or-later
# machine_lock NAME / machine_unlock: a test that takes a machine-wide
# figure to a level (tcp_mem near its pressure mark) holds the lock NAME
# meanwhile, so that two such tests running side by side (make check -j)
# do not add up past the level, or drop under it when the other's driver
# stops. On fd 9; the drivers started meanwhile inherit it, and the lock
# goes with the last of them.
machine_lock() {
	exec 9>"${TMPDIR:-/tmp}/leaktop-test-$1.lock"
	flock -w 600 9 || {
		echo "machine_lock: $1 still held by another test after 600 s" >&2
		return 1
	}
}

machine_unlock() {
	flock -u 9
	exec 9>&-
}
