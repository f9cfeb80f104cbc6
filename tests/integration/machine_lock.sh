# SPDX-License-Identifier: GPL-2.0-or-later
# Tests that share the machine with others running side by side.
#
# The lock "machine-wide" (make check -j runs tests side by side):
# - held exclusively by a test that moves a machine-wide figure fast or to a
#   level: tcp_mem toward its pressure mark, orphans, negative dentries,
#   tmpfs, memory no meminfo class counts (machine_wide_case says which
#   suspect cases do). Two of them side by side add up past a level, or one
#   hides the other's growth by freeing the same memory.
# - held shared by a test whose own culprit must outrank everything else on
#   the box, or whose check reads a machine-wide figure: such tests run
#   side by side, but never beside an exclusive holder.
#
# machine_lock NAME [shared] / machine_unlock: the lock on fd 9; the drivers
# started meanwhile inherit it, and the lock goes with the last of them.
# flock(2) lets a shared request in beside other shared holders even while
# an exclusive one waits, so tests sharing the lock one after another could
# keep an exclusive holder out for good: every request first passes a gate
# (NAME.gate, fd 8) that an exclusive request holds while it waits, so the
# shared ones coming after it wait their turn.
machine_lock() {
	_dir=${TMPDIR:-/tmp}
	_how=-x
	[ "${2:-}" = shared ] && _how=-s
	exec 8>"$_dir/leaktop-test-$1.gate"
	if ! flock -x -w 1200 8; then
		exec 8>&-
		echo "machine_lock: $1 still held by another test after 1200 s" >&2
		return 1
	fi
	exec 9>"$_dir/leaktop-test-$1.lock"
	flock $_how -w 1200 9 || {
		exec 8>&- 9>&-
		echo "machine_lock: $1 still held by another test after 1200 s" >&2
		return 1
	}
	exec 8>&-
}

machine_unlock() {
	flock -u 9
	exec 9>&-
}

# foreign_drivers FILE [REGEX]: add the leak drivers running now that are not
# this test's: processes whose comm matches REGEX (default ^ld-, the leakdrv
# drivers) and that neither a "pid=" of $WORK/*.out names nor a process it
# names started (a churn driver's short-lived children).
foreign_drivers() {
	ps -eo pid=,ppid=,comm= | awk -v re="${2:-^ld-}" '$3 ~ re { print $1, $2 }' |
		while read -r p pp; do
			grep -q "pid=\($p\|$pp\)\( \|$\)" "$WORK"/*.out || echo "$p"
		done >>"$1"
}

# machine_wide_case KIND: the leakdrv kinds whose growth is machine-wide (a
# level, a cache, a mount, memory no class counts), not one process's: their
# tests hold the lock exclusively.
machine_wide_case() {
	case "$1" in
	tcpmem | orphans | dentry | tmpfs | pipes) return 0 ;;
	*) return 1 ;;
	esac
}

# wait_quiet SECONDS [REGEX]: until no leak driver of another test runs
# (make check runs tests side by side; theirs end); REGEX as for
# foreign_drivers. Returns 1 when SECONDS ran out.
wait_quiet() {
	_i=0
	while [ $_i -lt "$1" ]; do
		: >"$WORK/busy"
		foreign_drivers "$WORK/busy" "${2:-^ld-}"
		[ -s "$WORK/busy" ] || return 0
		_i=$((_i + 1))
		sleep 1
	done
	return 1
}
