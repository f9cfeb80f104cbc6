# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the batch tests and the benchmark that run a load generator
# (leakgen) in the background: their scratch directory, the generator
# stopped on any exit, and the wait for its load to be in place.
# The tmux harness (lib.sh) has its own start_leakgen; it needs tmux and
# skips without it, these scripts do not.

# gen_scratch NAME: a scratch directory in $tmp (/tmp/leaktop-NAME.XXXXXX);
# on any exit the generators whose pids are in $lg, when set, are stopped and
# $tmp removed.
gen_scratch() {
	tmp=$(mktemp -d "/tmp/leaktop-$1.XXXXXX")
	lg=
	trap gen_cleanup EXIT
	trap 'exit 1' INT TERM
}

gen_cleanup() {
	for _p in $lg; do
		kill "$_p" 2>/dev/null && wait "$_p" 2>/dev/null
	done
	rm -rf "$tmp"
}

# gen_wait_ready PID OUT TENTHS: wait until the generator PID has printed a
# line starting "ready" into OUT, polling every 0.1 s at most TENTHS times.
# Returns 1 when it exits first or the time is up; the caller says so.
gen_wait_ready() {
	_i=0
	until grep -q '^ready' "$2"; do
		_i=$((_i + 1))
		if [ $_i -gt "$3" ] || ! kill -0 "$1" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
}
